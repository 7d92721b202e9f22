"""``format-date``: ODK's format specifiers, and full years between dates (周岁)."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.expr.values import as_datetime, unpack

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def format_date(value: Any, fmt: str, language: str = "zh") -> str:
    """Format a date as ODK does. Specifiers: %Y year, %y two-digit year, %m month 01-12,
    %n month 1-12, %b month name, %d day 01-31, %e day 1-31, %H hour 00-23, %h hour 0-23,
    %M minute, %S second, %3 milliseconds, %a weekday name, %% a percent sign.
    Names are Chinese when ``language`` is zh (``1月``, ``周一``), else English. "" for no date."""
    v = unpack(value)
    if v == "" or v is None:
        return ""
    dt = as_datetime(v) if not isinstance(v, str) else as_datetime(v.strip())
    if dt is None:
        return ""
    zh = language.startswith("zh")
    out: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch != "%" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        spec = fmt[i + 1]
        i += 2
        if spec == "Y":
            out.append(f"{dt.year:04d}")
        elif spec == "y":
            out.append(f"{dt.year % 100:02d}")
        elif spec == "m":
            out.append(f"{dt.month:02d}")
        elif spec == "n":
            out.append(str(dt.month))
        elif spec == "b":
            out.append(f"{dt.month}月" if zh else _MONTHS_EN[dt.month - 1])
        elif spec == "d":
            out.append(f"{dt.day:02d}")
        elif spec == "e":
            out.append(str(dt.day))
        elif spec == "H":
            out.append(f"{dt.hour:02d}")
        elif spec == "h":
            out.append(str(dt.hour))
        elif spec == "M":
            out.append(f"{dt.minute:02d}")
        elif spec == "S":
            out.append(f"{dt.second:02d}")
        elif spec == "3":
            out.append(f"{dt.microsecond // 1000:03d}")
        elif spec == "a":
            out.append((_DAYS_ZH if zh else _DAYS_EN)[dt.weekday()])
        elif spec == "%":
            out.append("%")
        else:
            out.append("%" + spec)
    return "".join(out)


def full_years(birth: date, asof: date) -> int:
    """Age in full years (周岁) on ``asof``. Someone born on 29 February turns a year older on
    1 March in common years."""
    years = asof.year - birth.year
    if (asof.month, asof.day) < (birth.month, birth.day):
        years -= 1
    return years
