"""One entity's change in a submission: fields before / after, tags gained and lost, state, conflicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QColor,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.review.values import (
    EMPTY,
    STATE_NAMES,
    change_name,
    field_label,
    is_sensitive,
    show_value,
    tag_label,
)
from forms.model import Template

FIELD_ROLE = int(Qt.ItemDataRole.UserRole) + 2
CONFLICT_COLOUR = QColor("#fde7e9")
HEADERS = ("字段", "修改前", "修改后", "")


class ChangeView(QGroupBox):
    """Shows ``change`` (one item of ``changes`` of ``GET /review/{id}``); rows can be selected for comments."""

    history_requested = Signal(str)
    reveal_requested = Signal(str)

    def __init__(self, change: Mapping[str, Any], template: Template | None, lang: str,
                 revealed: Callable[[str], bool], describe: Callable[[str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.change = dict(change)
        self.entity_id = str(change.get("entity_id") or "")
        self.setObjectName(f"change_{self.entity_id}")
        self.template = template
        self.lang = lang
        self._revealed = revealed
        self.describe = describe
        self.setTitle(f"{change_name(change.get('op'), change.get('kind'))}：{change.get('label') or self.entity_id}")
        self.summary = QLabel()
        self.summary.setObjectName("changeSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("changeTable")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS[:3]] + [""])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.history_button = QPushButton(tr("修改历史"))
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.entity_id))
        self.history_button.setEnabled(change.get("op") != "create")
        self.reveal_button = QPushButton(tr("显示完整号码…"))
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.clicked.connect(lambda: self.reveal_requested.emit(self.entity_id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.fill()

    def fields(self) -> list[Mapping[str, Any]]:
        raw = self.change.get("fields")
        return [f for f in raw if isinstance(f, Mapping)] if isinstance(raw, list) else []

    def fill(self) -> None:
        """(Re)fill the table: after a reveal, or when the language changes."""
        revealed = self._revealed(self.entity_id)
        rows = self.fields()
        self.table.setRowCount(len(rows))
        any_sensitive = False
        for r, f in enumerate(rows):
            name = str(f.get("field") or "")
            any_sensitive = any_sensitive or is_sensitive(name)
            label = field_label(self.template, name, self.lang, str(f.get("label") or ""))
            cells = [label, show_value(self.template, name, f.get("before"), self.lang, revealed, self.describe),
                     show_value(self.template, name, f.get("after"), self.lang, revealed, self.describe),
                     tr("有冲突") if f.get("conflict") else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(FIELD_ROLE, name)
                if c == 0:
                    item.setToolTip(name)
                if f.get("conflict"):
                    item.setBackground(CONFLICT_COLOUR)
                    if c == 3:
                        item.setForeground(QColor("#b3261e"))
                self.table.setItem(r, c, item)
        self.reveal_button.setVisible(any_sensitive and not revealed)
        self.table.setColumnHidden(3, not any(f.get("conflict") for f in rows))
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth() + 2
        height += sum(self.table.rowHeight(r) for r in range(len(rows)))
        self.table.setFixedHeight(min(height, 360))  # compact for a few rows; scrolls beyond
        self.summary.setText(self._summary_html())

    def _summary_html(self) -> str:
        parts: list[str] = []
        gained = [tag_label(self.template, str(t), self.lang) for t in self.change.get("tags_gained") or []]
        lost = [tag_label(self.template, str(t), self.lang) for t in self.change.get("tags_lost") or []]
        if gained:
            parts.append(escape(tr("新增标签：{tags}", tags="、".join(gained))))
        if lost:
            parts.append(escape(tr("去掉标签：{tags}", tags="、".join(lost))))
        before, after = self.change.get("state_before"), self.change.get("state_after")
        if before != after:
            parts.append(escape(tr("状态：{before} → {after}",
                            before=tr(STATE_NAMES.get(str(before), str(before))) if before else EMPTY,
                            after=tr(STATE_NAMES.get(str(after), str(after))) if after else EMPTY)))
        conflicts = [f for f in self.fields() if f.get("conflict")]
        if conflicts:
            parts.append("<span style='color:#b3261e'>" + tr("{n} 个字段与平台上的最新记录冲突", n=len(conflicts))
                         + "</span>")
        base, current = self.change.get("base_rev"), self.change.get("current_rev")
        if base is not None and current is not None and base != current:
            parts.append(escape(tr("提交后记录已被修改（版本 {base} → {current}）", base=base, current=current)))
        if not self.fields():
            parts.append(tr("没有字段变化"))
        return "；".join(parts)  # every part is escaped or our own markup

    def selected_fields(self) -> list[tuple[str, str, str]]:
        """(field name, label, value after) of the selected rows."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        out = []
        for r in rows:
            name_item, after_item = self.table.item(r, 0), self.table.item(r, 2)
            if name_item is None:
                continue
            out.append((str(name_item.data(FIELD_ROLE)), name_item.text(),
                        after_item.text() if after_item is not None else ""))
        return out

    def select_field(self, name: str) -> bool:
        """Add the row of field ``name`` to the selection (keyboard users and tests)."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(FIELD_ROLE) == name:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                self.table.selectionModel().select(self.table.model().index(r, 0), flags)
                return True
        return False
