"""Reading an XLSForm workbook (.xlsx or .xls) into sheets of rows of text.

This layer knows nothing of questions or tags: it opens the workbook with python-calamine,
finds sheets case-insensitively, turns every cell into text the way pyxform does (integral
numbers without ``.0``, booleans as ``TRUE``/``FALSE``, stripped, non-breaking spaces made plain),
drops blank rows, and keeps each row's number as Excel shows it (the header is row 1).

Header normalisation (aliases, ``label::language`` splitting) is done by the caller through
:func:`split_header`, which reuses pyxform's own header parser.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_calamine import CalamineError, CalamineWorkbook

from forms.errors import Problem

#: Sheets of an XLSForm that 一表通 reads; others are ignored (as pyxform does).
KNOWN_SHEETS = ("survey", "choices", "settings", "tags", "rules")
#: Sheets pyxform knows and we do not use; a single-sheet workbook named otherwise is the survey.
PYXFORM_SHEETS = ("external_choices", "osm", "entities")

_WS = re.compile(r"\s+")
#: pyxform stops reading a sheet after this many blank rows in a row, and the header after this
#: many blank header cells; we do the same (and say so) so both read the same form.
MAX_BLANK_ROWS = 60
MAX_BLANK_COLUMNS = 20
_LANG_CODE = re.compile(r"\(([^()]+)\)\s*$")

#: Reading limits, checked before a workbook is handed to the reader: python-calamine builds each
#: sheet's whole grid from its first to its last used cell, so one stray cell at XFD1048576 of a
#: 22 KB file would ask for 512 GB. A sheet's grid (first to last used row × column) may hold at most
#: this many cells: the reader takes 32 bytes a cell (measured: 122.5 MB for 4,000,000), so about
#: 540 MB at the limit, and a whole .xls sheet (65,536 × 256) fits; an XLSForm of 20,000 rows × 40
#: columns is 800,000 ...
MAX_SHEET_CELLS = 17_000_000
#: ... all parts of an .xlsx together may unpack to at most this many bytes ...
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
#: ... and its shared strings (all the sheets' texts) to at most this many.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br=\"([0-9]{1,7})\"")
#: The same without a namespace prefix: equivalent on a text where no ``:c`` / ``:row`` is followed
#: by a space (then no prefixed tag can match), and twice to six times as fast (a literal start).
_CELL_REF_PLAIN = re.compile(rb"<c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_REF_PLAIN = re.compile(rb"<row\s[^>]*?\br=\"([0-9]{1,7})\"")
_PREFIXED_CELL = re.compile(rb":c\s")
_PREFIXED_ROW = re.compile(rb":row\s")
_SHEET_DECL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*?>")
_ATTR = re.compile(rb"\b([\w:]+)=\"([^\"]*)\"")


class WorkbookReadError(Exception):
    """The file could not be read as a workbook at all. ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Column:
    """One column of a sheet's header row."""

    index: int  # 0-based
    header: str  # as written (whitespace collapsed)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True, slots=True)
class Row:
    """One non-blank data row: cell text by column index (only non-empty cells)."""

    number: int  # 1-based as in Excel; the header row is 1
    cells: Mapping[int, str]

    def get(self, index: int | None) -> str:
        if index is None:
            return ""
        return self.cells.get(index, "")


@dataclass(frozen=True)
class Sheet:
    name: str  # as written in the workbook
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: First row with content that was not read because it follows a long run of blank rows.
    ignored_row: int | None = None
    #: First header cell not read because it follows a long run of blank header cells.
    ignored_column: int | None = None


