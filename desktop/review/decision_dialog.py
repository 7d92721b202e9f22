"""Returning a submission: an overall comment, and a comment on each field the supervisor selected.

Also the entity's history (``GET /entities/{id}/history``) in a small read-only table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.review.queue_model import local_time

#: One selected field: (entity id, record label, field name, field label, value after).
FieldRef = tuple[str, str, str, str, str]


class ReturnDialog(QDialog):
    """``comment()`` and ``comments()`` once accepted; OK needs at least one comment."""

    def __init__(self, fields: Sequence[FieldRef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle(tr("退回给网格员"))
        self.setMinimumWidth(640)
        self.fields = list(fields)
        intro = QLabel(tr("写明退回原因。在修改前后对比表中选中的字段可以逐个写意见，网格员会在这些字段旁看到。")
                       if self.fields else
                       tr("写明退回原因。如需对某个字段提意见，请先在修改前后对比表中选中该字段所在的行。"))
        intro.setWordWrap(True)
        self.overall = QPlainTextEdit()
        self.overall.setObjectName("returnComment")
        self.overall.setPlaceholderText(tr("总体意见，例如：请入户核实后重新提交"))
        self.overall.setMaximumHeight(90)
        self.table = QTableWidget(len(self.fields), 4)
        self.table.setObjectName("fieldComments")
        self.table.setHorizontalHeaderLabels([tr("记录"), tr("字段"), tr("修改后"), tr("意见")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, (_eid, record, _name, label, after) in enumerate(self.fields):
            for c, text in enumerate((record, label, after)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            self.table.setItem(r, 3, QTableWidgetItem(""))
        self.table.setVisible(bool(self.fields))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("退回"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.overall.textChanged.connect(self._update)
        self.table.itemChanged.connect(lambda _i: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.overall)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self._update()

    def set_field_comment(self, row: int, text: str) -> None:
        item = self.table.item(row, 3)
        if item is not None:
            item.setText(text)

    def comment(self) -> str:
        return self.overall.toPlainText().strip()

    def comments(self) -> list[dict[str, str]]:
        out = []
        for r, (entity_id, _record, name, _label, _after) in enumerate(self.fields):
            item = self.table.item(r, 3)
            text = item.text().strip() if item is not None else ""
            if text:
                out.append({"entity_id": entity_id, "field": name, "comment": text})
        return out

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.comment() or self.comments()))


class HistoryDialog(QDialog):
    """Every recorded change of one entity, oldest first (read-only)."""

    def __init__(self, title: str, history: Mapping[str, Any], label: Callable[[str], str],
                 value: Callable[[str, Any], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(tr("修改历史：{name}", name=title))
        self.resize(820, 440)
        items = [i for i in history.get("items") or [] if isinstance(i, Mapping)]
        self.table = QTableWidget(len(items), 7)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([tr("版本"), tr("时间"), tr("字段"), tr("原值"), tr("新值"),
                                              tr("提交人"), tr("审核人")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for r, item in enumerate(items):
            name = str(item.get("field") or "")
            cells = (str(item.get("rev") or ""), local_time(item.get("at")), label(name),
                     value(name, item.get("old")), value(name, item.get("new")),
                     _who(item.get("author")), _who(item.get("approved_by")))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        empty = QLabel(tr("平台上没有这条记录的修改历史。"))
        empty.setVisible(not items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table)
        layout.addWidget(buttons)


def _who(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("display_name") or value.get("username") or "")
    return str(value or "")
