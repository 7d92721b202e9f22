"""Reading an office's file as rows of cells, streaming: ``.xlsx``, ``.xls`` and ``.csv`` (UTF-8, UTF-8
with BOM, GB18030/GBK — detected, or given), one sheet of several, the header row found under title
rows (or given), trailing blank rows dropped, hidden columns noted.

A 1,000,000-row file is never held whole: CSV and large workbooks are read row by row (openpyxl's
read-only parser); a workbook whose sheet is small enough is read with calamine, which is faster but
builds the sheet's whole grid — so the sheet's dimension is read from its XML first, and a stray cell
at XFD1048576 sends it to the streaming reader instead of asking for gigabytes.

A file that is not a spreadsheet, is encrypted or is empty raises :class:`ReadError` with one clear
message in both languages.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from forms.errors import FormsError

#: Sheets up to this many cells (by their declared dimension) are read with calamine.
CALAMINE_MAX_CELLS = 3_000_000
ENCODING_SAMPLE = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DIMENSION = re.compile(r"([A-Z]{1,3})(\d+)$")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class ReadError(FormsError):
    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


def _not_spreadsheet(name: str) -> ReadError:
    return ReadError("not_a_spreadsheet", f"“{name}”不是可读取的表格文件（支持 .xlsx、.xls、.csv）",
                     f"'{name}' is not a spreadsheet this can read (.xlsx, .xls or .csv)")


def _encrypted(name: str) -> ReadError:
    return ReadError("encrypted", f"“{name}”设置了打开密码：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后再导入",
                     f"'{name}' is password-protected: remove the password in Excel (File → Info → Protect "
                     "Workbook), then import it")


def _empty(name: str) -> ReadError:
    return ReadError("empty", f"“{name}”中没有数据", f"'{name}' holds no data")


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool = True


@dataclass
class Table:
    """One sheet of a file: its header and then its data rows, read on demand.

    ``rows()`` yields ``(row number as Excel shows it, cells)`` for each row below the header (blank
    rows are skipped, trailing ones never reached); cells are padded or cut to the header's width.
    """

    name: str
    sheet: str
    sheets: tuple[SheetInfo, ...]
    header_row: int  # 1-based, as Excel shows it
    headers: list[str]
    hidden_columns: frozenset[int] = frozenset()
    encoding: str = ""
    _rows: Any = field(default=None, repr=False)

    def all_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row of the sheet as read, title and header rows and blank rows included."""
        yield from self._rows()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        width = len(self.headers)
        for number, cells in self._rows():
            if number <= self.header_row:
                continue
            row = list(cells[:width]) + [None] * (width - len(cells))
            if any(c is not None and (not isinstance(c, str) or c.strip()) for c in row):
                yield number, row


# -- choosing the header ----------------------------------------------------------------------------


def _nonempty(row: Sequence[Any]) -> int:
    return sum(1 for c in row if c is not None and str(c).strip())


def _headers(rows: Sequence[Sequence[Any]], index: int) -> list[str]:
    """The header cells of row ``index``; an empty cell under a group row takes the group row's text
    (a header merged over two rows keeps its text in the upper one)."""
    row = list(rows[index])
    above = list(rows[index - 1]) if index > 0 else []
    group = _nonempty(above) >= 2
    out: list[str] = []
    for column, cell in enumerate(row):
        text = "" if cell is None else str(cell).strip()
        if not text and group and column < len(above) and above[column] is not None:
            text = str(above[column]).strip()
        out.append(text)
    while out and not out[-1]:
        out.pop()
    return out


def choose_header(rows: Sequence[Sequence[Any]], header_row: int | None, guess: Any) -> int:
    """0-based index of the header among ``rows``: given (1-based), guessed by ``guess(rows)`` (e.g.
    :func:`forms.ingest.columns.find_header_row` over a template), or the first non-empty row."""
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise ReadError("header_row", f"第 {header_row} 行不在文件的前 {len(rows)} 行中",
                            f"row {header_row} is not among the first {len(rows)} rows")
        return header_row - 1
    found = guess(rows) if guess is not None else None
    if found is not None:
        return int(found)
    for index, row in enumerate(rows):
        if _nonempty(row):
            return index
    raise ReadError("empty", "文件中没有数据", "the file holds no data")


