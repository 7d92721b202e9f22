"""Every fault class of a template is reported with its sheet, row, column and (for expressions) position."""

from __future__ import annotations

from typing import Any

import pytest

from forms.errors import Problem, TemplateError
from forms.xlsform import load_template
from tests.forms.xlsform_builder import minimal_sheets, workbook

Where = tuple[str | None, int | None, str | None, int | None, str]


def problems_of(sheets: dict[str, Any], **kwargs: Any) -> list[Problem]:
    with pytest.raises(TemplateError) as exc:
        load_template(workbook(sheets), **kwargs)
    problems = exc.value.problems
    assert problems, "a TemplateError must carry its problems"
    assert all(p.severity == "error" for p in problems)
    return problems


def where(p: Problem) -> Where:
    return (p.sheet, p.row, p.column, p.position, p.code)


def only(sheets: dict[str, Any], **kwargs: Any) -> Where:
    problems = problems_of(sheets, **kwargs)
    assert len(problems) == 1, [str(p) for p in problems]
    return where(problems[0])


def simple_survey(*rows: list[Any]) -> dict[str, Any]:
    return {"survey": [["type", "name", "label", "relevant", "calculation"], *rows]}


# -- expressions ------------------------------------------------------------------------------


def test_unknown_field_reference() -> None:
    s = simple_survey(["integer", "age", "Age", None, None], ["text", "q", "Q", "${age} > 1 and ${agee} = 2", None])
    assert only(s) == ("survey", 3, "relevant", 15, "unknown_field")


def test_syntax_error() -> None:
    s = simple_survey(["integer", "age", "Age", None, None], ["text", "q", "Q", "${age} >", None])
    assert only(s) == ("survey", 3, "relevant", 8, "syntax")


def test_unknown_function() -> None:
    s = simple_survey(["integer", "age", "Age", None, None], ["calculate", "c", None, None, "${age} + frob(1)"])
    assert only(s) == ("survey", 3, "calculation", 9, "unknown_function")


def test_wrong_argument_count() -> None:
    s = simple_survey(["text", "a", "A", None, None], ["calculate", "c", None, None, "concat('x', substr(${a}))"])
    assert only(s) == ("survey", 3, "calculation", 12, "arity")


def test_expression_errors_in_tags_and_rules_name_their_sheet() -> None:
    sheets = minimal_sheets()
    sheets["tags"][1][4] = "${age} >= "
    sheets["rules"][1][2] = "${phonee} != ''"
    got = sorted(where(p) for p in problems_of(sheets))
    assert got == [("rules", 2, "expression", 0, "unknown_field"), ("tags", 2, "condition", 9, "syntax")]


# -- names ------------------------------------------------------------------------------------


def test_duplicate_field_name_points_at_the_second_row() -> None:
    s = simple_survey(["text", "a", "A", None, None], ["integer", "a", "A again", None, None])
    problems = problems_of(s)
    assert [where(p) for p in problems] == [("survey", 3, "name", None, "duplicate_name")]
    assert "row 2" in problems[0].message


def test_duplicate_group_and_field_name() -> None:
    s = simple_survey(["begin group", "g", "G", None, None], ["text", "g", "G", None, None], ["end group", None, None, None, None])
    assert only(s) == ("survey", 3, "name", None, "duplicate_name")


def test_missing_name_and_invalid_name() -> None:
    s = simple_survey(["text", None, "no name", None, None], ["text", "1abc", "bad", None, None], ["text", "has space", "bad", None, None])
    got = [where(p) for p in problems_of(s)]
    assert got == [
        ("survey", 2, "name", None, "missing_name"),
        ("survey", 3, "name", None, "invalid_name"),
        ("survey", 4, "name", None, "invalid_name"),
    ]


def test_missing_type() -> None:
    s = simple_survey(["text", "a", "A", None, None], [None, "b", "B", None, None])
    assert only(s) == ("survey", 3, "type", None, "missing_type")


def test_duplicate_choice_within_a_list_but_not_across_lists() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["select_one a", "qa", "A"], ["select_one b", "qb", "B"]],
        "choices": [["list_name", "name", "label"], ["a", "1", "x"], ["b", "1", "y"], ["a", "1", "z"]],
    }
    assert only(sheets) == ("choices", 4, "name", None, "duplicate_choice")


