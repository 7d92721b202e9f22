"""Values and the XPath 1.0 / JavaRosa type conversions.

A value is one of ``str``, ``int``/``float`` (numbers; XPath does not tell them apart), ``bool``,
``datetime.date``, ``datetime.datetime`` or a ``list`` (a nodeset: the values of a field inside a
repeat, or the rows of a repeat). The empty answer is ``""``; ``NaN`` is the "no number" value.

Dates convert to numbers as days since 1970-01-01 (fractional for date-times) and to strings as
``YYYY-MM-DD``. Strings shaped like an ISO date convert to numbers the same way, so that
``${birth_date} < '2000-01-01'`` compares dates, as in ODK's web forms.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

Value = Any  # str | int | float | bool | date | datetime | list[Value]

NAN = float("nan")
EPOCH = date(1970, 1, 1)
EPOCH_ORDINAL = EPOCH.toordinal()
_EPOCH_DT = datetime(1970, 1, 1)
_EPOCH_DT_UTC = datetime(1970, 1, 1, tzinfo=UTC)

_NUMBER_CHARS = frozenset("-.0123456789")
#: ``date('1970-1-2')``: months and days of one digit (the ``date()`` function only; stored dates are ISO).
_UNPADDED_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$", re.ASCII)
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")

# Parsed-string caches. Field values repeat a lot across records (dates of birth, codes), and
# parsing is the costly part of a reference, so both caches are bounded and simply cleared when full.
_CACHE_LIMIT = 200_000
_date_cache: dict[str, date | None] = {}
_number_cache: dict[str, float] = {}


def is_number(v: Value) -> bool:
    t = type(v)
    return t is int or t is float


def parse_date(s: str) -> date | None:
    """``date`` for an ISO ``YYYY-MM-DD`` string (a time part is ignored), else None. Memoized."""
    try:
        return _date_cache[s]
    except KeyError:
        pass
    result: date | None = None
    t = s.strip()
    if len(t) == 10 and t[4] == "-" and t[7] == "-":
        y, m, d = t[:4], t[5:7], t[8:]
        if t.isascii() and y.isdigit() and m.isdigit() and d.isdigit():
            try:
                result = date(int(y), int(m), int(d))
            except ValueError:
                result = None
    elif _ISO_DATETIME.match(t):
        dt = parse_datetime(t)
        result = dt.date() if dt is not None else None
    if len(_date_cache) >= _CACHE_LIMIT:
        _date_cache.clear()
    _date_cache[s] = result
    return result


def parse_datetime(s: str) -> datetime | None:
    """``datetime`` for an ISO date-time (or date) string, else None."""
    text = s.strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def days_to_date(n: float) -> date | None:
    """The date ``n`` days (truncated) after 1970-01-01, or None when out of range."""
    if n != n or n in (math.inf, -math.inf):
        return None
    try:
        return date.fromordinal(EPOCH_ORDINAL + math.floor(n))
    except (ValueError, OverflowError):
        return None


def datetime_days(v: datetime) -> float:
    """Fractional days since 1970-01-01T00:00 (UTC when ``v`` is aware, else local wall time)."""
    if v.tzinfo is None:
        return (v - _EPOCH_DT).total_seconds() / 86400.0
    return (v - _EPOCH_DT_UTC).total_seconds() / 86400.0


def _string_to_number(s: str) -> float:
    try:
        return _number_cache[s]
    except KeyError:
        pass
    text = (s.replace(",", ".") if "," in s else s).strip()
    result = NAN
    if len(text) >= 10 and text[4] == "-":
        d = parse_date(text)
        if d is not None:
            result = float(d.toordinal() - EPOCH_ORDINAL)
    elif text and all(c in _NUMBER_CHARS for c in text):
        try:
            result = float(text)
        except ValueError:
            result = NAN
    if len(_number_cache) >= _CACHE_LIMIT:
        _number_cache.clear()
    _number_cache[s] = result
    return result


def to_number(v: Value) -> int | float:
    """XPath ``number()``: booleans 1/0, numeric strings, dates as days, else NaN."""
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[no-any-return]
    if t is str:
        return _string_to_number(v)
    if t is bool:
        return 1 if v else 0
    if t is date:
        return v.toordinal() - EPOCH_ORDINAL  # type: ignore[no-any-return]
    if t is datetime:
        return datetime_days(v)
    if t is list:
        return to_number(v[0]) if v else NAN
    return NAN


def format_number(d: float) -> str:
    if d != d:
        return "NaN"
    if d in (math.inf, -math.inf):
        return "Infinity" if d > 0 else "-Infinity"
    if abs(d) < 1e-12:
        return "0"
    if abs(d) < 1e15 and abs(d - round(d)) < 1e-12:
        return str(round(d))
    return repr(d)


def to_string(v: Value) -> str:
    """XPath ``string()``: numbers without a needless ``.0``, dates ``YYYY-MM-DD``."""
    t = type(v)
    if t is str:
        return v  # type: ignore[no-any-return]
    if t is int:
        return str(v)
    if t is float:
        return format_number(v)
    if t is bool:
        return "true" if v else "false"
    if t is date:
        return v.isoformat()  # type: ignore[no-any-return]
    if t is datetime:
        return v.isoformat(timespec="milliseconds")  # type: ignore[no-any-return]
    if t is list:
        return to_string(v[0]) if v else ""
    if v is None:
        return ""
    return str(v)


def to_bool(v: Value) -> bool:
    """XPath ``boolean()``: non-empty strings, non-zero non-NaN numbers, dates and non-empty lists."""
    t = type(v)
    if t is bool:
        return v  # type: ignore[no-any-return]
    if t is str or t is list:
        return len(v) > 0
    if t is int:
        return v != 0  # type: ignore[no-any-return]
    if t is float:
        return abs(v) > 1e-12 and v == v  # type: ignore[no-any-return]
    if t is date or t is datetime:
        return True
    return bool(v)


def to_date(v: Value) -> date | datetime | str | float:
    """ODK ``date()``: a number of days, an ISO string or a date; "" stays "" and NaN stays NaN."""
    t = type(v)
    if t is date:
        return v  # type: ignore[no-any-return]
    if t is datetime:
        return v.date()  # type: ignore[no-any-return]
    if t is list:
        return to_date(v[0]) if v else ""
    if t is str:
        if not v.strip():
            return ""
        d = parse_date(v)
        if d is None:
            m = _UNPADDED_DATE.match(v)
            if m is not None:
                try:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    d = None
        return d if d is not None else ""
    n = to_number(v)
    if n != n:
        return NAN
    d2 = days_to_date(n)
    return d2 if d2 is not None else ""


def as_date(v: Value) -> date | None:
    """The date a value stands for, or None (used by date functions such as ``age``)."""
    t = type(v)
    if t is date:
        return v  # type: ignore[no-any-return]
    if t is datetime:
        return v.date()  # type: ignore[no-any-return]
    if t is str:
        return parse_date(v) if v else None
    if t is list:
        return as_date(v[0]) if v else None
    if t is int or t is float:
        return days_to_date(v)
    return None


def as_datetime(v: Value) -> datetime | None:
    t = type(v)
    if t is datetime:
        return v  # type: ignore[no-any-return]
    if t is date:
        return datetime(v.year, v.month, v.day)
    if t is str:
        return parse_datetime(v)
    if t is list:
        return as_datetime(v[0]) if v else None
    if t is int or t is float:
        if v != v or v in (math.inf, -math.inf):
            return None
        try:
            return _EPOCH_DT + timedelta(days=float(v))
        except OverflowError:
            return None
    return None


def unpack(v: Value) -> Value:
    """A nodeset used where one value is expected yields its first value ("" when empty)."""
    if type(v) is list:
        return v[0] if v else ""
    return v


def values_equal(a: Value, b: Value) -> bool:
    """XPath ``=``: as booleans if either is one, else as numbers if either is one, else as strings."""
    if type(a) is list:
        a = a[0] if a else ""
    if type(b) is list:
        b = b[0] if b else ""
    ta, tb = type(a), type(b)
    if ta is tb and (ta is str or ta is date):  # the common case: compared as their strings
        return bool(a == b)
    if ta is bool or tb is bool:
        return to_bool(a) == to_bool(b)
    if (ta is date or ta is datetime) and (tb is date or tb is datetime):  # a date and a date-time
        x, y = to_number(a), to_number(b)
        return x == y or abs(x - y) < 1e-9
    if ta is int or ta is float or tb is int or tb is float:
        x, y = to_number(a), to_number(b)
        return x == y or abs(x - y) < 1e-12
    return to_string(a) == to_string(b)


def plain(v: Value) -> Value:
    """A value as JSON-friendly data: dates as ISO strings, integral floats as ints, NaN as None."""
    t = type(v)
    if t is float:
        if v != v or v in (math.inf, -math.inf):
            return None
        if abs(v) < 1e15 and v == int(v):
            return int(v)
        return v
    if t is date or t is datetime:
        return to_string(v)
    if t is list:
        return [plain(x) for x in v]
    return v
