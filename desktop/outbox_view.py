"""The outbox: what this laptop has submitted and what became of it.

Three lists: submissions (queued → sent → accepted / approved / returned / rejected), returned work
with the supervisor's comments (a double click opens the record), and conflicts to resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

STATE_NAMES = {
    "queued": "待发送", "sending": "发送中", "sent": "已发送", "accepted": "已接收", "pending_review": "待审核",
    "applied": "已生效", "approved": "已通过", "returned": "被退回", "rejected": "被拒绝", "conflict": "有冲突",
    "duplicate": "已接收",
}


def state_name(state: str, syncing: bool = True) -> str:
    """The state in words. A submission handed to a sync that is no longer running waits to be sent
    again (the platform answers a repeat as a duplicate): 待发送, not 发送中."""
    if state == "sending" and not syncing:
        state = "queued"
    return tr(STATE_NAMES.get(state, state))


def no_label(_entity_id: str, name: str) -> str:
    return name


class OutboxView(QWidget):
    """``open_requested(entity_id, field)`` opens a record; ``conflict_requested(entity_id)`` resolves one."""

    open_requested = Signal(str, str)
    conflict_requested = Signal(str)

    def __init__(self, store: Any, parent: QWidget | None = None,
                 label_of: Callable[[str, str], str] = no_label,
                 syncing: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_view")
        self.store = store
        #: the label of a record's field as the template names it (联系电话, not phone)
        self.label_of = label_of
        self.syncing = syncing
        self.tabs = QTabWidget(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("outbox_table")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.returned = QListWidget(self)
        self.returned.setObjectName("returned_list")
        self.returned.itemDoubleClicked.connect(self._open_item)
        self.conflicts = QListWidget(self)
        self.conflicts.setObjectName("conflict_list")
        self.conflicts.itemDoubleClicked.connect(self._conflict_item)
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.returned, "")
        self.tabs.addTab(self.conflicts, "")
        self.hint = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.hint)
        self.counts = (0, 0)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr("提交时间"), tr("状态"), tr("记录数"), tr("说明")])
        returned, conflicts = self.counts
        self.tabs.setTabText(0, tr("发件箱"))
        self.tabs.setTabText(1, tr("退回待改") + (f" ({returned})" if returned else ""))
        self.tabs.setTabText(2, tr("冲突") + (f" ({conflicts})" if conflicts else ""))
        self.hint.setText(tr("双击一项打开对应记录。"))

    def refresh(self) -> None:
        syncing = self.syncing()
        rows = self.store.outbox.items()
        self.table.setRowCount(len(rows))
        for r, sub in enumerate(rows):
            issues = sub.get("issues") or []
            detail = sub.get("note") or ""
            if issues:
                detail = "；".join(str(i.get("message", "")) for i in issues[:3])
            values = (str(sub.get("created_at", ""))[:19].replace("T", " "), state_name(str(sub.get("state", "")), syncing),
                      str(len(sub.get("entity_ids") or [])), detail)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, sub.get("id"))
                self.table.setItem(r, c, item)
        self.returned.clear()
        returned = self.store.outbox.returned()
        for sub in returned:
            head = sub.get("comment") or tr("审核退回")
            for ent in sub.get("entities") or []:
                item = QListWidgetItem(f"↩ {ent.get('name') or ent['id'][:8]}：{head}")
                item.setData(Qt.ItemDataRole.UserRole, (ent["id"], ""))
                self.returned.addItem(item)
            for c in sub.get("comments") or []:
                where = self.label_of(str(c.get("entity_id") or ""), str(c["field"])) if c.get("field") \
                    else tr("整条记录")
                item = QListWidgetItem(f"    · {where}：{c.get('comment', '')}")
                item.setData(Qt.ItemDataRole.UserRole, (c.get("entity_id", ""), c.get("field") or ""))
                self.returned.addItem(item)
        self.conflicts.clear()
        seen: set[str] = set()
        for c in self.store.outbox.conflicts():
            if c["entity_id"] in seen:
                continue
            seen.add(c["entity_id"])
            fields = [self.label_of(c["entity_id"], x["field"]) for x in self.store.outbox.conflicts(c["entity_id"])]
            item = QListWidgetItem(f"⚡ {c.get('name') or c['entity_id'][:8]}：{'、'.join(fields)}")
            item.setData(Qt.ItemDataRole.UserRole, c["entity_id"])
            self.conflicts.addItem(item)
        self.counts = (len(returned), len(seen))  # submissions returned, records in conflict
        self.retranslate()

    def _open_item(self, item: QListWidgetItem) -> None:
        entity_id, field = item.data(Qt.ItemDataRole.UserRole)
        if entity_id:
            self.open_requested.emit(str(entity_id), str(field))

    def _conflict_item(self, item: QListWidgetItem) -> None:
        self.conflict_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