# -- CSV --------------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` when the sample decodes as such, else what charset-normalizer
    finds (GBK and GB2312 read as GB18030, their superset)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    name = (best.encoding if best is not None else "gb18030").lower().replace("-", "_")
    return "gb18030" if name in ("gbk", "gb2312", "gb18030", "cp936", "hz") else name


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding=encoding, newline="", errors="strict") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        for number, row in enumerate(csv.reader(handle, dialect), start=1):
            yield number, list(row)


def _open_csv(path: Path, encoding: str | None) -> tuple[str, Any]:
    with path.open("rb") as handle:
        sample = handle.read(ENCODING_SAMPLE)
    if not sample.strip():
        raise _empty(path.name)
    if b"\x00" in sample[:4096]:
        raise _not_spreadsheet(path.name)
    chosen = encoding or detect_encoding(sample)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ReadError("encoding", f"不认识的编码“{chosen}”", f"unknown encoding '{chosen}'") from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from _csv_rows(path, chosen)
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", f"文件不是 {chosen} 编码（第 {exc.start} 字节附近）：请指定正确的编码",
                            f"the file is not {chosen} (near byte {exc.start}): give the right encoding") from None

    return chosen, rows


# -- workbooks --------------------------------------------------------------------------------------


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_xml(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The path of ``sheet``'s XML in an .xlsx (through workbook.xml and its relationships)."""
    rid = None
    with archive.open("xl/workbook.xml") as handle:
        for _event, node in iterparse(handle):
            if node.tag == f"{_NS}sheet" and node.get("name") == sheet:
                rid = next((v for k, v in node.attrib.items() if k.endswith("}id")), None)
                break
    if rid is None:
        return None
    with archive.open("xl/_rels/workbook.xml.rels") as handle:
        for _event, node in iterparse(handle):
            if node.get("Id") == rid:
                target = node.get("Target") or ""
                return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _xlsx_layout(path: Path, sheet: str) -> tuple[int, frozenset[int]]:
    """(cells the sheet declares, its hidden columns as 0-based indexes), reading only the sheet XML's
    head (up to ``sheetData``)."""
    cells = 0
    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_xml(archive, sheet)
            if member is None:
                return 0, frozenset()
            with archive.open(member) as handle:
                for _event, node in iterparse(handle, events=("start",)):
                    if node.tag == f"{_NS}dimension":
                        last = (node.get("ref") or "A1").split(":")[-1]
                        if match := _DIMENSION.match(last):
                            cells = _column_number(match.group(1)) * int(match.group(2))
                    elif node.tag == f"{_NS}col" and node.get("hidden") in ("1", "true"):
                        low, high = int(node.get("min") or 1), int(node.get("max") or 1)
                        hidden.update(range(low - 1, min(high, low + 1000)))
                    elif node.tag == f"{_NS}sheetData":
                        break
    except (KeyError, zipfile.BadZipFile):
        return 0, frozenset()
    return cells, frozenset(hidden)


def _calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise _encrypted(path.name) from None
    except Exception as exc:  # calamine's errors: zip, xml, unknown format
        raise _not_spreadsheet(path.name) from exc


def _sheets(workbook: Any) -> tuple[SheetInfo, ...]:
    from python_calamine import SheetVisibleEnum

    return tuple(SheetInfo(str(meta.name), meta.visible == SheetVisibleEnum.Visible)
                 for meta in workbook.sheets_metadata)


def _calamine_rows(path: Path, sheet: str) -> Any:
    def rows() -> Iterator[tuple[int, list[Any]]]:
        data = _calamine(path).get_sheet_by_name(sheet)
        first = data.start[0] if data.start else 0
        for offset, row in enumerate(data.iter_rows()):
            yield first + offset + 1, [None if c == "" else c for c in row]

    return rows


def _openpyxl_rows(path: Path, sheet: str, width: int | None) -> Any:
    def rows() -> Iterator[tuple[int, list[Any]]]:
        import openpyxl

        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        try:
            for number, row in enumerate(book[sheet].iter_rows(values_only=True, max_col=width), start=1):
                yield number, list(row)
        finally:
            book.close()

    return rows


def _pick_sheet(sheets: tuple[SheetInfo, ...], sheet: str | None, name: str) -> str:
    if sheet is not None:
        if sheet.isdigit() and sheet not in {s.name for s in sheets} and 1 <= int(sheet) <= len(sheets):
            return sheets[int(sheet) - 1].name
        if sheet not in {s.name for s in sheets}:
            listed = "、".join(s.name for s in sheets)
            raise ReadError("sheet_missing", f"“{name}”中没有工作表“{sheet}”（有：{listed}）",
                            f"'{name}' has no sheet '{sheet}' (it has: {', '.join(s.name for s in sheets)})")
        return sheet
    visible = [s for s in sheets if s.visible] or list(sheets)
    if not visible:
        raise _empty(name)
    return visible[0].name


# -- the entry point --------------------------------------------------------------------------------


def open_table(path: str | Path, *, sheet: str | None = None, encoding: str | None = None,
               header_row: int | None = None, guess_header: Any = None, search_rows: int = 30) -> Table:
    """Open ``path`` and find its header. ``sheet``: name or 1-based number (default: the first visible
    sheet); ``encoding``: for CSV, instead of detecting; ``header_row``: 1-based, instead of guessing
    with ``guess_header(first rows)``."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ReadError("unreadable", f"无法打开“{path.name}”：{exc.strerror}", f"cannot open '{path.name}': {exc.strerror}") from exc
    suffix = path.suffix.lower()
    hidden: frozenset[int] = frozenset()
    used_encoding = ""
    if suffix == ".csv" or (suffix not in (".xlsx", ".xlsm", ".xls") and not head.startswith((_ZIP_MAGIC, _OLE_MAGIC))):
        if suffix not in (".csv", ".txt", ".tsv"):
            raise _not_spreadsheet(path.name)
        used_encoding, rows = _open_csv(path, encoding)
        sheets: tuple[SheetInfo, ...] = (SheetInfo(path.stem),)
        chosen = path.stem
        large = True
    else:
        if suffix in (".xlsx", ".xlsm") and head.startswith(_OLE_MAGIC):
            raise _encrypted(path.name)  # an encrypted .xlsx is an OLE container around the zip
        if not head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise _not_spreadsheet(path.name)
        workbook = _calamine(path)
        sheets = _sheets(workbook)
        chosen = _pick_sheet(sheets, sheet, path.name)
        cells = 0
        if head.startswith(_ZIP_MAGIC):
            cells, hidden = _xlsx_layout(path, chosen)
        large = head.startswith(_ZIP_MAGIC) and cells > CALAMINE_MAX_CELLS
        rows = _openpyxl_rows(path, chosen, None) if large else _calamine_rows(path, chosen)
    first: list[list[Any]] = []
    for _number, cells_of_row in rows():
        first.append(cells_of_row)
        if len(first) >= search_rows:
            break
    if not any(_nonempty(r) for r in first):
        raise _empty(path.name)
    index = choose_header(first, header_row, guess_header)
    headers = _headers(first, index)
    if not headers:
        raise ReadError("header_empty", f"第 {index + 1} 行没有列名", f"row {index + 1} has no column headers")
    if large and suffix != ".csv" and head.startswith(_ZIP_MAGIC):
        rows = _openpyxl_rows(path, chosen, len(headers))  # cut to the header's width: a stray far cell costs nothing
    return Table(path.name, chosen, sheets, index + 1, headers, hidden, used_encoding, rows)


__all__ = ["ReadError", "SheetInfo", "Table", "detect_encoding", "open_table"]
