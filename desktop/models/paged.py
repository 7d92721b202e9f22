"""A table model over a paged query: only the rows on screen are ever fetched.

``PagedTableModel(fetch, columns)``: ``fetch(query, offset, limit) -> (rows, total)`` is the store's
paged query (run on the GUI thread: one page is a short indexed query). ``rowCount`` is the total the
store reports, so the scroll bar is right from the start; ``data()`` reads from a small cache of
pages and fetches a missing page the first time one of its rows is painted. Sorting (header clicks)
and filters change the query and reset the model; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.i18n import tr
from desktop.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

PAGE_SIZE = 200
#: Pages kept in memory (FIFO beyond that): 200 x 64 = 12,800 rows at most.
MAX_PAGES = 64

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row mapping
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the entity id

Row = Mapping[str, Any]
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    #: Header text: Chinese source, translated when shown.
    header: str
    text: Callable[[Row], str]
    #: The store's sort key for this column, or None when the column cannot be sorted.
    sort: str | None = None
    width: int = 100
    align_right: bool = False


@dataclass(frozen=True)
class Query:
    """What the list shows: filters (store-defined names), sort key and direction, search text."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    text: str = ""


Fetch = Callable[[Query, int, int], tuple[Sequence[Row], int]]


class PagedTableModel(QAbstractTableModel):
    """Rows fetched page by page from ``fetch``; ``loaded(total)`` after each (re)query."""

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, fetch: Fetch, columns: Sequence[Column], page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch = fetch
        self.columns = list(columns)
        self.page_size = page_size
        self.query = Query()
        self._total = 0
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self.pages_fetched = 0
        self.decorate: Callable[[Row, Column, str], str] | None = None

    # -- querying ---------------------------------------------------------------------------------------

    def set_query(self, query: Query) -> None:
        """Show the rows of ``query`` (fetches the first page at once to learn the total)."""
        self.beginResetModel()
        self.query = query
        self._pages.clear()
        self._total = 0
        try:
            rows, total = self._fetch(query, 0, self.page_size)
        except Exception as exc:  # the store said no: show an empty list and say why
            self.endResetModel()
            self.failed.emit(str(exc))
            return
        self.pages_fetched += 1
        self._pages[0] = rows
        self._total = total
        self.endResetModel()
        self.loaded.emit(total)

    def apply(self, query: Query, rows: Sequence[Row], total: int) -> None:
        """Show ``query`` whose first page was already fetched elsewhere (e.g. a background search)."""
        self.beginResetModel()
        self.query = query
        self._pages.clear()
        self._pages[0] = rows
        self._total = total
        self.endResetModel()
        self.loaded.emit(total)

    def refresh(self) -> None:
        self.set_query(self.query)

    def set_filters(self, **filters: Any) -> None:
        merged = {k: v for k, v in {**self.query.filters, **filters}.items() if v not in (None, "", ())}
        self.set_query(replace(self.query, filters=merged))

    def set_text(self, text: str) -> None:
        self.set_query(replace(self.query, text=text))

    def total(self) -> int:
        return self._total

    def row(self, row: int) -> Row | None:
        if row < 0 or row >= self._total:
            return None
        page_no, offset = divmod(row, self.page_size)
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        return page[offset] if offset < len(page) else None

    def entity_id(self, row: int) -> str | None:
        r = self.row(row)
        return str(r["id"]) if r is not None and "id" in r else None

    def find_row(self, entity_id: str) -> int:
        """Row number of ``entity_id`` among the cached pages, or -1."""
        for page_no, page in self._pages.items():
            for i, r in enumerate(page):
                if str(r.get("id")) == entity_id:
                    return page_no * self.page_size + i
        return -1

    def _load_page(self, page_no: int) -> Sequence[Row]:
        try:
            rows, total = self._fetch(self.query, page_no * self.page_size, self.page_size)
        except Exception as exc:
            self.failed.emit(str(exc))
            rows, total = [], self._total
        self.pages_fetched += 1
        self._pages[page_no] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        if total != self._total:
            # The store changed under us (a sync landed): re-read lazily on the next paint.
            self.refresh_later()
        return rows

    def refresh_later(self) -> None:
        from desktop.qt import QTimer

        QTimer.singleShot(0, self.refresh)

    # -- Qt model API -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            r = self.row(index.row())
            if r is None:
                return None
            col = self.columns[index.column()]
            text = col.text(r)
            if self.decorate is not None:
                text = self.decorate(r, col, text)
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            col = self.columns[index.column()]
            if col.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return self.row(index.row())
        if role == ID_ROLE:
            return self.entity_id(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return tr(self.columns[section].header)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.query.sort and descending == self.query.descending:
            return
        self.set_query(replace(self.query, sort=key, descending=descending))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.columns) - 1))

    def repaint_all(self) -> None:
        """Text changed without the rows changing (a reveal, a language switch)."""
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.columns) - 1))
