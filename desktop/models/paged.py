"""A table model over a paged query: only the rows on screen are ever fetched.

``PagedTableModel(fetch, columns)``: ``fetch(query, offset, limit) -> (rows, total)`` is the store's
paged query. ``rowCount`` is the total the store reports, so the scroll bar is right from the start.
Rows live in a small cache of pages. Sorting (header clicks) and filters change the query and reset
the model; nothing is sorted or filtered in Python.

When a background reader is attached (:meth:`use_background`), painting never waits for the
database: a row whose page is not cached yet is painted empty, its page is read on the worker
thread (with that thread's own store connection), and the rows are repainted when it arrives; the
pages next to the one being looked at are read ahead the same way, so scrolling mostly finds them
ready. Without one (and for :meth:`row`, which callers use for one row at a time) a missing page is
read at once. The display text of each row is computed once and kept until the query, the
language or the masking changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.i18n import tr
from desktop.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from desktop.workers import SerialWorker

PAGE_SIZE = 200
#: Pages kept in memory (oldest dropped first): 200 x 64 = 12,800 rows at most.
MAX_PAGES = 64
#: Rows whose display text is cached before the text cache is cleared.
MAX_TEXT_ROWS = 4000
#: A background page read is skipped when the view has moved more than this many pages away.
WANTED_DISTANCE = 2

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row mapping
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the entity id

Row = Mapping[str, Any]
AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
NO_FLAGS = Qt.ItemFlag.NoItemFlags


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
    #: The column reads opposite to its sort key: 年龄 ascending is 出生日期 descending.
    reversed_sort: bool = False


@dataclass(frozen=True)
class Query:
    """What the list shows: filters (store-defined names), sort key and direction, search text."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    text: str = ""


Fetch = Callable[[Query, int, int], tuple[Sequence[Row], int]]
#: The same query run through a given store connection (on a worker thread).
FetchOn = Callable[[Any, Query, int, int], tuple[Sequence[Row], int]]


class PagedTableModel(QAbstractTableModel):
    """Rows fetched page by page from ``fetch``; ``loaded(total)`` after each (re)query."""

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, fetch: Fetch, columns: Sequence[Column], page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch = fetch
        self.columns = list(columns)
        self._align = [RIGHT if c.align_right else LEFT for c in self.columns]
        self.page_size = page_size
        self.query = Query()
        self._total = 0
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self._texts: dict[int, list[str]] = {}
        self._generation = 0
        self._requested: set[int] = set()
        self._looking_at = 0
        self._worker: SerialWorker | None = None
        self._fetch_on: FetchOn | None = None
        self.pages_fetched = 0

    def use_background(self, worker: SerialWorker, fetch_on: FetchOn) -> None:
        """Read missing pages on ``worker`` with ``fetch_on(context, query, offset, limit)``."""
        self._worker = worker
        self._fetch_on = fetch_on

    # -- querying ---------------------------------------------------------------------------------------

    def _reset_cache(self) -> None:
        self._pages.clear()
        self._texts.clear()
        self._requested.clear()
        self._generation += 1
        self._looking_at = 0

    def set_query(self, query: Query) -> None:
        """Show the rows of ``query`` (fetches the first page at once to learn the total)."""
        self.beginResetModel()
        self.query = query
        self._reset_cache()
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
        self._reset_cache()
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
        """Row ``row`` (read at once if its page is not cached)."""
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

    def _store_page(self, page_no: int, rows: Sequence[Row]) -> None:
        self._pages[page_no] = rows
        self.pages_fetched += 1
        while len(self._pages) > MAX_PAGES:
            old, _rows = self._pages.popitem(last=False)
            first = old * self.page_size
            for r in range(first, first + self.page_size):
                self._texts.pop(r, None)

    def _load_page(self, page_no: int) -> Sequence[Row]:
        try:
            rows, total = self._fetch(self.query, page_no * self.page_size, self.page_size)
        except Exception as exc:
            self.failed.emit(str(exc))
            return []
        self._store_page(page_no, rows)
        if total != self._total:
            QTimer.singleShot(0, self.refresh)  # the store changed under us (a sync landed)
        return rows

    # -- background reading ------------------------------------------------------------------------------

    def _request(self, page_no: int, ahead: bool = False) -> None:
        if (page_no in self._pages or page_no in self._requested or page_no < 0
                or page_no * self.page_size >= self._total):
            return
        worker, fetch_on = self._worker, self._fetch_on
        assert worker is not None and fetch_on is not None
        self._requested.add(page_no)
        generation, query, size = self._generation, self.query, self.page_size

        def job(context: Any) -> tuple[int, int, Sequence[Row] | None, int]:
            if abs(page_no - self._looking_at) > WANTED_DISTANCE or generation != self._generation:
                return (generation, page_no, None, 0)  # the view has moved on: skip the read
            rows, total = fetch_on(context, query, page_no * size, size)
            return (generation, page_no, rows, total)

        worker.submit(f"page:{id(self)}:{generation}:{page_no}", job, self._arrived, self._page_failed,
                      background=ahead)

    def _arrived(self, result: object) -> None:
        assert isinstance(result, tuple)
        generation, page_no, rows, total = result
        if generation != self._generation:
            return
        self._requested.discard(page_no)
        if rows is None:
            return
        if total != self._total:
            QTimer.singleShot(0, self.refresh)
            return
        self._store_page(page_no, rows)
        first = page_no * self.page_size
        last = min(self._total, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1),
                                  [DISPLAY])

    def _page_failed(self, exc: BaseException) -> None:
        self._requested.clear()
        self.failed.emit(str(exc))

    def _display_row(self, row: int) -> Row | None:
        page_no, offset = divmod(row, self.page_size)
        page = self._pages.get(page_no)
        if self._worker is None:
            if page is None:
                page = self._load_page(page_no)
        else:
            if page_no != self._looking_at:
                self._looking_at = page_no
                self._request(page_no + 1, ahead=True)
                self._request(page_no - 1, ahead=True)
            if page is None:
                self._request(page_no)
                return None
        return page[offset] if offset < len(page) else None

    # -- Qt model API -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role in (DISPLAY, TOOLTIP):
            r = index.row()
            texts = self._texts.get(r)
            if texts is None:
                if r < 0 or r >= self._total:
                    return None
                found = self._display_row(r)
                if found is None:
                    return None
                texts = [c.text(found) for c in self.columns]
                if len(self._texts) >= MAX_TEXT_ROWS:
                    self._texts.clear()
                self._texts[r] = texts
            return texts[index.column()]
        if role == ALIGN:
            return self._align[index.column()]
        if role == ROW_ROLE:
            return self.row(index.row())
        if role == ID_ROLE:
            return self.entity_id(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return tr(self.columns[section].header)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort
        if key is None:
            return
        descending = (order == Qt.SortOrder.DescendingOrder) != self.columns[column].reversed_sort
        if key == self.query.sort and descending == self.query.descending:
            return
        self.set_query(replace(self.query, sort=key, descending=descending))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        self.repaint_all()

    def repaint_all(self) -> None:
        """Text changed without the rows changing (a reveal, a language switch)."""
        self._texts.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.columns) - 1))
