"""``format-date``: ODK's format specifiers, and full years between dates (周岁)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from forms.expr.values import as_datetime, parse_date, unpack

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


_FORMATS: dict[str, tuple[str, ...]] = {}


def _parts(fmt: str) -> tuple[str, ...]:
    """A format split into literal text and two-character ``%x`` specifiers (cached)."""
    parts = _FORMATS.get(fmt)
    if parts is None:
        out: list[str] = []
        i, n = 0, len(fmt)
        while i < n:
            j = fmt.find("%", i)
            if j < 0 or j + 1 >= n:
                out.append(fmt[i:])
                break
            if j > i:
                out.append(fmt[i:j])
            out.append(fmt[j : j + 2])
            i = j + 2
        parts = tuple(out)
        if len(_FORMATS) < 1000:
            _FORMATS[fmt] = parts
    return parts


def format_date(value: Any, fmt: str, language: str = "zh") -> str:
    """Format a date as ODK does. Specifiers: %Y year, %y two-digit year, %m month 01-12,
    %n month 1-12, %b month name, %d day 01-31, %e day 1-31, %H hour 00-23, %h hour 0-23,
    %M minute, %S second, %3 milliseconds, %a weekday name, %% a percent sign.
    Names are Chinese when ``language`` is zh (``1月``, ``周一``), else English. "" for no date."""
    if fmt == "%Y" and (type(value) is date or type(value) is datetime):  # the common year alone
        return f"{value.year:04d}"
    v = unpack(value)
    if v == "" or v is None:
        return ""
    d: date | datetime | None
    if type(v) is date or type(v) is datetime:
        d = v
    elif type(v) is str and len(v.strip()) == 10:
        d = parse_date(v)
    else:
        d = as_datetime(v.strip() if isinstance(v, str) else v)
    if d is None:
        return ""
    zh = language.startswith("zh")
    out: list[str] = []
    for part in _parts(fmt):
        if len(part) != 2 or part[0] != "%":
            out.append(part)
            continue
        out.append(_field(d, part[1], zh))
    return "".join(out)


def _field(d: date | datetime, spec: str, zh: bool) -> str:
    if spec == "Y":
        return f"{d.year:04d}"
    if spec == "m":
        return f"{d.month:02d}"
    if spec == "d":
        return f"{d.day:02d}"
    if spec == "y":
        return f"{d.year % 100:02d}"
    if spec == "n":
        return str(d.month)
    if spec == "e":
        return str(d.day)
    if spec == "b":
        return f"{d.month}月" if zh else _MONTHS_EN[d.month - 1]
    if spec == "a":
        return (_DAYS_ZH if zh else _DAYS_EN)[d.weekday()]
    if spec == "%":
        return "%"
    if spec in "HhMS3":
        t = d if isinstance(d, datetime) else None
        hour, minute, second, micro = (t.hour, t.minute, t.second, t.microsecond) if t else (0, 0, 0, 0)
        if spec == "H":
            return f"{hour:02d}"
        if spec == "h":
            return str(hour)
        if spec == "M":
            return f"{minute:02d}"
        if spec == "S":
            return f"{second:02d}"
        return f"{micro // 1000:03d}"
    return "%" + spec


def full_years(birth: date, asof: date) -> int:
    """Age in full years (周岁) on ``asof``. Someone born on 29 February turns a year older on
    1 March in common years."""
    years = asof.year - birth.year
    if (asof.month, asof.day) < (birth.month, birth.day):
        years -= 1
    return years
