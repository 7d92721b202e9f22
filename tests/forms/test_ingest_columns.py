"""Columns of an office's file find their fields (forms.ingest.columns): by name, label, synonym or a
saved mapping; what matches nothing is listed, required fields without a column are named, and the
header row is found under title rows."""

from __future__ import annotations

from functools import cache

from forms.ingest.columns import clean_header, find_header_row, match_columns, missing_required_issue
from forms.model import Template
from forms.xlsform import load_template
from resources import ROOT


@cache
def template(kind: str) -> Template:
    return load_template(str(ROOT / "templates" / f"{kind}.xlsx"))


def test_headers_are_compared_as_offices_write_them() -> None:
    assert clean_header("*姓名") == clean_header("姓名(必填)") == clean_header(" 姓 名 ") == "姓名"
    assert clean_header("公民身份\n号码") == "公民身份号码"
    assert clean_header("ＩＤ　Number") == "idnumber"


def test_a_ledger_header_maps_by_label_synonym_and_name() -> None:
    headers = ["序号", "姓名", "公民身份号码", "性别", "出生日期（yyyy-mm-dd）", "民族", "手机号", "现住址",
               "文化程度", "ethnicity", "备注"]
    mapping = match_columns(headers, template("person"))
    got = {m.header: (m.field, m.how) for m in mapping.columns}
    assert got["姓名"] == ("name", "label")
    assert got["公民身份号码"] == ("id_number", "synonym")
    assert got["出生日期（yyyy-mm-dd）"] == ("birth_date", "label")
    assert got["手机号"] == ("phone", "synonym")
    assert got["现住址"] == ("@address", "synonym")
    assert got["文化程度"] == ("education", "synonym")
    # the second column for ethnicity is not used: listed with the unmapped, and the report says why
    assert [m.header for m in mapping.unmapped] == ["序号", "ethnicity", "备注"]
    assert got["ethnicity"] == (None, "")
    assert [(c, i.code) for c, i in mapping.issues] == [(9, "column_duplicate")]


def test_a_saved_mapping_wins_and_can_ignore_a_column() -> None:
    mapping = match_columns(["姓名", "联系电话", "序号"], template("person"),
                            saved={"联系电话": "phone", "序号": "", "姓名": "former_name"})
    assert mapping.mapped == {"former_name": 0, "phone": 1}
    assert mapping.unmapped == ()
    assert mapping.columns[2].how == "ignored"


def test_required_fields_without_a_column_are_named_before_any_row_is_read() -> None:
    mapping = match_columns(["姓名", "身份证号"], template("person"))
    assert "sex" in mapping.missing_required and "name" not in mapping.missing_required
    issue = missing_required_issue(mapping, template("person"))
    assert issue is not None and issue.code == "required_column_missing" and "性别" in issue.message_zh


def test_the_header_is_found_under_a_title_and_a_merged_group_row() -> None:
    rows = [
        ["清波街道实有人口台账（2026年11月）", None, None, None, None],
        ["填报单位：清波门社区", None, None, "填报日期：2026-11-30", None],
        ["基本信息", None, None, "联系方式", None],
        ["序号", "姓名", "身份证号码", "联系电话", "现住址"],
        [1, "王芳", "11010519491231002X", "13800138000", "清波门社区1幢1单元101室"],
    ]
    assert find_header_row(rows, template("person")) == 3
    assert find_header_row([["标题"], ["姓名"]], template("person")) is None


def test_house_and_household_files_map_too() -> None:
    house = match_columns(["房屋编号", "小区名称", "幢", "单元", "室号", "房主", "承租人身份证号"], template("house"))
    assert house.mapped == {"house_no": 0, "estate": 1, "building": 2, "unit": 3, "room": 4, "owner_name": 5,
                            "tenant_id_number": 6}
    household = match_columns(["户号", "户主", "户主公民身份号码"], template("household"))
    assert household.mapped == {"household_no": 0, "head_name": 1, "head_id_number": 2}
