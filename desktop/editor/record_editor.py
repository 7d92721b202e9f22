"""The record editor: one person, house or household, generated from its template.

What the worker types is checked at once (the engine runs on every change, a few hundred
microseconds for a record) and saved moments later: every edit is autosaved as a draft in the
encrypted store within ``AUTOSAVE_MS``, so killing the app loses at most that fraction of a second.
Ctrl+S saves at once; Ctrl+Enter submits the visit's work.
"""

from __future__ import annotations

from typing import Any

from desktop.editor.field_widgets import MaskedEditor
from desktop.editor.form_view import FormView
from desktop.editor.leftovers_box import LeftoversBox
from desktop.editor.session import FormSession
from desktop.editor.tag_chips import TagChips
from desktop.editor.validation_panel import ValidationPanel
from desktop.i18n import language, tr
from desktop.qt import (
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.cn import mask_id, mask_phone
from forms.graph import Entity, entity_from_dict
from forms.life_events import missing_from_id
from forms.model import EntityKind
from forms.validate.findings import Finding, ValidationResult

AUTOSAVE_MS = 300
KIND_NAMES = {"person": "实有人口", "house": "实有房屋", "household": "户"}
STATUS_NAMES = {"synced": "已同步", "draft": "草稿", "submitted": "已提交", "returned": "被退回",
                "conflict": "有冲突", "rejected": "被拒绝"}


def mask_value(text: str) -> str:
    digits = text.strip()
    if len(digits) == 11 and digits.isdigit():
        return mask_phone(digits)
    return mask_id(digits)


def entity_title(entity: dict[str, Any]) -> str:
    data = entity.get("data") or {}
    kind = entity.get("kind", "")
    if kind == "person":
        return str(data.get("name") or tr("（未填姓名）"))
    if kind == "house":
        return str(data.get("address") or data.get("house_no") or tr("（未填地址）"))
    return tr("户号 {no}", no=data.get("household_no") or "—")


class RecordEditor(QWidget):
    saved = Signal(str)               # entity id, after each autosave
    submit_requested = Signal(str)    # entity id whose visit's work should be submitted
    open_requested = Signal(str)      # entity id (jump to a linked record's finding)

    def __init__(self, store: Any, session: FormSession, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("record_editor")
        self.store = store
        self.session = session
        self.role = role
        self.language = language()
        self.entity: dict[str, Any] | None = None
        self.form: FormView | None = None
        self._forms: dict[tuple[str, str, int, str], FormView] = {}
        self.chips: TagChips | None = None
        self.last: ValidationResult | None = None
        self._dirty = False
        self._stored_tags: list[str] = []

        self.title = QLabel("")
        self.title.setObjectName("editor_title")
        self.title.setStyleSheet("font-size:16px;font-weight:600;")
        self.badge = QLabel("")
        self.badge.setObjectName("editor_status")
        self.chip_holder = QVBoxLayout()
        self.chip_holder.setContentsMargins(0, 0, 0, 0)
        self.form_holder = QVBoxLayout()
        self.form_holder.setContentsMargins(0, 0, 0, 0)
        self.panel = ValidationPanel(self.language)
        self.panel.jump.connect(self.jump_to)
        self.comments = QLabel("")
        self.comments.setObjectName("review_comments")
        self.comments.setWordWrap(True)
        self.comments.setStyleSheet("background:#eef5fb;border:1px solid #9dc3e6;padding:6px;")
        self.comments.hide()
        self.leftovers = LeftoversBox(store)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("autosave_state")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self.save_now)
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submit_button")
        self.submit_button.clicked.connect(self._submit)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.badge)
        head.addStretch(1)
        form_box = QWidget()
        form_box.setLayout(self.form_holder)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.panel_title = QLabel()
        right_layout.addWidget(self.panel_title)
        right_layout.addWidget(self.panel, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(form_box)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.saved_label)
        foot.addStretch(1)
        foot.addWidget(self.save_button)
        foot.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(self.chip_holder)
        layout.addWidget(self.comments)
        layout.addWidget(self.leftovers)
        layout.addWidget(split, 1)
        layout.addLayout(foot)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self.retranslate()
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save_now)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self._submit)

    def retranslate(self) -> None:
        """Set the editor's own texts in the current language (the form follows on the next open)."""
        self.language = language()
        self.panel.language = self.language
        self.save_button.setText(tr("保存 (Ctrl+S)"))
        self.submit_button.setText(tr("提交 (Ctrl+Enter)"))
        self.panel_title.setText(tr("检查结果（本人、所在户、所在房屋）"))
        self.drop_forms()
        if self.entity is not None:
            self.open(self.entity["id"])

    # -- opening --------------------------------------------------------------------------------

    def open(self, entity_id: str) -> bool:
        """Show the record ``entity_id``; saves the one shown before. False if it has no template."""
        self.save_now()
        entity = self.store.entities.get(entity_id)
        template = self.session.template(entity["kind"])
        if template is None:
            self.title.setText(tr("没有「{kind}」的表单模板，请先同步", kind=KIND_NAMES.get(entity["kind"], "")))
            return False
        self.entity = entity
        self._stored_tags = list(entity.get("tags") or [])
        if self.chips is not None:  # hidden and detached at once, deleted when Qt gets to it
            self.chips.hide()
            self.chips.setParent(None)
            self.chips.deleteLater()
        self.form = self._form_for(template)
        self.form.set_values(dict(entity.get("data") or {}))
        self.form.verticalScrollBar().setValue(0)
        self.chips = TagChips(template, self.role, self.language)
        self.chips.tags_changed.connect(self._tags_changed)
        self.chip_holder.addWidget(self.chips)
        self._show_comments(entity_id)
        self.leftovers.show_for(entity_id)
        self._dirty = False
        self.refresh()
        return True

    def _form_for(self, template: Any) -> FormView:
        """The form of ``template``: built once, then reused for every record of that template."""
        key = (template.form_id, template.version, id(template), self.language)
        form = self._forms.get(key)
        if form is None:
            form = FormView(template, self.language, mask_value)
            form.edited.connect(self._edited)
            form.reveal_requested.connect(self.reveal)
            self.form_holder.addWidget(form)
            self._forms[key] = form
        for other in self._forms.values():
            other.setVisible(other is form)
        return form

    def drop_forms(self) -> None:
        """Forget the built forms (after the language or the templates changed); saves first."""
        self.save_now()
        for form in self._forms.values():
            form.hide()
            form.setParent(None)
            form.deleteLater()
        self._forms.clear()
        self.form = None

    def _show_comments(self, entity_id: str) -> None:
        """The supervisor's comments of a returned submission, on the fields they concern."""
        lines: list[str] = []
        for sub in self.store.outbox.returned():
            for c in sub.get("comments") or []:
                if c.get("entity_id") == entity_id:
                    field = c.get("field") or ""
                    label = self.form.template.field_label(field, self.language) if self.form and field else ""
                    lines.append(f"{label or tr('整条记录')}：{c.get('comment', '')}")
            if sub.get("comment") and any(p.get("entity_id") == entity_id for p in sub.get("patches") or []):
                lines.insert(0, str(sub["comment"]))
        self.comments.setText(tr("审核退回意见：") + "<br>" + "<br>".join(lines) if lines else "")
        self.comments.setVisible(bool(lines))

    # -- editing --------------------------------------------------------------------------------

    def current(self) -> Entity | None:
        if self.entity is None or self.form is None:
            return None
        shown = dict(self.entity)
        shown["data"] = self.form.values(dict(self.entity.get("data") or {}))
        shown["tags"] = list(self.chips.stored if self.chips else self._stored_tags)
        return entity_from_dict(shown)

    def _edited(self, name: str) -> None:
        if name == "id_number":
            self._fill_from_id()
        self._dirty = True
        self.saved_label.setText(tr("正在编辑…"))
        self.refresh()
        self._autosave.start()

    def _fill_from_id(self) -> None:
        """A citizen ID number, once complete and valid, gives the birth date and the sex: filled in
        where still empty (never over what the worker typed)."""
        if self.form is None or self.entity is None or self.entity.get("kind") != "person":
            return
        shown = self.form.values(dict(self.entity.get("data") or {}))
        for field_name, value in missing_from_id(shown).items():
            editor = self.form.editor(field_name)
            if editor is not None:
                editor.set_value(value)

    def _tags_changed(self, tags: list[str]) -> None:
        self._stored_tags = list(tags)
        self._dirty = True
        self.refresh()
        self._autosave.start()

    def refresh(self) -> None:
        """Validate what is on screen and show the result."""
        entity = self.current()
        if entity is None or self.form is None or self.chips is None:
            return
        checked = self.session.check(entity)
        self.last = checked.result
        self.form.apply(checked.result, checked.irrelevant, checked.choices)
        self.chips.show_tags(checked.result.tags, self._stored_tags, checked.result.findings)
        groups: list[tuple[str, str, list[Finding]]] = [(entity.id, tr("本人") if entity.kind is
                                                        EntityKind.PERSON else tr("本记录"),
                                                        list(checked.result.findings))]
        for link, heading in ((entity.household_id, tr("所在户")), (entity.house_id, tr("所在房屋"))):
            if link:
                other = self.session.check_stored(link)
                if other is not None:
                    groups.append((link, heading, list(other.findings)))
        self.panel.show_findings(groups)
        assert self.entity is not None
        status = STATUS_NAMES.get(str(self.entity.get("status", "")), "")
        self.title.setText(f"{entity_title({'kind': entity.kind.value, 'data': entity.data})} · "
                           f"{tr(KIND_NAMES.get(entity.kind.value, ''))}")
        self.badge.setText(f"{tr(status) if status else ''}  {self.panel.summary()}")

    def save_now(self) -> None:
        """Write what is on screen to the store (one transaction), if anything changed."""
        self._autosave.stop()
        entity = self.current()
        if entity is None or not self._dirty:
            return
        saved = self.store.edits.save_draft(entity.id, entity.data, entity.tags)
        if self.last is not None:
            self.store.validation.set(entity.id, self.last)
        self.entity = saved
        self._dirty = False
        self.saved_label.setText(tr("已自动保存"))
        self.saved.emit(entity.id)

    # -- actions --------------------------------------------------------------------------------

    def reveal(self, field_name: str) -> None:
        """Show an identifier in full: asks for a reason and writes it to the audit log."""
        if self.form is None or self.entity is None:
            return
        editor = self.form.editor(field_name)
        if not isinstance(editor, MaskedEditor):
            return
        label = self.form.template.field_label(field_name, self.language)
        reason, ok = QInputDialog.getText(self, tr("查看完整信息"),
                                          tr("查看「{label}」的完整内容需要说明原因（将记入审计日志）：", label=label),
                                          QLineEdit.EchoMode.Normal, "")
        if not ok or not reason.strip():
            return
        self.store.audit.record("reveal", self.entity["id"], field_name, reason.strip())
        editor.reveal()

    def jump_to(self, entity_id: str, field_path: str) -> None:
        if self.entity is not None and entity_id == self.entity["id"]:
            if self.form is not None and field_path:
                self.form.focus_field(field_path)
        else:
            self.open_requested.emit(entity_id)
            if self.entity is not None and self.entity["id"] == entity_id and self.form is not None:
                self.form.focus_field(field_path)

    def _submit(self) -> None:
        self.save_now()
        if self.entity is not None:
            self.submit_requested.emit(self.entity["id"])

    def closeEvent(self, event: Any) -> None:
        self.save_now()
        super().closeEvent(event)
