"""forms.versions: the diff between two template versions and migrating a record's values by name."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from forms.graph import Entity
from forms.model import Template
from forms.validate import Validator
from forms.versions import diff, migrate
from forms.xlsform import load_template
from tests.template_versions import NewField, edited, shipped_bytes


@cache
def shipped(kind: str) -> Template:
    return load_template(shipped_bytes(kind), filename=f"{kind}.xlsx")


def version2(kind: str, **edits: object) -> Template:
    return load_template(edited(kind, "2026.2", **edits), filename=f"{kind}-2.xlsx")  # type: ignore[arg-type]


def test_an_unchanged_copy_has_no_changes() -> None:
    d = diff(shipped("person"), version2("person"))
    assert d.empty and d.summary() == "两个版本没有差异"
    assert (d.old_version, d.new_version) == ("2026.1", "2026.2")


def test_field_removed_is_reported_and_its_value_kept_beside_the_record() -> None:
    new = version2("person", remove=["former_name"])
    d = diff(shipped("person"), new)
    [c] = d.changes
    assert c.kind == "field_removed" and c.name == "former_name" and "曾用名" in c.zh
    m = migrate({"name": "王芳", "former_name": "王小芳"}, shipped("person"), new)
    assert m.values == {"name": "王芳"}
    [left] = m.leftovers
    assert (left.path, left.label, left.value, left.reason) == ("former_name", "曾用名", "王小芳", "field_removed")
    assert left.version == "2026.1"


def test_renamed_field_same_label_is_said_so_and_its_value_carries_to_the_new_name() -> None:
    new = version2("person", rename={"occupation": "job"})
    d = diff(shipped("person"), new)
    [c] = d.changes
    assert c.kind == "field_renamed" and (c.old, c.new) == ("occupation", "job")
    assert "改名" in c.zh and "occupation → job" in c.zh
    assert d.renames == {"occupation": "job"}
    m = migrate({"occupation": "教师"}, shipped("person"), new)
    assert m.values == {"job": "教师"} and not m.leftovers


def test_a_rename_that_also_changes_the_type_is_reported_but_not_carried() -> None:
    new = version2("person", rename={"occupation": "job"}, retype={"job": "integer"})
    d = diff(shipped("person"), new)
    assert d.renames == {}
    assert [c.kind for c in d.changes] == ["field_renamed"] and "不迁移" in d.changes[0].zh
    m = migrate({"occupation": "教师"}, shipped("person"), new)
    assert m.values == {} and [x.path for x in m.leftovers] == ["occupation"]


def test_choice_code_removed_leaves_the_value_beside_the_record_with_its_label() -> None:
    new = version2("person", remove_choices={"marital_status": ["40"]})
    d = diff(shipped("person"), new)
    [c] = d.changes
    assert c.kind == "choices_changed" and c.old == "40" and "离婚" in c.zh
    kept = migrate({"marital_status": "20"}, shipped("person"), new)
    assert kept.values == {"marital_status": "20"} and not kept.leftovers
    m = migrate({"marital_status": "40"}, shipped("person"), new)
    assert m.values == {}
    [left] = m.leftovers
    assert (left.reason, left.value, left.shown) == ("choice_removed", "40", "40 离婚")


def test_new_required_field_is_reported_and_the_migrated_record_asks_for_it() -> None:
    add: list[NewField] = [("text", "wechat", "微信号", "yes", "phone")]
    new = version2("person", add=add)
    d = diff(shipped("person"), new)
    [c] = d.changes
    assert c.kind == "field_added" and "必填" in c.zh
    m = migrate({"name": "王芳"}, shipped("person"), new)
    assert m.values == {"name": "王芳"} and not m.leftovers
    result = Validator({new.entity: new}).validate(Entity("p1", new.entity, m.values))
    assert any(f.field == "wechat" and f.kind == "required" for f in result.findings)


def test_repeat_rows_carry_by_field_name_and_a_removed_repeat_field_is_kept() -> None:
    new = version2("house", remove=["tenant_phone"])
    d = diff(shipped("house"), new)
    [c] = d.of_kind("field_removed")
    assert c.name == "tenant_phone" and "重复组 tenants" in c.zh
    assert {x.name for x in d.of_kind("tag_changed")} == {"出租", "部分出租"}  # their required fields
    rows = [{"tenant_name": "李四", "tenant_id_number": "11010519491231002X", "tenant_phone": "13800000000"},
            {"tenant_name": "张三", "tenant_phone": ""}]
    m = migrate({"tenants": rows, "occupancy": "2"}, shipped("house"), new)
    assert m.values == {"occupancy": "2", "tenants": [
        {"tenant_name": "李四", "tenant_id_number": "11010519491231002X"}, {"tenant_name": "张三"}]}
    [left] = m.leftovers
    assert (left.path, left.value, left.label) == ("tenants[0].tenant_phone", "13800000000", "承租人电话")


def test_a_removed_repeat_keeps_every_rows_values() -> None:
    new = version2("house", remove=["tenants"])
    d = diff(shipped("house"), new)
    assert any(c.kind == "repeat_changed" and c.name == "tenants" and c.new is None for c in d.changes)
    m = migrate({"tenants": [{"tenant_name": "李四"}, {"tenant_name": "张三"}]}, shipped("house"), new)
    assert "tenants" not in m.values
    assert [(x.path, x.value, x.reason) for x in m.leftovers] == [
        ("tenants[0].tenant_name", "李四", "repeat_removed"), ("tenants[1].tenant_name", "张三", "repeat_removed")]


@pytest.mark.parametrize("stored", ["01 03 05", ["01", "03", "05"]])
def test_select_multiple_keeps_the_codes_that_still_exist(stored: object) -> None:
    codes = [c.name for c in shipped("house").choices["hazard"]]
    assert {"01", "03", "05"} <= set(codes)
    new = version2("house", remove_choices={"hazard": ["03"]})
    m = migrate({"hazards": stored}, shipped("house"), new)
    assert m.values == {"hazards": "01 05" if isinstance(stored, str) else ["01", "05"]}
    [left] = m.leftovers
    assert left.reason == "choice_removed" and left.value == ("03" if isinstance(stored, str) else ["03"])


def test_relevance_constraint_calculation_required_and_label_changes_are_sentences() -> None:
    def edit(wb: Any) -> None:
        survey = wb["survey"]
        cols = {c.value: i + 1 for i, c in enumerate(survey[1])}
        for r in range(2, survey.max_row + 1):
            name = survey.cell(row=r, column=cols["name"]).value
            if name == "name":
                survey.cell(row=r, column=cols["constraint"], value="string-length(.) <= 40")
            elif name == "former_name":
                survey.cell(row=r, column=cols["required"], value="yes")
            elif name == "marital_status":
                survey.cell(row=r, column=cols["relevant"]).value = None
            elif name == "age":
                survey.cell(row=r, column=cols["calculation"], value="age(${birth_date})")

    d = diff(shipped("person"), version2("person", relabel={"employer": "工作单位"}, sheets=edit))
    by_kind = {c.kind: c for c in d.changes}
    assert set(by_kind) == {"label_changed", "constraint_changed", "required_changed", "relevant_changed",
                            "calculation_changed"}
    assert "工作单位/学校" in by_kind["label_changed"].zh
    assert by_kind["constraint_changed"].new == "string-length(.) <= 40" and "约束由" in by_kind["constraint_changed"].zh
    assert by_kind["required_changed"].name == "former_name" and "新增必填条件" in by_kind["required_changed"].zh
    assert by_kind["relevant_changed"].new is None and "取消显示条件" in by_kind["relevant_changed"].zh
    assert by_kind["calculation_changed"].name == "age"


def test_the_json_form_names_every_change() -> None:
    new = version2("person", remove=["former_name"], rename={"occupation": "job"})
    payload = diff(shipped("person"), new).to_json()
    assert payload["counts"] == {"field_removed": 1, "field_renamed": 1}
    assert payload["renames"] == {"occupation": "job"}
    assert {c["kind"] for c in payload["changes"]} == {"field_removed", "field_renamed"}
    assert all(c["zh"] and c["en"] for c in payload["changes"])


def test_a_record_holding_both_names_keeps_the_new_names_value_and_the_old_one_beside_it() -> None:
    new = version2("person", rename={"occupation": "job"})
    m = migrate({"job": "教师", "occupation": "医生"}, shipped("person"), new)
    assert m.values == {"job": "教师"}
    assert [(x.path, x.value) for x in m.leftovers] == [("occupation", "医生")]
    cleared = migrate({"occupation": None, "job": "教师"}, shipped("person"), new)
    assert cleared.values == {"job": "教师"} and not cleared.leftovers
    emptied_first = migrate({"occupation": "教师", "job": ""}, shipped("person"), new)
    assert emptied_first.values == {"job": "教师"}


def test_tags_and_rules_added_removed_and_changed_are_sentences() -> None:
    def edit(wb: Any) -> None:
        tags, rules = wb["tags"], wb["rules"]
        head = [c.value for c in tags[1]]
        for r in range(2, tags.max_row + 1):
            if tags.cell(row=r, column=1).value == "婴幼儿":
                tags.cell(row=r, column=head.index("condition") + 1, value="${age} != '' and ${age} < 4")
        tags.append(["新居民", "新居民", "Newcomer", "person", "manual"])
        for r in range(rules.max_row, 1, -1):
            if rules.cell(row=r, column=1).value == "id_sex":
                rules.delete_rows(r)
        rhead = [c.value for c in rules[1]]
        for r in range(2, rules.max_row + 1):
            if rules.cell(row=r, column=1).value == "relation_legacy_03":
                rules.cell(row=r, column=rhead.index("severity") + 1, value="error")

    d = diff(shipped("person"), version2("person", sheets=edit))
    kinds = {(c.kind, c.name) for c in d.changes}
    assert kinds == {("tag_changed", "婴幼儿"), ("tag_added", "新居民"), ("rule_removed", "id_sex"),
                     ("rule_changed", "relation_legacy_03")}
    [changed] = d.of_kind("tag_changed")
    assert "条件" in changed.zh and "< 4" in changed.zh and "condition" in changed.en
    [severity] = d.of_kind("rule_changed")
    assert "级别由 warning 改为 error" in severity.zh


def test_a_code_that_was_never_in_the_list_stays_for_the_validator() -> None:
    new = version2("person", remove_choices={"marital_status": ["40"]})
    m = migrate({"marital_status": "77"}, shipped("person"), new)
    assert m.values == {"marital_status": "77"} and not m.leftovers
