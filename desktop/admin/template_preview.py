"""Preview of a new template: the worker's record editor form built from it, over a real record of the
admin's area (from the local store), moved to the new version by field name as a device would move
it, with its findings as the worker would see them, the values the new version has no place for, and
an expression box that evaluates one expression against that record (value or error)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop.editor.form_view import FormView
from desktop.editor.record_editor import entity_title, mask_value
from desktop.editor.session import FormSession
from desktop.editor.validation_panel import ValidationPanel
from desktop.i18n import language, tr
from desktop.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from forms.graph import Entity, entity_from_dict
from forms.model import EntityKind, Template
from forms.versions import Leftover, migrate

#: How many records of the admin's area the picker offers.
RECORDS = 50


def evaluate(template: Template, entity: Entity, text: str, session: FormSession) -> tuple[bool, str]:
    """(True, the value as text) or (False, the error with its position) of ``text`` on ``entity``."""
    from forms.cli.expr import readable
    from forms.errors import ExprError
    from forms.expr import EvalContext, Scope, compile_expression

    try:
        compiled = compile_expression(text, Scope.from_template(template))
    except ExprError as exc:
        pos = (exc.position or 0) + 1
        return False, tr("表达式错误（第 {pos} 个字符）：{message}", pos=pos, message=exc.message)
    now = datetime.now()
    ctx = EvalContext(entity.data, today=date.today(), now=now, graph=session.graph([entity]), entity=entity,
                      language=language())
    try:
        return True, readable(compiled.evaluate(ctx))
    except Exception as exc:  # an evaluation failure is the admin's to see, not a crash
        return False, tr("计算出错：{error}", error=str(exc))


class TemplatePreview(QWidget):
    """``store``: the admin's local store (records of the area); ``in_force``: the templates in force by
    kind (the records' values are moved from them to the previewed template)."""

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePreview")
        self.store = store
        self.template: Template | None = None
        self.in_force: dict[EntityKind, Template] = {}
        self.session: FormSession | None = None
        self.entity: Entity | None = None
        self.leftovers: tuple[Leftover, ...] = ()
        self.form: FormView | None = None
        self.heading = QLabel(tr("打开模板文件后，可在这里用辖区内的真实记录预览录入界面"))
        self.heading.setWordWrap(True)
        self.records = QComboBox()
        self.records.setObjectName("previewRecords")
        self.records.currentIndexChanged.connect(self._pick)
        self.left_label = QLabel()
        self.left_label.setObjectName("previewLeftovers")
        self.left_label.setWordWrap(True)
        self.left_label.hide()
        self.panel = ValidationPanel(language())
        self.expression = QLineEdit()
        self.expression.setObjectName("previewExpression")
        self.expression.setPlaceholderText(tr("输入一个表达式，如 age(${birth_date}) >= 60"))
        self.expression.returnPressed.connect(self.try_expression)
        self.try_button = QPushButton(tr("计算"))
        self.try_button.setObjectName("previewTry")
        self.try_button.clicked.connect(self.try_expression)
        self.result = QLabel()
        self.result.setObjectName("previewResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_box = QVBoxLayout()
        self.form_box.setContentsMargins(0, 0, 0, 0)

        pick = QHBoxLayout()
        pick.addWidget(QLabel(tr("记录：")))
        pick.addWidget(self.records, 1)
        expr = QHBoxLayout()
        expr.addWidget(self.expression, 1)
        expr.addWidget(self.try_button)
        holder = QWidget()
        holder.setLayout(self.form_box)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(tr("检查结果（工作人员看到的）")))
        right_layout.addWidget(self.panel, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(holder)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(pick)
        layout.addWidget(self.left_label)
        layout.addWidget(split, 1)
        layout.addLayout(expr)
        layout.addWidget(self.result)

    def show_template(self, template: Template, in_force: dict[EntityKind, Template]) -> None:
        self.template = template
        self.in_force = in_force
        self.session = FormSession({**in_force, template.entity: template}, store=self.store)
        if self.form is not None:
            self.form.hide()
            self.form.setParent(None)
            self.form.deleteLater()
        self.form = FormView(template, language(), mask_value)
        self.form.edited.connect(lambda _name: self._check())
        self.form_box.addWidget(self.form)
        self.heading.setText(tr("预览 {form} {version}：辖区内的真实记录按字段名迁移到新版本后的样子",
                                form=template.form_id, version=template.version))
        self.records.blockSignals(True)
        self.records.clear()
        for row in self._rows(template.entity.value):
            self.records.addItem(entity_title({"kind": template.entity.value, "data": row.get("data") or row}),
                                 row["id"])
        self.records.blockSignals(False)
        if self.records.count():
            self.records.setCurrentIndex(0)
            self._pick(0)
        else:
            self.heading.setText(self.heading.text() + tr("（本机没有该类记录，先同步）"))

    def _rows(self, kind: str) -> list[dict[str, Any]]:
        lists = self.store.lists
        if kind == "person":
            return list(lists.persons(limit=RECORDS).rows)
        if kind == "house":
            return list(lists.houses(limit=RECORDS).rows)
        return list(lists.households(limit=RECORDS).rows)

    def _pick(self, index: int) -> None:
        entity_id = self.records.itemData(index)
        if not entity_id or self.template is None or self.form is None:
            return
        stored = self.store.entities.get(entity_id)
        old = self.in_force.get(self.template.entity)
        values = dict(stored.get("data") or {})
        self.leftovers = ()
        if old is not None and old is not self.template:
            moved = migrate(values, old, self.template)
            values, self.leftovers = moved.values, moved.leftovers
        self.entity = entity_from_dict({**stored, "data": values})
        self.form.set_values(values)
        self.left_label.setText(tr("这些值在新版模板中已没有对应字段：") + "；".join(
            f"{x.label}：{x.shown}（{x.reason_text(language())}）" for x in self.leftovers))
        self.left_label.setVisible(bool(self.leftovers))
        self._check()

    def _check(self) -> None:
        if self.entity is None or self.form is None or self.session is None:
            return
        values = self.form.values(dict(self.entity.data))
        self.entity = entity_from_dict({"id": self.entity.id, "kind": self.entity.kind.value, "data": values,
                                        "tags": list(self.entity.tags), "house_id": self.entity.house_id,
                                        "household_id": self.entity.household_id, "state": self.entity.state})
        checked = self.session.check(self.entity)
        self.form.apply(checked.result, checked.irrelevant, checked.choices)
        self.panel.show_findings([(self.entity.id, tr("本记录"), list(checked.result.findings))])

    def try_expression(self) -> None:
        text = self.expression.text().strip()
        if not text or self.template is None or self.entity is None or self.session is None:
            self.result.setText(tr("先打开模板并选择一条记录，再输入表达式") if text else "")
            return
        ok, shown = evaluate(self.template, self.entity, text, self.session)
        self.result.setText(tr("结果：{value}", value=shown) if ok else shown)
        self.result.setStyleSheet("" if ok else "color: #b00020;")