@dataclass
class Workbook:
    #: Sheets by lower-cased name.
    sheets: dict[str, Sheet] = field(default_factory=dict)
    #: All sheet names as written, in workbook order.
    sheet_names: list[str] = field(default_factory=list)

    def sheet(self, key: str) -> Sheet | None:
        return self.sheets.get(key)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell value as pyxform would see it."""
    if value is None or value == "":
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        return str(value)
    if isinstance(value, dt.date):
        return str(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return str(dt.time((seconds // 3600) % 24, (seconds // 60) % 60, seconds % 60))
    text = str(value).replace("\u00a0", " ")
    return text.strip()


def plain_quotes(text: str) -> str:
    """Typographic quotes (what Excel and Chinese input methods type) made plain, as pyxform does
    for expressions: ‘x’ -> 'x', “x” -> "x"."""
    if not text:
        return text
    if not _SMART_QUOTES:  # pyxform's own table of them, read once (its import is not needed before)
        from pyxform.parsing.sheet_headers import RE_SMART_QUOTES, SMART_QUOTES

        _SMART_QUOTES.update(str.maketrans(SMART_QUOTES))
        _SMART_QUOTES_RE.append(RE_SMART_QUOTES)
    if _SMART_QUOTES_RE[0].search(text) is None:  # most texts have none: no translation
        return text
    return text.translate(_SMART_QUOTES)


#: Code point -> replacement, and pyxform's pattern finding them, filled on first use.
_SMART_QUOTES: dict[int, str] = {}
_SMART_QUOTES_RE: list[re.Pattern[str]] = []


def language_code(label: str) -> str:
    """``'English (en)'`` -> ``'en'``; ``'中文 (zh)'`` -> ``'zh'``; ``'English'`` -> ``'English'``."""
    label = label.strip()
    m = _LANG_CODE.search(label)
    if m:
        return m.group(1).strip()
    return label


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


#: What a damaged zip or entry raises while it is measured: the reader then says what is wrong.
_DAMAGED = (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error, NotImplementedError)


def _too_big(name: str, what_zh: str, what_en: str, sheet: str | None = None) -> WorkbookReadError:
    return WorkbookReadError(Problem(f"工作簿过大，未读取：{what_zh} / workbook too large, not read: {what_en} {name}".strip(),
                                     sheet=sheet, code="too_large"))


def _unpacks_too_far(name: str, sheet: str | None = None) -> WorkbookReadError:
    mb = MAX_UNPACKED_BYTES // 2**20
    return _too_big(name, f"解压后超过 {mb} MB", f"it unpacks to more than {mb} MB", sheet)


def _xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name as the workbook names it (parts it does not name keep theirs)."""
    names: dict[str, str] = {}
    try:
        book = zf.read("xl/workbook.xml") if zf.getinfo("xl/workbook.xml").file_size < 4 * 2**20 else b""
        rels = zf.read("xl/_rels/workbook.xml.rels") \
            if zf.getinfo("xl/_rels/workbook.xml.rels").file_size < 4 * 2**20 else b""
    except (KeyError, *_DAMAGED):
        return names
    targets = {}
    for tag in re.finditer(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*?>", rels):
        attrs = dict(_ATTR.findall(tag.group(0)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else "xl/" + target
    for tag in _SHEET_DECL.finditer(book):
        attrs = dict(_ATTR.findall(tag.group(0)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets:
            names[targets[rid]] = attrs.get(b"name", b"").decode("utf-8", "replace")
    return names


def _check_xlsx(data: bytes, name: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED:
        return  # the reader says what is wrong with it
    with zf:
        infos = zf.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise _unpacks_too_far(name)
        sheet_names = _xlsx_sheet_parts(zf)
        unpacked = 0
        for info in infos:
            part = info.filename
            lower = part.lower()
            if lower.endswith("sharedstrings.xml"):
                unpacked += _measure_shared_strings(zf, info, data, name)
            if not (lower.startswith("xl/worksheets/") and lower.endswith(".xml")):
                continue
            sheet = sheet_names.get(part, part)
            unpacked += _scan_sheet_part(zf, info, data, sheet, name, MAX_UNPACKED_BYTES - unpacked)


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> Iterator[bytes]:
    """The unpacked bytes of one entry, read from its local header on, whatever sizes the zip
    declares (a reader that trusts a declared size would stop early; another would not)."""
    at = info.header_offset
    if data[at:at + 4] != b"PK\x03\x04" or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zf.open(info) as stream:  # unusual entries: the standard reader
            while chunk := stream.read(1 << 20):
                yield chunk
        return
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    if info.compress_type == zipfile.ZIP_STORED:
        end = start + info.compress_size
        for i in range(start, end, 1 << 20):
            yield data[i:min(end, i + (1 << 20))]
        return
    inflater = zlib.decompressobj(-15)
    view = memoryview(data)[start:]
    pos = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        elif pos < len(view):
            piece = bytes(view[pos:pos + (1 << 20)])
            pos += len(piece)
            chunk = inflater.decompress(piece, 1 << 20)
        else:
            break
        if chunk:
            yield chunk


def _measure_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, name: str) -> int:
    """Unpack the shared strings with a cap (the size a zip declares may lie) and discard them."""
    too_big = _too_big(name, f"共享文本超过 {MAX_SHARED_STRINGS_BYTES // 2**20} MB",
                       f"its shared strings exceed {MAX_SHARED_STRINGS_BYTES // 2**20} MB")
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        raise too_big
    seen = 0
    try:
        for chunk in _inflate(zf, info, data):
            seen += len(chunk)
            if seen > MAX_SHARED_STRINGS_BYTES:
                raise too_big
    except _DAMAGED:
        pass  # a damaged part: the reader reports it
    return seen


def _scan_sheet_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, sheet: str, name: str,
                     budget: int) -> int:
    """Stream one worksheet part (whatever its declared size) and refuse it if its grid is too big."""
    top = bottom = left = right = 0  # the used grid's extremes (0: nothing seen yet)
    cells = 0
    seen = 0
    tail = b""
    try:
        for chunk in _inflate(zf, info, data):
            seen += len(chunk)
            if seen > budget:
                raise _unpacks_too_far(name, sheet)
            text = tail + chunk
            cut = text.rfind(b"<")
            body, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            if len(tail) > 65536:  # no tag is that long: do not let the carry grow
                body, tail = text, b""
            # The extremes over the distinct letters and numbers (a sheet has few columns and each
            # row's number is written once per cell): a Python step per cell was half the load's reading.
            refs = (_CELL_REF if _PREFIXED_CELL.search(body) else _CELL_REF_PLAIN).findall(body)
            row_numbers: set[bytes] = set((_ROW_REF if _PREFIXED_ROW.search(body) else _ROW_REF_PLAIN).findall(body))
            if refs:
                cells += len(refs)
                cols = list(map(_column_number, {letters for letters, _ in refs}))
                lo, hi = min(cols), max(cols)
                left, right = min(left, lo) if left else lo, max(right, hi)
                row_numbers.update([number for _, number in refs])
            if row_numbers:
                rows = list(map(int, row_numbers))
                lo, hi = min(rows), max(rows)
                top, bottom = min(top, lo) if top else lo, max(bottom, hi)
            cells += body.count(b"<c>") + body.count(b"<c/>")
    except _DAMAGED:
        return seen  # a damaged part: the reader reports it
    if right:
        grid = (bottom - top + 1) * (right - left + 1)
        if grid > MAX_SHEET_CELLS or cells > MAX_SHEET_CELLS:
            last = f"{column_letter(right - 1)}{bottom}"
            raise _too_big(
                name, f"工作表“{sheet}”的使用范围到 {last}，共 {grid:,} 个单元格（上限 {MAX_SHEET_CELLS:,}），"
                f"请删除远处的空白或杂散单元格",
                f"sheet '{sheet}' is used up to {last}, {grid:,} cells (at most {MAX_SHEET_CELLS:,}); "
                f"delete stray cells far from the table", sheet)
    return seen


def _check_xls(data: bytes, name: str) -> None:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except Exception:  # xlrd raises many kinds on a damaged file: the reader says what is wrong
        return
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            grid = sheet.nrows * sheet.ncols
            if grid > MAX_SHEET_CELLS:
                raise _too_big(
                    name, f"工作表“{sheet.name}”共 {grid:,} 个单元格（上限 {MAX_SHEET_CELLS:,}）",
                    f"sheet '{sheet.name}' spans {grid:,} cells (at most {MAX_SHEET_CELLS:,})", sheet.name)
            book.unload_sheet(index)
    except WorkbookReadError:
        raise
    except Exception:
        return
    finally:
        book.release_resources()


def check_limits(data: bytes, name: str = "") -> None:
    """Refuse a workbook the reader should not be handed (see :data:`MAX_SHEET_CELLS` and friends)
    with a :class:`WorkbookReadError` that names the sheet and its last used cell."""
    if data[:2] == b"PK":
        _check_xlsx(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        _check_xls(data, name)


def _open(source: str | Path | bytes | BinaryIO, filename: str | None) -> CalamineWorkbook:
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    try:
        if isinstance(source, str | Path):
            path = Path(source)
            if not path.exists():
                raise WorkbookReadError(Problem(f"文件不存在 / file not found: {path}", code="file_not_found"))
            if path.is_dir():
                raise WorkbookReadError(Problem(f"这是一个目录，不是工作簿 / is a directory: {path}", code="unreadable"))
            data = path.read_bytes()
        elif isinstance(source, bytes | bytearray):
            data = bytes(source)
        else:
            data = source.read()
            if not isinstance(data, bytes | bytearray):
                raise WorkbookReadError(Problem("输入不是二进制文件 / input is not a binary stream", code="unreadable"))
            data = bytes(data)
    except OSError as exc:
        raise WorkbookReadError(
            Problem(f"无法读取文件 / cannot read file {name}: {exc.strerror or exc}", code="unreadable")
        ) from exc
    if not data:
        raise WorkbookReadError(Problem(f"文件为空 / empty file {name}".strip(), code="not_a_workbook"))
    if data[:2] == b"PK" and not _is_xlsx_zip(data):
        raise WorkbookReadError(
            Problem(f"不是 Excel 工作簿（.xlsx/.xls）/ not an Excel workbook: {name}".strip(), code="not_a_workbook")
        )
    check_limits(data, name)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, TypeError, OSError, RuntimeError) as exc:
        raise WorkbookReadError(
            Problem(
                f"不是可读的 Excel 工作簿（.xlsx/.xls）/ not a readable Excel workbook {name}: {exc}".strip(),
                code="not_a_workbook",
            )
        ) from exc


def _is_xlsx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "[Content_Types].xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _read_sheet(wb: CalamineWorkbook, name: str) -> Sheet:
    sheet = wb.get_sheet_by_name(name)
    start = sheet.start
    if start is None:
        return Sheet(name=name, columns=(), rows=())
    # iter_rows is lazy (a stray cell far down must not make us build a huge grid); it yields
    # rows from the first row of the sheet and columns from the first used column.
    col0 = start[1]
    it = iter(sheet.iter_rows())
    first = next(it, None)
    if first is None:
        return Sheet(name=name, columns=(), rows=())
    columns_list: list[Column] = []
    blank = col0
    ignored_column: int | None = None
    for j, v in enumerate(first):
        h = _WS.sub(" ", cell_text(v))
        if not h:
            blank += 1
            continue
        if blank > MAX_BLANK_COLUMNS:
            ignored_column = col0 + j
            break
        blank = 0
        columns_list.append(Column(col0 + j, h))
    columns = tuple(columns_list)
    wanted = [(c.index, c.index - col0) for c in columns]
    rows: list[Row] = []
    blank = 0
    ignored_row: int | None = None
    for offset, values in enumerate(it):
        cells: dict[int, str] = {}
        width = len(values)
        for index, j in wanted:
            if j < width:
                value = values[j]
                if type(value) is str:  # most cells: cell_text's own steps, without its call and checks
                    if value:
                        text = value.replace("\u00a0", " ").strip()
                        if text:
                            cells[index] = text
                else:
                    text = cell_text(value)
                    if text:
                        cells[index] = text
        if not cells:
            blank += 1
            continue
        if blank > MAX_BLANK_ROWS:
            ignored_row = offset + 2
            break
        blank = 0
        rows.append(Row(number=offset + 2, cells=cells))
    return Sheet(name=name, columns=columns, rows=tuple(rows), ignored_row=ignored_row, ignored_column=ignored_column)


def read_workbook(source: str | Path | bytes | BinaryIO, filename: str | None = None) -> Workbook:
    """Read the sheets 一表通 uses. Raises :class:`WorkbookReadError` if it is no workbook."""
    wb = _open(source, filename)
    result = Workbook(sheet_names=list(wb.sheet_names))
    wanted = set(KNOWN_SHEETS)
    single = len(wb.sheet_names) == 1
    for name in wb.sheet_names:
        key = name.strip().lower()
        if key not in wanted:
            if single and key not in PYXFORM_SHEETS:
                key = "survey"  # pyxform: a lone sheet is the survey whatever its name
            else:
                continue
        if key in result.sheets:
            continue  # two sheets differing only in case: the first wins, as in pyxform
        try:
            result.sheets[key] = _read_sheet(wb, name)
        except (CalamineError, ValueError, TypeError, RuntimeError) as exc:
            raise WorkbookReadError(
                Problem(f"无法读取工作表 / cannot read sheet '{name}': {exc}", sheet=name, code="unreadable")
            ) from exc
    return result


@dataclass(frozen=True)
class HeaderKey:
    """What a header means: ``key`` (our column name) and, for translatable columns, a language."""

    key: str
    language: str | None = None


def split_header(
    header: str,
    *,
    use_double_colon: bool,
    aliases: Mapping[str, str | tuple[str, ...]],
    known: Container[str],
) -> tuple[str, ...]:
    """Tokens of a header as pyxform sees them (aliases resolved, ``::`` / ``:`` split)."""
    from pyxform.parsing.sheet_headers import process_header

    _new, tokens = process_header(
        header=header, use_double_colon=use_double_colon, header_aliases=dict(aliases), header_columns=known
    )
    return tuple(str(t) for t in tokens)
