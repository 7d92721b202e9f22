"""Stored answers: which values are well formed for a field type, and how they read as ``.``.

Answers are stored as the worker's device wrote them: choice names, ISO dates
(``YYYY-MM-DD``), ISO date-times, ``HH:MM[:SS]`` times, integers and decimals as numbers or
numeric text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, time
from typing import Any

from forms.expr.values import parse_date, parse_datetime, to_number, to_string
from forms.model import FieldType

_INT = re.compile(r"\s*[+-]?\d+\s*\Z")
_DEC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*\Z")


def ok_integer(v: Any) -> bool:
    t = type(v)
    if t is int:
        return True
    if t is str:
        return _INT.match(v) is not None
    if t is float:
        return math.isfinite(v) and v.is_integer()
    return False


def ok_decimal(v: Any) -> bool:
    t = type(v)
    if t is int or t is float:
        return t is int or math.isfinite(v)
    if t is str:
        return _DEC.match(v) is not None
    return False


def ok_date(v: Any) -> bool:
    return type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-" and parse_date(v) is not None


def ok_datetime(v: Any) -> bool:
    if type(v) is not str or len(v) < 16 or v[10] not in "T " or not ok_date(v[:10]):
        return False
    text = v[:-1] + "+00:00" if v.endswith("Z") else v
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def ok_time(v: Any) -> bool:
    if type(v) is not str or len(v) < 5 or v[2] != ":":
        return False
    text = v[:-1] + "+00:00" if v.endswith("Z") else v
    try:
        time.fromisoformat(text)
    except ValueError:
        return False
    return True


def ok_text(v: Any) -> bool:
    t = type(v)
    return t is str or t is int or t is float


#: FieldType -> (check, expected-type key for messages)
TYPE_CHECKS: Mapping[FieldType, tuple[Callable[[Any], bool], str]] = {
    FieldType.INTEGER: (ok_integer, "integer"),
    FieldType.DECIMAL: (ok_decimal, "decimal"),
    FieldType.DATE: (ok_date, "date"),
    FieldType.DATETIME: (ok_datetime, "datetime"),
    FieldType.TIME: (ok_time, "time"),
    FieldType.TEXT: (ok_text, "text"),
    FieldType.HIDDEN: (ok_text, "text"),
}


def _as_int(v: Any) -> Any:
    return int(v.strip()) if type(v) is str else v


def _as_date(v: Any) -> Any:
    d = parse_date(v) if type(v) is str else None
    return d if d is not None else ""


def _as_datetime(v: Any) -> Any:
    d = parse_datetime(v) if type(v) is str else None
    return d if d is not None else v


def _as_text(v: Any) -> Any:
    if type(v) is list:
        return " ".join(x if type(x) is str else to_string(x) for x in v)
    return v if type(v) is str else to_string(v)


#: How a (well-formed) answer becomes the value of ``.``: as a reference to the field reads it.
_TYPED: Mapping[FieldType, Callable[[Any], Any]] = {
    FieldType.INTEGER: _as_int,
    FieldType.DECIMAL: to_number,
    FieldType.DATE: _as_date,
    FieldType.DATETIME: _as_datetime,
}


def typed_fn(ftype: FieldType) -> Callable[[Any], Any]:
    return _TYPED.get(ftype, _as_text)


def is_empty(v: Any) -> bool:
    if v is None or v == "":
        return True
    t = type(v)
    if t is str:
        return v.isspace()  # type: ignore[no-any-return]
    if t is list or t is dict:
        return not v
    return False
