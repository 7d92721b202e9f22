"""The first rows of the file being imported, read on this computer with :mod:`forms.ingest` (the same
reader as the platform's), so that a problem's row can be shown where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.qt import QAbstractItemView, QStandardItem, QStandardItemModel, QTableView

#: rows shown (a problem further down is named in the status bar instead)
PREVIEW_ROWS = 2000


class FilePreview:
    def __init__(self) -> None:
        self.model = QStandardItemModel()
        self.view = QTableView()
        self.view.setObjectName("importPreview")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        #: Excel row number -> preview row
        self.rows: dict[int, int] = {}
        self.headers: list[str] = []

    def load(self, path: Path, header_row: int | None = None, sheet: str | None = None) -> None:
        from forms.ingest.read import ReadError, open_table

        self.model.clear()
        self.rows = {}
        try:
            table = open_table(path, header_row=header_row, sheet=sheet)
        except ReadError:
            return  # the platform's check says why, in words
        self.headers = list(table.headers)
        self.model.setHorizontalHeaderLabels(self.headers)
        labels: list[str] = []
        for number, cells in table.rows():
            if len(self.rows) >= PREVIEW_ROWS:
                break
            self.rows[number] = self.model.rowCount()
            self.model.appendRow([QStandardItem(_shown(c)) for c in cells])
            labels.append(str(number))
        self.model.setVerticalHeaderLabels(labels)

    def select_row(self, number: int, column: str = "") -> bool:
        row = self.rows.get(number)
        if row is None:
            return False
        col = self.headers.index(column) if column in self.headers else 0
        index = self.model.index(row, col)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
