"""Writing a ledger: xlsx in the template's layout (xlsxwriter, constant memory) and csv (UTF-8 with BOM).

The rows above and below the template's data row are copied with their values, fonts, fills, borders,
alignment, number formats, heights and merges; column widths too. Data rows are streamed in the data
row's styles. A sheet holds at most ``row_limit`` rows (Excel's 1,048,576); past it the ledger goes on
on a new sheet with the same header, and the footer follows the last data row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from forms.ledger.placeholders import Cell, CellEvaluator
from forms.ledger.template import LedgerTemplate

EXCEL_ROWS = 1_048_576
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_BORDERS = {"thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7,
            "mediumDashed": 8, "dashDot": 9, "mediumDashDot": 10, "dashDotDot": 11, "mediumDashDotDot": 12,
            "slantDashDot": 13}


def _color(c: Any) -> str | None:
    rgb = getattr(c, "rgb", None) if c is not None else None
    if isinstance(rgb, str) and len(rgb) == 8 and getattr(c, "type", "rgb") == "rgb" and rgb != "00000000":
        return "#" + rgb[2:]
    return None


def format_of(cell: Any) -> dict[str, Any]:
    """An openpyxl cell's style as xlsxwriter format properties."""
    out: dict[str, Any] = {}
    f = cell.font
    if f is not None:
        if f.name:
            out["font_name"] = f.name
        if f.sz:
            out["font_size"] = float(f.sz)
        if f.b:
            out["bold"] = True
        if f.i:
            out["italic"] = True
        if f.u:
            out["underline"] = 1
        if color := _color(f.color):
            out["font_color"] = color
    a = cell.alignment
    if a is not None:
        if a.horizontal and a.horizontal != "general":
            out["align"] = {"centerContinuous": "center_across", "distributed": "distributed"}.get(a.horizontal, a.horizontal)
        if a.vertical:
            out["valign"] = {"center": "vcenter"}.get(a.vertical, a.vertical)
        if a.wrap_text:
            out["text_wrap"] = True
    b = cell.border
    if b is not None:
        for side in ("left", "right", "top", "bottom"):
            s = getattr(b, side)
            if s is not None and s.style in _BORDERS:
                out[side] = _BORDERS[s.style]
                if color := _color(s.color):
                    out[f"{side}_color"] = color
    fill = cell.fill
    if fill is not None and getattr(fill, "fill_type", None) == "solid" and (color := _color(fill.fgColor)):
        out["pattern"] = 1
        out["bg_color"] = color
    if cell.number_format and cell.number_format != "General":
        out["num_format"] = cell.number_format
    return out


def sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", name).strip("'") or "台账"
    title = base[:31]
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


