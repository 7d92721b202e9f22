"""Pieces of the main window: the filter bar, a list pane (table + context menu), the online indicator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.i18n import tr
from desktop.models.paged import ID_ROLE, PagedTableModel
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QMenu,
    QModelIndex,
    QPoint,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)

#: (value, Chinese label) of the validation and visit filters; None = no filter.
VALIDATION_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, "校验：全部"), ("error", "有错误"), ("warning", "仅有警告"), ("ok", "无问题"))
VISIT_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, "走访：全部"), ("visited", "已走访"), ("not_visited", "未走访"))


#: The list column that grows with the window.
STRETCH_COLUMN = "tags"


class FilterBar(QWidget):
    """Tag, validation state and visit state filters; ``changed`` when any of them changes."""

    changed = Signal()

    def __init__(self, tags: Sequence[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags = list(tags)  # (id, label, scope)
        self.tag = QComboBox()
        self.tag.setObjectName("tagFilter")
        self.tag.setMinimumContentsLength(8)
        self.validation = QComboBox()
        self.validation.setObjectName("validationFilter")
        self.visit = QComboBox()
        self.visit.setObjectName("visitFilter")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        for combo in (self.tag, self.validation, self.visit):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            layout.addWidget(combo)
        self.retranslate()

    def _fill(self, combo: QComboBox, items: Sequence[tuple[Any, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for value, label in items:
            combo.addItem(label, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(0, found))
        combo.blockSignals(False)

    def retranslate(self) -> None:
        self._fill(self.tag, [(None, tr("标签：全部"))] + [((tid, scope), label)
                                                          for tid, label, scope in self._tags])
        self._fill(self.validation, [(v, tr(label)) for v, label in VALIDATION_CHOICES])
        self._fill(self.visit, [(v, tr(label)) for v, label in VISIT_CHOICES])

    def set_tags(self, tags: Sequence[tuple[str, str, str]]) -> None:
        self._tags = list(tags)
        self.retranslate()

    def values(self) -> dict[str, Any]:
        tag = self.tag.currentData()
        out: dict[str, Any] = {"validation": self.validation.currentData(), "visit": self.visit.currentData(),
                               "tag": None, "house_tag": None}
        if isinstance(tag, tuple):
            tid, scope = tag
            out["house_tag" if scope == "house" else "tag"] = tid
        return out


class ListTable(QTableView):
    """A table tuned for long lists: fixed row height, no word wrap, Enter opens the row."""

    enter_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ListPane(QWidget):
    """One list (persons or houses) with its context menu: open, reveal numbers, hide them again."""

    activated = Signal(str)
    reveal_requested = Signal(str)
    hide_requested = Signal(str)

    def __init__(self, model: PagedTableModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table = ListTable()
        self.table.setObjectName(name)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.doubleClicked.connect(self._open)
        self.table.enter_pressed.connect(self._open)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        vh.hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        stretch = next((i for i, c in enumerate(model.columns) if c.key == STRETCH_COLUMN), -1)
        if stretch >= 0:  # the tags column takes the room a wide screen gives
            hh.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        hh.setSortIndicatorShown(True)
        for i, col in enumerate(model.columns):
            self.table.setColumnWidth(i, col.width)
        sort_col = next((i for i, c in enumerate(model.columns) if c.sort and c.sort == model.query.sort), -1)
        if sort_col >= 0:
            hh.setSortIndicator(sort_col, Qt.SortOrder.AscendingOrder)
        self.empty = QLabel()
        self.empty.setObjectName("emptyLabel")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        model.loaded.connect(self._loaded)
        self.retranslate()

    def retranslate(self) -> None:
        self.empty.setText(tr("没有符合条件的记录"))

    def _loaded(self, total: int) -> None:
        self.empty.setVisible(total == 0)

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(ID_ROLE)
        return str(value) if value else None

    def _open(self, index: QModelIndex) -> None:
        value = index.data(ID_ROLE)
        if value:
            self.activated.emit(str(value))

    def _menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        entity_id = str(index.data(ID_ROLE) or "")
        if not entity_id:
            return
        menu = QMenu(self)
        menu.setObjectName("listContextMenu")
        menu.addAction(tr("打开"), lambda: self.activated.emit(entity_id))
        masker = getattr(self.model, "masker", None)
        if masker is not None and masker.is_revealed(entity_id):
            menu.addAction(tr("隐藏完整号码"), lambda: self.hide_requested.emit(entity_id))
        else:
            menu.addAction(tr("显示完整号码…"), lambda: self.reveal_requested.emit(entity_id))
        viewport = self.table.viewport()
        assert viewport is not None
        menu.popup(viewport.mapToGlobal(pos))


class StatusIndicator(QLabel):
    """在线 / 离线 in the status bar, green or grey."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onlineIndicator")
        self.online: bool | None = None
        self.retranslate()

    def set_online(self, online: object) -> None:
        self.online = bool(online)
        self.retranslate()

    def retranslate(self) -> None:
        if self.online is None:
            text, color = tr("检查连接…"), "#777"
        elif self.online:
            text, color = tr("● 在线"), "#1b7f3b"
        else:
            text, color = tr("● 离线"), "#8a8a8a"
        self.setText(text)
        self.setStyleSheet(f"color: {color}; padding: 0 8px;")
