"""Typed reading of stored answers, and the arithmetic of the language (JavaRosa semantics)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from forms.expr.values import NAN, as_date, parse_date, parse_datetime, to_number, to_string
from forms.model import FieldType

# --- field conversions -------------------------------------------------------------------------


def conv_str(v: Any) -> Any:
    if type(v) is str:
        return v
    if v is None:
        return ""
    if type(v) is list:
        return " ".join(to_string(x) for x in v)
    return to_string(v)


def _conv_int(v: Any) -> Any:
    t = type(v)
    if t is int:
        return v
    if v is None:
        return ""
    if t is str:
        s = v.strip()
        if not s:
            return ""
        try:
            return int(s)
        except ValueError:
            n = to_number(s)
            return v if n != n else n
    if t is float:
        return v
    return v


def _conv_float(v: Any) -> Any:
    t = type(v)
    if t is float or t is int:
        return v
    if v is None:
        return ""
    if t is str:
        if not v.strip():
            return ""
        n = to_number(v)
        return v if n != n else n
    return v


def _conv_date(v: Any) -> Any:
    t = type(v)
    if t is str:
        if not v:
            return ""
        d = parse_date(v)
        return v if d is None else d
    if v is None:
        return ""
    d2 = as_date(v)
    return v if d2 is None else d2


def _conv_datetime(v: Any) -> Any:
    if type(v) is str:
        if not v:
            return ""
        dt = parse_datetime(v)
        return v if dt is None else dt
    if v is None:
        return ""
    return v


def _conv_any(v: Any) -> Any:
    return "" if v is None else v


_conv_int.numeric = True  # type: ignore[attr-defined]
_conv_float.numeric = True  # type: ignore[attr-defined]

_CONVERTERS: dict[FieldType, tuple[Callable[[Any], Any], str]] = {
    FieldType.INTEGER: (_conv_int, "any"),
    FieldType.DECIMAL: (_conv_float, "any"),
    FieldType.DATE: (_conv_date, "any"),
    FieldType.DATETIME: (_conv_datetime, "any"),
}


def converter(ftype: FieldType | None) -> tuple[Callable[[Any], Any], str]:
    if ftype is None:
        return _conv_any, "any"
    return _CONVERTERS.get(ftype, (conv_str, "str"))


# --- arithmetic ---------------------------------------------------------------------------------


def _div(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0:
            return NAN
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    except OverflowError:
        return NAN


def _mod(x: float, y: float) -> float:
    try:
        return math.fmod(x, y)
    except (ValueError, ZeroDivisionError, OverflowError):
        return NAN


def safe(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def run(x: Any, y: Any) -> Any:
        try:
            return op(x, y)
        except (OverflowError, ValueError):
            return NAN

    return run


ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": safe(lambda x, y: x + y),
    "-": safe(lambda x, y: x - y),
    "*": safe(lambda x, y: x * y),
    "div": _div,
    "mod": _mod,
}

CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}
