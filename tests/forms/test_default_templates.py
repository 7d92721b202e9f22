"""The shipped templates load, pass ``ybt template check``, match their sources and keep the
field-name contract; the code lists hold the national standards; the ID consistency rules fire."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from forms import build_templates
from forms.cli import template as template_cli
from forms.codelists import CODE_LISTS, code_label, legacy_education, normalise_code
from forms.graph import Entity, MemoryGraph
from forms.model import EntityKind
from forms.validate import Validator
from forms.xlsform import load_template
from resources import ROOT
from tests.forms.test_default_tags import born, id_for, person, templates

ENTITIES = ("person", "house", "household")
CONTRACT = {
    "person": "population_type name former_name id_type id_number sex birth_date ethnicity nationality native_place "
    "marital_status political_status education religion occupation employer phone hukou_division hukou_address "
    "hukou_no relation_to_head hukou_here living_here residence_type residence_reason residence_reg_date "
    "residence_permit_no permit_expiry disability_cert moved_out_date death_date due_date delivery_date age "
    "disability_category disability_grade",
    "house": "house_no estate building unit floor room address building_use house_nature building_area living_area "
    "room_count owner_name owner_id_number owner_phone occupancy rental_use occupant_count tenants tenant_name "
    "tenant_id_number tenant_phone",
    "household": "household_no household_type members member_person member_name member_id_number member_relation "
    "member_count",
}


def ybt_template_check(path: Path, *related: Path) -> tuple[int, dict[str, object]]:
    parser = argparse.ArgumentParser()
    template_cli.register(parser.add_subparsers())
    args = parser.parse_args(["template", "check", str(path), "--json", *[a for r in related for a in ("--related", str(r))]])
    out = io.StringIO()
    code = args.handler(args, out)
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize("entity", ENTITIES)
def test_template_loads_and_passes_template_check(entity: str) -> None:
    path = ROOT / "templates" / f"{entity}.xlsx"
    others = [ROOT / "templates" / f"{e}.xlsx" for e in ENTITIES if e != entity]
    code, report = ybt_template_check(path, *others)
    assert code == 0, report
    assert report["ok"] is True and report["warnings"] == []
    tpl = load_template(path)
    assert tpl.entity == EntityKind(entity)
    assert set(tpl.languages) >= {"zh", "en"}
    for f in tpl.fields.values():
        assert f.label("zh") != f.name and f.label("en") != f.name, f"{entity}.{f.name} lacks a label"


@pytest.mark.parametrize("entity", ENTITIES)
def test_field_name_contract(entity: str) -> None:
    tpl = templates()[EntityKind(entity)]
    missing = [n for n in CONTRACT[entity].split() if n not in tpl.fields and n not in tpl.groups]
    assert not missing


def test_built_workbooks_are_up_to_date_and_deterministic(tmp_path: Path) -> None:
    assert build_templates.stale() == []
    a = build_templates.build_bytes(ROOT / "templates" / "person")
    assert a == build_templates.build_bytes(ROOT / "templates" / "person")
    assert a == (ROOT / "templates" / "person.xlsx").read_bytes()


def test_check_reports_an_out_of_date_workbook(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "household", root / "household")
    build_templates.build_to(root / "household", root / "household.xlsx")
    assert build_templates.stale(("household",), root) == []
    survey = root / "household" / "survey.csv"
    survey.write_text(survey.read_text(encoding="utf-8").replace("户号", "户口号"), encoding="utf-8")
    assert build_templates.stale(("household",), root)


def test_unknown_choice_list_is_a_clear_build_error(tmp_path: Path) -> None:
    src = tmp_path / "household"
    shutil.copytree(ROOT / "templates" / "household", src)
    survey = src / "survey.csv"
    survey.write_text(survey.read_text(encoding="utf-8").replace("select_one household_type", "select_one no_such_list"),
                      encoding="utf-8")
    with pytest.raises(build_templates.BuildError, match="no_such_list"):
        build_templates.build_bytes(src)


def test_choices_sheet_carries_the_referenced_code_lists() -> None:
    tpl = templates()[EntityKind.PERSON]
    assert len(tpl.choices["ethnicity"]) == 58
    assert tpl.choices["relation_to_head"].by_name["03"].extra.get("legacy") == "yes"
    assert tpl.choice_label("sex", "2", "en") == "Female"


def test_code_lists_follow_the_standards() -> None:
    assert [c.name for c in CODE_LISTS["sex"]] == ["0", "1", "2", "9"]
    assert code_label("marital_status", "30") == "丧偶"
    assert code_label("political_status", "10") == "九三学社社员"
    assert code_label("relation_to_head", "99") == "非亲属" and len(CODE_LISTS["relation_to_head"]) == 85
    assert code_label("education", "28") == "大学普通班毕业"
    assert CODE_LISTS["education"].by_name["20"].extra["group_head"] == "yes"
    assert code_label("ethnicity", "98") == "外国血统中国籍人士"
    assert normalise_code("ethnicity", "毛难族") == "36" and normalise_code("ethnicity", "崩龙族") == "46"
    assert normalise_code("ethnicity", "Han") == "01" and normalise_code("ethnicity", "火星族") is None
    assert legacy_education("00") == "90" and legacy_education("99") is None
    assert "CHN" in CODE_LISTS["nationality"] and len(CODE_LISTS["nationality"]) >= 40
    assert [c.name for c in CODE_LISTS["danger_grade"]] == ["A", "B", "C", "D"]


def _validate_person(data: dict[str, object]) -> list[str]:
    v = Validator(templates(), today=date(2026, 11, 21))
    e = Entity("p1", EntityKind.PERSON, data, [])
    return [f.rule for f in v.validate(e, MemoryGraph([e])).findings if f.severity == "error"]


def test_id_consistency_rules_fire() -> None:
    assert _validate_person(person(40, "1")) == []
    assert "id_birth_date" in _validate_person(person(40, "1", birth_date=born(41).isoformat()))
    assert "id_sex" in _validate_person(person(40, "1") | {"sex": "2"})
    # Not a resident ID card: no consistency check, and a bad check character is a constraint error.
    assert _validate_person(person(40, "1", id_type="06", id_number="E12345678") | {"sex": "2"}) == []
    bad = id_for(born(40), "1")[:-1] + ("0" if id_for(born(40), "1")[-1] != "0" else "1")
    assert "id_number:constraint" in _validate_person(person(40, "1", id_number=bad))


def test_id_consistency_findings_name_the_field_to_change() -> None:
    v = Validator(templates(), today=date(2026, 11, 21))
    e = Entity("p1", EntityKind.PERSON, person(40, "1", birth_date=born(41).isoformat()) | {"sex": "2"}, [])
    where = {f.rule: f.field for f in v.validate(e, MemoryGraph([e])).findings}
    assert where["id_birth_date"] == "birth_date" and where["id_sex"] == "sex"


@pytest.mark.parametrize("entity", ["person", "house", "household"])
def test_every_shipped_rule_names_its_field(entity: str) -> None:
    t = templates()[EntityKind(entity)]
    assert t.rules and all(r.field for r in t.rules), [r.id for r in t.rules if not r.field]


def test_future_dates_and_bad_phone_are_rejected() -> None:
    errors = _validate_person(person(40, "1", phone="12345", death_date="2030-01-01"))
    assert "phone:constraint" in errors and "death_date:constraint" in errors


def test_one_head_per_household() -> None:
    v = Validator(templates(), today=date(2026, 11, 21))
    a = Entity("a", EntityKind.PERSON, person(40, "1"), [], household_id="hh")
    b = Entity("b", EntityKind.PERSON, person(38, "2"), [], household_id="hh")
    hh = Entity("hh", EntityKind.HOUSEHOLD, {"household_no": "1", "household_type": "1", "head_name": "张伟"}, [])
    g = MemoryGraph([a, b, hh])
    assert "one_head" in [f.rule for f in v.validate(hh, g).findings]
    assert "one_head" in [f.rule for f in v.validate(b, g).findings]
    b.data["relation_to_head"] = "12"
    g.touch()
    assert "one_head" not in [f.rule for f in v.validate(hh, MemoryGraph([a, b, hh])).findings]


def test_build_command_check_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_templates.main(["--check"]) == 0
    with pytest.raises(SystemExit) as exc:
        build_templates.main(["nosuch"])
    assert exc.value.code == 2
    assert build_templates.main(["household", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "household.xlsx").read_bytes() == (ROOT / "templates" / "household.xlsx").read_bytes()


def test_malformed_code_list_is_named(tmp_path: Path) -> None:
    from forms.codelists import CodeListError, load_code_list_files

    (tmp_path / "sex.csv").write_text("name,label::zh\n1,男\n1,女\n", encoding="utf-8")
    with pytest.raises(CodeListError, match=r"sex.csv: row 3: duplicate code '1'"):
        load_code_list_files(str(tmp_path))


@pytest.mark.parametrize(
    ("rule", "bad", "good"),
    [
        ("vacant_with_residents", {"occupancy": "4"}, {"occupancy": "1"}),
        ("occupied_without_residents", {"occupancy": "1", "living_here": "no"}, {"occupancy": "1"}),
        ("occupants_match", {"occupancy": "1", "occupant_count": 3}, {"occupancy": "1", "occupant_count": 1}),
        ("let_tenants_rent", {"occupancy": "2", "residence_type": "1"}, {"occupancy": "2", "residence_type": "2"}),
        ("partly_let_mix", {"occupancy": "3", "residence_type": "2"}, {"occupancy": "3", "residence_type": "1", "second": "2"}),
    ],
)
def test_house_rules_warn(rule: str, bad: dict[str, object], good: dict[str, object]) -> None:
    from tests.forms.test_default_tags import RENTAL

    def findings(spec: dict[str, object]) -> list[str]:
        occupancy = str(spec["occupancy"])
        house = {"occupancy": occupancy, **(RENTAL if occupancy in ("2", "3") else {}),
                 "occupant_count": spec.get("occupant_count", 1 if spec.get("living_here") != "no" else 0)}
        p = person(40, "1", living_here=spec.get("living_here", "yes"), residence_type=spec.get("residence_type", "1"))
        if p["living_here"] == "no":
            p.pop("residence_type")
        people = [Entity("p1", EntityKind.PERSON, p, [], house_id="h")]
        if "second" in spec:
            q = person(30, "2", relation_to_head="99", residence_type=spec["second"])
            q["id_number"] = id_for(born(30), "2", seq=44)
            people.append(Entity("p2", EntityKind.PERSON, q, [], house_id="h"))
            house["occupant_count"] = 2
        from tests.forms.test_default_tags import base_house

        h = Entity("h", EntityKind.HOUSE, base_house() | house, [])
        v = Validator(templates(), today=date(2026, 11, 21))
        return [f.rule for f in v.validate(h, MemoryGraph([h, *people])).findings]

    assert rule in findings(bad)
    assert rule not in findings(good)


def test_household_members_listed_warning() -> None:
    v = Validator(templates(), today=date(2026, 11, 21))
    a = Entity("a", EntityKind.PERSON, person(40, "1"), [], household_id="hh")
    hh = Entity("hh", EntityKind.HOUSEHOLD, {"household_no": "1", "household_type": "1", "head_name": "张伟", "members": []}, [])
    assert "members_listed" in [f.rule for f in v.validate(hh, MemoryGraph([a, hh])).findings]
    hh.data["members"] = [{"member_person": "a", "member_name": "张伟", "member_relation": "02"}]
    result = v.validate(hh, MemoryGraph([a, hh]))
    assert "members_listed" not in [f.rule for f in result.findings]
    assert str(result.values["member_count"]) == "1"