def test_choice_duplicates_allowed_by_setting() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["select_one a", "qa", "A"]],
        "choices": [["list_name", "name", "label"], ["a", "1", "x"], ["a", "1", "z"]],
        "settings": [["form_id", "allow_choice_duplicates"], ["f", "yes"]],
    }
    assert len(load_template(workbook(sheets)).choices["a"]) == 2


def test_choice_without_name() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["select_one a", "qa", "A"]],
        "choices": [["list_name", "name", "label"], ["a", "1", "x"], ["a", None, "nameless"]],
    }
    assert only(sheets) == ("choices", 3, "name", None, "missing_name")


def test_missing_choice_list() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["select_multiple colours", "q", "Q"]],
        "choices": [["list_name", "name", "label"], ["colors", "red", "Red"]],
    }
    assert only(sheets) == ("survey", 2, "type", None, "missing_choice_list")


def test_duplicate_tag_and_rule_ids() -> None:
    sheets = minimal_sheets()
    sheets["tags"].append(["老年人", "again", "person", "manual", None, None, None, None, None])
    sheets["rules"].append(["adult_phone", "record", "1 = 1", "error", "x", "x"])
    got = sorted(where(p) for p in problems_of(sheets))
    assert got == [("rules", 3, "rule", None, "duplicate_name"), ("tags", 5, "tag", None, "duplicate_name")]


# -- tags -------------------------------------------------------------------------------------


def test_unknown_tags_in_requires_excludes_and_has_tag() -> None:
    sheets = minimal_sheets()
    sheets["tags"].append(["x", "x", "person", "manual", "has-tag('nope')", "ghost", "phantom", None, None])
    got = sorted(where(p) for p in problems_of(sheets))
    assert got == [
        ("tags", 5, "condition", 8, "unknown_tag"),
        ("tags", 5, "excludes", None, "unknown_tag"),
        ("tags", 5, "requires", None, "unknown_tag"),
    ]


def test_unknown_field_in_required_fields() -> None:
    sheets = minimal_sheets()
    sheets["tags"][3][7] = "phone fone"
    assert only(sheets) == ("tags", 4, "required_fields", None, "unknown_field")


def test_auto_tag_needs_condition_and_values_are_checked() -> None:
    sheets = minimal_sheets()
    sheets["tags"].append(["a1", "a1", "person", "auto", None, None, None, None, None])
    sheets["tags"].append(["a2", "a2", "village", "manual", None, None, None, None, None])
    sheets["tags"].append(["a3", "a3", "person", "sometimes", None, None, None, None, None])
    sheets["tags"].append(["a4", "a4", "person", "manual", None, None, None, None, "janitor"])
    got = sorted(where(p) for p in problems_of(sheets))
    assert got == [
        ("tags", 5, "condition", None, "missing_condition"),
        ("tags", 6, "scope", None, "invalid_value"),
        ("tags", 7, "kind", None, "invalid_value"),
        ("tags", 8, "sensitive", None, "invalid_value"),
    ]


def _with_visit_every(*values: Any) -> dict[str, Any]:
    sheets = minimal_sheets()
    sheets["tags"][0].append("visit_every")
    for row, value in zip(sheets["tags"][1:], values, strict=True):
        row.append(value)
    return sheets


def test_visit_every_is_read_as_days() -> None:
    template = load_template(workbook(_with_visit_every(None, 30, "7")))
    assert {t.id: t.visit_every for t in template.tags.values()} == {"老年人": None, "高龄老人": 30, "低保": 7}


@pytest.mark.parametrize("bad", [0, -3, 2.5, "weekly", "7 days", 99999])
def test_visit_every_must_be_a_positive_whole_number_of_days(bad: Any) -> None:
    assert only(_with_visit_every(None, bad, None)) == ("tags", 3, "visit_every", None, "invalid_value")


def test_cycle_among_requires_reports_the_path() -> None:
    sheets = minimal_sheets()
    sheets["tags"].append(["p", "p", "person", "manual", None, "q", None, None, None])
    sheets["tags"].append(["q", "q", "person", "manual", None, "p", None, None, None])
    problems = problems_of(sheets)
    assert [where(p) for p in problems] == [("tags", 5, "requires", None, "cycle")]
    assert "p → q → p" in problems[0].message


