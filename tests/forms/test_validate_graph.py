"""Entities, links, the wire format, and faults during evaluation (reported, never raised)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.errors import EvalError
from forms.graph import Entity, EntityFormatError, MemoryGraph, entity_from_dict, entity_to_dict
from forms.model import EntityKind, RuleDef, RuleScope, Severity, TagDef, TagKind
from forms.validate import MemoryIdIndex, Validator
from forms.xlsform import load_template


def person(pid: str, **links: Any) -> Entity:
    return Entity(pid, EntityKind.PERSON, {"name": pid}, [], **links)


def test_memory_graph_links_and_states() -> None:
    house = Entity("h1", EntityKind.HOUSE, {}, [])
    household = Entity("f1", EntityKind.HOUSEHOLD, {}, [], house_id="h1")
    a = person("a", house_id="h1", household_id="f1")
    b = person("b", house_id="h1", household_id="f1")
    c = person("c", house_id="h2")
    gone = person("d", house_id="h1", household_id="f1")
    gone.state = "deceased"
    g = MemoryGraph([house, household, a, b, c, gone])
    assert [e.id for e in g.residents("h1")] == ["a", "b"]
    assert [e.id for e in g.members("f1")] == ["a", "b"]
    assert [e.id for e in g.households("h1")] == ["f1"]
    assert g.residents("nowhere") == ()
    assert g.get("c") is c and g.get("zz") is None
    g.remove("b")
    assert [e.id for e in g.residents("h1")] == ["a"]
    c.house_id = "h1"
    g.touch()
    assert [e.id for e in g.residents("h1")] == ["a", "c"]
    g.add(person("a", house_id="h9"))  # replaces "a"
    assert [e.id for e in g.residents("h1")] == ["c"]


def test_entity_from_wire_format() -> None:
    wire = {
        "id": "u1", "kind": "person", "template": "person", "template_version": "2026.1",
        "grid": "330102001001001", "house_id": "h1", "household_id": None,
        "data": {"name": "张伟"}, "tags": ["留守老人"], "rev": 3, "state": "active",
        "updated_at": "2026-11-21T10:00:00Z",
    }  # fmt: skip
    e = entity_from_dict(wire)
    assert (e.id, e.kind, e.house_id, e.household_id, e.tags, e.state) == (
        "u1", EntityKind.PERSON, "h1", None, ["留守老人"], "active",
    )  # fmt: skip
    back = entity_to_dict(e)
    assert back["kind"] == "person" and back["data"] == {"name": "张伟"}
    assert entity_from_dict({"id": "x", "data": {}}, default_kind=EntityKind.HOUSE).kind == EntityKind.HOUSE


@pytest.mark.parametrize(
    ("wire", "field"),
    [
        ({"kind": "person"}, "id"),
        ({"id": "", "kind": "person"}, "id"),
        ({"id": "x"}, "kind"),
        ({"id": "x", "kind": "car"}, "kind"),
        ({"id": "x", "kind": "person", "data": []}, "data"),
        ({"id": "x", "kind": "person", "tags": "a b"}, "tags"),
        ({"id": "x", "kind": "person", "state": "gone"}, "state"),
        ({"id": "x", "kind": "person", "house_id": 5}, "house_id"),
    ],
)
def test_malformed_wire_entities_name_the_key(wire: dict[str, Any], field: str) -> None:
    with pytest.raises(EntityFormatError) as err:
        entity_from_dict(wire)
    assert err.value.field == field


def test_id_index_normalises_numbers() -> None:
    index = MemoryIdIndex([Entity("a", EntityKind.PERSON, {"id_number": " 11010519491231002x "}, [])])
    assert index.owners("11010519491231002X") == {"a"}
    assert index.owners("330102199001011234") == set()


class Exploding:
    """Stands for a compiled expression whose evaluation fails at run time."""

    source = "explode()"
    refs: frozenset[str] = frozenset()
    tag_refs: frozenset[str] = frozenset()
    uses_current = False
    is_constant = False

    def truthy(self, ctx: object) -> bool:
        raise EvalError("the regular expression is invalid")

    def evaluate(self, ctx: object) -> object:
        raise EvalError("the regular expression is invalid")


def test_evaluation_faults_become_findings(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    for row in (["type", "name", "label::zh"], ["integer", "age", "年龄"]):
        ws.append(row)
    tags = wb.create_sheet("tags")
    for row in (
        ["tag", "label::zh", "scope", "kind", "condition"],
        ["老年人", "老年人", "person", "auto", "${age} >= 60"],
    ):
        tags.append(row)
    wb.save(tmp_path / "p.xlsx")
    template = load_template(tmp_path / "p.xlsx")
    bad: Any = Exploding()
    broken_tag = TagDef(
        id="坏标签", labels={"zh": "坏标签"}, scope=EntityKind.PERSON, kind=TagKind.AUTO, condition=bad
    )
    broken_rule = RuleDef(
        id="bad_rule", scope=RuleScope.RECORD, expression=bad, severity=Severity.WARNING, messages={}
    )
    template = dataclasses.replace(
        template, tags={**template.tags, "坏标签": broken_tag}, rules=(broken_rule,)
    )
    v = Validator({EntityKind.PERSON: template}, today=date(2026, 11, 21))
    result = v.validate(Entity("p", EntityKind.PERSON, {"age": 70}, []))
    rules = {f.rule: f for f in result.findings}
    assert result.tags == ["老年人"]  # the other tags are still computed
    assert rules["tag:坏标签:condition"].kind == "tag"
    assert rules["bad_rule"].severity.value == "error"
    assert "regular expression" in rules["bad_rule"].message_en
    assert not result.ok
