"""Table-driven evaluation tests following ODK (JavaRosa / XPath 1.0) semantics.

Record under test: see ``expr_fixtures.DATA`` (today is 2026-11-21).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from tests.forms.expr_fixtures import DATA, NOW, TODAY, days, evaluate, same

NAN = float("nan")
INF = float("inf")

ARITHMETIC: list[tuple[str, Any]] = [
    ("1", 1),
    ("1.5", 1.5),
    (".5 + .5", 1.0),
    ("'abc'", "abc"),
    ('"abc"', "abc"),
    ('"it\'s"', "it's"),
    ("1 + 2", 3),
    ("5 - 7", -2),
    ("2 * 3.5", 7.0),
    ("7 div 2", 3.5),
    ("7 mod 3", 1),
    ("-7 mod 3", -1),
    ("7 mod -3", 1),
    ("5.5 mod 2", 1.5),
    ("1 div 0", INF),
    ("-1 div 0", -INF),
    ("0 div 0", NAN),
    ("5 mod 0", NAN),
    ("-3", -3),
    ("- -3", 3),
    ("-(2 + 3)", -5),
    ("1 - - 1", 2),
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 2 - 3", 5),
    ("8 div 2 div 2", 2),
    ("2 * 3 mod 4", 2),
    ("'3' + 4", 7),
    ("' 3 ' + 4", 7),
    ("'abc' + 1", NAN),
    ("'' + 1", NAN),
    ("true() + 1", 2),
    ("false() * 5", 0),
    ("${n} + 1", 43),
    ("${dec} * 2", 7.0),
    ("${empty} + 1", NAN),
    ("${empty_int} + 1", NAN),
    ("${n} div 0", INF),
    ("${calc} * 2", 14),
    ("0.1 + 0.2", 0.30000000000000004),
    ("1 div 3 * 3", 1.0),
]

COMPARISON: list[tuple[str, Any]] = [
    ("1 < 2", True),
    ("2 <= 2", True),
    ("3 > 4", False),
    ("3 >= 3", True),
    ("'10' > '9'", True),
    ("'abc' < 'abd'", False),
    ("'abc' >= 'abc'", False),
    ("1 = 1.0", True),
    ("1 = '1'", True),
    ("'1' = '1.0'", False),
    ("'a' = 'a'", True),
    ("'a' != 'b'", True),
    ("1 != 1", False),
    ("true() = 1", True),
    ("true() = 'x'", True),
    ("false() = ''", True),
    ("false() = 0", True),
    ("true() = 'false'", True),
    ("'' = 0", False),
    ("number('') = number('')", False),
    ("number('') != number('')", True),
    ("${n} = 42", True),
    ("${n} = '42'", True),
    ("${n} = '42.0'", True),
    ("${n} > 40", True),
    ("${n} < 40", False),
    ("${empty} = ''", True),
    ("${empty} = 0", False),
    ("${empty} < 1", False),
    ("${empty} > -1", False),
    ("${rel} = '02'", True),
    ("${rel} = 2", True),
    ("${rel} != '2'", True),
    ("0.1 + 0.2 = 0.3", True),
    ("1 < 2 = true()", True),
    ("3 > 2 > 1", False),
    ("'02' = '2'", False),
    ("${calc} = 7", True),
    ("${calc} > 6", True),
    ("${sex} = '1' and ${n} >= 18", True),
]

LOGIC: list[tuple[str, Any]] = [
    ("true() and false()", False),
    ("true() or false()", True),
    ("not(true())", False),
    ("not('')", True),
    ("not(0)", True),
    ("not('0')", False),
    ("1 and 'x'", True),
    ("0 or ''", False),
    ("true() and true() or false()", True),
    ("false() and true() or true()", True),
    ("false() or true() and false()", False),
    ("not(${empty})", True),
    ("not(${name})", False),
    ("false() and (1 div 0 > 0)", False),
    ("true() or ${empty} + 1 = 2", True),
    ("true()", True),
    ("false()", False),
    ("boolean(${name})", True),
    ("boolean('false')", True),
    ("boolean(0)", False),
    ("boolean(0.5)", True),
    ("boolean(number('x'))", False),
    ("boolean(today())", True),
    ("boolean(${birth_date})", True),
    ("boolean(${empty_date})", False),
    ("boolean(${kid_name})", True),
    ("boolean-from-string('true')", True),
    ("boolean-from-string('1')", True),
    ("boolean-from-string('yes')", False),
    ("${n} > 1 and true() and ${n} < 50", True),
    ("${n} > 100 or false() or ${n} = 42", True),
    ("${empty} or ${name} or 0", True),
    ("1 and 2 and 3 and 4 and 0", False),
    ("0 or 0 or 0 or 0 or 1", True),
    ("${n} > 1 and ${n} > 2 and ${n} > 3 and ${n} > 100", False),
    ("${n} > 100 or ${n} > 200 or ${n} > 300 or ${n} > 1", True),
    ("${n} > 1 and (${n} > 100 or ${n} = 42)", True),
    ("true() and ${empty}", False),
    ("false() or ${name}", True),
]

STRINGS: list[tuple[str, Any]] = [
    ("concat('a', 'b', 'c')", "abc"),
    ("concat()", ""),
    ("concat(${name}, 1, true())", "张三1true"),
    ("concat(1.0, 2.50)", "12.5"),
    ("concat('x', 0.1 + 0.2)", "x0.30000000000000004"),
    ("concat(${kid_name})", "甲乙丙"),
    ("concat('生日:', ${birth_date})", "生日:1950-03-01"),
    ("concat(1 div 0, ' ', number('x'))", "Infinity NaN"),
    ("string-length('你好')", 2),
    ("string-length('')", 0),
    ("string-length(${id_number})", 18),
    ("string-length(123)", 3),
    ("string-length(${empty})", 0),
    ("substr('abcdef', 2)", "cdef"),
    ("substr('abcdef', 1, 3)", "bc"),
    ("substr('abcdef', 0, 100)", "abcdef"),
    ("substr('abcdef', 4, 2)", ""),
    ("substr('abcdef', -2)", "ef"),
    ("substr('abcdef', 1, -1)", "bcde"),
    ("substr(${id_number}, 6, 14)", "19491231"),
    ("substr('abc', number('x'))", ""),
    ("substring-before('2026-11-21', '-')", "2026"),
    ("substring-after('2026-11-21', '-')", "11-21"),
    ("substring-before('abc', 'x')", ""),
    ("substring-after('abc', 'x')", ""),
    ("substring-after('abc', '')", "abc"),
    ("contains('abc', 'b')", True),
    ("contains('abc', '')", True),
    ("contains('abc', 'd')", False),
    ("contains(${name}, '张')", True),
    ("starts-with(${phone}, '138')", True),
    ("starts-with('abc', 'b')", False),
    ("ends-with(${id_number}, 'X')", True),
    ("ends-with('abc', 'B')", False),
    ("normalize-space('  a   b  ')", "a b"),
    ("normalize-space('')", ""),
    ("translate('abc-def', '-', '')", "abcdef"),
    ("translate('bar', 'abc', 'ABC')", "BAr"),
    ("translate('aaa', 'aa', 'xy')", "xxx"),
    ("string(12)", "12"),
    ("string(1.50)", "1.5"),
    ("string(-0.5)", "-0.5"),
    ("string(1 div 0)", "Infinity"),
    ("string(-1 div 0)", "-Infinity"),
    ("string(number('x'))", "NaN"),
    ("string(true())", "true"),
    ("string(false())", "false"),
    ("string(${birth_date})", "1950-03-01"),
    ("string(${n})", "42"),
    ("string(6 div 2)", "3"),
    ("regex(${phone}, '1[3-9][0-9]{9}')", True),
    ("regex(${phone}, '^1[3-9][0-9]{9}$')", True),
    ("regex('abc', 'b')", False),
    ("regex('abc', '.*b.*')", True),
    ("regex('', '')", True),
    ("regex('12345', '[0-9]+')", True),
    ("regex(${name}, '[一-龥]{2,4}')", True),
    ("join('、', ${kid_name})", "甲、乙、丙"),
    ("join('-', 'a', 'b')", "a-b"),
]

SELECTS: list[tuple[str, Any]] = [
    ("selected(${tags}, 'b')", True),
    ("selected(${tags}, 'd')", False),
    ("selected(${tags}, ' b ')", True),
    ("selected('', 'a')", False),
    ("selected('ab', 'a')", False),
    ("selected(${rel}, '02')", True),
    ("is-selected(${tags}, 'a')", True),
    ("count-selected(${tags})", 3),
    ("count-selected('')", 0),
    ("count-selected('  a  ')", 1),
    ("selected-at(${tags}, 0)", "a"),
    ("selected-at(${tags}, 2)", "c"),
    ("selected-at(${tags}, 3)", ""),
    ("selected-at(${tags}, -1)", ""),
    ("selected-at(${tags}, '1')", "b"),
    ("jr:choice-name(${rel}, '${rel}')", "户主"),
    ("jr:choice-name('10', '${rel}')", "配偶"),
    ("jr:choice-name('99', '${rel}')", ""),
    ("jr:choice-name(${empty}, '${rel}')", ""),
    ("jr:choice-name('1', '${sex}')", ""),
]

CONTROL: list[tuple[str, Any]] = [
    ("if(true(), 'y', 'n')", "y"),
    ("if(0, 'y', 'n')", "n"),
    ("if(${empty}, 1, 2)", 2),
    ("if(${n} > 40, 'old', 'young')", "old"),
    ("if(false(), 1 div 0, 5)", 5),
    ("if(${rel} = '02', '户主', if(${rel} = '10', '配偶', '其他'))", "户主"),
    ("coalesce(${empty}, 'x')", "x"),
    ("coalesce(${name}, 'x')", "张三"),
    ("coalesce('', '')", ""),
    ("coalesce(number('x'), 3)", 3),
    ("coalesce(${empty}, ${empty_int}, 'third')", "third"),
]

NUMBERS: list[tuple[str, Any]] = [
    ("int(3.7)", 3),
    ("int(-3.7)", -3),
    ("int('12.9')", 12),
    ("int('')", NAN),
    ("int(1 div 0)", INF),
    ("number('12')", 12),
    ("number(' 12 ')", 12),
    ("number('-1.5')", -1.5),
    ("number('1,5')", 1.5),
    ("number('1e3')", NAN),
    ("number('abc')", NAN),
    ("number('')", NAN),
    ("number(true())", 1),
    ("number(false())", 0),
    ("number(${birth_date})", days(date(1950, 3, 1))),
    ("number('1970-01-02')", 1),
    ("round(2.5)", 3),
    ("round(-2.5)", -2),
    ("round(2.4)", 2),
    ("round(1.2345, 2)", 1.23),
    ("round(1.235, 2)", 1.24),
    ("round(-1.235, 2)", -1.23),
    ("round(1234.5, -2)", 1200),
    ("round(1250, -2)", 1300),
    ("round(number(''))", NAN),
    ("floor(2.7)", 2),
    ("floor(-2.2)", -3),
    ("ceiling(2.1)", 3),
    ("ceiling(-2.7)", -2),
    ("floor('x')", NAN),
    ("abs(-4.5)", 4.5),
    ("abs(${n})", 42),
    ("pow(2, 10)", 1024),
    ("pow(2, -1)", 0.5),
    ("pow(9, 0.5)", 3),
    ("pow(0, 0)", 1),
    ("sqrt(16)", 4),
    ("min(3, 1, 2)", 1),
    ("max(3, 1, 2)", 3),
    ("min(${kid_age})", 5),
    ("max(${kid_age})", 9),
    ("max('', '')", NAN),
    ("min(1, '', 3)", 1),
    ("sum(${kid_age})", 14),
    ("sum(${kid_name})", 0),
    ("count(${kids})", 3),
    ("count(${kid_name})", 3),
    ("count-non-empty(${kid_age})", 2),
    ("sum(${kid_age}) div count(${kids})", 14 / 3),
]

DATES: list[tuple[str, Any]] = [
    ("today()", TODAY),
    ("now()", NOW),
    ("today() - ${birth_date}", days(TODAY) - days(date(1950, 3, 1))),
    ("today() + 1", days(TODAY) + 1),
    ("date(today() + 1)", date(2026, 11, 22)),
    ("date(0)", date(1970, 1, 1)),
    ("date(-1)", date(1969, 12, 31)),
    ("date(1.9)", date(1970, 1, 2)),
    ("date('2024-02-29')", date(2024, 2, 29)),
    ("date('2023-02-29')", ""),
    ("date('')", ""),
    ("date(${birth_date})", date(1950, 3, 1)),
    ("date(${dt})", date(2026, 11, 21)),
    ("${birth_date}", date(1950, 3, 1)),
    ("${empty_date}", ""),
    ("${bad_date}", "1999-02-30"),
    ("${dt}", datetime(2026, 11, 21, 8, 30)),
    ("${birth_date} < '2000-01-01'", True),
    ("${birth_date} > '2000-01-01'", False),
    ("${birth_date} = '1950-03-01'", True),
    ("${birth_date} != '1950-03-02'", True),
    ("${birth_date} <= today()", True),
    ("${birth_date} > today()", False),
    ("${empty_date} < today()", False),
    ("${empty_date} > today()", False),
    ("today() - date('2026-11-01')", 20),
    ("date('2026-11-21') = today()", True),
    ("'2026-01-01' < '2026-02-01'", True),
    ("decimal-date-time('1970-01-02')", 1),
    ("decimal-date-time('1970-01-01T12:00:00')", 0.5),
    ("decimal-date-time(${birth_date})", days(date(1950, 3, 1))),
    ("decimal-date-time('')", ""),
    ("format-date(${birth_date}, '%Y-%m-%d')", "1950-03-01"),
    ("format-date(${birth_date}, '%Y年%n月%e日')", "1950年3月1日"),
    ("format-date(${birth_date}, '%y/%m/%d')", "50/03/01"),
    ("format-date(${birth_date}, '%b %a')", "3月 周三"),
    ("format-date(${dt}, '%H:%M:%S %h')", "08:30:00 8"),
    ("format-date(${dt}, '%3')", "000"),
    ("format-date(${empty_date}, '%Y')", ""),
    ("format-date('2024-02-29', '%e.%n.%Y')", "29.2.2024"),
    ("format-date(date(19000), '%Y-%m-%d')", "2022-01-08"),
    ("format-date(today(), '100%%')", "100%"),
    ("format-date-time(${dt}, '%Y%m%d%H%M')", "202611210830"),
    ("format-date(${birth_date}, '%H:%M %q 100%')", "00:00 %q 100%"),
    ("format-date('1950-03-01T23:05:09', '%h时%M分%S秒')", "23时05分09秒"),
    ("format-date('not a date', '%Y')", ""),
    ("format-date(0, '%Y-%m-%d')", "1970-01-01"),
    ("date-time('2026-11-21T08:30:00')", datetime(2026, 11, 21, 8, 30)),
    ("date-time('2026-11-21T12:00:00') - today()", 0.5),
    ("date-time('')", ""),
]

REPEATS: list[tuple[str, Any]] = [
    ("${kid_name}", ["甲", "乙", "丙"]),
    ("${kid_age}", [5, 9, ""]),
    ("${kid_birth}", [date(2021, 6, 1), date(2017, 1, 15), ""]),
    ("count(${kids}) > 2", True),
    ("${kid_name} = '甲'", True),
    ("position()", 1),
    ("indexed-repeat(${kid_name}, ${kids}, 2)", "乙"),
    ("indexed-repeat(${kid_age}, ${kids}, 1) + 1", 6),
    ("indexed-repeat(${kid_name}, ${kids}, 9)", ""),
    ("indexed-repeat(${kid_name}, ${kids}, count(${kids}))", "丙"),
]

ALL = ARITHMETIC + COMPARISON + LOGIC + STRINGS + SELECTS + CONTROL + NUMBERS + DATES + REPEATS


@pytest.mark.parametrize(("text", "expected"), ALL, ids=[c[0] for c in ALL])
def test_evaluates_as_odk(text: str, expected: Any) -> None:
    actual = evaluate(text)
    assert same(actual, expected), f"{text!r} gave {actual!r}, expected {expected!r}"


def test_table_is_large() -> None:
    assert len(ALL) >= 200


def test_row_context_reads_the_row() -> None:
    row = DATA["kids"][1]
    assert evaluate("${kid_name}", row=row, row_index=1, repeat="kids") == "乙"
    assert evaluate("${kid_age} + 1", row=row, row_index=1, repeat="kids") == 10
    assert evaluate("position()", row=row, row_index=1, repeat="kids") == 2
    # top-level fields stay visible inside a row
    assert evaluate("concat(${name}, ${kid_name})", row=row, row_index=1, repeat="kids") == "张三乙"


def test_current_value() -> None:
    assert evaluate(". > 5", current="7") is True
    assert evaluate(". > 5", current="") is False
    assert evaluate("string-length(.) = 11", current="13812345678") is True
    assert evaluate(". <= today()", current="2030-01-01") is False


def test_language_of_labels() -> None:
    assert evaluate("jr:choice-name(${rel}, '${rel}')", language="en") == "Head of household"
    assert evaluate("format-date(${birth_date}, '%b %a')", language="en") == "Mar Wed"


def test_numbers_stored_as_numbers() -> None:
    data = dict(DATA, n=42, dec=3.5, birth_date=date(1950, 3, 1))
    assert evaluate("${n} + ${dec}", data) == 45.5
    assert evaluate("age(${birth_date})", data) == 76
    assert evaluate("${name}", dict(DATA, name=None)) == ""
    assert evaluate("string-length(${name})", dict(DATA, name=12345)) == 5


def test_context_for_another_record_keeps_settings_and_forgets_values() -> None:
    from forms.expr import compile_expression
    from tests.forms.expr_fixtures import context, scope

    base = context(language="en")
    c = compile_expression("concat(age(${birth_date}), ' ', jr:choice-name(${rel}, '${rel}'))", scope())
    assert c.evaluate(base) == "76 Head of household"
    other = base.for_record({"birth_date": "2000-11-21", "rel": "10"})
    assert other.today == base.today and other.memo == {} and other.entity is None
    assert c.evaluate(other) == "26 Spouse"
    assert c.evaluate(base) == "76 Head of household"
