"""The review queue: status filter, refresh, pages, and the table of submissions."""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QModelIndex,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.review.api import PAGE_SIZE, STATUSES, ReviewApi, error_text
from desktop.review.queue_model import ReviewQueueModel
from desktop.review.values import STATUS_NAMES
from desktop.workers import run_in_background

NOTE_COLUMN = 4
MAX_COLUMN_WIDTH = 320


class ReviewQueueView(QWidget):
    loaded = Signal(int)       # rows on the page now shown
    failed = Signal(str)       # readable message
    selected = Signal(str)     # submission id chosen (current row)

    def __init__(self, api: ReviewApi, area_names: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self.api = api
        self.model = ReviewQueueModel(area_names)
        self.page_size = PAGE_SIZE
        self.offset = 0
        self._ticket = 0
        self._keep = ""
        self.status = QComboBox()
        self.status.setObjectName("reviewStatus")
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key in STATUSES:
            self.status.addItem("", key)
        self.status.currentIndexChanged.connect(lambda _i: self.refresh(reset=True))
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("reviewRefresh")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.prev_button = QPushButton("‹")
        self.prev_button.setObjectName("reviewPrev")
        self.prev_button.clicked.connect(lambda: self.page(-1))
        self.next_button = QPushButton("›")
        self.next_button.setObjectName("reviewNext")
        self.next_button.clicked.connect(lambda: self.page(1))
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(32)
        self.page_label = QLabel()
        self.page_label.setObjectName("reviewPage")
        self.message = QLabel()
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("reviewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((130, 80, 110, 240, 200, 100, 80)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)  # the worker's note
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        self.refresh_shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        self.refresh_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_shortcut.activated.connect(lambda: self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(self.status)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()
        self.message.hide()

    def current_status(self) -> str:
        return str(self.status.currentData() or "pending")

    def set_status(self, status: str) -> None:
        index = self.status.findData(status)
        if index >= 0:
            self.status.setCurrentIndex(index)

    def page(self, step: int) -> None:
        offset = max(0, self.offset + step * self.page_size)
        if offset != self.offset and (step < 0 or offset < self.model.total):
            self.offset = offset
            self.refresh()

    def refresh(self, reset: bool = False) -> None:
        """Ask the platform for the current page (keeps the selected submission selected if it is still there)."""
        if reset:
            self.offset = 0
        self._keep = self.current_id()
        self._ticket += 1
        ticket, status, offset, size = self._ticket, self.current_status(), self.offset, self.page_size
        self.refresh_button.setEnabled(False)
        self._show(tr("正在读取审核队列…"), error=False)
        run_in_background(lambda: self.api.queue(status, offset, size), lambda b: self._loaded(ticket, b),
                          lambda e: self._failed(ticket, e), owner=self)

    def _loaded(self, ticket: int, body: Any) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        items = body.get("items") or []
        total = int(body.get("total") or 0)
        if not items and total and self.offset:  # the last page emptied: go back one
            self.offset = max(0, self.offset - self.page_size)
            self.refresh()
            return
        self.model.set_page(items, total, self.offset)
        self._fit_columns()
        self._update_pages()
        if not items:
            self._show(tr("没有{status}的提交。", status=tr(STATUS_NAMES[self.current_status()])), error=False)
        else:
            self.message.hide()
        row = self.model.row_of(self._keep) if self._keep else -1
        if row >= 0:
            self.table.selectRow(row)
        elif items:
            self.table.selectRow(0)
        else:
            self.selected.emit("")
        self.loaded.emit(len(items))

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        text = error_text(exc, i18n.language())
        self._show(text, error=True)
        self.failed.emit(text)

    def _show(self, text: str, error: bool) -> None:
        self.message.setStyleSheet("color:#b3261e" if error else "color:palette(mid)")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sid = self.model.submission_id(current.row()) if current.isValid() else ""
        self.selected.emit(sid)

    def _fit_columns(self) -> None:
        """Columns as wide as their text (capped); the worker's note takes the rest."""
        for column in range(self.model.columnCount()):
            if column != NOTE_COLUMN:
                self.table.resizeColumnToContents(column)
                self.table.setColumnWidth(column, min(self.table.columnWidth(column) + 16, MAX_COLUMN_WIDTH))

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return self.model.submission_id(index.row()) if index.isValid() else ""

    def _update_pages(self) -> None:
        total = self.model.total
        first = self.offset + 1 if total else 0
        last = min(total, self.offset + len(self.model.items))
        self.page_label.setText(tr("{first}–{last} / 共 {total} 条", first=first, last=last, total=total))
        self.prev_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + self.page_size < total)

    def retranslate(self, _lang: str = "") -> None:
        for i in range(self.status.count()):
            self.status.setItemText(i, tr(STATUS_NAMES[str(self.status.itemData(i))]))
        self.refresh_button.setText(tr("刷新"))
        self.refresh_button.setToolTip(tr("重新读取审核队列（Ctrl+R）"))
        self.prev_button.setToolTip(tr("上一页"))
        self.next_button.setToolTip(tr("下一页"))
        self.model.retranslate()
        self._fit_columns()
        self._update_pages()
