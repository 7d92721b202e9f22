"""The synthetic-data generator: wire format, realism, determinism, and clean validation."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric

from forms import cn
from forms.graph import MemoryGraph, entity_from_dict
from forms.model import EntityKind, TagKind
from forms.synth import generate, scaled_catalogue
from forms.validate import MemoryIdIndex, Validator
from forms.xlsform import load_template
from resources import ROOT
from tests.forms.test_default_tags import templates

TODAY = date(2026, 11, 21)
KEYS = {"id", "kind", "template", "template_version", "grid", "house_id", "household_id", "data", "tags", "rev", "state"}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return generate(1500, seed=7, grids=("330102001001001", "330102001001002"), today=TODAY)


def test_wire_format_and_order(records: list[dict]) -> None:
    kinds = [r["kind"] for r in records]
    assert kinds == sorted(kinds, key=["house", "household", "person"].index)
    assert Counter(kinds)["person"] == 1500
    for r in records:
        assert set(r) == KEYS and r["rev"] == 1 and r["state"] == "active"
        assert r["template"] == r["kind"] and r["grid"] in ("330102001001001", "330102001001002")
    assert len({r["id"] for r in records}) == len(records)
    houses = {r["id"] for r in records if r["kind"] == "house"}
    households = {r["id"] for r in records if r["kind"] == "household"}
    for r in records:
        if r["kind"] == "person":
            assert r["house_id"] in houses and r["household_id"] in households
        if r["kind"] == "household":
            assert r["house_id"] in houses


def test_deterministic_and_seed_dependent() -> None:
    a = generate(300, seed=3, today=TODAY)
    assert a == generate(300, seed=3, today=TODAY)
    assert a != generate(300, seed=4, today=TODAY)


def test_realistic_people(records: list[dict]) -> None:
    persons = [r for r in records if r["kind"] == "person"]
    houses = [r for r in records if r["kind"] == "house"]
    assert 2.0 <= len(persons) / len(houses) <= 3.0
    ids = [p["data"]["id_number"] for p in persons if p["data"]["id_type"] == "01"]
    assert len(ids) == len(set(ids)) and len(ids) > 0.9 * len(persons)
    for p in persons:
        d = p["data"]
        if d["id_type"] == "01":
            assert cn.id_valid(d["id_number"], TODAY)
            assert ric.calc_check_digit(d["id_number"]) == d["id_number"][-1]
            assert d["id_number"][6:14] == d["birth_date"].replace("-", "")
            assert int(d["id_number"][16]) % 2 == (1 if d["sex"] == "1" else 0)
        if "phone" in d:
            assert cn.mobile_valid(d["phone"])
    surnames = Counter(p["data"]["name"][0] for p in persons if p["data"]["population_type"] != "3")
    assert {"王", "李", "张"} <= {s for s, _ in surnames.most_common(8)}
    pops = Counter(p["data"]["population_type"] for p in persons)
    assert pops["1"] > pops["2"] > pops["3"] > 0
    occupancy = Counter(h["data"]["occupancy"] for h in houses)
    assert {"1", "2", "3", "4", "5"} <= set(occupancy)
    assert "清波小区" in {h["data"]["estate"] for h in houses} or all("幢" in h["data"]["address"] for h in houses)


def test_every_household_has_one_head(records: list[dict]) -> None:
    heads = Counter(p["household_id"] for p in records if p["kind"] == "person" and p["data"]["relation_to_head"] == "02")
    for hh in (r for r in records if r["kind"] == "household"):
        assert heads[hh["id"]] == 1
        assert hh["data"]["member_count"] == len(hh["data"]["members"])


def test_synthetic_data_validates_without_errors(records: list[dict]) -> None:
    entities = [entity_from_dict(r) for r in records]
    v = Validator(templates(), today=TODAY, id_index=MemoryIdIndex(entities))
    results = v.validate_many(entities, MemoryGraph(entities))
    errors = [(e.kind, f.rule, f.field, f.message_en) for e, r in zip(entities, results, strict=True) for f in r.findings
              if f.severity == "error"]
    assert errors == []
    warnings = Counter(f.rule for r in results for f in r.findings)
    assert sum(warnings.values()) <= len(entities) * 0.01, warnings
    tags = Counter(t for r in results for t in r.tags)
    for expected in ("独居老人", "空巢老人", "纯老户", "群租", "出租", "流动人口", "居住证持有人", "残疾人", "境外人员"):
        assert tags[expected] > 0, expected


def test_scaled_catalogue_has_district_size_and_synth_still_validates(tmp_path: Path) -> None:
    cat = scaled_catalogue(ROOT / "templates" / "person", out_dir=tmp_path)
    person = load_template(cat.person)
    house = load_template(cat.house)
    assert len(person.tags) == 172
    assert sum(1 for t in person.tags.values() if t.kind == TagKind.AUTO) == 53
    assert len(house.tags) == 8
    tpls = dict(templates()) | {EntityKind.PERSON: person, EntityKind.HOUSE: house}
    entities = [entity_from_dict(r) for r in generate(300, seed=11, today=TODAY)]
    results = Validator(tpls, today=TODAY).validate_many(entities, MemoryGraph(entities))
    assert [f.rule for r in results for f in r.findings if f.severity == "error"] == []
    assert any("青年" in r.tags for r in results)
    with pytest.raises(ValueError, match="cannot reach"):
        scaled_catalogue(ROOT / "templates" / "person", 500, 53, out_dir=tmp_path / "x")


@pytest.mark.parametrize("n", [0, 1, 2, 5, 13])
def test_exact_person_count_for_small_n(n: int) -> None:
    for seed in range(1, 8):
        records = generate(n, seed=seed, today=TODAY)
        assert sum(1 for r in records if r["kind"] == "person") == n


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="grid"):
        generate(5, grids=())
    with pytest.raises(ValueError, match="n_persons"):
        generate(-1)
