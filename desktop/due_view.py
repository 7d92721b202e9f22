"""The 待访 list: who is due or overdue for a visit, most overdue first, filterable by tag.

Rows come from ``store.visits.due`` (visit plans: a tag's ``visit_every`` days, everyone once per
cycle), read on the window's page thread so a long list never holds up the screen. Enter or a double
click on a row opens that house's visit (``visit_requested(house_id)``) — one key from the list to
the visit.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

PAGE = 500
KIND_TEXT = {"person": "人", "house": "房"}
COLUMNS = ("逾期", "姓名 / 地址", "类型", "原因", "上次走访", "应访日期")


def reason_text(row: dict[str, Any]) -> str:
    tags = row.get("rule_tags") or []
    if row.get("rule") == "tag" and tags:
        return tr("{tags}（每 {n} 天）", tags="、".join(str(t) for t in tags), n=row.get("interval_days") or "")
    return tr("本周期尚未核实")


def overdue_text(days: object) -> str:
    n = int(days) if isinstance(days, int | float) else 0
    return tr("逾期 {n} 天", n=n) if n > 0 else (tr("今天到期") if n == 0 else tr("{n} 天后", n=-n))


class _Table(QTableWidget):
    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class DueView(QWidget):
    visit_requested = Signal(str)   # house id
    counted = Signal(int)           # how many are due or overdue (for the action's badge)

    def __init__(self, worker: Any, tags: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("due_view")
        self.worker = worker
        self.tag = QComboBox(self)
        self.tag.setObjectName("due_tag")
        self.tag.addItem("", None)
        for tag_id, label, _scope in tags:
            self.tag.addItem(label, tag_id)
        self.tag.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("due_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel(self)
        self.summary.setObjectName("due_summary")
        self.table = _Table(0, len(COLUMNS), self)
        self.table.setObjectName("due_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.table.enter_pressed.connect(self._open)
        top = QHBoxLayout()
        self.tag_label = QLabel(self)
        top.addWidget(self.tag_label)
        top.addWidget(self.tag)
        top.addWidget(self.refresh_button)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.tag_label.setText(tr("标签"))
        self.tag.setItemText(0, tr("全部"))
        self.refresh_button.setText(tr("刷新"))
        self._show()

    def refresh(self) -> None:
        tag = self.tag.currentData()

        def read(store: Any) -> tuple[list[dict[str, Any]], int]:
            return store.visits.due(tag=tag, limit=PAGE), store.visits.due_count(tag=tag)

        self.worker.submit("due", read, self._loaded, lambda exc: self.summary.setText(str(exc)))

    def _loaded(self, result: tuple[list[dict[str, Any]], int]) -> None:
        self.rows, self.total = result
        self._show()
        self.counted.emit(self.total)

    def _show(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            name = str(row.get("name") or "")
            place = str(row.get("address") or row.get("room") or "")  # the room only when no address
            values = (overdue_text(row.get("days_overdue")), f"{name} · {place}" if name and place else name or place,
                      tr(KIND_TEXT.get(str(row.get("kind")), "")), reason_text(row),
                      str(row.get("last_visit") or tr("从未")), str(row.get("due_date") or ""))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.get("house_id") or row.get("entity_id"))
                if c == 0 and int(row.get("days_overdue") or 0) > 0:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
        if self.total > len(self.rows):
            self.summary.setText(tr("待访 {n} 项（显示最逾期的 {shown} 项）", n=self.total, shown=len(self.rows)))
        else:
            self.summary.setText(tr("待访 {n} 项", n=self.total))

    def _open(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            house_id = self.rows[row].get("house_id") or self.rows[row].get("entity_id")
            if house_id:
                self.visit_requested.emit(str(house_id))
