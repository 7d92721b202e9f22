"""What a screen shows and hides: relevance of every question, answered or not."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from forms.validate.relevance import irrelevant
from forms.xlsform import load_template
from resources import ROOT


@pytest.fixture(scope="module")
def person():  # type: ignore[no-untyped-def]
    return load_template(ROOT / "templates" / "person.xlsx")


def test_sections_follow_population_type(person) -> None:  # type: ignore[no-untyped-def]
    local = irrelevant(person, {"population_type": "1"})
    assert {"migrant", "foreign", "unregistered"} <= local
    assert "hukou" not in local
    migrant = irrelevant(person, {"population_type": "2"})
    assert "migrant" not in migrant and "foreign" in migrant


def test_questions_inside_a_hidden_group_are_hidden_too(person) -> None:  # type: ignore[no-untyped-def]
    hidden = irrelevant(person, {"population_type": "1"})
    inside = {f.name for f in person.groups["foreign"].walk()}
    assert inside and inside <= hidden


def test_repeat_rows_are_judged_one_by_one(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    for row in (("type", "name", "label", "relevant"),
                ("begin_repeat", "kids", "孩子", ""),
                ("integer", "age", "年龄", ""),
                ("text", "school", "学校", "${age} >= 6"),
                ("end_repeat", "", "", "")):
        survey.append(row)
    settings = wb.create_sheet("settings")
    settings.append(("form_id", "entity"))
    settings.append(("kids", "household"))
    path = tmp_path / "kids.xlsx"
    wb.save(path)
    template = load_template(path)
    hidden = irrelevant(template, {"kids": [{"age": 3}, {"age": 9}, {"age": 5}]})
    assert hidden == {"kids[0].school", "kids[2].school"}


def cascading(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    for row in (("type", "name", "label", "choice_filter"),
                ("select_one province", "province", "省", ""),
                ("select_one city", "city", "市", "province=${province}")):
        survey.append(row)
    choices = wb.create_sheet("choices")
    choices.append(("list_name", "name", "label", "province"))
    for row in (("province", "zj", "浙江", ""), ("province", "js", "江苏", ""),
                ("city", "hz", "杭州", "zj"), ("city", "nb", "宁波", "zj"), ("city", "nj", "南京", "js")):
        choices.append(row)
    settings = wb.create_sheet("settings")
    settings.append(("form_id", "entity"))
    settings.append(("cascade", "person"))
    path = tmp_path / "cascade.xlsx"
    wb.save(path)
    return path


def test_choice_filters_narrow_the_list_as_answers_change(tmp_path: Path) -> None:
    from forms.validate.choices import allowed_choices

    template = load_template(cascading(tmp_path))
    assert [c.name for c in allowed_choices(template, {"province": "zj"})["city"]] == ["hz", "nb"]
    assert [c.name for c in allowed_choices(template, {"province": "js"})["city"]] == ["nj"]
    assert allowed_choices(template, {})["city"] == ()
