"""Chinese identity numbers and friends: forms.cn and the cn-* / age expression functions."""

from __future__ import annotations

from datetime import date

import pytest

from forms import cn
from tests.forms.expr_fixtures import TODAY, evaluate

VALID_IDS = [
    "11010519491231002X",  # the standard's own example
    "11010519491231002x",  # lowercase x accepted
    " 11010519491231002X ",  # surrounding space ignored
    "440304198001011239",
    "330102199001010012",
    "330102202611210016",  # born today
    "110105491231002",  # 15-digit legacy number (1949-12-31)
    "810000199001010019",  # 香港居民居住证
    "820000198512310029",  # 澳门居民居住证
    "830000200002290031",  # 台湾居民居住证, 29 Feb 2000 exists
]

INVALID_IDS = [
    ("11010519491231002Y", "bad check character"),
    ("110105194912310021", "wrong check digit"),
    ("330102199902300017", "19990230 does not exist"),
    ("330102202701010018", "birth date in the future"),
    ("330102202611220011", "born tomorrow"),
    ("910000199001010012", "no province 91"),
    ("1101051949123100", "16 characters"),
    ("11010519491231002XX", "19 characters"),
    ("110105491331002", "15-digit with month 13"),
    ("11010549123100X", "15-digit with a letter"),
    ("", "empty"),
    ("ABCDEFGHIJKLMNOPQR", "letters"),
    ("1101051949123１002X", "full-width digit"),
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_ids(number: str) -> None:
    assert cn.id_valid(number, TODAY)
    assert evaluate(f"cn-id-valid('{number}')") is True


@pytest.mark.parametrize(("number", "why"), INVALID_IDS)
def test_invalid_ids(number: str, why: str) -> None:
    assert not cn.id_valid(number, TODAY), why
    assert evaluate(f"cn-id-valid('{number}')") is False, why
    assert evaluate(f"cn-id-birthdate('{number}')") == "", why


def test_future_is_relative_to_the_context_today() -> None:
    assert evaluate("cn-id-valid('330102202701010018')", today=date(2027, 1, 1)) is True
    assert evaluate("cn-id-valid('330102202701010018')", today=date(2026, 12, 31)) is False


def test_birthdate_and_sex() -> None:
    assert evaluate("cn-id-birthdate(${id_number})") == date(1949, 12, 31)
    assert evaluate("cn-id-birthdate('110105491231002')") == date(1949, 12, 31)
    assert evaluate("cn-id-sex(${id_number})") == "2"  # 17th digit 2: female
    assert evaluate("cn-id-sex('440304198001011239')") == "1"  # 17th digit 3: male
    assert evaluate("cn-id-sex('110105491231002')") == "2"  # 15-digit: last digit
    assert evaluate("cn-id-sex('110105491231003')") == "1"
    assert evaluate("cn-id-sex('11010519491231002Y')") == ""
    assert cn.id_sex("") == ""


def test_consistency_rules_a_template_writes() -> None:
    data = {"id_number": "440304198001011239", "birth_date": "1980-01-01", "sex": "1"}
    assert evaluate("cn-id-birthdate(${id_number}) = ${birth_date}", data) is True
    assert evaluate("cn-id-sex(${id_number}) = ${sex}", data) is True
    data["sex"] = "2"
    assert evaluate("cn-id-sex(${id_number}) = ${sex}", data) is False


def test_upgrade_and_canonical() -> None:
    assert cn.id_upgrade_15_to_18("110105491231002") == "11010519491231002X"
    assert cn.id_upgrade_15_to_18("11010519491231002X") is None
    assert cn.id_upgrade_15_to_18("110105491331002") is None
    assert cn.id_canonical("11010519491231002x") == "11010519491231002X"
    assert cn.id_canonical("110105491231002") == "11010519491231002X"
    assert cn.id_canonical("bad") is None
    assert cn.check_char("11010519491231002") == "X"
    assert cn.id_is_permit("810000199001010019")
    assert not cn.id_is_permit("11010519491231002X")


@pytest.mark.parametrize(
    ("born", "asof", "years"),
    [
        ("1950-03-01", "2026-11-21", 76),
        ("1966-11-21", "2026-11-21", 60),  # birthday today: turns 60
        ("1966-11-22", "2026-11-21", 59),  # birthday tomorrow
        ("2000-02-29", "2001-02-28", 0),  # leap-day births turn a year older on 1 March
        ("2000-02-29", "2001-03-01", 1),
        ("2000-02-29", "2004-02-29", 4),
        ("2026-11-21", "2026-11-21", 0),
    ],
)
def test_age_in_full_years(born: str, asof: str, years: int) -> None:
    assert evaluate(f"age('{born}', '{asof}')") == years


def test_age_one_argument_uses_as_of_date_else_today() -> None:
    assert evaluate("age(${birth_date})") == 76
    assert evaluate("age(${birth_date})", age_as_of="2000-01-01") == 49
    assert evaluate("age(${birth_date})", age_as_of=date(2020, 3, 1)) == 70
    assert evaluate("age(${empty_date})") == ""
    assert evaluate("age(${empty_date}) >= 60") is False
    assert evaluate("age(${birth_date}, ${empty})") == ""
    assert evaluate("age(cn-id-birthdate(${id_number}))") == 76
    assert evaluate("age(${birth_date}) >= 60 and age(${birth_date}) < 80") is True


def test_mobile() -> None:
    for good in ("13812345678", "19912345678", "138 1234 5678", "+8613812345678"):
        assert cn.mobile_valid(good), good
    for bad in ("12812345678", "1381234567", "138123456789", "", "abcdefghijk", "23812345678"):
        assert not cn.mobile_valid(bad), bad
    assert evaluate("cn-mobile-valid(${phone})") is True
    assert evaluate("cn-mobile-valid('010-12345678')") is False


def test_uscc() -> None:
    assert cn.uscc_valid("91110000802100433B")
    assert not cn.uscc_valid("91110000802100433C")
    assert not cn.uscc_valid("")
    assert evaluate("cn-uscc-valid('91110000802100433B')") is True
    assert evaluate("cn-uscc-valid('9111000080210043')") is False


@pytest.mark.parametrize(
    ("cert", "category", "grade"),
    [
        ("44030419800101123942", "4", "2"),
        ("11010519491231002x71", "7", "1"),
        ("11010519491231002X14", "1", "4"),
    ],
)
def test_disability_certificates(cert: str, category: str, grade: str) -> None:
    parsed = cn.disability_parse(cert, TODAY)
    assert parsed is not None and (parsed.category, parsed.grade) == (category, grade)
    assert evaluate(f"cn-disability-cert-valid('{cert}')") is True
    assert evaluate(f"cn-disability-category('{cert}')") == category
    assert evaluate(f"cn-disability-grade('{cert}')") == grade


@pytest.mark.parametrize(
    "cert",
    [
        "44030419800101123982",  # category 8
        "44030419800101123905",  # grade 5
        "44030419800101123042",  # bad ID check digit
        "4403041980010112394",  # 19 characters
        "110105491231002421",  # 15-digit ID inside
        "",
    ],
)
def test_invalid_disability_certificates(cert: str) -> None:
    assert cn.disability_parse(cert, TODAY) is None
    assert evaluate(f"cn-disability-cert-valid('{cert}')") is False
    assert evaluate(f"cn-disability-category('{cert}')") == ""
    assert evaluate(f"cn-disability-grade('{cert}')") == ""


def test_disability_labels() -> None:
    parsed = cn.disability_parse("44030419800101123942")
    assert parsed is not None
    assert (parsed.category_label, parsed.grade_label) == ("肢体", "二级")


def test_masking() -> None:
    assert cn.mask_id("330102199001010012") == "330102********0012"
    assert cn.mask_id("110105491231002") == "110105*****1002"
    assert cn.mask_id("") == ""
    assert "12345" not in cn.mask_id("H12345678")
    assert cn.mask_phone("13812345678") == "138****5678"
    assert cn.mask_phone("") == ""
    assert cn.mask_name("张伟") == "张*"
    assert cn.mask_name("欧阳娜娜") == "欧***"
    assert cn.mask_name("") == ""


def test_where_python_stdnum_differs_from_the_domain_rules() -> None:
    """Why forms.cn checks IDs itself: stdnum.cn.ric rejects legacy 15-digit numbers and the
    港澳台 residence-permit prefixes, and accepts birth dates in the future."""
    from stdnum.cn import ric

    assert cn.id_valid("110105491231002", TODAY) and not ric.is_valid("110105491231002")
    assert cn.id_valid("810000199001010019", TODAY) and not ric.is_valid("810000199001010019")
    assert not cn.id_valid("330102202701010018", TODAY) and ric.is_valid("330102202701010018")
    # on ordinary numbers both agree
    for number in ("11010519491231002X", "11010519491231002x", "11010519491231002Y", "330102199902300017"):
        assert cn.id_valid(number, TODAY) == ric.is_valid(number), number
