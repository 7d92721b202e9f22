"""The expression language against the real default templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forms.errors import ExprError
from forms.expr import EvalContext, Scope, compile_expression
from forms.model import EntityKind, Template
from forms.xlsform import load_template

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"
TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def templates() -> dict[EntityKind, Template]:
    kinds = (EntityKind.PERSON, EntityKind.HOUSEHOLD, EntityKind.HOUSE)
    return {k: load_template(TEMPLATES / f"{k.value}.xlsx") for k in kinds}


def test_scope_from_template(templates: dict[EntityKind, Template]) -> None:
    person = templates[EntityKind.PERSON]
    house = templates[EntityKind.HOUSE]
    linked = {"house": Scope.from_template(house)}
    scope = Scope.from_template(person, linked=linked)
    assert scope.kind == "person"
    assert scope.lookup("birth_date") is not None
    c = compile_expression("age(${birth_date}) >= 60 and house-field('occupancy') = '2'", scope)
    assert c.refs == frozenset({"birth_date"})
    with pytest.raises(ExprError) as err:
        compile_expression("house-field('no_such_field')", scope)
    assert err.value.code == "unknown_field"
    # a repeat of the house template and its fields
    hscope = Scope.from_template(house)
    repeat = next(iter(hscope.repeats))
    assert compile_expression(f"count(${{{repeat}}})", hscope).evaluate(EvalContext({repeat: [{}, {}]})) == 2


def test_every_template_expression_evaluates_on_an_empty_record(
    templates: dict[EntityKind, Template],
) -> None:
    """Each compiled expression of the default templates runs on an empty record without raising."""
    count = 0
    for template in templates.values():
        ctx = EvalContext({}, today=TODAY, choices=template.choices)
        exprs = [
            getattr(f, a)
            for f in template.fields.values()
            for a in ("relevant", "constraint", "calculation", "required", "choice_filter")
        ]
        exprs += [t.condition for t in template.tags.values()] + [r.expression for r in template.rules]
        for c in exprs:
            if c is not None:
                c.evaluate(ctx)
                c.truthy(ctx)
                count += 1
    assert count > 100


def test_choice_names_from_the_template(templates: dict[EntityKind, Template]) -> None:
    person = templates[EntityKind.PERSON]
    scope = Scope.from_template(person)
    c = compile_expression("jr:choice-name(${sex}, '${sex}')", scope)
    assert c.evaluate(EvalContext({"sex": "2"}, choices=person.choices)) == "女性"
    assert c.evaluate(EvalContext({"sex": "2"}, choices=person.choices, language="en")) != "女性"