def test_cycle_among_auto_tags_through_has_tag() -> None:
    sheets = minimal_sheets()
    sheets["tags"].append(["p", "p", "person", "auto", "has-tag('q')", None, None, None, None])
    sheets["tags"].append(["q", "q", "person", "auto", "${age} > 1 and has-tag('p')", None, None, None, None])
    problems = problems_of(sheets)
    assert [where(p) for p in problems] == [("tags", 5, "condition", None, "cycle")]
    assert "p → q → p" in problems[0].message


def test_rule_values_are_checked() -> None:
    sheets = minimal_sheets()
    sheets["rules"].append(["r2", "street", "1 = 1", "fatal", "x", "x"])
    sheets["rules"].append(["r3", "record", None, "error", "x", "x"])
    got = sorted(where(p) for p in problems_of(sheets))
    assert got == [
        ("rules", 3, "scope", None, "invalid_value"),
        ("rules", 3, "severity", None, "invalid_value"),
        ("rules", 4, "expression", None, "missing_value"),
    ]


def _rules_with_field(*rows: list[Any]) -> dict[str, Any]:
    sheets = minimal_sheets()
    sheets["rules"] = [["rule", "scope", "expression", "severity", "message::zh", "message::en", "field"], *rows]
    return sheets


def test_rule_field_must_name_a_field_of_the_template() -> None:
    sheets = _rules_with_field(
        ["ok_field", "record", "${age} < 18 or ${phone} != ''", "warning", "x", "x", "phone"],
        ["ok_repeat", "record", "count(${children}) < 9", "warning", "x", "x", "children"],
        ["ok_empty", "record", "${age} < 18 or ${phone} != ''", "warning", "x", "x", None],
        ["unknown", "record", "1 = 1", "error", "x", "x", "phonee"],
        ["in_repeat", "record", "1 = 1", "error", "x", "x", "child_name"],
        ["a_group", "record", "1 = 1", "error", "x", "x", "contact"],
    )
    got = [where(p) for p in problems_of(sheets)]
    assert got == [
        ("rules", 5, "field", None, "unknown_field"),
        ("rules", 6, "field", None, "invalid_value"),
        ("rules", 7, "field", None, "invalid_value"),
    ]
    messages = [p.message for p in problems_of(sheets)]
    assert "phonee" in messages[0] and "children" in messages[1] and "group" in messages[2]


def test_rule_field_is_carried_into_the_rule() -> None:
    sheets = _rules_with_field(
        ["named", "record", "${age} < 18 or ${phone} != ''", "warning", "x", "x", "phone"],
        ["table", "record", "count(${children}) < 9", "warning", "x", "x", "children"],
        ["unnamed", "record", "${age} < 18 or ${phone} != ''", "warning", "x", "x", ""],
    )
    t = load_template(workbook(sheets))
    assert [(r.id, r.field) for r in t.rules] == [("named", "phone"), ("table", "children"), ("unnamed", "")]


# -- calculations and structure ---------------------------------------------------------------


def test_calculation_cycle_reports_the_path() -> None:
    s = simple_survey(
        ["calculate", "a", None, None, "${c} + 1"],
        ["calculate", "b", None, None, "${a} + 1"],
        ["calculate", "c", None, None, "${b} + 1"],
        ["calculate", "d", None, None, "${d}"],
    )
    problems = problems_of(s)
    assert [where(p) for p in problems] == [
        ("survey", 2, "calculation", None, "cycle"),
        ("survey", 5, "calculation", None, "cycle"),
    ]
    assert "a → c → b → a" in problems[0].message
    assert "d → d" in problems[1].message


def test_calculate_without_calculation() -> None:
    s = simple_survey(["calculate", "c", None, None, None])
    assert only(s) == ("survey", 2, "calculation", None, "missing_calculation")


def test_unmatched_begin_and_end() -> None:
    s = simple_survey(
        ["begin group", "g", "G", None, None],
        ["text", "a", "A", None, None],
        ["end repeat", None, None, None, None],
        ["begin repeat", "r", "R", None, None],
    )
    got = [where(p) for p in problems_of(s)]
    assert got == [
        ("survey", 2, "type", None, "unmatched_begin"),
        ("survey", 4, "type", None, "unmatched_end"),
        ("survey", 5, "type", None, "unmatched_begin"),
    ]


