"""``format-date(x, '%Y')`` (the year alone, taken by a shortcut) agrees with the general path."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from forms.expr.dates import format_date


@pytest.mark.parametrize(
    "value",
    [date(2008, 2, 29), date(999, 1, 1), datetime(1990, 12, 31, 23, 59), "1975-06-01", [date(2001, 1, 1)]],
)
def test_year_alone_matches_the_year_in_a_longer_format(value: object) -> None:
    year = format_date(value, "%Y")
    assert len(year) == 4 and year.isdigit()
    assert format_date(value, "%Y-%m") == f"{year}-{format_date(value, '%m')}"
    assert format_date(value, "%Y", "en") == year


def test_year_of_no_date_is_empty() -> None:
    assert format_date("", "%Y") == ""
    assert format_date("not a date", "%Y") == ""
    assert format_date(date(999, 1, 1), "%Y") == "0999"
