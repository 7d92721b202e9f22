"""Reading a bulk-user workbook (.xlsx): one row per user, a header row with Chinese or English column
names (a title row above it is fine), values written the way offices write them.

This module only reads and checks what a row says on its own and against the other rows (duplicate
names in the file); what needs the database (existing names, areas, scope) is the route's part. Every
problem names the row as Excel shows it, the column's header and the value.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sync.server.errors import ApiError

#: field -> the headers that name it (compared without case and spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "username": ("用户名", "账号", "username", "user"),
    "display_name": ("姓名", "display_name", "name", "displayname"),
    "role": ("角色", "role"),
    "areas": ("区划代码", "区划", "areas", "area", "area_codes"),
    "end_date": ("结束日期", "截止日期", "end_date", "enddate"),
    "third_party": ("第三方", "第三方人员", "third_party", "thirdparty"),
}
REQUIRED = ("username", "display_name", "role", "areas")
ROLES = {"网格员": "worker", "社工": "worker", "worker": "worker", "审核员": "supervisor",
         "supervisor": "supervisor", "管理员": "admin", "admin": "admin"}
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
_AREA_SPLIT = re.compile(r"[,;、，；\s]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
#: most users one file may hold (the rows read are bounded: a stray cell far below costs nothing)
MAX_USERS = 5000
MAX_COLUMNS = 40
_HEADER_SEARCH = 10


@dataclass
class ImportRow:
    row: int
    username: str
    display_name: str
    role: str
    areas: list[str]
    end_date: str | None
    third_party: bool
    #: the header text of each field's column (for the report)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list[ImportRow]
    problems: list[dict[str, Any]]
    total: int


def bad_file(zh: str, en: str) -> ApiError:
    return ApiError(422, "bad_file", zh, en)


def problem(row: int, column: str, value: Any, code: str, zh: str, en: str) -> dict[str, Any]:
    return {"row": row, "column": column, "value": "" if value is None else str(value), "code": code,
            "message": zh, "message_en": en}


def _norm(header: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(header or "")).lower()


_LOOKUP = {_norm(name): key for key, names in HEADERS.items() for name in names}


def _open(data: bytes) -> Any:
    if not data:
        raise bad_file("文件是空的", "the file is empty")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise bad_file("文件已加密或是旧版 .xls：请另存为不加密的 .xlsx",
                       "the file is encrypted or an old .xls; save it as an unencrypted .xlsx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise bad_file("不是 .xlsx 文件", "not an .xlsx file")
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise bad_file("无法读取该 .xlsx 文件", f"the .xlsx file cannot be read ({type(exc).__name__})") from exc


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int], dict[str, str]]:
    for index, cells in enumerate(rows[:_HEADER_SEARCH]):
        found: dict[str, int] = {}
        names: dict[str, str] = {}
        for col, cell in enumerate(cells):
            key = _LOOKUP.get(_norm(cell))
            if key and key not in found:
                found[key], names[key] = col, str(cell).strip()
        if "username" in found and "display_name" in found:
            missing = [k for k in REQUIRED if k not in found]
            if missing:
                raise bad_file("缺少必需的列：" + "、".join(HEADERS[k][0] for k in missing),
                               "required columns missing: " + ", ".join(missing))
            return index, found, names
    raise bad_file("找不到表头（需要 用户名、姓名、角色、区划代码 列）",
                   "no header row found (columns username, display_name, role, areas are needed)")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _end_date(value: Any) -> str | None:
    """ISO day of an end date written as a date cell or a common spelling; ValueError if unreadable."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3])).isoformat()