def test_end_without_begin() -> None:
    s = simple_survey(["text", "a", "A", None, None], ["end group", None, None, None, None])
    assert only(s) == ("survey", 3, "type", None, "unmatched_end")


def test_unsupported_types_one_message_per_type_and_row() -> None:
    s = simple_survey(
        ["photo", "p1", "P", None, None],
        ["text", "ok", "ok", None, None],
        ["geopoint", "g", "G", None, None],
        ["photo", "p2", "P", None, None],
        ["select_one_from_file towns.csv", "town", "Town", None, None],
        ["range", "rg", "R", None, None],
    )
    problems = problems_of(s)
    assert [(p.row, p.code) for p in problems] == [(r, "unsupported_type") for r in (2, 4, 5, 6, 7)]
    assert all(p.column == "type" for p in problems)
    assert "'photo'" in problems[0].message and "'select_one_from_file'" in problems[3].message


def test_unknown_type() -> None:
    assert only(simple_survey(["txet", "a", "A", None, None])) == ("survey", 2, "type", None, "unknown_type")


# -- sheets, columns and settings -------------------------------------------------------------


def test_missing_survey_sheet() -> None:
    problems = problems_of({"choices": [["list_name", "name"], ["a", "b"]], "settings": [["form_id"], ["x"]]})
    assert [(p.sheet, p.code) for p in problems] == [("survey", "missing_sheet")]
    assert "choices" in problems[0].message


def test_duplicate_and_aliased_columns() -> None:
    sheets = {"survey": [["type", "name", "label", "label", "relevant", "relevance"], ["text", "a", "A", "B", None, None]]}
    got = [where(p) for p in problems_of(sheets)]
    assert got == [("survey", 1, "label", None, "duplicate_column"), ("survey", 1, "relevance", None, "duplicate_column")]


def test_invalid_settings() -> None:
    sheets = minimal_sheets()
    sheets["settings"][1] = ["person", "t", "1", "citizen", "maybe", "2026-13-01", "zh"]
    got = [where(p) for p in problems_of(sheets)]
    assert got == [
        ("settings", 2, "entity", None, "invalid_setting"),
        ("settings", 2, "approval_required", None, "invalid_setting"),
        ("settings", 2, "age_as_of", None, "invalid_setting"),
    ]


def test_read_only_must_be_yes_or_no() -> None:
    sheets = {"survey": [["type", "name", "label", "read_only"], ["text", "a", "A", "sometimes"]]}
    assert only(sheets) == ("survey", 2, "read_only", None, "invalid")


def test_not_a_workbook_and_missing_file(tmp_path: Any) -> None:
    for source, code in ((b"hello, not a spreadsheet", "not_a_workbook"), (tmp_path / "missing.xlsx", "file_not_found"), (b"", "not_a_workbook")):
        with pytest.raises(TemplateError) as exc:
            load_template(source)
        assert [p.code for p in exc.value.problems] == [code]


def test_a_template_with_several_faults_reports_each_with_its_row() -> None:
    sheets = minimal_sheets()
    survey = sheets["survey"]
    survey[2][6] = None  # row 3: birth_date fine
    survey[3][6] = "age(${birthdate})"  # row 4: unknown field in calculation
    survey[6][5] = "cn-mobile-valid(.) and"  # row 7: syntax
    survey.append(["select_one nope", "q9", "Q", "Q", None, None, None, None])  # row 13: missing list
    survey.append(["text", "name", "dup", "dup", None, None, None, None])  # row 14: duplicate
    survey.append(["audio", "voice", "v", "v", None, None, None, None])  # row 15: unsupported
    sheets["tags"][2][5] = "老年人 unknown_tag"  # tags row 3: unknown tag in requires
    sheets["settings"][1][3] = "dog"  # settings row 2: bad entity
    got = sorted((where(p) for p in problems_of(sheets)), key=lambda w: (w[0] or "", w[1] or 0))
    assert got == [
        ("settings", 2, "entity", None, "invalid_setting"),
        ("survey", 4, "calculation", 4, "unknown_field"),
        ("survey", 7, "constraint", 22, "syntax"),
        ("survey", 13, "type", None, "missing_choice_list"),
        ("survey", 14, "name", None, "duplicate_name"),
        ("survey", 15, "type", None, "unsupported_type"),
        ("tags", 3, "requires", None, "unknown_tag"),
    ]


