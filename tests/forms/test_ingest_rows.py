"""A file's rows become record values with every problem located by row, column, value and code."""

from __future__ import annotations

from functools import cache

from forms.codelists import legacy_education_map
from forms.ingest.columns import match_columns
from forms.ingest.rows import Duplicates, RowReader
from forms.model import Template
from forms.xlsform import load_template
from resources import ROOT

HEADERS = ["序号", "姓名", "公民身份号码", "性别", "出生日期", "民族", "文化程度", "手机号", "现住址"]


@cache
def person() -> Template:
    return load_template(str(ROOT / "templates" / "person.xlsx"))


def reader() -> RowReader:
    mapping = match_columns(HEADERS, person())
    return RowReader(person(), mapping, HEADERS, {"education": legacy_education_map()})


def test_a_good_row_gives_the_stored_values_and_its_address() -> None:
    row = reader().read(5, [1, "王芳", "11010519491231002x", "女", 18263.0, "汉", "00", "138 0013 8000",
                            "清波苑3幢2单元301室"])
    assert row.values == {"name": "王芳", "id_number": "11010519491231002X", "sex": "2", "birth_date": "1949-12-31",
                          "ethnicity": "01", "education": "90", "phone": "13800138000"}
    assert row.meta == {"@address": "清波苑3幢2单元301室"}
    assert [i.code for i in row.issues] == ["code_mapped"] and not row.has_errors


def test_problems_name_the_row_as_excel_shows_it_the_header_and_the_value() -> None:
    row = reader().read(12, [2, "李强", 3.30102e17, "男", "1980/2/30", "火星族", None, None, None])
    found = {(i.row, i.column, i.value, i.code) for i in row.issues}
    assert found == {(12, "公民身份号码", "3.30102e+17", "id_as_number"), (12, "出生日期", "1980/2/30", "date_invalid"),
                     (12, "民族", "火星族", "choice_unknown")}
    assert row.has_errors and "id_number" not in row.values


def test_two_rows_for_one_person_are_errors_on_both() -> None:
    dup = Duplicates("公民身份号码")
    assert dup.add("11010519491231002X", 5) is None
    assert dup.add("110105194912310021", 6) is None
    again = dup.add("11010519491231002X", 9)
    assert again is not None and (again.row, again.code) == (9, "duplicate_in_file") and "5" in again.message_zh
    first = dup.first_rows()
    assert [(i.row, i.code) for i in first] == [(5, "duplicate_in_file")] and "9" in first[0].message_zh