class XlsxLedgerWriter:
    """Streams a ledger into an .xlsx in the template's layout. Use ``begin(title, context)``, ``add(values)``
    for each row, ``end()``; then ``close()``."""

    def __init__(self, path: str | Path, ledger: LedgerTemplate, cells: CellEvaluator,
                 *, row_limit: int = EXCEL_ROWS) -> None:
        import xlsxwriter

        self.ledger = ledger
        self.cells = cells
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                     "strings_to_formulas": False, "strings_to_urls": False})
        self.ws_src = ledger.workbook[ledger.sheet]
        self._formats: dict[Any, Any] = {}
        self._taken: set[str] = set()
        self.sheets = 0
        self.rows = 0
        head, foot = len(ledger.header), len(ledger.footer)
        self.per_sheet = row_limit - head - foot
        if self.per_sheet < 1:
            raise ValueError(f"row_limit {row_limit} leaves no room for data rows")
        self._data_formats = [self._format(self.ws_src.cell(ledger.data_row, c.index + 1)) for c in ledger.columns]
        self._merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in self.ws_src.merged_cells.ranges]
        self._ws: Any = None
        self._title = ""
        self._next = 0
        self._on_sheet = 0

    def _format(self, cell: Any) -> Any:
        key = tuple(cell._style) if getattr(cell, "has_style", False) else None
        if key is None:
            return None
        fmt = self._formats.get(key)
        if fmt is None:
            props = format_of(cell)
            fmt = self._formats[key] = self.book.add_format(props) if props else None
        return fmt

    # ---- sheets -------------------------------------------------------------------------------
    def begin(self, title: str, context: Mapping[str, Any]) -> None:
        """Start a part (one sheet, more past the row limit) titled ``title``."""
        self._title = title
        self.cells.context.update(context)
        self._new_sheet(title)

    def _new_sheet(self, title: str) -> None:
        ws = self.book.add_worksheet(sheet_title(title, self._taken))
        self.sheets += 1
        src = self.ws_src
        for letter, dim in src.column_dimensions.items():
            if dim.width:
                from openpyxl.utils import column_index_from_string

                first = column_index_from_string(letter) - 1
                last = (dim.max or first + 1) - 1 if dim.min else first
                ws.set_column(first, max(first, last), dim.width)
        self._ws = ws
        self._next = 0
        self._on_sheet = 0
        self._copy_rows(1, self.ledger.header)
        height = src.row_dimensions[self.ledger.data_row].height
        self._data_height = height

    def _copy_rows(self, first_src: int, rows: Iterable[tuple[Cell | None, ...]]) -> None:
        ws, src = self._ws, self.ws_src
        for i, row in enumerate(rows):
            r_src = first_src + i
            r = self._next
            height = src.row_dimensions[r_src].height
            if height:
                ws.set_row(r, height)
            for c in range(1, src.max_column + 1):
                cell = src.cell(r_src, c)
                fmt = self._format(cell)
                parsed = row[c - 1] if c - 1 < len(row) else None
                value = self.cells.value(parsed, None, 0, None) if parsed is not None else None
                if value is None or value == "":
                    if fmt is not None:
                        ws.write_blank(r, c - 1, None, fmt)
                else:
                    ws.write(r, c - 1, value, fmt)
            for (r1, c1, r2, c2) in self._merges:
                if r1 == r_src:
                    ws.merge.append([r, c1 - 1, r + (r2 - r1), c2 - 1])
            self._next += 1

    def add(self, values: list[Any]) -> None:
        if self._on_sheet >= self.per_sheet:
            self._new_sheet(self._title)
        ws, r = self._ws, self._next
        if self._data_height:
            ws.set_row(r, self._data_height)
        fmts = self._data_formats
        for c, v in enumerate(values):
            if v is None or v == "":
                if fmts[c] is not None:
                    ws.write_blank(r, c, None, fmts[c])
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmts[c])
            elif isinstance(v, bool):
                ws.write_string(r, c, "是" if v else "否", fmts[c])
            elif isinstance(v, int | float):
                ws.write_number(r, c, v, fmts[c])
            else:
                ws.write_string(r, c, str(v), fmts[c])
        self._next += 1
        self._on_sheet += 1
        self.rows += 1

    def end(self, context: Mapping[str, Any] | None = None) -> None:
        """Write the footer after the last data row of the part."""
        if context:
            self.cells.context.update(context)
        self._copy_rows(self.ledger.data_row + 1, self.ledger.footer)

    def close(self) -> None:
        if self.sheets == 0:
            self.begin(self.ledger.name or "台账", {})
            self.end()
        self.book.close()


class CsvLedgerWriter:
    """The same rows as a flat csv: one header line (the column titles), UTF-8 with BOM for Excel."""

    def __init__(self, path: str | Path, ledger: LedgerTemplate) -> None:
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
        self._csv = csv.writer(self._file)
        self._csv.writerow(ledger.header_texts())
        self.sheets = 1
        self.rows = 0
        self._write: Callable[[Iterable[Any]], Any] = self._csv.writerow

    def begin(self, title: str, context: Mapping[str, Any]) -> None:
        return None

    def add(self, values: list[Any]) -> None:
        self._write(values)
        self.rows += 1

    def end(self, context: Mapping[str, Any] | None = None) -> None:
        return None

    def close(self) -> None:
        self._file.close()
