"""Closures for particular shapes of expression, and the caches around costly ones (used by
``forms.expr.compiler``)."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from datetime import date
from typing import Any

from forms.expr.ast import Binary, Call, Literal, Node, Unary
from forms.expr.code import NO_CONST, Code
from forms.expr.context import EvalContext
from forms.expr.fused import FLIPPED, field_compare, field_equals
from forms.expr.values import to_number

Fn = Callable[[EvalContext], Any]
_memo_keys = itertools.count(1)


_DATE_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _is_today(node: Node) -> bool:
    return isinstance(node, Call) and node.name == "today" and not node.args


def _current_vs_today(op: str, code: Code) -> Code:
    """``. <= today()`` and the like: a date answer compared as a date (the same order as the
    numbers of days the general path compares); anything else takes the general path."""
    cmp, general = _DATE_CMP[op], code.fn

    def fast(c: EvalContext) -> Any:
        v, today = c.current, c.today
        if type(v) is date and type(today) is date:
            return cmp(v, today)
        return general(c)

    return Code(fast, code.kind, NO_CONST, code.volatile, code.cost)


def _chain(fns: list[Fn], decisive: bool) -> Fn:
    """``f0 and f1 and ...`` (decisive False) or ``f0 or f1 or ...`` (decisive True)."""
    if len(fns) == 2:
        f0, f1 = fns
        return (lambda c: f0(c) or f1(c)) if decisive else (lambda c: f0(c) and f1(c))
    if len(fns) == 3:
        f0, f1, f2 = fns
        return (lambda c: f0(c) or f1(c) or f2(c)) if decisive else (lambda c: f0(c) and f1(c) and f2(c))
    seq = tuple(fns)
    if decisive:

        def any_(c: EvalContext) -> bool:
            for f in seq:  # noqa: SIM110  (a loop is faster than any() over a generator)
                if f(c):
                    return True
            return False

        return any_

    def all_(c: EvalContext) -> bool:
        for f in seq:  # noqa: SIM110
            if not f(c):
                return False
        return True

    return all_


def _fused(op: str, left: Code, right: Code) -> Fn | None:
    """One closure for "field op constant" (either way round), else None."""
    if left.is_const and right.field is not None:
        left, right, op = right, left, FLIPPED.get(op, op)
    if left.field is None or not right.is_const or op not in FLIPPED:
        return None
    name, conv, text_kind = left.field
    k = right.const
    if op in ("=", "!="):
        if type(k) is bool:
            return None
        return field_equals(name, conv, text_kind, k, op == "!=")
    return field_compare(name, conv, op, to_number(k))


def _one_of(op: str, left: Code, right: Code) -> Any:
    if op != "=":
        return None
    if left.is_const:
        left, right = right, left
    if left.field is None or not left.field[2] or not right.is_const or type(right.const) is not str:
        return None
    return (left.field[0], frozenset({right.const}))


def _merge_one_of(codes: list[Code]) -> list[Code]:
    """``${f} = 'a' or ${f} = 'b' or ...`` becomes one set lookup (text fields only)."""
    groups: dict[str, list[Code]] = {}
    for c in codes:
        if c.one_of is not None:
            groups.setdefault(c.one_of[0], []).append(c)
    merged = {name: group for name, group in groups.items() if len(group) > 1}
    if not merged:
        return codes
    out: list[Code] = []
    done: set[str] = set()
    for c in codes:
        if c.one_of is None or c.one_of[0] not in merged:
            out.append(c)
            continue
        name = c.one_of[0]
        if name in done:
            continue
        done.add(name)
        group = merged[name]
        values: frozenset[str] = frozenset().union(*(g.one_of[1] for g in group))
        slow = [g.fn for g in group]  # for values stored as non-text (numbers): the exact path
        out.append(Code(_in_set(name, values, slow), "bool", volatile=any(g.volatile for g in group), cost=2))
    return out


def _in_set(name: str, values: frozenset[str], slow: list[Fn]) -> Fn:
    def member(c: EvalContext) -> bool:
        v = c.data.get(name, "")
        if type(v) is str:
            return v in values
        return any(f(c) for f in slow)

    return member


def _memoized(code: Code) -> Code:
    key = next(_memo_keys)
    fn = code.fn
    missing = NO_CONST

    def cached(c: EvalContext) -> Any:
        memo = c.memo
        v = memo.get(key, missing)
        if v is missing:
            v = memo[key] = fn(c)
        return v

    return Code(cached, code.kind, NO_CONST, False, code.cost)


#: Functions whose value depends only on their arguments and on the context's as-of date and
#: language: a subtree made of these and constants, using ``today()``, is the same for every
#: record of a day (``int(format-date(today(), '%Y'))``).
DAY_FUNCTIONS = frozenset(
    {
        "today", "format-date", "int", "round", "floor", "ceiling", "abs", "string", "number", "date",
        "substr", "concat", "if", "coalesce", "true", "false", "not", "boolean", "string-length",
        "decimal-date-time",
    }
)  # fmt: skip


def _per_day(node: Node) -> bool:
    """Whether ``node`` (not ``today()`` itself) is a function of the as-of date only."""
    if isinstance(node, Call) and node.name == "today":
        return False
    uses_today = False
    stack = [node]
    while stack:  # stops at the first node that is not of the date only (most often a ${field})
        n = stack.pop()
        if isinstance(n, Call):
            if n.name not in DAY_FUNCTIONS:
                return False
            if n.name == "today":
                uses_today = True
            stack.extend(n.args)
        elif isinstance(n, Binary):
            stack.append(n.right)
            stack.append(n.left)
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif not isinstance(n, Literal):
            return False
    return uses_today


def _day_cached(code: Code) -> Code:
    """The value computed once for each (today, age_as_of, language) in a row of records."""
    fn = code.fn
    last: list[tuple[Any, Any, Any, Any]] = [(None, None, None, NO_CONST)]

    def per_day(c: EvalContext) -> Any:
        hit = last[0]
        if hit[0] is c.today and hit[1] is c.age_as_of and hit[2] is c.language:
            return hit[3]
        v = fn(c)
        last[0] = (c.today, c.age_as_of, c.language, v)  # one assignment: safe between threads
        return v

    return Code(per_day, code.kind, NO_CONST, False, code.cost, num=None)


def _rows_fn(name: str) -> Fn:
    def rows(c: EvalContext) -> Any:
        row = c.row
        if row is not None:
            inner = row.get(name)
            if type(inner) is list:
                return inner
        v = c.data.get(name)
        return v if type(v) is list else []

    return rows


def _repeat_field_fn(name: str, repeat: str, conv: Callable[[Any], Any]) -> Fn:
    def value(c: EvalContext) -> Any:
        row = c.row
        if row is not None and (c.repeat is None or c.repeat == repeat):
            return conv(row.get(name, ""))
        rows = c.data.get(repeat)
        if row is not None and type(rows) is not list:
            rows = row.get(repeat)
        if type(rows) is not list:
            return []
        return [conv(r.get(name, "")) for r in rows if isinstance(r, dict)]

    return value


def _dynamic_fn(name: str) -> Fn:
    def value(c: EvalContext) -> Any:
        row = c.row
        v = row[name] if row is not None and name in row else c.data.get(name, "")
        if v is None:
            return ""
        if type(v) is list and v and isinstance(v[0], dict):
            return v
        return v

    return value
