"""Cells as offices write them become the values records store (forms.ingest): each normalisation the
data-in issue lists, and each error a user must be told about, with its stable code."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

import pytest

from forms import cn
from forms.codelists import legacy_education_map
from forms.ingest import Normalised, ValueKind, normalise, value_kind
from forms.model import Template
from forms.xlsform import load_template
from resources import ROOT as RESOURCES


@cache
def person() -> Template:
    return load_template(str(RESOURCES / "templates" / "person.xlsx"))


def of(field: str, raw: Any, **kw: Any) -> Normalised:
    f = person().fields[field]
    return normalise(value_kind(f), raw, person().choices.get(f.choice_list or ""), **kw)


def codes(result: Normalised) -> list[str]:
    return [i.code for i in result.issues]


def test_fields_are_read_by_what_they_hold() -> None:
    fields = person().fields
    assert value_kind(fields["id_number"]) is ValueKind.ID_NUMBER
    assert value_kind(fields["head_id_number"]) is ValueKind.ID_NUMBER
    assert value_kind(fields["phone"]) is ValueKind.PHONE
    assert value_kind(fields["birth_date"]) is ValueKind.DATE
    assert value_kind(fields["sex"]) is ValueKind.CHOICE
    assert value_kind(fields["name"]) is ValueKind.TEXT


@pytest.mark.parametrize("raw", [
    44931, 44931.0, "44931", "2023/1/5", "2023-01-05", "20230105", 20230105, "2023年1月5日", "2023.1.5",
    "2023-01-05 00:00:00", " 2023 年 1 月 5 日 ", "２０２３／１／５", date(2023, 1, 5), datetime(2023, 1, 5, 8, 30),
])
def test_every_common_date_spelling_is_one_date(raw: Any) -> None:
    result = of("birth_date", raw)
    assert (result.value, result.issues) == ("2023-01-05", ())


def test_excel_serials_before_its_phantom_leap_day_are_right() -> None:
    assert of("birth_date", 59).value == "1900-02-28"
    assert of("birth_date", 61).value == "1900-03-01"


@pytest.mark.parametrize("raw", ["2023/2/30", "23/1/5", "明年", "2023-13-01", 0, -5, "1月5日"])
def test_a_date_that_is_not_one_is_an_error_that_shows_how_to_write_it(raw: Any) -> None:
    result = of("birth_date", raw)
    assert result.value is None and codes(result) == ["date_invalid"]
    assert "2023-01-05" in result.issues[0].message_zh and "2023-01-05" in result.issues[0].message_en


VALID = "11010519491231002X"


@pytest.mark.parametrize("raw", ["11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ",
                                 "110105-19491231-002X"])
def test_id_numbers_lose_their_spaces_and_full_width_digits_and_get_a_capital_x(raw: str) -> None:
    assert (of("id_number", raw).value, of("id_number", raw).issues) == (VALID, ())


def test_a_15_digit_number_is_upgraded_to_18_with_a_warning() -> None:
    result = of("id_number", "110105491231002")
    assert result.value == VALID == cn.id_upgrade_15_to_18("110105491231002")
    assert codes(result) == ["id_upgraded"] and result.ok
    assert of("id_number", 110105491231002).value == VALID  # as a number: 15 digits are exact


@pytest.mark.parametrize("raw", [3.30102e17, 330102198001011230.0, "3.30102E+17", "3.30102e17", "330102198001011230.0"])
def test_an_id_number_excel_made_a_number_of_is_an_error_saying_how_to_fix_the_file(raw: Any) -> None:
    result = of("id_number", raw)
    assert result.value is None and codes(result) == ["id_as_number"] and not result.ok
    assert "文本" in result.issues[0].message_zh and "Text" in result.issues[0].message_en


def test_an_18_digit_number_whose_last_digits_excel_zeroed_is_caught() -> None:
    mangled = "330102198001011000"
    assert cn.check_char(mangled[:17]) != mangled[17]
    result = of("id_number", mangled)
    assert result.value is None and codes(result) == ["id_lost_digits"]
    real = "330102198001011" + "00"
    real += cn.check_char(real[:17]) if len(real) == 17 else ""
    assert of("id_number", real).issues == ()  # a number that ends in 00 with its check character is kept


@pytest.mark.parametrize(("raw", "want"), [
    ("138 0013 8000", "13800138000"), ("138-0013-8000", "13800138000"), ("+86 138 0013 8000", "13800138000"),
    ("0086-13800138000", "13800138000"), ("8613800138000", "13800138000"), (13800138000.0, "13800138000"),
    ("（138）00138000", "13800138000"), ("0571-87654321", "0571-87654321"),
])
def test_phones_are_stored_as_digits(raw: Any, want: str) -> None:
    assert (of("phone", raw).value, of("phone", raw).issues) == (want, ())


def test_several_phones_keep_the_first_and_say_so() -> None:
    result = of("phone", "13800138000/13900139000")
    assert result.value == "13800138000" and codes(result) == ["phone_several"]
    assert "13900139000" in result.issues[0].message_zh


@pytest.mark.parametrize(("field", "raw", "want"), [
    ("sex", "男", "1"), ("sex", "男性", "1"), ("sex", 1, "1"), ("sex", 1.0, "1"), ("sex", "Female", "2"),
    ("ethnicity", "汉", "01"), ("ethnicity", "汉族", "01"), ("ethnicity", "01", "01"), ("ethnicity", 1, "01"),
    ("ethnicity", "1", "01"), ("ethnicity", "毛难族", "36"), ("ethnicity", "崩龙族", "46"), ("ethnicity", "Han", "01"),
])
def test_choices_take_codes_labels_short_and_old_names(field: str, raw: Any, want: str) -> None:
    result = of(field, raw)
    assert (result.value, result.issues) == (want, ())


def test_the_legacy_relation_03_is_accepted_and_flagged() -> None:
    result = of("relation_to_head", "03")
    assert result.value == "03" and codes(result) == ["legacy_code"] and result.ok


def test_old_public_security_education_codes_go_through_the_mapping_table() -> None:
    result = of("education", "00", code_table=legacy_education_map())
    assert result.value == "90" and codes(result) == ["code_mapped"]
    assert of("education", "21").value == "21"  # without the table a GB/T 4658 code is itself


def test_an_unknown_choice_is_an_error_with_examples() -> None:
    result = of("sex", "不详细")
    assert result.value is None and codes(result) == ["choice_unknown"]
    assert "男性" in result.issues[0].message_zh


def test_numbers_and_empty_cells() -> None:
    assert normalise(ValueKind.INTEGER, "1,200").value == 1200
    assert normalise(ValueKind.INTEGER, "１２").value == 12
    assert codes(normalise(ValueKind.INTEGER, "3.5")) == ["number_invalid"]
    assert normalise(ValueKind.DECIMAL, "85.5㎡").value == 85.5
    assert normalise(ValueKind.DECIMAL, "85.5 平方米").value == 85.5
    assert codes(normalise(ValueKind.DECIMAL, "八十")) == ["number_invalid"]
    for empty in (None, "", "   ", "\u3000", float("nan")):
        assert normalise(ValueKind.DATE, empty) == Normalised(None)


def test_numbers_written_in_text_columns_lose_their_point_zero() -> None:
    assert normalise(ValueKind.TEXT, 1203.0).value == "1203"
    assert normalise(ValueKind.TEXT, " 清波门 ").value == "清波门"


def test_several_choices_split_on_what_offices_use() -> None:
    choices = person().choices["ethnicity"]
    for raw in ("汉族、回族", "01,03", "汉；回", "01 03", "汉族/回族/汉族"):
        result = normalise(ValueKind.CHOICES, raw, choices)
        assert (result.value, result.issues) == (["01", "03"], ()), raw
    partly = normalise(ValueKind.CHOICES, "汉族、火星族", choices)
    assert partly.value == ["01"] and codes(partly) == ["choice_unknown"]
