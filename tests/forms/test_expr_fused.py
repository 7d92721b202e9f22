"""The fused fast paths give exactly what the generic closures give, for any stored value."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import forms.expr.compiler as compiler
from forms.expr import EvalContext, Scope, compile_expression
from forms.model import FieldType
from tests.forms.expr_fixtures import TODAY, same

TYPES = [
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.DECIMAL,
    FieldType.DATE,
    FieldType.SELECT_ONE,
    FieldType.CALCULATE,
    FieldType.DATETIME,
]
OPS = ["=", "!=", "<", "<=", ">", ">="]
CONSTS = [
    "''",
    "'1'",
    "'02'",
    "' 1'",
    "'1.0'",
    "'abc'",
    "'2000-01-01'",
    "0",
    "1",
    "60",
    "1.5",
    "-1",
    "true()",
    "false()",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "02",
            "1.0",
            " 1 ",
            "abc",
            "2000-01-01",
            "1999-02-30",
            "2000-01-01T10:00:00",
            "-1",
            "60",
            "1,5",
            "NaN",
            "1e3",
        ]
    ),
    st.integers(-100, 100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.text(max_size=5),
)


def evaluate(text: str, ftype: FieldType, value: Any, fuse: bool) -> Any:
    compiler.FUSE = fuse
    try:
        c = compile_expression(text, Scope({"f": ftype}))
    finally:
        compiler.FUSE = True
    return c.evaluate(EvalContext({"f": value}, today=TODAY))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(TYPES), st.sampled_from(OPS), st.sampled_from(CONSTS), st.booleans(), VALUES)
def test_fused_equals_generic(ftype: FieldType, op: str, const: str, flipped: bool, value: Any) -> None:
    text = f"{const} {op} ${{f}}" if flipped else f"${{f}} {op} {const}"
    fast = evaluate(text, ftype, value, True)
    slow = evaluate(text, ftype, value, False)
    assert same(fast, slow), (text, ftype, value, fast, slow)


@pytest.mark.parametrize("ftype", TYPES)
def test_number_of_a_field(ftype: FieldType) -> None:
    for value in ["", "12", " 12 ", "2000-01-01", "x", 12, 1.5, None]:
        assert same(evaluate("${f} + 0", ftype, value, True), evaluate("${f} + 0", ftype, value, False))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([FieldType.TEXT, FieldType.SELECT_ONE, FieldType.INTEGER]), VALUES, VALUES)
def test_or_of_equalities_is_a_set_lookup_with_the_same_result(ftype: FieldType, f: Any, g: Any) -> None:
    text = "${f} = 'a' or ${f} = '02' or ${g} > 1 or '1' = ${f} or ${g} = 'x'"
    results = []
    for fuse in (True, False):
        compiler.FUSE = fuse
        try:
            c = compile_expression(text, Scope({"f": ftype, "g": FieldType.TEXT}))
        finally:
            compiler.FUSE = True
        results.append(c.evaluate(EvalContext({"f": f, "g": g}, today=TODAY)))
    assert results[0] is results[1], (f, g, results)
