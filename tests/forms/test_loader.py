"""Loading valid templates: structure, labels, settings, tags, rules, calculation order."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from forms.errors import TemplateError
from forms.model import EntityKind, FieldType, RuleScope, Severity, TagKind
from forms.xlsform import load_template
from tests.forms.xlsform_builder import minimal_sheets, survey, workbook

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "resources" / "templates"


def test_minimal_template_loads_with_structure_labels_and_settings() -> None:
    t = load_template(workbook(minimal_sheets()), filename="person.xlsx")
    assert list(t.fields) == ["name", "birth_date", "age", "sex", "phone", "child_name", "is_senior"]
    assert t.fields["birth_date"].type == FieldType.DATE
    assert t.fields["sex"].choice_list == "sex"
    assert t.fields["name"].labels == {"zh": "姓名", "en": "Name"}
    assert t.fields["name"].required is not None and t.fields["name"].required.is_constant
    assert t.fields["phone"].path == ("contact",)
    assert t.fields["child_name"].repeat == "children"
    assert t.fields["child_name"].path == ("children",)
    assert t.fields["name"].row == 2 and t.fields["is_senior"].row == 12
    assert set(t.groups) == {"contact", "children"}
    assert t.groups["children"].is_repeat and not t.groups["contact"].is_repeat
    assert t.groups["contact"].relevant is not None and t.groups["contact"].relevant.refs == {"age"}
    assert [c.name for c in t.choices["sex"]] == ["1", "2"]
    assert t.choice_label("sex", "2", "en") == "Female"
    assert t.languages == ("zh", "en")
    s = t.settings
    assert (s.form_id, s.form_title, s.version, s.entity) == ("person", "实有人口", "2026.1", EntityKind.PERSON)
    assert s.approval_required is False and s.age_as_of == "2026-01-01" and s.default_language == "zh"
    assert t.source_name == "person.xlsx"
    assert t.warnings == ()


def test_tags_and_rules_are_loaded_in_sheet_order() -> None:
    t = load_template(workbook(minimal_sheets()))
    assert list(t.tags) == ["老年人", "高龄老人", "低保"]
    old = t.tags["高龄老人"]
    assert old.kind == TagKind.AUTO and old.scope == EntityKind.PERSON and old.requires == ("老年人",)
    assert old.condition is not None and old.condition.tag_refs == {"老年人"}
    assert t.tags["低保"].kind == TagKind.RETURNED
    assert t.tags["低保"].required_fields == ("phone",)
    assert t.tags["低保"].sensitive == ("supervisor", "admin")
    assert t.tags["低保"].visible_to("admin") and not t.tags["低保"].visible_to("worker")
    (rule,) = t.rules
    assert (rule.id, rule.scope, rule.severity) == ("adult_phone", RuleScope.RECORD, Severity.WARNING)
    assert rule.message("en") == "Adults need a phone"
    assert rule.expression.refs == {"age", "phone"}


def test_calculation_order_follows_dependencies_not_sheet_order() -> None:
    sheets = {
        "survey": survey(
            ["calculate", "c", None, None, None, None, "${b} + 1", None],
            ["calculate", "b", None, None, None, None, "${a} * 2", None],
            ["integer", "a", "A", None, None, None, None, None],
            ["decimal", "d", "D", None, None, None, "${c} div 2", None],
        )
    }
    t = load_template(workbook(sheets))
    assert t.calculation_order == ("b", "c", "d")


def test_headers_and_sheet_names_are_case_insensitive_and_aliases_work() -> None:
    sheets = {
        "SURVEY": [
            ["TYPE", "Name", "Label:English", "relevance", "Constraint Message", "read only", "my_note", "  hint  "],
            ["integer", "age", "Age", None, "Too old", "yes", "kept", "years"],
            ["text", "name", "Name", "${age} > 1", None, None, None, None],
        ],
        "Choices": [["list name", "name", "label"], ["yn", "yes", "Yes"]],
    }
    t = load_template(workbook(sheets))
    age = t.fields["age"]
    assert age.labels == {"English": "Age"}
    assert age.constraint_messages == {"": "Too old"}
    assert age.read_only is True
    assert age.hints == {"": "years"}
    assert age.extra == {"my_note": "kept"}
    assert t.fields["name"].relevant is not None and t.fields["name"].relevant.refs == {"age"}
    assert "yn" in t.choices


def test_blank_and_comment_rows_are_skipped_and_rows_keep_excel_numbers() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "notes"],
            [None, None, None, "this whole row is a comment"],
            ["#text", "ignored", "a commented-out question", None],
            [],
            ["text", "q1", "Q1", None],
        ]
    }
    t = load_template(workbook(sheets))
    assert list(t.fields) == ["q1"]
    assert t.fields["q1"].row == 5


def test_or_other_adds_other_choice_and_specify_field_like_pyxform() -> None:
    sheets = {
        "survey": [["type", "name", "label"], ["select_one colors or_other", "fav", "Favourite"]],
        "choices": [["list_name", "name", "label"], ["colors", "red", "Red"]],
    }
    t = load_template(workbook(sheets))
    assert t.fields["fav"].or_other
    assert [c.name for c in t.choices["colors"]] == ["red", "other"]
    other = t.fields["fav_other"]
    assert other.type == FieldType.TEXT
    assert other.relevant is not None and other.relevant.refs == {"fav"}


def test_choice_filter_bare_names_are_choice_columns() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "choice_filter"],
            ["select_one states", "state", "State", None],
            ["select_one cities", "city", "City", "${state} = st"],
        ],
        "choices": [
            ["list_name", "name", "label", "st"],
            ["states", "zj", "浙江", None],
            ["cities", "hz", "杭州", "zj"],
        ],
    }
    t = load_template(workbook(sheets))
    cf = t.fields["city"].choice_filter
    assert cf is not None and cf.refs == {"state", "choice.st"}
    assert t.choices["cities"].by_name["hz"].extra == {"st": "zj"}


def test_choice_filter_unknown_column_is_a_warning_with_position() -> None:
    sheets = {
        "survey": [["type", "name", "label", "choice_filter"], ["select_one c", "q", "Q", "pastel = yes"]],
        "choices": [["list_name", "name", "label", "pastel"], ["c", "a", "A", "yes"]],
    }
    t = load_template(workbook(sheets))
    (w,) = t.warnings
    assert (w.sheet, w.row, w.column, w.position, w.severity) == ("survey", 2, "choice_filter", 9, "warning")


def test_skip_unsupported_leaves_fields_out_with_one_warning_each() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", None],
            ["photo", "pic", "Picture", None],
            ["geopoint", "where", "Where", None],
            ["text", "b", "B", "${pic} != ''"],
        ]
    }
    with pytest.raises(TemplateError):
        load_template(workbook(sheets))
    t = load_template(workbook(sheets), skip_unsupported=True)
    assert list(t.fields) == ["a", "b"]
    assert [(w.row, w.column, w.position, w.code, w.severity) for w in t.warnings] == [
        (3, "type", None, "skipped_unsupported", "warning"),
        (4, "type", None, "skipped_unsupported", "warning"),
        (5, "relevant", 0, "skipped_field_ref", "warning"),
    ]


def test_sources_path_bytes_and_binary_stream_all_load(tmp_path: Path) -> None:
    data = workbook(minimal_sheets())
    p = tmp_path / "t.xlsx"
    p.write_bytes(data)
    for source in (p, str(p), data, io.BytesIO(data)):
        assert load_template(source).form_id == "person"


def test_single_sheet_with_any_name_is_the_survey() -> None:
    t = load_template(workbook({"Sheet1": [["type", "name", "label"], ["text", "state", "State"]]}))
    assert list(t.fields) == ["state"]


def test_settings_defaults() -> None:
    t = load_template(workbook({"survey": [["type", "name", "label"], ["text", "a", "A"]]}), filename="my_form.xlsx")
    s = t.settings
    assert s.form_id == "my_form" and s.entity == EntityKind.PERSON and s.approval_required is True
    assert s.default_language == "zh" and s.age_as_of == ""


def test_age_as_of_in_the_future_is_a_warning_given_today() -> None:
    sheets = minimal_sheets()
    t = load_template(workbook(sheets), today=date(2025, 6, 1))
    assert [w.code for w in t.warnings] == ["age_as_of_future"]
    assert load_template(workbook(sheets), today=date(2026, 6, 1)).warnings == ()


def test_related_templates_check_aggregate_arguments() -> None:
    person = load_template(workbook(minimal_sheets()))
    household = {
        "survey": [["type", "name", "label"], ["text", "household_no", "户号"]],
        "settings": [["form_id", "entity"], ["household", "household"]],
        "rules": [
            ["rule", "scope", "expression"],
            ["has_adult", "household", "any-members(${age} >= 18)"],
        ],
    }
    t = load_template(workbook(household), related={EntityKind.PERSON: person})
    assert t.rules[0].id == "has_adult"
    household["rules"][1][2] = "any-members(${agee} >= 18)"
    with pytest.raises(TemplateError) as exc:
        load_template(workbook(household), related={EntityKind.PERSON: person})
    (p,) = exc.value.problems
    assert (p.sheet, p.row, p.column, p.position, p.code) == ("rules", 2, "expression", 12, "unknown_field")


@pytest.mark.parametrize("kind", ["person", "house", "household"])
def test_default_templates_load(kind: str) -> None:
    path = TEMPLATES / f"{kind}.xlsx"
    if not path.exists():
        pytest.skip("default templates not built")
    t = load_template(path)
    assert t.entity == EntityKind(kind)
    assert t.fields and t.warnings == ()


def test_typographic_quotes_in_expressions_are_made_plain() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", None],
            ["text", "b", "B", "${a} = ‘是’ or ${a} = “否”"],
        ]
    }
    t = load_template(workbook(sheets))
    relevant = t.fields["b"].relevant
    assert relevant is not None and relevant.source == "${a} = '是' or ${a} = \"否\""


def test_translated_messages_and_hints() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label::zh", "hint::zh", "hint::en", "constraint", "constraint_message::zh",
             "constraint_message::en", "required", "required_message::zh", "default", "appearance"],
            ["integer", "n", "人数", "填写人数", "How many", ". >= 0", "不能为负", "Not negative", "yes", "必填", "0", "numbers"],
        ]
    }
    f = load_template(workbook(sheets)).fields["n"]
    assert f.hints == {"zh": "填写人数", "en": "How many"}
    assert f.constraint_messages == {"zh": "不能为负", "en": "Not negative"}
    assert f.required_messages == {"zh": "必填"}
    assert f.constraint is not None and f.constraint.uses_current
    assert (f.default, f.appearance) == ("0", "numbers")


def test_disabled_rows_are_skipped_with_a_warning() -> None:
    sheets = {"survey": [["type", "name", "label", "disabled"], ["text", "a", "A", "yes"], ["text", "b", "B", "no"]]}
    t = load_template(workbook(sheets))
    assert list(t.fields) == ["b"]
    assert [(w.row, w.code) for w in t.warnings] == [(2, "disabled_row")]


def test_rows_after_a_long_blank_run_are_ignored_with_a_warning_like_pyxform() -> None:
    rows: list[list[object]] = [["type", "name", "label"], ["text", "a", "A"]]
    rows += [[] for _ in range(61)]
    rows.append(["text", "far", "Far away"])
    t = load_template(workbook({"survey": rows}))
    assert list(t.fields) == ["a"]
    assert [(w.row, w.code) for w in t.warnings] == [(64, "ignored_rows")]


def test_excel_date_cells_as_defaults_become_iso_dates() -> None:
    t = load_template(workbook({"survey": [["type", "name", "label", "default"], ["date", "d", "D", date(2026, 3, 1)]]}))
    assert t.fields["d"].default == "2026-03-01"


def test_sheet_not_starting_at_a1_keeps_excel_rows_and_columns() -> None:
    rows: list[list[object]] = [[None, None, "type", "name", "label"], [], [], [None, None, "text", "a", "A"]]
    rows += [[], [None, None, "integer", "b", "B"]]
    t = load_template(workbook({"survey": rows}))
    assert [(f.name, f.row) for f in t.fields.values()] == [("a", 4), ("b", 6)]
    sheets = {"survey": [[None, "type", "name", "label", "relevant"], [None, "text", "a", "A", "${b}"]]}
    with pytest.raises(TemplateError) as exc:
        load_template(workbook(sheets))
    assert [(p.row, p.column, p.code) for p in exc.value.problems] == [(2, "relevant", "unknown_field")]


def test_stray_cell_far_away_is_cheap_and_reported() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["text", "a", "A"])
    ws.cell(row=200_000, column=3, value="stray")
    buf = io.BytesIO()
    wb.save(buf)
    t = load_template(buf.getvalue())
    assert list(t.fields) == ["a"]
    assert [(w.row, w.code) for w in t.warnings] == [(200_000, "ignored_rows")]


def test_loaded_fields_are_whole_frozen_fields() -> None:
    # the loader assembles fields without Field.__init__ (forms.model.assembled): each must hold
    # every field of the dataclass, equal what __init__ makes, and stay frozen
    import dataclasses

    from forms.model import Field

    t = load_template(workbook(minimal_sheets()))
    names = {f.name for f in dataclasses.fields(Field)}
    for f in t.fields.values():
        assert set(vars(f)) == names
        assert f == Field(**{n: getattr(f, n) for n in names})
        with pytest.raises(dataclasses.FrozenInstanceError):
            f.name = "other"  # type: ignore[misc]
