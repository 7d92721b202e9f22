"""Aggregates over linked entities, has-tag, is-self, household-field and house-field."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pytest

from forms.errors import ExprError
from forms.expr import EvalContext, Scope, compile_expression
from forms.graph import Entity, MemoryGraph
from forms.model import EntityKind, FieldType
from tests.forms.expr_fixtures import TODAY

P, HOUSE, HH = EntityKind.PERSON, EntityKind.HOUSE, EntityKind.HOUSEHOLD


def person(
    pid: str,
    born: str,
    rel: str = "02",
    house: str | None = None,
    household: str | None = None,
    tags: Sequence[str] = (),
    state: str = "active",
) -> Entity:
    return Entity(
        pid,
        P,
        {"birth_date": born, "relation_to_head": rel, "name": pid},
        list(tags),
        house_id=house,
        household_id=household,
        state=state,
    )


def world() -> MemoryGraph:
    return MemoryGraph(
        [
            Entity("H1", HOUSE, {"occupancy": "1"}),
            person("p1", "1940-05-01", house="H1", household="HH1"),  # lives alone, 86
            Entity("HH1", HH, {"household_type": "1"}, house_id="H1"),
            Entity("H2", HOUSE, {"occupancy": "1"}),
            Entity("HH2", HH, {"household_type": "1"}, house_id="H2"),
            person("p2", "1956-01-01", "02", "H2", "HH2"),  # 70
            person("p3", "1961-01-01", "10", "H2", "HH2", tags=["残疾人"]),  # 65
            Entity("H3", HOUSE, {"occupancy": "3", "room_count": "4"}),
            Entity("HH3", HH, {"household_type": "1"}, house_id="H3"),
            Entity("HH4", HH, {"household_type": "2"}, house_id="H3"),
            person("p4", "1986-01-01", "02", "H3", "HH3"),  # 40
            person("p5", "2016-01-01", "20", "H3", "HH3"),  # 10
            person("p6", "1990-01-01", "02", "H3", "HH4"),  # tenant household head
            person("p7", "1950-01-01", "50", "H3", "HH3", state="moved_out"),  # not counted
            Entity("HH5", HH, {"household_type": "1"}),  # two heads, no house
            person("p8", "1980-01-01", "02", None, "HH5"),
            person("p9", "1982-01-01", "02", None, "HH5"),
        ]
    )


PERSON_SCOPE = Scope(
    {
        "birth_date": FieldType.DATE,
        "relation_to_head": FieldType.SELECT_ONE,
        "name": FieldType.TEXT,
    }
)
HOUSEHOLD_SCOPE = Scope({"household_type": FieldType.SELECT_ONE}, kind="household")
HOUSE_SCOPE = Scope({"occupancy": FieldType.SELECT_ONE, "room_count": FieldType.INTEGER}, kind="house")
LINKED = {"person": PERSON_SCOPE, "household": HOUSEHOLD_SCOPE, "house": HOUSE_SCOPE}


def scope_for(kind: EntityKind) -> Scope:
    own = {P: PERSON_SCOPE, HH: HOUSEHOLD_SCOPE, HOUSE: HOUSE_SCOPE}[kind]
    return Scope({n: s for n, s in own.fields.items()}, linked=LINKED, kind=str(kind))


SCOPES = {k: scope_for(k) for k in (P, HH, HOUSE)}


def ev(text: str, entity_id: str, graph: Any = None, **kw: Any) -> Any:
    g = world() if graph is None else graph
    e = g.get(entity_id)
    assert e is not None
    c = compile_expression(text, SCOPES[e.kind])
    return c.evaluate(EvalContext(e.data, today=TODAY, graph=g, entity=e, **kw))


LIVING_ALONE = "age(${birth_date}) >= 60 and count-residents() = 1"
ALL_OLD = "all-members(age(${birth_date}) >= 60)"
ONE_HEAD = "count-members(${relation_to_head} = '02') = 1"

CASES: list[tuple[str, str, Any]] = [
    (LIVING_ALONE, "p1", True),
    (LIVING_ALONE, "p2", False),
    (LIVING_ALONE, "p4", False),
    (ALL_OLD, "HH2", True),
    (ALL_OLD, "HH3", False),
    (ALL_OLD, "p2", True),
    (ALL_OLD, "p4", False),
    (ONE_HEAD, "HH2", True),
    (ONE_HEAD, "HH3", True),
    (ONE_HEAD, "HH5", False),
    ("count-residents()", "p4", 3),  # moved-out p7 not counted
    ("count-residents()", "H3", 3),
    ("count-residents()", "HH3", 3),
    ("count-members()", "p4", 2),
    ("count-members()", "HH3", 2),
    ("count-members()", "H3", 0),
    ("count-households()", "p4", 2),
    ("count-households()", "HH3", 2),
    ("count-households()", "H3", 2),
    ("count-households(${household_type} = '2')", "H3", 1),
    ("any-households(${household_type} = '2')", "p4", True),
    ("all-households(${household_type} = '1')", "H2", True),
    ("count-residents(age(${birth_date}) < 18)", "H3", 1),
    ("any-residents(age(${birth_date}) < 18)", "p4", True),
    ("any-members(age(${birth_date}) < 18)", "p6", False),
    ("all-residents(age(${birth_date}) >= 60)", "H2", True),
    ("sum-members(age(${birth_date}))", "HH2", 135),
    ("min-members(age(${birth_date}))", "HH3", 10),
    ("max-members(age(${birth_date}))", "HH3", 40),
    ("max-residents(age(${birth_date}))", "H3", 40),
    ("min-residents(age(${birth_date}))", "H3", 10),
    ("sum-residents(1)", "H3", 3),
    ("count-residents(not(is-self()) and age(${birth_date}) < 18)", "p4", 1),
    ("count-residents(not(is-self()))", "p1", 0),
    ("count-members(is-self())", "p4", 1),
    ("is-self()", "p4", True),
    ("household-field('household_type')", "p6", "2"),
    ("household-field('household_type')", "p1", "1"),
    ("household-field('household_type')", "HH4", "2"),
    ("house-field('occupancy')", "p4", "3"),
    ("house-field('room_count') + 1", "p4", 5),
    ("house-field('occupancy')", "HH3", "3"),
    ("house-field('occupancy')", "H2", "1"),
    ("house-field('occupancy')", "p8", ""),
    ("household-field('household_type')", "H1", ""),
    ("any-residents(has-tag('残疾人'))", "p2", True),
    ("any-residents(has-tag('残疾人'))", "p4", False),
    ("has-tag('残疾人')", "p3", True),
    ("has-tag('残疾人')", "p2", False),
    ("count-members(any-residents(age(${birth_date}) < 18))", "HH3", 2),
]


@pytest.mark.parametrize(("text", "who", "expected"), CASES, ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_aggregates(text: str, who: str, expected: Any) -> None:
    assert ev(text, who) == expected


def test_empty_sets() -> None:
    # p8's household has no house: no residents, no households
    assert ev("count-residents()", "p8") == 0
    assert ev("all-residents(age(${birth_date}) > 200)", "p8") is True
    assert ev("any-residents(true())", "p8") is False
    assert ev("sum-residents(1)", "p8") == 0
    assert math.isnan(ev("min-residents(age(${birth_date}))", "p8"))
    assert math.isnan(ev("max-members(1)", "H1"))


def test_without_graph_the_sets_are_empty() -> None:
    c = compile_expression(
        "count-residents() = 0 and all-members(false()) and not(any-households(true()))", SCOPES[P]
    )
    assert c.truthy(EvalContext({}, today=TODAY)) is True
    assert compile_expression("household-field('household_type')", SCOPES[P]).evaluate(EvalContext({})) == ""


def test_the_record_itself_counts_with_its_current_answers() -> None:
    g = world()
    p2 = g.get("p2")
    assert p2 is not None
    edited = dict(p2.data, birth_date="2000-01-01")  # being corrected on screen: now 26
    c = compile_expression(ALL_OLD, SCOPES[P])
    assert c.evaluate(EvalContext(edited, today=TODAY, graph=g, entity=p2)) is False
    # a new person not yet in the graph is counted among the residents
    newborn = person("p10", "2026-10-01", "20", "H1", "HH1")
    c2 = compile_expression("count-residents()", SCOPES[P])
    assert c2.evaluate(EvalContext(newborn.data, today=TODAY, graph=g, entity=newborn)) == 2


def test_tags_of_linked_entities_come_from_the_callback() -> None:
    seen: list[str] = []

    def tags_for(e: Any) -> Any:
        seen.append(e.id)
        return {"p4": {"低保对象"}}.get(e.id, set()).__contains__

    assert ev("any-members(has-tag('低保对象'))", "p5", tags_for=tags_for) is True
    assert ev("all-members(has-tag('低保对象'))", "p5", tags_for=tags_for) is False
    assert "p4" in seen
    # for the record itself has-tag asks tags_in_force
    assert ev("has-tag('x')", "p5", tags_in_force={"x"}.__contains__) is True


class CountingGraph:
    def __init__(self, inner: MemoryGraph) -> None:
        self.inner = inner
        self.calls = 0

    def get(self, entity_id: str) -> Any:
        return self.inner.get(entity_id)

    def residents(self, house_id: str) -> Sequence[Any]:
        self.calls += 1
        return self.inner.residents(house_id)

    def members(self, household_id: str) -> Sequence[Any]:
        return self.inner.members(household_id)

    def households(self, house_id: str) -> Sequence[Any]:
        return self.inner.households(house_id)


def test_shared_aggregate_is_computed_once_per_record() -> None:
    g = CountingGraph(world())
    scope = scope_for(P)
    a = compile_expression("count-residents() = 1 and age(${birth_date}) >= 60", scope)
    b = compile_expression("count-residents() >= 3", scope)
    e = g.get("p4")
    ctx = EvalContext(e.data, today=TODAY, graph=g, entity=e)
    assert a.evaluate(ctx) is False
    assert b.evaluate(ctx) is True
    assert g.calls == 1
    # a new record (new context) computes it afresh
    ctx2 = EvalContext(e.data, today=TODAY, graph=g, entity=e)
    b.evaluate(ctx2)
    assert g.calls == 2


def test_linked_references_are_checked_when_the_scope_is_known() -> None:
    with pytest.raises(ExprError) as err:
        compile_expression("count-members(${nope} = 1)", scope_for(HH))
    assert err.value.code == "unknown_field" and err.value.position == 14
    with pytest.raises(ExprError) as err2:
        compile_expression("household-field('nope')", scope_for(P))
    assert err2.value.code == "unknown_field" and err2.value.position == 16
    with pytest.raises(ExprError) as err3:
        compile_expression("household-field(${birth_date})", scope_for(P))
    assert err3.value.code == "type"
    # without a linked scope the references inside are not checked
    bare = Scope({"birth_date": FieldType.DATE})
    c = compile_expression("count-members(${anything} = 1) + household-field('whatever')", bare)
    assert c.refs == frozenset()


def test_refs_exclude_linked_fields_and_tag_refs_are_collected() -> None:
    c = compile_expression(
        "age(${birth_date}) >= 60 and count-members(${relation_to_head} = '02') = 1 and has-tag('老年人')",
        scope_for(P),
    )
    assert c.refs == frozenset({"birth_date"})
    assert c.tag_refs == frozenset({"老年人"})


def test_empty_answers_are_left_out_of_sum_min_max() -> None:
    g = world()
    g.add(person("p11", "", "20", "H2", "HH2"))  # birth date not yet known
    assert ev("min-members(age(${birth_date}))", "HH2", g) == 65
    assert ev("sum-members(age(${birth_date}))", "HH2", g) == 135
    assert ev("count-members()", "HH2", g) == 3


def test_tags_of_linked_entities_are_only_asked_for_when_needed() -> None:
    asked: list[str] = []

    def tags_for(e: Any) -> Any:
        asked.append(e.id)
        return set().__contains__

    assert ev("count-residents(age(${birth_date}) >= 18)", "p4", tags_for=tags_for) == 2
    assert asked == []
    # the record's own tags come from tags_in_force, the others' from tags_for
    assert ev("count-residents(has-tag('x'))", "p4", tags_for=tags_for, tags_in_force={"x"}.__contains__) == 1
    assert sorted(asked) == ["p5", "p6"]
