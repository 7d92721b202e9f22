"""Submitting a visit: the visit itself (date, result) and every changed record of its house.

The work of a visit is the house, its households and its persons (moved-out and deceased ones
included: those are changes too) that differ from the platform's version. Submitting is blocked
while any of them has an error-level finding; the dialog lists them, and a double click opens the
record at the field. A visit with nothing changed (已核实, 无人在家, 拒访) is submitted all the same:
the visit is the worker's work and goes to the platform on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.editor.session import FormSession
from desktop.i18n import tr
from desktop.qt import (
    QButtonGroup,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.graph import entity_from_dict
from forms.validate.findings import Finding
from sync.store import VISIT_RESULTS, StoreError

SUBMITTABLE = ("draft", "returned", "rejected")
#: The visit-result choice that records no visit (a correction of returned work, made at the desk).
NO_VISIT = 99


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

    def __init__(self, store: Any, work: Work, parent: QWidget | None = None, house_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("submit_dialog")
        self.setWindowTitle(tr("提交本次走访"))
        self.resize(640, 460)
        self.store = store
        self.work = work
        self.submission_id: str | None = None
        self.visit_id: str | None = None
        layout = QVBoxLayout(self)
        self.target = QLabel(tr("房屋：{name}", name=house_name) if house_name else "")
        self.target.setObjectName("dialog_target")
        self.target.setStyleSheet("font-weight:bold")
        self.target.setVisible(bool(house_name))
        layout.addWidget(self.target)
        self.results = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("走访结果")))
        for i, result in enumerate(VISIT_RESULTS):
            button = QRadioButton(tr(result), self)
            button.setObjectName(f"submit_result_{i}")
            self.results.addButton(button, i)
            row.addWidget(button)
        no_visit = QRadioButton(tr("不记为走访"), self)  # a correction made at the desk, not at the door
        no_visit.setObjectName("submit_no_visit")
        self.results.addButton(no_visit, NO_VISIT)
        row.addWidget(no_visit)
        row.addStretch(1)
        changed = VISIT_RESULTS.index("有变更")
        corrections = bool(work.entities) and all(e.get("status") in ("returned", "rejected") for e in work.entities)
        default = NO_VISIT if corrections else (changed if work.entities else VISIT_RESULTS.index("已核实"))
        self.results.button(default).setChecked(True)
        self.results.button(changed).setEnabled(bool(work.entities))
        no_visit.setEnabled(bool(work.entities))
        self.when = QDateEdit(QDate.currentDate(), self)
        self.when.setObjectName("submit_date")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.when.setMaximumDate(QDate.currentDate())
        row.addWidget(QLabel(tr("走访日期")))
        row.addWidget(self.when)
        if work.house_id:
            layout.addLayout(row)
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
            if w.house_id:
                self.summary.setText(tr("这次走访没有修改记录：将只提交走访（核实结果）。"))
                self.ok.setText(tr("提交走访"))
            else:
                self.summary.setText(tr("这条记录没有需要提交的修改。"))
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
        chosen = self.results.checkedId()
        result = VISIT_RESULTS[chosen] if 0 <= chosen < len(VISIT_RESULTS) else ""
        try:
            if self.work.house_id and result and self.visit_id is None:  # once, even if the submit is refused
                self.visit_id = str(self.store.visits.record(
                    self.work.house_id, self.when.date().toString("yyyy-MM-dd"), result, self.note.text().strip()))
            if self.work.entities:
                self.submission_id = self.store.outbox.submit([e["id"] for e in self.work.entities],
                                                              visit_id=self.visit_id, note=self.note.text().strip())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
