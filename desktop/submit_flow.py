"""Submitting a visit's work: every changed record of one house, checked first.

The work of a visit is the house, its households and its persons (moved-out and deceased ones
included: those are changes too) that differ from the platform's version. Submitting is blocked
while any of them has an error-level finding; the dialog lists them, and a double click opens the
record at the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.editor.session import FormSession
from desktop.i18n import tr
from desktop.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.graph import entity_from_dict
from forms.validate.findings import Finding
from sync.store import StoreError

SUBMITTABLE = ("draft", "returned", "rejected")


@dataclass
class Work:
    house_id: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    blocking: list[tuple[dict[str, Any], Finding]] = field(default_factory=list)
    warnings: int = 0


def collect_work(store: Any, session: FormSession, entity_id: str) -> Work:
    """The changed records of the house ``entity_id`` belongs to (or of the record alone if it has none)."""
    entity = store.entities.get(entity_id)
    house_id = entity["id"] if entity["kind"] == "house" else entity.get("house_id")
    if house_id:
        candidates = [store.entities.get(house_id), *store.entities.households(house_id),
                      *store.entities.residents(house_id, include_inactive=True)]
    else:
        candidates = [entity]
    if entity not in candidates and all(c["id"] != entity["id"] for c in candidates):
        candidates.append(entity)  # a person just moved out of this house is still this visit's work
    work = Work(house_id)
    for candidate in candidates:
        if candidate.get("status") not in SUBMITTABLE:
            continue
        work.entities.append(candidate)
        result = session.validator.validate(entity_from_dict(candidate), session.graph())
        store.validation.set(candidate["id"], result)
        for finding in result.findings:
            if finding.is_error:
                work.blocking.append((candidate, finding))
            else:
                work.warnings += 1
    return work


def entity_name(entity: dict[str, Any]) -> str:
    data = entity.get("data") or {}
    return str(data.get("name") or data.get("address") or data.get("household_no") or entity["id"][:8])


class SubmitDialog(QDialog):
    """Shows what will be submitted, or what blocks it. ``open_requested(entity_id, field)``."""

    open_requested = Signal(str, str)

    def __init__(self, store: Any, work: Work, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submit_dialog")
        self.setWindowTitle(tr("提交本次走访"))
        self.resize(640, 420)
        self.store = store
        self.work = work
        self.submission_id: str | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setObjectName("submit_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget(self)
        self.list.setObjectName("submit_list")
        self.list.itemDoubleClicked.connect(self._open)
        layout.addWidget(self.list, 1)
        self.note = QLineEdit(self)
        self.note.setObjectName("submit_note")
        self.note.setPlaceholderText(tr("备注（可选）"))
        layout.addWidget(self.note)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#c0392b")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("提交"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        w = self.work
        if not w.entities:
            self.summary.setText(tr("这次走访没有需要提交的修改。"))
            self.ok.setEnabled(False)
            return
        if w.blocking:
            self.summary.setText(tr("还有 {n} 个错误，改正后才能提交（双击跳到该处）：", n=len(w.blocking)))
            self.ok.setEnabled(False)
            for entity, finding in w.blocking:
                item = QListWidgetItem(f"✖ {entity_name(entity)}：{finding.message_zh}")
                item.setData(Qt.ItemDataRole.UserRole, (entity["id"], finding.field))
                self.list.addItem(item)
            return
        self.summary.setText(tr("将提交 {n} 条记录的修改（{w} 个提醒）：", n=len(w.entities), w=w.warnings))
        for entity in w.entities:
            item = QListWidgetItem(f"{entity_name(entity)}")
            item.setData(Qt.ItemDataRole.UserRole, (entity["id"], ""))
            self.list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        entity_id, field_path = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(entity_id, field_path)
        self.reject()

    def accept(self) -> None:
        try:
            self.submission_id = self.store.outbox.submit([e["id"] for e in self.work.entities],
                                                   note=self.note.text().strip())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
