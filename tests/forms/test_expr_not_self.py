"""Aggregates with ``not(is-self())`` give the same values when their per-record part is shared
by the records of a validation run (each record leaving itself out) as when evaluated alone."""

from __future__ import annotations

from typing import Any

import pytest

from forms.expr import EvalContext, compile_expression
from forms.expr.not_self import split_not_self
from forms.expr.parser import parse
from tests.forms.expr_fixtures import TODAY
from tests.forms.test_expr_aggregates import SCOPES, world

TEXTS = [
    "any-residents(not(is-self()) and age(${birth_date}) < 60)",
    "count-residents(not(is-self()) and age(${birth_date}) < 60)",
    "all-residents(not(is-self()) and age(${birth_date}) >= 60)",
    "count-residents(age(${birth_date}) >= 18 and not(is-self()))",
    "count-members(not(is-self()) and ${relation_to_head} = '02')",
    "any-residents(not(is-self()) and (starts-with(${relation_to_head}, '2') or ${relation_to_head} = '10'))",
]
WHO = ["p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9"]


def _value(text: str, who: str, shared: dict[Any, Any] | None, graph: Any) -> Any:
    e = graph.get(who)
    c = EvalContext(e.data, today=TODAY, graph=graph, entity=e)
    c.shared = shared
    return compile_expression(text, SCOPES[e.kind]).evaluate(c)


@pytest.mark.parametrize("text", TEXTS)
def test_shared_in_a_run_equals_evaluated_alone(text: str) -> None:
    g = world()
    shared: dict[Any, Any] = {}
    for who in WHO:
        assert _value(text, who, shared, g) == _value(text, who, None, g), who
    assert shared  # the shared path was taken


def test_each_record_leaves_itself_out() -> None:
    g = world()
    shared: dict[Any, Any] = {}
    text = "count-residents(not(is-self()) and age(${birth_date}) >= 60)"
    # H2: p2 (70) and p3 (65); each sees the other only
    assert [_value(text, w, shared, g) for w in ("p2", "p3")] == [1, 1]
    # H3: p4 (40), p5 (10), p6 (36): none older than 60 besides themselves
    assert [_value(text, w, shared, g) for w in ("p4", "p5", "p6")] == [0, 0, 0]


def test_only_a_plain_not_self_operand_is_split() -> None:
    assert split_not_self(parse("not(is-self()) and ${a} = 1")) is not None
    assert split_not_self(parse("not(is-self())")) is None
    assert split_not_self(parse("not(is-self()) or ${a} = 1")) is None
    assert split_not_self(parse("not(is-self()) and not(is-self())")) is None
    rest = split_not_self(parse("${a} = 1 and not(is-self()) and ${b} = 2"))
    assert rest is not None and rest.key() == parse("${a} = 1 and ${b} = 2").key()
