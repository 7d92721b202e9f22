"""The validation engine on small templates written as real workbooks and loaded by the loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.graph import Entity, MemoryGraph
from forms.model import EntityKind, Template
from forms.validate import MemoryIdIndex, Validator
from forms.validate.findings import Finding
from forms.xlsform import load_template

TODAY = date(2026, 11, 21)

SURVEY = [
    [
        "type",
        "name",
        "label::zh",
        "label::en",
        "required",
        "required_message::zh",
        "required_message::en",
        "relevant",
        "constraint",
        "constraint_message::zh",
        "constraint_message::en",
        "calculation",
    ],
    ["select_one ptype", "population_type", "人口类型", "Population type", "yes", "", "", "", "", "", "", ""],
    [
        "text",
        "name",
        "姓名",
        "Name",
        "yes",
        "请填写姓名",
        "Please enter the name",
        "",
        "string-length(.) <= 5",
        "姓名太长",
        "The name is too long",
        "",
    ],
    ["date", "birth_date", "出生日期", "Date of birth", "yes", "", "", "", ". <= today()", "", "", ""],
    [
        "calculate",
        "age",
        "年龄",
        "Age",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "if(${birth_date} = '', '', age(${birth_date}))",
    ],
    [
        "calculate",
        "decade",
        "年代",
        "Decade",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "if(${age} = '', '', floor(${age} div 10))",
    ],
    ["integer", "children", "子女数", "Children", "", "", "", "", ". >= 0", "", "", ""],
    ["decimal", "income", "收入", "Income", "", "", "", "", "", "", "", ""],
    ["datetime", "visited_at", "走访时间", "Visited at", "", "", "", "", "", "", "", ""],
    ["time", "visit_time", "走访时刻", "Visit time", "", "", "", "", "", "", "", ""],
    ["select_multiple lang", "langs", "语言", "Languages", "", "", "", "", "", "", "", ""],
    ["select_one rel or_other", "relation", "关系", "Relation", "", "", "", "", "", "", "", ""],
    ["text", "spouse", "配偶", "Spouse", "${children} > 0", "", "", "", "", "", "", ""],
    ["begin_group", "migrant", "流动人口", "Migrant", "", "", "", "${population_type} = '2'", "", "", "", ""],
    ["text", "reason", "居住事由", "Reason", "yes", "", "", "", "", "", "", ""],
    ["text", "permit", "居住证号", "Permit", "", "", "", "", "", "", "", ""],
    ["end_group", "migrant", "", "", "", "", "", "", "", "", "", ""],
    ["text", "old_name", "曾用名", "Former name", "", "", "", "${age} >= 18", "", "", "", ""],
    ["begin_repeat", "members", "成员", "Members", "", "", "", "", "", "", "", ""],
    ["text", "member_name", "成员姓名", "Member name", "yes", "", "", "", "", "", "", ""],
    [
        "integer",
        "member_age",
        "成员年龄",
        "Member age",
        "",
        "",
        "",
        "",
        ". < 150",
        "成员年龄不合理",
        "Implausible member age",
        "",
    ],
    [
        "calculate",
        "member_adult",
        "成年",
        "Adult",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "if(${member_age} >= 18, 'yes', 'no')",
    ],
    ["text", "guardian", "监护人", "Guardian", "", "", "", "${member_age} < 18", "", "", "", ""],
    ["end_repeat", "members", "", "", "", "", "", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label::zh", "label::en"],
    ["ptype", "1", "户籍", "Registered"],
    ["ptype", "2", "流动", "Migrant"],
    ["lang", "zh", "中文", "Chinese"],
    ["lang", "en", "英文", "English"],
    ["rel", "02", "户主", "Head"],
    ["rel", "10", "配偶", "Spouse"],
]
RULES = [
    ["rule", "scope", "expression", "severity", "message::zh", "message::en"],
    [
        "few_children",
        "record",
        "${children} = '' or ${children} < 20",
        "warning",
        "子女数过多",
        "Too many children",
    ],
    ["no_message", "record", "${name} != 'X'", "error", "", ""],
]


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = title
        first = False
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def settings(form_id: str, entity: str) -> list[list[Any]]:
    return [["form_id", "form_title", "version", "entity"], [form_id, form_id, "1", entity]]


@pytest.fixture(scope="module")
def person(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("tpl") / "person.xlsx"
    write_workbook(
        path, {"survey": SURVEY, "choices": CHOICES, "settings": settings("p", "person"), "rules": RULES}
    )
    return load_template(path)


@pytest.fixture(scope="module")
def validator(person: Template) -> Validator:
    return Validator({EntityKind.PERSON: person}, today=TODAY)


def good(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"population_type": "1", "name": "张伟", "birth_date": "1980-05-01"}
    data.update(changes)
    return data


def run(v: Validator, data: dict[str, Any], tags: list[str] | None = None, eid: str = "p1") -> Any:
    return v.validate(Entity(eid, EntityKind.PERSON, data, tags or []))


def find(findings: list[Finding], rule: str) -> Finding:
    matches = [f for f in findings if f.rule == rule]
    assert matches, f"no finding {rule}; got {[f.rule for f in findings]}"
    return matches[0]


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def test_a_complete_record_is_ok(validator: Validator) -> None:
    result = run(validator, good())
    assert result.ok
    assert result.findings == []
    assert result.values["age"] == "46"
    assert result.values["decade"] == "4"


def test_required_uses_the_templates_message_and_a_generated_one(validator: Validator) -> None:
    result = run(validator, good(name="", birth_date=None))
    assert not result.ok
    name = find(result.findings, "name:required")
    assert (name.field, name.kind, name.severity.value) == ("name", "required", "error")
    assert (name.message_zh, name.message_en) == ("请填写姓名", "Please enter the name")
    birth = find(result.findings, "birth_date:required")
    assert birth.message_zh == "「出生日期」为必填项"
    assert birth.message_en == "Date of birth is required"
    assert birth.entity_id == "p1" and birth.entity == EntityKind.PERSON


def test_blank_text_counts_as_missing(validator: Validator) -> None:
    assert "name:required" in rules(run(validator, good(name="   ")).findings)


def test_expression_valued_required(validator: Validator) -> None:
    assert "spouse:required" in rules(run(validator, good(children=2)).findings)
    assert "spouse:required" not in rules(run(validator, good(children=0)).findings)
    assert run(validator, good(children=2, spouse="李娜")).ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("children", "two"),
        ("children", "1.5"),
        ("children", True),
        ("income", "12,5x"),
        ("birth_date", "2020-02-30"),
        ("birth_date", "20200101"),
        ("birth_date", "2020/01/01"),
        ("visited_at", "2026-11-21 25:00"),
        ("visited_at", "2026-11-21"),
        ("visit_time", "9 o'clock"),
        ("name", {"first": "张"}),
    ],
)
def test_type_and_format(validator: Validator, field: str, value: Any) -> None:
    result = run(validator, good(**{field: value}))
    f = find(result.findings, f"{field}:type")
    assert (f.field, f.kind) == (field, "type")
    assert not result.ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("children", "0"),
        ("children", 0),
        ("children", " 0 "),
        ("income", "1234.50"),
        ("income", 12.5),
        ("visited_at", "2026-11-21T09:30:00"),
        ("visited_at", "2026-11-21T09:30:00.000+08:00"),
        ("visit_time", "09:30"),
        ("visit_time", "09:30:15"),
    ],
)
def test_well_formed_values_pass(validator: Validator, field: str, value: Any) -> None:
    assert run(validator, good(**{field: value})).ok


def test_choice_membership(validator: Validator) -> None:
    result = run(validator, good(population_type="9"))
    f = find(result.findings, "population_type:choice")
    assert (f.field, f.kind) == ("population_type", "choice")
    assert "9" in f.message_zh and "9" in f.message_en


def test_select_multiple_checks_every_value(validator: Validator) -> None:
    assert run(validator, good(langs="zh en")).ok
    assert run(validator, good(langs=["zh", "en"])).ok
    result = run(validator, good(langs="zh fr"))
    assert [f.rule for f in result.findings] == ["langs:choice"]
    assert "fr" in result.findings[0].message_zh


def test_select_one_takes_one_value(validator: Validator) -> None:
    assert "population_type:choice" in rules(run(validator, good(population_type="1 2")).findings)


def test_or_other_accepts_other_with_free_text(validator: Validator) -> None:
    assert run(validator, good(relation="other", relation_other="表舅")).ok
    assert "relation:choice" in rules(run(validator, good(relation="表舅")).findings)


def test_constraint_with_template_message_and_generated_one(validator: Validator) -> None:
    result = run(validator, good(name="欧阳长名字很长"))
    f = find(result.findings, "name:constraint")
    assert (f.message_zh, f.message_en, f.kind) == ("姓名太长", "The name is too long", "constraint")
    result = run(validator, good(birth_date="2027-01-01"))
    f = find(result.findings, "birth_date:constraint")
    assert "出生日期" in f.message_zh and ". <= today()" in f.message_en
    assert "children:constraint" in rules(run(validator, good(children=-1)).findings)


def test_irrelevant_answers_are_stale_not_checked(validator: Validator) -> None:
    # The migrant group is irrelevant for a registered resident: its answers are stale warnings,
    # and its required field is not asked for.
    result = run(validator, good(permit="123"))
    f = find(result.findings, "permit:stale")
    assert (f.field, f.kind, f.severity.value) == ("permit", "stale", "warning")
    assert result.ok
    assert "reason:required" not in rules(result.findings)
    # A field's own relevance: old_name only for adults.
    result = run(validator, good(birth_date="2020-01-01", old_name="小明"))
    assert "old_name:stale" in rules(result.findings)
    assert result.ok


def test_relevant_group_is_checked(validator: Validator) -> None:
    result = run(validator, good(population_type="2"))
    assert "reason:required" in rules(result.findings)
    assert run(validator, good(population_type="2", reason="务工", permit="9")).ok


def test_repeat_rows_have_their_own_context_and_paths(validator: Validator) -> None:
    members = [
        {"member_name": "甲", "member_age": 40},
        {"member_name": "乙", "member_age": 200},
        {"member_name": "", "member_age": 10, "guardian": "甲"},
        {"member_name": "丁", "member_age": 30, "guardian": "甲"},
    ]
    result = run(validator, good(members=members))
    by_rule = {(f.rule, f.field) for f in result.findings}
    assert ("member_age:constraint", "members[1].member_age") in by_rule
    assert ("member_name:required", "members[2].member_name") in by_rule
    assert ("guardian:stale", "members[3].guardian") in by_rule
    assert ("guardian:stale", "members[2].guardian") not in by_rule
    assert find(result.findings, "member_age:constraint").message_zh == "成员年龄不合理"
    assert [r["member_adult"] for r in result.values["members"]] == ["yes", "yes", "no", "yes"]
    assert "member_adult" not in members[0]  # the input is not modified


def test_repeat_that_is_not_a_list_is_a_type_error(validator: Validator) -> None:
    result = run(validator, good(members="甲"))
    assert find(result.findings, "members:type").kind == "type"


def test_calculations_feed_later_expressions(validator: Validator) -> None:
    # old_name's relevance reads the calculated age.
    assert run(validator, good(birth_date="1950-01-01", old_name="张三")).ok
    result = run(validator, good(birth_date="1950-01-01"))
    assert result.values["age"] == "76"
    assert result.values["decade"] == "7"


def test_rules_sheet_record_rules(validator: Validator) -> None:
    result = run(validator, good(children=25, spouse="李娜"))
    f = find(result.findings, "few_children")
    assert (f.kind, f.severity.value, f.message_zh, f.message_en) == (
        "rule",
        "warning",
        "子女数过多",
        "Too many children",
    )
    assert f.field == "children"
    assert result.ok
    result = run(validator, good(name="X"))
    f = find(result.findings, "no_message")
    assert not result.ok and "no_message" in f.message_zh and "no_message" in f.message_en


def test_duplicate_id_numbers(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "p.xlsx",
        {
            "survey": [
                ["type", "name", "label::zh", "label::en"],
                ["text", "id_number", "公民身份号码", "ID number"],
            ],
            "settings": settings("p", "person"),
        },
    )
    template = load_template(path)
    people = [
        Entity("a", EntityKind.PERSON, {"id_number": "11010519491231002X"}, []),
        Entity("b", EntityKind.PERSON, {"id_number": "11010519491231002x"}, []),
        Entity("c", EntityKind.PERSON, {"id_number": "330102199001011234"}, []),
    ]
    v = Validator({EntityKind.PERSON: template}, today=TODAY, id_index=MemoryIdIndex(people))
    results = v.validate_many(people)
    f = find(results[0].findings, "id_number:duplicate")
    assert (f.field, f.kind, f.severity.value) == ("id_number", "duplicate_id", "error")
    assert "b" not in f.message_zh  # no other record's identity leaks into the message
    two = Validator({EntityKind.PERSON: template}, today=TODAY,
                    id_index=MemoryIdIndex([*people, Entity("d", EntityKind.PERSON, {"id_number": "11010519491231002X"}, [])]))
    assert find(two.validate_many(people)[0].findings, "id_number:duplicate").message_en == f.message_en  # nor how many
    assert not results[1].ok
    assert results[2].ok


def test_unknown_kind_is_reported_not_raised(validator: Validator) -> None:
    result = validator.validate(Entity("h1", EntityKind.HOUSE, {}, []))
    assert not result.ok
    assert result.findings[0].rule == "template:missing"


HOUSEHOLD_SURVEY = [
    ["type", "name", "label::zh", "label::en"],
    ["text", "household_no", "户号", "Household number"],
]
HOUSEHOLD_RULES = [
    ["rule", "scope", "expression", "severity", "message::zh", "message::en"],
    [
        "one_head",
        "household",
        "count-members() = 0 or count-members(${relation_to_head} = '02') = 1",
        "error",
        "每户必须有且只有一名户主",
        "A household must have exactly one head",
    ],
]
PERSON_RULES = [
    ["rule", "scope", "expression", "severity", "message::zh", "message::en"],
    [
        "head_unique",
        "household",
        "${relation_to_head} != '02' or count-members(${relation_to_head} = '02') <= 1",
        "error",
        "同一户中只能有一名户主",
        "A household can have only one head",
    ],
]
MEMBER_SURVEY = [
    ["type", "name", "label::zh", "label::en"],
    ["text", "name", "姓名", "Name"],
    ["select_one rel", "relation_to_head", "与户主关系", "Relation to head"],
]


@pytest.fixture(scope="module")
def household_validator(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    base = tmp_path_factory.mktemp("hh")
    household = load_template(
        write_workbook(
            base / "household.xlsx",
            {"survey": HOUSEHOLD_SURVEY, "settings": settings("hh", "household"), "rules": HOUSEHOLD_RULES},
        )
    )
    person = load_template(
        write_workbook(
            base / "person.xlsx",
            {
                "survey": MEMBER_SURVEY,
                "choices": CHOICES,
                "settings": settings("pp", "person"),
                "rules": PERSON_RULES,
            },
        )
    )
    return Validator({EntityKind.PERSON: person, EntityKind.HOUSEHOLD: household}, today=TODAY)


def _family(relations: list[str]) -> tuple[Entity, list[Entity]]:
    hh = Entity("f1", EntityKind.HOUSEHOLD, {"household_no": "001"}, [])
    people = [
        Entity(f"p{i}", EntityKind.PERSON, {"name": f"人{i}", "relation_to_head": r}, [], household_id="f1")
        for i, r in enumerate(relations)
    ]
    return hh, people


def test_household_with_two_heads_is_an_error(household_validator: Validator) -> None:
    hh, people = _family(["02", "02", "10"])
    result = household_validator.validate(hh, MemoryGraph([hh, *people]))
    f = find(result.findings, "one_head")
    assert (f.entity, f.entity_id, f.kind, f.severity.value) == (EntityKind.HOUSEHOLD, "f1", "rule", "error")
    assert f.message_zh == "每户必须有且只有一名户主"
    assert not result.ok


def test_person_rule_looks_across_its_household(household_validator: Validator) -> None:
    # A person-template rule of scope household runs on each person, over its household's members.
    hh, people = _family(["02", "02", "10"])
    results = household_validator.validate_many([hh, *people], MemoryGraph([hh, *people]))
    flagged = [
        (e.id, f.field)
        for e, r in zip([hh, *people], results, strict=True)
        for f in r.findings
        if f.rule == "head_unique"
    ]
    assert flagged == [("p0", "relation_to_head"), ("p1", "relation_to_head")]


def test_household_with_one_head_is_ok(household_validator: Validator) -> None:
    hh, people = _family(["02", "10"])
    results = household_validator.validate_many([hh, *people], MemoryGraph([hh, *people]))
    assert all(r.ok for r in results)


def test_moved_out_persons_do_not_count(household_validator: Validator) -> None:
    hh, people = _family(["02", "02"])
    people[1].state = "moved_out"
    assert household_validator.validate(hh, MemoryGraph([hh, *people])).ok


def test_without_a_graph_aggregates_see_nobody(household_validator: Validator) -> None:
    hh, _ = _family([])
    assert household_validator.validate(hh).ok


def test_choice_filter_limits_the_allowed_choices(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "cf.xlsx",
        {
            "survey": [
                ["type", "name", "label::zh", "label::en", "choice_filter"],
                ["select_one city", "city", "城市", "City", ""],
                ["select_one district", "district", "区县", "District", "city = ${city}"],
                ["begin_repeat", "moves", "迁移", "Moves", ""],
                ["select_one city", "to_city", "迁入城市", "To city", ""],
                ["select_one district", "to_district", "迁入区县", "To district", "city = ${to_city}"],
                ["end_repeat", "moves", "", "", ""],
            ],
            "choices": [
                ["list_name", "name", "label::zh", "city"],
                ["city", "hz", "杭州", ""],
                ["city", "nb", "宁波", ""],
                ["district", "sc", "上城区", "hz"],
                ["district", "hs", "海曙区", "nb"],
            ],
            "settings": settings("cf", "person"),
        },
    )
    v = Validator({EntityKind.PERSON: load_template(path)}, today=TODAY)
    assert run(v, {"city": "hz", "district": "sc"}).ok
    result = run(v, {"city": "hz", "district": "hs"})
    f = find(result.findings, "district:choice_filter")
    assert (f.field, f.kind, f.severity.value) == ("district", "choice", "error")
    assert "hs" in f.message_zh
    result = run(
        v, {"moves": [{"to_city": "nb", "to_district": "hs"}, {"to_city": "nb", "to_district": "sc"}]}
    )
    assert [(f.rule, f.field) for f in result.findings] == [
        ("to_district:choice_filter", "moves[1].to_district")
    ]


def test_irrelevant_repeat_rows_are_stale_and_calculations_blank(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "r.xlsx",
        {
            "survey": [
                ["type", "name", "label::zh", "label::en", "relevant", "calculation", "required"],
                ["integer", "n", "数量", "Count", "", "", ""],
                ["begin_group", "extra", "附加", "Extra", "${n} > 0", "", ""],
                ["calculate", "double", "两倍", "Double", "", "${n} * 2", ""],
                ["begin_repeat", "items", "条目", "Items", "", "", ""],
                ["text", "item", "条目名", "Item", "", "", "yes"],
                ["end_repeat", "items", "", "", "", "", ""],
                ["end_group", "extra", "", "", "", "", ""],
            ],
            "settings": settings("r", "person"),
        },
    )
    v = Validator({EntityKind.PERSON: load_template(path)}, today=TODAY)
    result = run(v, {"n": 0, "items": [{"item": "甲"}, {"item": ""}, {"item": "丙"}]})
    assert [(f.rule, f.field, f.kind) for f in result.findings] == [
        ("item:stale", "items[0].item", "stale"),
        ("item:stale", "items[2].item", "stale"),
    ]
    assert result.ok and result.values["double"] == ""
    result = run(v, {"n": 2, "items": [{"item": "甲"}, {"item": ""}]})
    assert [(f.rule, f.field) for f in result.findings] == [("item:required", "items[1].item")]
    assert result.values["double"] == "4"
