"""Shared record, scope and helpers for the expression tests."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from forms.expr import EvalContext, Scope, compile_expression
from forms.model import Choice, ChoiceList, FieldType

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 10, 0, 0)

SCOPE_FIELDS: dict[str, tuple[FieldType, str | None]] = {
    "name": (FieldType.TEXT, None),
    "n": (FieldType.INTEGER, None),
    "dec": (FieldType.DECIMAL, None),
    "birth_date": (FieldType.DATE, None),
    "dt": (FieldType.DATETIME, None),
    "tags": (FieldType.SELECT_MULTIPLE, None),
    "rel": (FieldType.SELECT_ONE, None),
    "sex": (FieldType.SELECT_ONE, None),
    "id_number": (FieldType.TEXT, None),
    "phone": (FieldType.TEXT, None),
    "empty": (FieldType.TEXT, None),
    "empty_date": (FieldType.DATE, None),
    "empty_int": (FieldType.INTEGER, None),
    "bad_date": (FieldType.DATE, None),
    "calc": (FieldType.CALCULATE, None),
    "kid_name": (FieldType.TEXT, "kids"),
    "kid_age": (FieldType.INTEGER, "kids"),
    "kid_birth": (FieldType.DATE, "kids"),
}

DATA: dict[str, Any] = {
    "name": "张三",
    "n": "42",
    "dec": "3.5",
    "birth_date": "1950-03-01",
    "dt": "2026-11-21T08:30:00",
    "tags": "a b c",
    "rel": "02",
    "sex": "1",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "empty": "",
    "empty_date": "",
    "bad_date": "1999-02-30",
    "calc": "7",
    "kids": [
        {"kid_name": "甲", "kid_age": "5", "kid_birth": "2021-06-01"},
        {"kid_name": "乙", "kid_age": "9", "kid_birth": "2017-01-15"},
        {"kid_name": "丙", "kid_age": ""},
    ],
}

RELATION = ChoiceList(
    name="relation",
    choices=(
        Choice("02", {"zh": "户主", "en": "Head of household"}),
        Choice("10", {"zh": "配偶", "en": "Spouse"}),
    ),
    by_name={},
)
RELATION = ChoiceList(RELATION.name, RELATION.choices, {c.name: c for c in RELATION.choices})
CHOICES = {"relation": RELATION}


def scope() -> Scope:
    return Scope(SCOPE_FIELDS, repeats=["kids"], choice_lists={"rel": "relation", "sex": "sex"})


def context(data: dict[str, Any] | None = None, **kw: Any) -> EvalContext:
    kw.setdefault("today", TODAY)
    kw.setdefault("now", NOW)
    kw.setdefault("choices", CHOICES)
    return EvalContext(DATA if data is None else data, **kw)


def evaluate(text: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return compile_expression(text, scope()).evaluate(context(data, **kw))


def same(actual: Any, expected: Any) -> bool:
    """Equality that tells numbers from booleans, compares floats loosely and NaN as equal."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if math.isnan(expected):
            return math.isnan(actual)
        if math.isinf(expected):
            return actual == expected
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    return type(actual) is type(expected) and actual == expected


def days(d: date) -> int:
    return (d - date(1970, 1, 1)).days
