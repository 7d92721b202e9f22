"""The problems of a template workbook (``forms.errors.Problem.to_json()``) as a table: sheet, row,
column, position, message; :func:`located` says where in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QColor, QModelIndex, QPersistentModelIndex, Qt

COLUMNS = (("sheet", QT_TR_NOOP("工作表")), ("row", QT_TR_NOOP("行")), ("column", QT_TR_NOOP("列")),
           ("position", QT_TR_NOOP("位置")), ("message", QT_TR_NOOP("问题")))

Index = QModelIndex | QPersistentModelIndex


def located(problem: dict[str, Any]) -> str:
    """Where the problem is, as a sentence: "survey 表第 12 行 constraint 列，第 5 个字符"."""
    sheet, row, column, position = (problem.get(k) for k in ("sheet", "row", "column", "position"))
    parts: list[str] = []
    if sheet:
        parts.append(tr("{sheet} 表", sheet=sheet))
    if row is not None:
        parts.append(tr("第 {row} 行", row=row))
    where = "".join(parts)
    if column:
        where = (where + " " + tr("{column} 列", column=column)).strip()
    where = where or tr("整个工作簿")
    if position is not None:
        where += tr("，第 {n} 个字符", n=int(position) + 1)
    return where


class TemplateProblemsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(str(COLUMNS[section][1]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = problem.get(key)
            if key == "position" and value is not None:
                return str(int(value) + 1)  # people count characters from 1
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return located(problem)
        if role == Qt.ItemDataRole.ForegroundRole and problem.get("severity") == "warning":
            return QColor("#8a6d00")
        return None
