"""Placeholders in a ledger template's cells: parsed once, checked against the templates, evaluated per record.

A cell's text is literal text with placeholders in it:

* ``${field}`` the record's field, a choice shown as its label (汉族, not 01); ``${field:code}`` the code;
* ``${house.field}`` / ``${household.field}`` the linked house's or household's field;
* ``${#}`` the row number; ``${@area}``, ``${@date}``, ``${@rows}`` the export's area name, date and row count
  (in the title and footer rows too);
* ``{{ expression }}`` an expression of the form language, e.g. ``{{ age(${birth_date}) }}``.

A cell holding exactly one placeholder keeps the value's type (a number stays a number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from forms.errors import EvalError, ExprError, Problem
from forms.expr import Compiled, EvalContext, Scope, compile_expression

_TOKEN = re.compile(r"\$\{([^{}]*)\}|\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-.]*$")
LINKS = ("house", "household")
CONTEXT_NAMES = ("area", "date", "rows")


@dataclass(frozen=True)
class FieldRef:
    """``${field}``, ``${field:code}``, ``${house.field}``."""

    name: str
    code: bool = False
    via: str | None = None  # "house" | "household" | None (the record itself)


@dataclass(frozen=True)
class RowNumber:
    """``${#}``."""


@dataclass(frozen=True)
class ContextRef:
    """``${@area}`` / ``${@date}`` / ``${@rows}``."""

    name: str


@dataclass(frozen=True)
class ExprRef:
    """``{{ expression }}``."""

    compiled: Compiled


Segment = str | FieldRef | RowNumber | ContextRef | ExprRef


@dataclass(frozen=True)
class Cell:
    """A template cell's text split into literal text and placeholders."""

    segments: tuple[Segment, ...]

    @property
    def is_static(self) -> bool:
        return all(isinstance(s, str) for s in self.segments)

    def fields(self) -> list[FieldRef]:
        return [s for s in self.segments if isinstance(s, FieldRef)]

    def exprs(self) -> list[ExprRef]:
        return [s for s in self.segments if isinstance(s, ExprRef)]


def has_placeholder(text: str) -> bool:
    return _TOKEN.search(text) is not None


def parse_cell(
    text: str,
    scopes: Mapping[str, Scope],
    kind: str,
    where: Callable[[str, int | None, str], Problem],
    problems: list[Problem],
    *,
    record_fields: bool = True,
) -> Cell:
    """Split ``text``; every fault goes to ``problems`` through ``where(message, position, code)``
    (position: 0-based offset in the cell's text). ``scopes`` holds a Scope per entity kind (checked
    references); ``record_fields`` False allows only ``${@…}`` (title and footer rows)."""
    segments: list[Segment] = []
    last = 0
    for m in _TOKEN.finditer(text):
        if m.start() > last:
            segments.append(text[last : m.start()])
        last = m.end()
        if m.group(1) is not None:
            seg = _parse_ref(m.group(1).strip(), m.start(), scopes, kind, where, problems, record_fields)
        else:
            seg = _parse_expr(m.group(2), m.start(2), scopes, kind, where, problems, record_fields)
        if seg is not None:
            segments.append(seg)
    if last < len(text):
        rest = text[last:]
        for token in ("${", "{{"):
            at = rest.find(token)
            if at >= 0:
                problems.append(where(f"占位符没有结束 / unclosed placeholder '{token}'", last + at, "syntax"))
        segments.append(rest)
    return Cell(tuple(segments))


def _parse_ref(body: str, pos: int, scopes: Mapping[str, Scope], kind: str,
               where: Callable[[str, int | None, str], Problem], problems: list[Problem],
               record_fields: bool) -> Segment | None:
    if body == "#":
        if not record_fields:
            problems.append(where("${#} 只能用在数据行 / ${#} belongs in the data row", pos, "invalid_value"))
        return RowNumber()
    if body.startswith("@"):
        if body[1:] not in CONTEXT_NAMES:
            problems.append(where(f"未知的导出信息 ${{{body}}}，可用 {', '.join('@' + n for n in CONTEXT_NAMES)} / "
                                  f"unknown export value ${{{body}}}", pos, "unknown_field"))
            return None
        return ContextRef(body[1:])
    if not record_fields:
        problems.append(where(f"标题和表尾行不能引用记录字段 ${{{body}}} / title and footer rows cannot refer to a "
                              f"record's field", pos, "invalid_value"))
        return None
    name, _, suffix = body.partition(":")
    code = False
    if suffix:
        if suffix.strip() != "code":
            problems.append(where(f"未知的后缀 ':{suffix}'，只能是 ':code' / unknown suffix ':{suffix}' (only ':code')",
                                  pos + 2 + len(name), "invalid_value"))
        code = True
    via: str | None = None
    if "." in name:
        link, _, name = name.partition(".")
        if link not in LINKS or (kind != "person" and not (kind == "household" and link == "house")):
            problems.append(where(f"'{link}.' 不是{kind}记录能关联的实体 / '{link}.' is not linked to a {kind} "
                                  f"(use house. or household.)", pos + 2, "unknown_field"))
            return None
        via = link
    if not _NAME.match(name):
        problems.append(where(f"占位符 ${{{body}}} 不是字段名 / ${{{body}}} is not a field name", pos + 2, "syntax"))
        return None
    scope = scopes.get(via or kind)
    if scope is not None and not scope.knows(name):
        problems.append(where(f"{via or kind} 模板没有字段 '{name}' / the {via or kind} template has no field '{name}'",
                              pos + 2 + (len(via) + 1 if via else 0), "unknown_field"))
        return None
    return FieldRef(name, code, via)


def _parse_expr(body: str, pos: int, scopes: Mapping[str, Scope], kind: str,
                where: Callable[[str, int | None, str], Problem], problems: list[Problem],
                record_fields: bool) -> Segment | None:
    if not record_fields:
        problems.append(where("标题和表尾行不能用表达式 / title and footer rows cannot hold expressions", pos, "invalid_value"))
        return None
    stripped = body.strip()
    lead = len(body) - len(body.lstrip())
    if not stripped:
        problems.append(where("表达式为空 / empty expression", pos, "syntax"))
        return None
    try:
        return ExprRef(compile_expression(stripped, scopes.get(kind) or Scope(permissive=True)))
    except ExprError as exc:
        at = pos + lead + (exc.position or 0)
        problems.append(where(f"{exc.message}", at, exc.code))
        return None


@dataclass
class RecordView:
    """What a data row is filled from: the record and its linked house and household."""

    data: Mapping[str, Any]
    tags: frozenset[str]
    house: Mapping[str, Any] | None = None
    household: Mapping[str, Any] | None = None


#: labels[kind][field] -> {code: label}
Labels = Mapping[str, Mapping[str, Mapping[str, str]]]


class CellEvaluator:
    """Evaluates a parsed cell for one record (labels for choices, expressions in the form language)."""

    def __init__(self, kind: str, labels: Labels, context: dict[str, Any], base: EvalContext) -> None:
        self.kind = kind
        self.labels = labels
        self.context = context
        self.base = base

    def value(self, cell: Cell, view: RecordView | None, row_no: int, ctx: EvalContext | None) -> Any:
        segs = cell.segments
        if len(segs) == 1:
            return self._one(segs[0], view, row_no, ctx)
        return "".join(_text(self._one(s, view, row_no, ctx)) for s in segs)

    def _one(self, seg: Segment, view: RecordView | None, row_no: int, ctx: EvalContext | None) -> Any:
        if isinstance(seg, str):
            return seg
        if isinstance(seg, RowNumber):
            return row_no
        if isinstance(seg, ContextRef):
            return self.context.get(seg.name, "")
        if view is None or ctx is None:
            return ""
        if isinstance(seg, FieldRef):
            source = view.data if seg.via is None else (view.house if seg.via == "house" else view.household)
            if source is None:
                return ""
            raw = source.get(seg.name)
            if raw is None:
                return ""
            if seg.code:
                return raw
            names = self.labels.get(seg.via or self.kind, {}).get(seg.name)
            if names is None or not isinstance(raw, str):
                return raw if not isinstance(raw, list) else ""
            if " " in raw:
                return "、".join(names.get(v, v) for v in raw.split())
            return names.get(raw, raw)
        try:
            value = seg.compiled.evaluate(ctx)
        except EvalError:
            return ""
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def compile(self, cell: Cell) -> Callable[[RecordView, int, EvalContext | None], Any]:
        """``value`` for one cell as a closure (no dispatch per record): the data rows' hot path."""
        segs = cell.segments
        if len(segs) != 1:
            return lambda view, n, ctx: self.value(cell, view, n, ctx)
        seg = segs[0]
        if isinstance(seg, str):
            return lambda view, n, ctx: seg
        if isinstance(seg, RowNumber):
            return lambda view, n, ctx: n
        if isinstance(seg, FieldRef):
            name = seg.name
            names = None if seg.code else self.labels.get(seg.via or self.kind, {}).get(name)
            if seg.via is None and names is None:
                def own(view: RecordView, n: int, ctx: EvalContext | None) -> Any:
                    raw = view.data.get(name)
                    return "" if raw is None or isinstance(raw, list) else raw
                return own
            if seg.via is None and names is not None:
                table = names

                def labelled(view: RecordView, n: int, ctx: EvalContext | None) -> Any:
                    raw = view.data.get(name)
                    if raw is None:
                        return ""
                    if isinstance(raw, str):
                        return table.get(raw, raw) if " " not in raw else "、".join(table.get(v, v) for v in raw.split())
                    return "" if isinstance(raw, list) else raw
                return labelled
        return lambda view, n, ctx: self._one(seg, view, n, ctx)

    def context_for(self, view: RecordView) -> EvalContext:
        return self.base.for_record(view.data, None, view.tags.__contains__)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
