"""A batch gives every record the result it gets on its own.

``Validator.validate_many`` shares work between records (aggregates over the same linked records,
answers already found good, cached tag conditions); none of that may change a result. Checked on
synthetic households and houses with typical mistakes, with a fresh validator for each record
validated alone, and with an edited record that the graph still holds in its older version.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from forms.graph import Entity, MemoryGraph, entity_from_dict
from forms.model import EntityKind
from forms.synth import generate
from forms.validate import MemoryIdIndex, Validator
from tests.forms.test_default_tags import templates

TODAY = date(2026, 11, 21)


def _summary(result: Any) -> tuple[Any, ...]:
    findings = sorted((f.rule, f.severity.value, f.field, f.message_en) for f in result.findings)
    return (tuple(result.tags), tuple(findings), result.ok)


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    records = generate(160, seed=23, today=TODAY)
    persons = [r for r in records if r["kind"] == "person"]
    for i, r in enumerate(persons[::9]):  # typical mistakes, so that findings are compared too
        r["data"][("name", "sex", "birth_date", "phone", "living_here")[i % 5]] = (
            "",
            "7",
            "1990-13-01",
            "123",
            "",
        )[i % 5]
    return [entity_from_dict(r) for r in records]


def test_batch_results_equal_records_validated_alone(entities: list[Entity]) -> None:
    graph = MemoryGraph(entities)
    index = MemoryIdIndex(entities)
    batch = Validator(templates(), today=TODAY, id_index=index).validate_many(entities, graph)
    # twice with the same validator: what it remembered from the first batch changes nothing
    again = Validator(templates(), today=TODAY, id_index=index)
    again.validate_many(entities, graph)
    second = again.validate_many(entities, graph)
    for e, in_batch, in_second in zip(entities, batch, second, strict=True):
        alone = Validator(templates(), today=TODAY, id_index=index).validate(e, graph)
        assert _summary(in_batch) == _summary(alone), e.id
        assert _summary(in_second) == _summary(alone), e.id


def test_an_edited_record_is_validated_as_given_next_to_the_graphs_version(entities: list[Entity]) -> None:
    graph = MemoryGraph(entities)
    v = Validator(templates(), today=TODAY)
    # an elderly resident sharing a house with others: aggregates over the house see the edit
    by_house: dict[str, list[Entity]] = {}
    for e in entities:
        if e.kind == EntityKind.PERSON and e.house_id:
            by_house.setdefault(e.house_id, []).append(e)
    house_id, residents = next((h, rs) for h, rs in by_house.items() if len(rs) >= 2)
    old = residents[0]
    moved_out = "no" if old.data.get("living_here") == "yes" else "yes"
    edited = dataclasses.replace(old, data={**old.data, "living_here": moved_out})
    house = graph.get(house_id)
    assert house is not None
    batch = v.validate_many([residents[1], edited, old, house], graph)
    alone = [
        Validator(templates(), today=TODAY).validate(x, graph) for x in (residents[1], edited, old, house)
    ]
    assert [_summary(r) for r in batch] == [_summary(r) for r in alone]
