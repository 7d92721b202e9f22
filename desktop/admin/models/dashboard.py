"""The dashboard's tables: one row per child area (or worker of a grid) with the coverage measures of
``GET /dashboard``, and the workers who have not synced for days. Headers are translated when shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = Mapping[str, Any]
Index = QModelIndex | QPersistentModelIndex


def coverage(row: Row) -> int | None:
    """Houses verified this cycle as a whole percentage of the houses (None: no houses)."""
    houses = int(row.get("houses") or 0)
    return int(row.get("houses_verified") or 0) * 100 // houses if houses else None


def day_of(stamp: Any) -> str:
    """``2026-12-06T08:00:00Z`` -> ``2026-12-06`` (the day is what a reader wants)."""
    return str(stamp)[:10] if stamp else ""


def _number(key: str) -> Callable[[Row], Any]:
    return lambda r: r.get(key)


def _percent(r: Row) -> str:
    share = coverage(r)
    return "—" if share is None else f"{share}%"


def _age(r: Row) -> str:
    days = r.get("backlog_age_days")
    return "" if days is None else str(days)


def _sync(r: Row) -> str:
    if r.get("level") == "worker":
        return day_of(r.get("last_sync_at")) or tr("从未同步")
    return str(r.get("workers_stale") or 0)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    value: Callable[[Row], Any]
    numeric: bool = True


AREA_COLUMNS: tuple[Column, ...] = (
    Column("name", QT_TR_NOOP("名称"), lambda r: r.get("name") or r.get("code") or "", numeric=False),
    Column("persons", QT_TR_NOOP("人口"), _number("persons")),
    Column("houses", QT_TR_NOOP("房屋"), _number("houses")),
    Column("households", QT_TR_NOOP("户"), _number("households")),
    Column("houses_visited", QT_TR_NOOP("已走访房屋"), _number("houses_visited")),
    Column("houses_verified", QT_TR_NOOP("已核实房屋"), _number("houses_verified")),
    Column("coverage", QT_TR_NOOP("房屋核实率"), _percent),
    Column("persons_visited", QT_TR_NOOP("已走访人员"), _number("persons_visited")),
    Column("persons_verified", QT_TR_NOOP("已核实人员"), _number("persons_verified")),
    Column("invalid", QT_TR_NOOP("有校验错误"), _number("invalid")),
    Column("backlog", QT_TR_NOOP("待审核"), _number("backlog")),
    Column("backlog_age_days", QT_TR_NOOP("最久待审（天）"), _age),
    Column("returned", QT_TR_NOOP("退回未改"), _number("returned")),
    Column("workers", QT_TR_NOOP("网格员"), _number("workers")),
    Column("sync", QT_TR_NOOP("未同步 / 最近同步"), _sync),
)

STALE_COLUMNS: tuple[Column, ...] = (
    Column("display_name", QT_TR_NOOP("网格员"), lambda r: r.get("display_name") or "", numeric=False),
    Column("username", QT_TR_NOOP("账号"), lambda r: r.get("username") or "", numeric=False),
    Column("grids", QT_TR_NOOP("网格"), lambda r: "、".join(str(g) for g in r.get("grids") or []), numeric=False),
    Column("last_sync_at", QT_TR_NOOP("最近同步"), lambda r: day_of(r.get("last_sync_at")) or tr("从未同步"),
           numeric=False),
    Column("days", QT_TR_NOOP("未同步天数"), lambda r: "" if r.get("days") is None else r.get("days")),
)


class RowsModel(QAbstractTableModel):
    """Rows of mappings shown through a fixed set of columns; ``row(i)`` gives the mapping back."""

    def __init__(self, columns: Sequence[Column]) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = [r for r in rows if isinstance(r, Mapping)]
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self.rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self.rows[index.row()])
            if isinstance(value, int) and not isinstance(value, bool):
                return f"{value:,}"
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].get("code")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.columns[section].title)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


def area_model() -> RowsModel:
    return RowsModel(AREA_COLUMNS)


def stale_model() -> RowsModel:
    return RowsModel(STALE_COLUMNS)