def _check_row(number: int, cells: tuple[Any, ...], cols: dict[str, int], names: dict[str, str],
               problems: list[dict[str, Any]]) -> ImportRow | None:
    def cell(key: str) -> Any:
        col = cols.get(key)
        return cells[col] if col is not None and col < len(cells) else None

    before = len(problems)

    def bad(key: str, code: str, zh: str, en: str) -> None:
        problems.append(problem(number, names.get(key, HEADERS[key][0]), _text(cell(key)), code, zh, en))

    username = _text(cell("username"))
    if not username:
        bad("username", "missing", "缺少用户名", "the user name is missing")
    elif not USERNAME.match(username):
        bad("username", "invalid", "用户名只能用 3–64 个字母、数字、_ . -",
            "a user name is 3-64 letters, digits, _ . or -")
    name = _text(cell("display_name"))
    if not name:
        bad("display_name", "missing", "缺少姓名", "the name is missing")
    elif len(name) > 200:
        bad("display_name", "too_long", "姓名超过 200 个字符", "the name is longer than 200 characters")
    role_text = _text(cell("role"))
    role = ROLES.get(role_text.lower()) if role_text else None
    if role is None:
        bad("role", "missing" if not role_text else "invalid", "角色应为 网格员、审核员 或 管理员",
            "the role is worker, supervisor or admin (网格员 / 审核员 / 管理员)")
    areas = [a for a in _AREA_SPLIT.split(_text(cell("areas"))) if a]
    if not areas:
        bad("areas", "missing", "缺少区划代码", "no area code")
    elif not all(a.isdigit() for a in areas):
        bad("areas", "invalid", "区划代码只能是数字，多个用逗号、分号、顿号或空格分开",
            "area codes are digits, several separated by , ; 、 or spaces")
    try:
        end = _end_date(cell("end_date"))
    except ValueError:
        end = None
        bad("end_date", "invalid", "结束日期无法识别（例如 2026-12-31）", "the end date is not a date (e.g. 2026-12-31)")
    third = _text(cell("third_party")).lower()
    if third not in _YES and third not in _NO:
        bad("third_party", "invalid", "第三方应填 是 或 否", "third_party is yes or no (是 / 否)")
    if len(problems) > before or role is None:
        return None
    return ImportRow(number, username, name, role, areas, end, third in _YES, dict(names))


def parse(data: bytes) -> Parsed:
    """The rows of the first sheet, each checked on its own; a file that cannot be read raises 422."""
    workbook = _open(data)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise bad_file("工作簿没有工作表", "the workbook has no sheet")
        limit = MAX_USERS + _HEADER_SEARCH + 1
        rows = [tuple(r) for r in sheet.iter_rows(min_row=1, max_row=limit, max_col=MAX_COLUMNS, values_only=True)]
    finally:
        workbook.close()
    if not any(any(_text(c) for c in r) for r in rows):
        raise bad_file("工作表是空的", "the sheet is empty")
    header_index, cols, names = _find_header(rows)
    body = [(i + 1, r) for i, r in enumerate(rows) if i > header_index and any(_text(c) for c in r)]
    if len(rows) == limit and any(_text(c) for c in rows[-1]):
        raise bad_file(f"一个文件最多 {MAX_USERS} 个用户", f"at most {MAX_USERS} users in one file")
    if not body:
        raise bad_file("表头下面没有用户行", "no user rows below the header")
    problems: list[dict[str, Any]] = []
    checked = [_check_row(n, r, cols, names, problems) for n, r in body]
    good = [r for r in checked if r is not None]
    seen: dict[str, list[tuple[int, str]]] = {}
    for number, cells in body:
        name = _text(cells[cols["username"]] if cols["username"] < len(cells) else None)
        if name:
            seen.setdefault(name.lower(), []).append((number, name))
    dupes = {k: v for k, v in seen.items() if len(v) > 1}
    for entries in dupes.values():
        rows_text = "、".join(str(n) for n, _ in entries)
        for number, name in entries:
            problems.append(problem(number, names["username"], name, "duplicate",
                                    f"用户名在文件中重复（第 {rows_text} 行，不区分大小写）",
                                    f"the user name appears more than once in the file (rows {rows_text}; "
                                    "names ignore case)"))
    good = [r for r in good if r.username.lower() not in dupes]
    return Parsed(good, problems, len(body))
