"""Tag rules: auto tags in dependency order, prerequisites, requires, excludes, required fields,
expiry, unknown tags, and has-tag over linked entities."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.graph import Entity, MemoryGraph
from forms.model import EntityKind
from forms.validate import Validator
from forms.validate.findings import Finding, ValidationResult
from forms.xlsform import load_template

TODAY = date(2026, 11, 21)

PERSON_SURVEY = [
    ["type", "name", "label::zh", "label::en", "calculation"],
    ["select_one ptype", "population_type", "人口类型", "Population type", ""],
    ["select_one sex", "sex", "性别", "Sex", ""],
    ["date", "birth_date", "出生日期", "Date of birth", ""],
    ["calculate", "age", "年龄", "Age", "if(${birth_date} = '', '', age(${birth_date}))"],
    ["text", "reason", "居住事由", "Reason of residence", ""],
    ["text", "permit_no", "居住证号", "Residence permit number", ""],
    ["date", "delivery_date", "分娩日期", "Date of delivery", ""],
]
CHOICES = [
    ["list_name", "name", "label::zh"],
    ["ptype", "1", "户籍"],
    ["ptype", "2", "流动"],
    ["sex", "1", "男"],
    ["sex", "2", "女"],
]
TAG_HEADER = [
    "tag",
    "label::zh",
    "label::en",
    "scope",
    "kind",
    "condition",
    "requires",
    "excludes",
    "required_fields",
    "sensitive",
    "expires",
]
PERSON_TAGS = [
    TAG_HEADER,
    # listed before 老年人 on purpose: it depends on it
    [
        "高龄老人",
        "高龄老人",
        "Oldest old",
        "person",
        "auto",
        "has-tag('老年人') and ${age} >= 80",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "老年人",
        "老年人",
        "Older person",
        "person",
        "auto",
        "${age} != '' and ${age} >= 60",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "独居老人",
        "独居老人",
        "Living alone",
        "person",
        "auto",
        "has-tag('老年人') and count-residents() = 1",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "流动人口",
        "流动人口",
        "Migrant",
        "person",
        "auto",
        "${population_type} = '2'",
        "",
        "",
        "reason",
        "",
        "",
    ],
    [
        "居住证持有人",
        "居住证持有人",
        "Permit holder",
        "person",
        "manual",
        "has-tag('流动人口')",
        "",
        "",
        "permit_no",
        "",
        "",
    ],
    ["留守老人", "留守老人", "Left-behind older person", "person", "manual", "", "老年人", "", "", "", ""],
    ["低保对象", "低保对象", "Minimum-income recipient", "person", "returned", "", "", "", "", "", ""],
    ["特困人员", "特困人员", "Extreme poverty", "person", "returned", "", "", "低保对象", "", "", ""],
    [
        "孕产妇",
        "孕产妇",
        "Pregnant or postpartum",
        "person",
        "manual",
        "${sex} = '2'",
        "",
        "",
        "",
        "",
        "${delivery_date} != '' and today() - date(${delivery_date}) > 42",
    ],
    # a household tag kept in the person catalogue: has-tag inside the aggregate names person tags
    [
        "纯老户",
        "纯老户",
        "All-elderly household",
        "household",
        "auto",
        "count-members() > 0 and all-members(has-tag('老年人'))",
        "",
        "",
        "",
        "",
        "",
    ],
]
# has-tag over linked records: a person tag that looks at the other members' tags
PERSON_TAGS.append(
    ["家有老人", "家有老人", "Lives with an older member", "person", "auto",
     "any-members(not(is-self()) and has-tag('老年人'))", "", "", "", "", ""]
)  # fmt: skip


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    for i, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def validator(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    base = tmp_path_factory.mktemp("tags")
    person = load_template(
        write_workbook(
            base / "person.xlsx",
            {
                "survey": PERSON_SURVEY,
                "choices": CHOICES,
                "settings": [["form_id", "version", "entity"], ["person", "1", "person"]],
                "tags": PERSON_TAGS,
            },
        )
    )
    household = load_template(
        write_workbook(
            base / "household.xlsx",
            {
                "survey": [["type", "name", "label::zh"], ["text", "household_no", "户号"]],
                "settings": [["form_id", "version", "entity"], ["household", "1", "household"]],
            },
        )
    )
    return Validator({EntityKind.PERSON: person, EntityKind.HOUSEHOLD: household}, today=TODAY)


def person(data: dict[str, Any], tags: list[str] | None = None, **links: Any) -> Entity:
    base = {"population_type": "1", "sex": "1", "birth_date": "1980-01-01"}
    base.update(data)
    return Entity(links.pop("id", "p1"), EntityKind.PERSON, base, tags or [], **links)


def check(v: Validator, e: Entity, graph: MemoryGraph | None = None) -> ValidationResult:
    return v.validate(e, graph)


def one(findings: list[Finding], rule: str) -> Finding:
    matches = [f for f in findings if f.rule == rule]
    assert len(matches) == 1, f"expected one {rule}; got {[f.rule for f in findings]}"
    return matches[0]


def test_auto_tags_follow_dependencies_and_catalogue_order(validator: Validator) -> None:
    result = check(validator, person({"birth_date": "1940-01-01"}))
    assert result.tags == ["高龄老人", "老年人"]
    assert result.ok
    assert check(validator, person({"birth_date": "1960-01-01"})).tags == ["老年人"]
    assert check(validator, person({})).tags == []


def test_unknown_tag_is_an_error(validator: Validator) -> None:
    result = check(validator, person({}, ["不存在的标签"]))
    f = one(result.findings, "tag:不存在的标签:unknown")
    assert (f.kind, f.severity.value, f.field) == ("tag", "error", "")
    assert "不存在的标签" in f.message_zh and "catalogue" in f.message_en
    assert result.tags == [] and not result.ok


def test_auto_tag_set_by_hand_is_ignored_with_a_warning(validator: Validator) -> None:
    result = check(validator, person({}, ["老年人"]))
    assert one(result.findings, "tag:老年人:auto").severity.value == "warning"
    assert result.tags == []
    assert result.ok


def test_manual_tag_prerequisite_must_hold(validator: Validator) -> None:
    result = check(validator, person({"permit_no": "P1"}, ["居住证持有人"]))
    f = one(result.findings, "tag:居住证持有人:condition")
    assert (f.kind, f.severity.value) == ("tag", "error")
    assert "居住证持有人" in f.message_zh
    ok = check(
        validator, person({"population_type": "2", "reason": "务工", "permit_no": "P1"}, ["居住证持有人"])
    )
    assert ok.ok
    assert ok.tags == ["流动人口", "居住证持有人"]


def test_required_fields_while_a_tag_is_set(validator: Validator) -> None:
    result = check(validator, person({"population_type": "2", "reason": "务工"}, ["居住证持有人"]))
    f = one(result.findings, "tag:居住证持有人:required_fields")
    assert f.field == "permit_no"
    assert f.message_zh == "具有标签“居住证持有人”时「居住证号」为必填项"
    assert f.message_en == "Residence permit number is required while tag 'Permit holder' is set"


def test_required_fields_of_an_auto_tag(validator: Validator) -> None:
    result = check(validator, person({"population_type": "2"}))
    assert one(result.findings, "tag:流动人口:required_fields").field == "reason"
    assert "流动人口" in result.tags


def test_requires(validator: Validator) -> None:
    result = check(validator, person({}, ["留守老人"]))
    f = one(result.findings, "tag:留守老人:requires")
    assert "老年人" in f.message_zh
    assert check(validator, person({"birth_date": "1950-01-01"}, ["留守老人"])).ok


def test_excludes(validator: Validator) -> None:
    result = check(validator, person({}, ["特困人员", "低保对象"]))
    f = one(result.findings, "tag:特困人员:excludes")
    assert (f.kind, f.severity.value) == ("tag", "error")
    assert result.tags == ["低保对象", "特困人员"]  # catalogue order, not input order
    assert check(validator, person({}, ["特困人员"])).ok


def test_expired_tag_lapses(validator: Validator) -> None:
    result = check(validator, person({"sex": "2", "delivery_date": "2026-01-01"}, ["孕产妇"]))
    f = one(result.findings, "tag:孕产妇:expired")
    assert (f.kind, f.severity.value) == ("tag", "warning")
    assert "孕产妇" not in result.tags
    assert not any(x.rule == "tag:孕产妇:condition" for x in result.findings)
    fresh = check(validator, person({"sex": "2", "delivery_date": "2026-11-01"}, ["孕产妇"]))
    assert fresh.tags == ["孕产妇"] and fresh.findings == []


def test_has_tag_over_linked_persons(validator: Validator) -> None:
    hh = Entity("f1", EntityKind.HOUSEHOLD, {"household_no": "1"}, [])
    old = [person({"birth_date": "1940-01-01"}, id=f"p{i}", household_id="f1") for i in range(2)]
    graph = MemoryGraph([hh, *old])
    assert check(validator, hh, graph).tags == ["纯老户"]
    young = person({"birth_date": "2000-01-01"}, id="p9", household_id="f1")
    graph.add(young)
    assert check(validator, hh, graph).tags == []
    # In a batch the persons' tags are computed once and reused by the household.
    results = validator.validate_many([hh, *old], MemoryGraph([hh, *old]))
    assert results[0].tags == ["纯老户"]
    assert results[1].tags == ["高龄老人", "老年人", "家有老人"]  # the other member is 60+ too


def test_aggregate_over_residents_of_the_house(validator: Validator) -> None:
    alone = person({"birth_date": "1950-01-01"}, id="p1", house_id="h1")
    graph = MemoryGraph([alone])
    assert "独居老人" in check(validator, alone, graph).tags
    graph.add(person({"birth_date": "1990-01-01"}, id="p2", house_id="h1"))
    assert "独居老人" not in check(validator, alone, graph).tags


def test_required_fields_inside_a_repeat(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "house.xlsx",
        {
            "survey": [
                ["type", "name", "label::zh", "label::en"],
                ["select_one occ", "occupancy", "居住状态", "Occupancy"],
                ["begin_repeat", "tenants", "承租人", "Tenants"],
                ["text", "tenant_name", "承租人姓名", "Tenant's name"],
                ["text", "tenant_phone", "承租人电话", "Tenant's phone"],
                ["end_repeat", "tenants", "", ""],
            ],
            "choices": [["list_name", "name", "label::zh"], ["occ", "1", "自住"], ["occ", "2", "出租"]],
            "settings": [["form_id", "version", "entity"], ["house", "1", "house"]],
            "tags": [
                TAG_HEADER,
                ["出租", "出租", "Let", "house", "auto", "${occupancy} = '2'", "", "", "tenant_name", "", ""],
            ],
        },
    )
    v = Validator({EntityKind.HOUSE: load_template(path)}, today=TODAY)
    house = Entity("h1", EntityKind.HOUSE, {"occupancy": "2"}, [])
    assert [(f.rule, f.field) for f in v.validate(house).findings] == [
        ("tag:出租:required_fields", "tenants")
    ]
    house.data["tenants"] = [{"tenant_name": "甲"}, {"tenant_phone": "13800000000"}]
    result = v.validate(house)
    assert [(f.rule, f.field) for f in result.findings] == [
        ("tag:出租:required_fields", "tenants[1].tenant_name")
    ]
    assert result.tags == ["出租"]


def test_cached_tag_conditions_match_fresh_evaluation(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "flags.xlsx",
        {
            "survey": [["type", "name", "label::zh"], ["text", "flag", "标记"], ["date", "born", "出生"]],
            "settings": [["form_id", "version", "entity"], ["p", "1", "person"]],
            "tags": [
                TAG_HEADER,
                ["真", "真", "True", "person", "auto", "${flag} = 'true'", "", "", "", "", ""],
                ["一", "一", "One", "person", "auto", "${flag} = '1'", "", "", "", "", ""],
                [
                    "成年",
                    "成年",
                    "Adult",
                    "person",
                    "auto",
                    "${born} != '' and age(${born}) >= 18",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
                [
                    "老",
                    "老",
                    "Old",
                    "person",
                    "auto",
                    "${born} != '' and age(${born}) >= 60",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
            ],
        },
    )
    template = load_template(path)
    records: list[dict[str, Any]] = [
        {"flag": 1}, {"flag": True}, {"flag": "1"}, {"flag": "true"}, {"flag": 1.0}, {"flag": False}, {},
        {"born": "2008-11-22"}, {"born": "2008-11-21"}, {"born": "1966-11-21"}, {"born": "1966-11-22"},
    ]  # fmt: skip
    shared = Validator({EntityKind.PERSON: template}, today=TODAY)
    for data in records * 2:
        fresh = Validator({EntityKind.PERSON: template}, today=TODAY)
        entity = Entity("p", EntityKind.PERSON, data, [])
        assert shared.validate(entity).tags == fresh.validate(entity).tags, data
    # a validator for another as-of date
    later = Validator({EntityKind.PERSON: template}, today=date(2027, 1, 1))
    assert later.validate(Entity("p", EntityKind.PERSON, {"born": "2008-11-22"}, [])).tags == ["成年"]


def test_an_edited_record_is_validated_as_edited_not_as_the_graph_holds_it(validator: Validator) -> None:
    stored = person({"birth_date": "1940-01-01"}, id="p1", household_id="f1")
    other = person({"birth_date": "2000-01-01"}, id="p2", household_id="f1")
    graph = MemoryGraph([stored, other])
    edited = person({"birth_date": "1990-01-01"}, id="p1", household_id="f1")
    # p2's tag looks at p1 as the graph holds it (60+); p1 itself is validated as edited
    results = validator.validate_many([other, edited], graph)
    assert results[0].tags == ["家有老人"]
    assert results[1].tags == []
