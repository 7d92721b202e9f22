"""Reading and checking a ledger template workbook (台账模板).

The workbook holds the department's own layout on its first sheet (title rows, merged multi-row headers,
widths, fonts, borders, a footer) with one **data row** whose cells hold placeholders
(:mod:`forms.ledger.placeholders`), and a sheet named ``ledger``:

* key/value rows (column A key, column B value): ``name``, ``entity`` (person / house / household),
  ``type`` (``ledger`` or ``summary``), ``filter`` (an expression), ``tags`` (every one must be in force),
  ``sort`` (fields, ``-field`` descending), ``split`` (``none`` / ``community`` / ``grid``: one sheet per area),
  ``rows`` (summary tables: ``community`` or ``grid``);
* then a row ``column | mask | unmask`` and one row per column that differs from the defaults: the column
  letter, ``id`` / ``phone`` / ``name`` / ``none``, and the roles that may export it unmasked.

ID numbers and phones are masked by default (domain.md §6), unmaskable by admins unless the sheet says
otherwise. A summary table's data row holds ``${@area}`` and cells ``{{ count(expression) }}``,
``{{ sum(expression) }}`` or ``{{ count() }}``; a 合计 row follows. Every fault is a located
:class:`~forms.errors.Problem` (sheet, row, column letter, position in the cell's text).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from forms.errors import ExprError, FormsError, Problem
from forms.expr import Compiled, Scope, compile_expression
from forms.ledger.placeholders import (
    Cell,
    ContextRef,
    ExprRef,
    FieldRef,
    RowNumber,
    has_placeholder,
    parse_cell,
)

LEDGER_SHEET = "ledger"
KINDS = ("person", "house", "household")
SPLITS = ("none", "community", "grid")
MASKS = ("id", "phone", "name", "none")
ROLES = ("worker", "supervisor", "admin")
#: Fields masked by default, and how.
DEFAULT_MASKS: Mapping[str, str] = {
    "id_number": "id", "head_id_number": "id", "owner_id_number": "id", "tenant_id_number": "id",
    "disability_cert": "id", "residence_permit_no": "id", "held_doc_no": "id",
    "phone": "phone", "owner_phone": "phone", "tenant_phone": "phone", "guardian_phone": "phone",
}
_SUMMARY = re.compile(r"^\s*(count|sum)\s*\((.*)\)\s*$", re.S)


class LedgerError(FormsError):
    """A ledger template could not be loaded; ``problems`` holds every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Column:
    """One cell of the data row."""

    index: int  # 0-based column
    letter: str
    cell: Cell
    mask: str = "none"  # id | phone | name | none
    unmask_roles: tuple[str, ...] = ("admin",)
    #: Summary tables: "count" / "sum" over ``measure`` (None: every record), else "".
    aggregate: str = ""
    measure: Compiled | None = None


@dataclass
class LedgerTemplate:
    """A checked ledger template; ``workbook`` keeps the layout for the writer."""

    name: str
    entity: str
    type: str
    filter: Compiled | None
    tags: tuple[str, ...]
    sort: tuple[tuple[str, bool], ...]  # (field, descending)
    split: str
    rows: str  # summary: area level of the rows
    sheet: str
    data_row: int  # 1-based
    columns: tuple[Column, ...]
    header: tuple[tuple[Cell | None, ...], ...]  # rows above the data row (static or ${@…})
    footer: tuple[tuple[Cell | None, ...], ...]
    workbook: Any = field(repr=False, default=None)
    warnings: tuple[Problem, ...] = ()

    @property
    def masked_columns(self) -> list[Column]:
        return [c for c in self.columns if c.mask != "none"]

    def tag_refs(self) -> frozenset[str]:
        """Every tag the ledger reads (filter, tags, columns): sensitive ones need the catalogue's roles."""
        out = set(self.tags)
        if self.filter is not None:
            out |= self.filter.tag_refs
        for c in self.columns:
            for e in c.cell.exprs():
                out |= e.compiled.tag_refs
            if c.measure is not None:
                out |= c.measure.tag_refs
        return frozenset(out)

    def header_texts(self) -> list[str]:
        """One title per column for flat outputs (csv, preview): the lowest header text above it."""
        out: list[str] = []
        for c in self.columns:
            title = ""
            for row in reversed(self.header):
                cell = row[c.index] if c.index < len(row) else None
                if cell is not None and cell.is_static and "".join(map(str, cell.segments)).strip():
                    title = "".join(map(str, cell.segments)).strip()
                    break
            out.append(title or c.letter)
        return out


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def load_ledger(source: str | Path | bytes | BinaryIO, scopes: Mapping[str, Scope] | None = None) -> LedgerTemplate:
    """Load and check a ledger template. Raises only :class:`LedgerError` (every problem located)."""
    import openpyxl

    try:
        data = source if isinstance(source, bytes) else (
            Path(source).read_bytes() if isinstance(source, str | Path) else source.read())
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=False)
    except Exception as exc:
        raise LedgerError([Problem(f"无法读取台账模板 / cannot read the workbook: {exc}", code="unreadable")]) from None
    return _Loader(wb, scopes or {}).load()


