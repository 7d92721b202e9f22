"""Number and date functions of the function table."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from forms.errors import ExprError
from forms.expr.ast import Current, Ref
from forms.expr.code import Code
from forms.expr.dates import format_date
from forms.expr.registry import FUNCTIONS, Compiler, register, strict
from forms.expr.values import (
    EPOCH_ORDINAL,
    NAN,
    as_datetime,
    datetime_days,
    to_date,
    to_number,
    to_string,
    unpack,
)

if TYPE_CHECKING:
    from forms.expr.ast import Call
    from forms.expr.context import EvalContext

# --- numbers ------------------------------------------------------------------------------------


def _int(v: Any) -> int | float:
    n = to_number(v)
    if n != n or n in (math.inf, -math.inf):
        return n
    return int(n)


def _round(v: Any, places: Any = 0) -> int | float:
    """ODK ``round(x[, digits])``: halves go up for positive numbers and towards zero for negative
    ones (JavaRosa); negative ``digits`` round to tens, hundreds, ..."""
    n = to_number(v)
    if n != n or n in (math.inf, -math.inf):
        return n
    p = to_number(places)
    if p != p or p in (math.inf, -math.inf) or abs(p) > 30:
        return NAN
    digits = int(p)
    try:
        mode = ROUND_HALF_UP if n >= 0 else ROUND_HALF_DOWN
        q = Decimal(repr(float(n))).quantize(Decimal(1).scaleb(-digits), rounding=mode)
        return int(q) if digits <= 0 else float(q)
    except (InvalidOperation, ValueError, OverflowError):
        return NAN


def _math1(op: Callable[[float], float]) -> Callable[[Any], Any]:
    def run(v: Any) -> Any:
        n = to_number(v)
        try:
            return op(n)
        except (ValueError, OverflowError):
            return NAN

    return run


def _floor(n: float) -> int | float:
    return n if n != n or n in (math.inf, -math.inf) else math.floor(n)


def _ceil(n: float) -> int | float:
    return n if n != n or n in (math.inf, -math.inf) else math.ceil(n)


def _pow(a: Any, b: Any) -> float:
    try:
        return math.pow(to_number(a), to_number(b))
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return NAN


def flatten(values: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if type(v) is list:
            out.extend(v)
        else:
            out.append(v)
    return out


def _numbers(values: Sequence[Any]) -> list[float]:
    """The numbers of the arguments (nodesets flattened), NaN (empty, not a number) left out."""
    out: list[float] = []
    for x in flatten(values):
        n = to_number(x)
        if n == n:
            out.append(n)
    return out


def _min(*values: Any) -> float:
    """Smallest number; empty values are skipped, NaN when there is none (JavaRosa)."""
    items = _numbers(values)
    return min(items) if items else NAN


def _max(*values: Any) -> float:
    items = _numbers(values)
    return max(items) if items else NAN


def _sum(v: Any) -> float:
    """Sum of a nodeset's numbers; empty values are skipped (JavaRosa)."""
    total: float = 0
    for n in _numbers([v]):
        total += n
    return total


def _count(v: Any) -> int:
    if type(v) is list:
        return len(v)
    return 0 if v == "" else 1


def _count_non_empty(v: Any) -> int:
    items = v if type(v) is list else [v]
    return sum(1 for x in items if to_string(x) != "")


strict("int", 1, 1, _int, "num")
strict("round", 1, 2, _round, "num")
strict("floor", 1, 1, _math1(_floor), "num")
strict("ceiling", 1, 1, _math1(_ceil), "num")
strict("abs", 1, 1, _math1(abs), "num")
strict("pow", 2, 2, _pow, "num")
strict("sqrt", 1, 1, _math1(math.sqrt), "num")
strict("min", 1, None, _min, "num", cost=2)
strict("max", 1, None, _max, "num", cost=2)
strict("sum", 1, 1, _sum, "num", cost=2)
strict("count", 1, 1, _count, "num")
strict("count-non-empty", 1, 1, _count_non_empty, "num", cost=2)


def _needs_nodeset(name: str) -> None:
    """``count(1)`` is an error in JavaRosa and Enketo (a number is no nodeset): only a reference
    (a repeat, a field, ``.``) may be counted; said where the template loads."""
    spec = FUNCTIONS[name]

    def build(comp: Compiler, node: Call) -> Code:
        arg = node.args[0]
        if not isinstance(arg, Ref | Current):
            raise ExprError(f"{name}() counts a repeat or a field, like {name}(${{members}}); not a value",
                            arg.pos, "type")
        return spec.build(comp, node)

    register(name, 1, 1, build, spec.summary)


_needs_nodeset("count")
_needs_nodeset("count-non-empty")


# --- trigonometry, exponents, logarithms (ODK's set) --------------------------------------------


def _log(n: float) -> float:
    return -math.inf if n == 0 else (NAN if n < 0 else math.log(n))


def _log10(n: float) -> float:
    return -math.inf if n == 0 else (NAN if n < 0 else math.log10(n))


def _atan2(y: Any, x: Any) -> float:
    a, b = to_number(y), to_number(x)
    return NAN if a != a or b != b else math.atan2(a, b)


for _name, _op in (("sin", math.sin), ("cos", math.cos), ("tan", math.tan), ("asin", math.asin),
                   ("acos", math.acos), ("atan", math.atan), ("exp", math.exp), ("exp10", lambda n: 10.0 ** n),
                   ("log", _log), ("log10", _log10)):
    strict(_name, 1, 1, _math1(_op), "num")
strict("atan2", 2, 2, _atan2, "num")
strict("pi", 0, 0, lambda: math.pi, "num")


# --- dates --------------------------------------------------------------------------------------


def _decimal_date_time(v: Any) -> Any:
    v = unpack(v)
    if v == "":
        return ""
    if type(v) is int or type(v) is float:
        return v
    dt = as_datetime(v)
    return NAN if dt is None else datetime_days(dt)


def _position(c: EvalContext) -> int:
    return (c.row_index + 1) if c.row_index is not None else 1


def _today_number(c: EvalContext) -> int:
    return c.today.toordinal() - EPOCH_ORDINAL


def _build_today(comp: Compiler, node: Call) -> Code:

    return Code(_today, "any", cost=1, num=_today_number)


def _today(c: EvalContext) -> Any:
    return c.today


def _now(c: EvalContext) -> Any:
    return c.now if c.now is not None else datetime.now()


register("today", 0, 0, _build_today)
strict("now", 0, 0, _now, "any", needs_ctx=True)
strict("date", 1, 1, to_date, "any", cost=2)
strict("date-time", 1, 1, lambda v: as_datetime(unpack(v)) or "", "any", cost=2)
strict("decimal-date-time", 1, 1, _decimal_date_time, "any", cost=2)  # "" for no answer
strict(
    "format-date",
    2,
    2,
    lambda c, v, f: format_date(v, to_string(f), c.language),
    "str",
    cost=3,
    needs_ctx=True,
)
strict(
    "format-date-time",
    2,
    2,
    lambda c, v, f: format_date(v, to_string(f), c.language),
    "str",
    cost=3,
    needs_ctx=True,
)
strict("position", 0, 0, _position, "num", needs_ctx=True, volatile=True)