def test_choices_sheet_without_list_name_column() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["text", "q", "Q"]],
        "choices": [["list", "name", "label"], ["a", "1", "x"]],
    }
    assert only(sheets) == ("choices", 1, "list_name", None, "missing_column")


def test_choice_filter_error_positions_refer_to_the_cell_text() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "choice_filter"],
            ["select_one states", "state", "State", None],
            ["select_one cities", "city", "City", "st = ${statee} and name != ''"],
        ],
        "choices": [["list_name", "name", "label", "st"], ["states", "zj", "浙江", None], ["cities", "hz", "杭州", "zj"]],
    }
    assert only(sheets) == ("survey", 3, "choice_filter", 5, "unknown_field")


def test_problems_name_sheets_and_columns_as_written() -> None:
    sheets = {
        "Survey": [["TYPE", "Name", "Calculate", "Label"], ["calculate", "a", "${b}"], ["calculate", "b", "${a}"],
                   ["select_multiple L", "m", None, "M"]],
        "CHOICES": [["List Name", "Name"], ["L", "x y"]],
    }
    got = [where(p) for p in problems_of(sheets)]
    assert got == [("Survey", 2, "Calculate", None, "cycle"), ("CHOICES", 2, "Name", None, "invalid_name")]


@pytest.mark.parametrize("row,ok", [
    (["text", "a", None, None, None], False),           # nothing tells the worker what is asked
    (["text", "a", None, "提示", None], True),           # a hint is enough (pyxform)
    (["note", "a", None, None, "pic.jpg"], True),       # so is a picture
    (["calculate", "a", None, None, None], True),       # shown to nobody
    (["hidden", "a", None, None, None], True),
])
def test_a_question_needs_a_label_hint_or_picture(row: list[Any], ok: bool) -> None:
    header = ["type", "name", "label", "hint", "image"]
    if row[0] == "calculate":
        header, row = ["type", "name", "label", "hint", "calculation"], [*row[:4], "1"]
    sheets = {"survey": [header, row]}
    if ok:
        load_template(workbook(sheets))
    else:
        assert only(sheets) == ("survey", 2, "label", None, "missing_label")


def test_a_label_naming_no_field_is_refused_with_its_column_and_position() -> None:
    sheets = {"survey": [["type", "name", "label::中文 (zh)", "hint"],
                         ["text", "name", "姓名", None],
                         ["integer", "age", "${name}的年龄", "不是 ${nmae} 的"]]}
    assert only(sheets) == ("survey", 3, "hint", 3, "unknown_field")
    sheets["survey"][2][3] = "${name} 的年龄（${age}）"
    load_template(workbook(sheets))


def test_the_old_text_colon_language_label_is_read_with_a_warning() -> None:
    sheets = {"survey": [["type", "name", "text:english"], ["text", "a", "Name"]]}
    t = load_template(workbook(sheets))
    assert t.fields["a"].labels == {"english": "Name"}
    assert [(w.column, w.code, w.severity) for w in t.warnings] == [("text:english", "legacy_label", "warning")]


def test_media_columns_are_named_in_one_warning_each() -> None:
    sheets = {"survey": [["type", "name", "label", "image", "media::audio::zh", "video"],
                         ["text", "a", "A", "a.jpg", "a.mp3", None]]}
    t = load_template(workbook(sheets))
    assert [(w.column, w.code) for w in t.warnings] == [
        ("image", "ignored_media"), ("media::audio::zh", "ignored_media"), ("video", "ignored_media")]


def test_a_choices_sheet_without_its_header_row_is_named_as_such() -> None:
    sheets = {"survey": [["type", "name", "label"], ["select_one yn", "q", "Q"]],
              "choices": [["yn", "yes", "是"], ["yn", "no", "否"]]}
    assert only(sheets) == ("choices", 1, None, None, "missing_header")   # the cause, not "no list yn"