class _Loader:
    def __init__(self, wb: Any, scopes: Mapping[str, Scope]) -> None:
        self.wb = wb
        self.scopes = scopes
        self.problems: list[Problem] = []

    def problem(self, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
                position: int | None = None, code: str = "invalid") -> None:
        self.problems.append(Problem(message, sheet, row, column, position, code))

    def load(self) -> LedgerTemplate:
        names = list(self.wb.sheetnames)
        meta_name = next((n for n in names if n.strip().lower() == LEDGER_SHEET), None)
        layout_name = next((n for n in names if n != meta_name), None)
        if meta_name is None:
            self.problem("缺少 ledger 工作表 / the workbook has no 'ledger' sheet", code="missing_sheet")
        if layout_name is None:
            self.problem("缺少台账版式工作表 / the workbook has no layout sheet", code="missing_sheet")
        if meta_name is None or layout_name is None:
            raise LedgerError(self.problems)
        meta, cols = self._meta(self.wb[meta_name])
        kind = meta.get("entity", ("", 0))[0] or "person"
        if kind not in KINDS:
            self.problem(f"entity 必须是 {' / '.join(KINDS)}，不是 '{kind}' / entity must be one of {', '.join(KINDS)}",
                         meta_name, meta["entity"][1], "B", code="invalid_value")
            kind = "person"
        ltype = meta.get("type", ("ledger", 0))[0] or "ledger"
        if ltype not in ("ledger", "summary"):
            self.problem(f"type 必须是 ledger 或 summary / type must be ledger or summary, not '{ltype}'",
                         meta_name, meta["type"][1], "B", code="invalid_value")
            ltype = "ledger"
        name = meta.get("name", ("", 0))[0]
        if not name:
            self.problem("ledger 表缺少 name / the ledger sheet names no 'name'", meta_name, code="missing_value")
        flt = self._expr(meta.get("filter"), kind, meta_name)
        tags = tuple(t for t in re.split(r"[\s,，、]+", meta.get("tags", ("", 0))[0]) if t)
        sort = self._sort(meta.get("sort"), kind, meta_name)
        split = self._choice(meta, "split", SPLITS, "none", meta_name)
        rows = self._choice(meta, "rows", ("community", "grid"), "community", meta_name)
        ws = self.wb[layout_name]
        data_row, header, footer, columns = self._layout(ws, kind, ltype, cols, meta_name)
        if self.problems:
            raise LedgerError(self.problems)
        return LedgerTemplate(name, kind, ltype, flt, tags, sort, split, rows, layout_name, data_row,
                              columns, header, footer, self.wb)

    # ---- the ledger sheet ---------------------------------------------------------------------
    def _meta(self, ws: Any) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, tuple[str, ...], int]]]:
        meta: dict[str, tuple[str, int]] = {}
        cols: dict[str, tuple[str, tuple[str, ...], int]] = {}
        in_columns = False
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else str(v).strip() for v in row[:3]] + ["", "", ""]
            key = cells[0].lower()
            if not key:
                continue
            if key == "column":
                in_columns = True
                continue
            if in_columns:
                letter = cells[0].upper()
                if not re.fullmatch(r"[A-Z]{1,3}", letter):
                    self.problem(f"'{cells[0]}' 不是列字母 / '{cells[0]}' is not a column letter", ws.title, r, "A",
                                 code="invalid_value")
                    continue
                mask = cells[1].lower() or "auto"
                if mask not in (*MASKS, "auto"):
                    self.problem(f"mask 必须是 {' / '.join(MASKS)} / mask must be one of {', '.join(MASKS)}",
                                 ws.title, r, "B", code="invalid_value")
                roles = tuple(x for x in re.split(r"[\s,，、]+", cells[2]) if x)
                for role in roles:
                    if role not in ROLES:
                        self.problem(f"未知角色 '{role}' / unknown role '{role}' ({', '.join(ROLES)})", ws.title, r, "C",
                                     code="invalid_value")
                cols[letter] = (mask, roles, r)
            elif key in meta:
                self.problem(f"'{key}' 重复 / '{key}' given twice", ws.title, r, "A", code="duplicate")
            else:
                meta[key] = (cells[1], r)
        return meta, cols

    def _choice(self, meta: Mapping[str, tuple[str, int]], key: str, allowed: tuple[str, ...], default: str,
                sheet: str) -> str:
        value, row = meta.get(key, (default, 0))
        value = value or default
        if value not in allowed:
            self.problem(f"{key} 必须是 {' / '.join(allowed)} / {key} must be one of {', '.join(allowed)}",
                         sheet, row, "B", code="invalid_value")
            return default
        return value

    def _expr(self, item: tuple[str, int] | None, kind: str, sheet: str) -> Compiled | None:
        if item is None or not item[0]:
            return None
        try:
            return compile_expression(item[0], self.scopes.get(kind) or Scope(permissive=True))
        except ExprError as exc:
            self.problem(exc.message, sheet, item[1], "B", exc.position, exc.code)
            return None

    def _sort(self, item: tuple[str, int] | None, kind: str, sheet: str) -> tuple[tuple[str, bool], ...]:
        if item is None or not item[0]:
            return ()
        out: list[tuple[str, bool]] = []
        scope = self.scopes.get(kind)
        pos = 0
        for part in item[0].split(","):
            name = part.strip()
            desc = name.startswith("-")
            name = name.lstrip("-").strip().removeprefix("${").removesuffix("}")
            if name and name not in ("grid",) and scope is not None and not scope.knows(name):
                self.problem(f"排序字段 '{name}' 不存在 / no field '{name}' to sort by", sheet, item[1], "B",
                             pos + part.find(name), "unknown_field")
            elif name:
                out.append((name, desc))
            pos += len(part) + 1
        return tuple(out)

    # ---- the layout sheet ---------------------------------------------------------------------
    def _layout(self, ws: Any, kind: str, ltype: str, cols: Mapping[str, tuple[str, tuple[str, ...], int]],
                meta_sheet: str) -> tuple[int, tuple[tuple[Cell | None, ...], ...], tuple[tuple[Cell | None, ...], ...],
                                          tuple[Column, ...]]:
        width = ws.max_column
        data_rows = []
        for r in range(1, ws.max_row + 1):
            for c in range(1, width + 1):
                v = ws.cell(r, c).value
                if isinstance(v, str) and has_placeholder(v) and _record_placeholder(v):
                    data_rows.append(r)
                    break
        if not data_rows:
            self.problem("版式表没有数据行（含 ${字段} 的一行）/ the layout sheet has no data row (a row of placeholders)",
                         ws.title, code="no_data_row")
            return 0, (), (), ()
        if len(data_rows) > 1:
            for r in data_rows[1:]:
                self.problem(f"只能有一行数据行，第 {data_rows[0]} 行已是 / only one data row (row {data_rows[0]} is one)",
                             ws.title, r, code="duplicate")
        data_row = data_rows[0]

        def static_row(r: int) -> tuple[Cell | None, ...]:
            out: list[Cell | None] = []
            for c in range(1, width + 1):
                v = ws.cell(r, c).value
                if v is None:
                    out.append(None)
                    continue
                text = str(v)
                out.append(parse_cell(text, self.scopes, kind, self._where(ws.title, r, c), self.problems,
                                      record_fields=False))
            return tuple(out)

        header = tuple(static_row(r) for r in range(1, data_row))
        footer = tuple(static_row(r) for r in range(data_row + 1, ws.max_row + 1))
        columns: list[Column] = []
        for c in range(1, width + 1):
            v = ws.cell(data_row, c).value
            letter = column_letter(c - 1)
            text = "" if v is None else str(v)
            where = self._where(ws.title, data_row, c)
            if ltype == "summary":
                columns.append(self._summary_column(c - 1, letter, text, kind, where))
                continue
            cell = parse_cell(text, self.scopes, kind, where, self.problems)
            mask = _default_mask(cell)
            roles: tuple[str, ...] = ("admin",)
            if letter in cols:
                given, given_roles, _ = cols[letter]
                mask = mask if given == "auto" else given
                roles = given_roles or roles
            columns.append(Column(c - 1, letter, cell, mask, roles))
        for letter, (_, _, r) in cols.items():
            if all(col.letter != letter for col in columns):
                self.problem(f"数据行没有 {letter} 列 / the data row has no column {letter}", meta_sheet, r, "A",
                             code="invalid_value")
        return data_row, header, footer, tuple(columns)

    def _summary_column(self, index: int, letter: str, text: str, kind: str, where: Any) -> Column:
        m = re.fullmatch(r"\s*\{\{(.*)\}\}\s*", text, re.S)
        if text.strip() == "${#}":
            return Column(index, letter, Cell((RowNumber(),)))
        if m is None:
            cell = parse_cell(text, self.scopes, kind, where, self.problems, record_fields=False)
            return Column(index, letter, cell)
        body = m.group(1)
        agg = _SUMMARY.match(body)
        start = text.find("{{") + 2
        if agg is None:
            self.problems.append(where("统计表单元格须为 {{ count(条件) }} 或 {{ sum(数值) }} / a summary cell is "
                                       "{{ count(condition) }} or {{ sum(number) }}", start, "invalid_value"))
            return Column(index, letter, Cell(()))
        inner = agg.group(2)
        measure: Compiled | None = None
        if inner.strip():
            try:
                measure = compile_expression(inner.strip(), self.scopes.get(kind) or Scope(permissive=True))
            except ExprError as exc:
                lead = start + agg.start(2) + (len(inner) - len(inner.lstrip()))
                self.problems.append(where(exc.message, lead + (exc.position or 0), exc.code))
        elif agg.group(1) == "sum":
            self.problems.append(where("sum() 需要一个数值表达式 / sum() needs a number expression", start, "arity"))
        return Column(index, letter, Cell(()), aggregate=agg.group(1), measure=measure)

    @staticmethod
    def _where(sheet: str, row: int, col: int) -> Any:
        letter = column_letter(col - 1)

        def where(message: str, position: int | None, code: str) -> Problem:
            return Problem(message, sheet, row, letter, position, code)

        return where


def _record_placeholder(text: str) -> bool:
    """True when the text refers to the record (not only to ``${@…}``)."""
    return "{{" in text or re.search(r"\$\{\s*[^@\s}]", text) is not None


def _default_mask(cell: Cell) -> str:
    for seg in cell.segments:
        if isinstance(seg, FieldRef) and seg.name in DEFAULT_MASKS:
            return DEFAULT_MASKS[seg.name]
        if isinstance(seg, ExprRef):
            for ref in seg.compiled.refs:
                if ref in DEFAULT_MASKS:
                    return DEFAULT_MASKS[ref]
        if isinstance(seg, ContextRef):
            continue
    return "none"
