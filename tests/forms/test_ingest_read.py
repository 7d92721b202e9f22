"""Office files read as rows (forms.ingest.read): workbooks with title rows, merged headers, hidden
columns, several sheets and trailing blanks; CSV in UTF-8, UTF-8 with BOM and GBK; ID columns stored
as numbers; and one clear message for files that are not spreadsheets, are encrypted or are empty."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.ingest.columns import find_header_row
from forms.ingest.read import ReadError, detect_encoding, open_table
from forms.model import Template
from forms.xlsform import load_template
from resources import ROOT

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "xlsform"
ROWS = [["王芳", "11010519491231002X", "13800138000", "1949-12-31"],
        ["李强", "110105194912310021", "13900139000", "1949-12-31"]]


@cache
def person() -> Template:
    return load_template(str(ROOT / "templates" / "person.xlsx"))


def guess(rows: Any) -> int | None:
    return find_header_row(rows, person())


def office_ledger(path: Path, *, ids_as_numbers: bool = False) -> Path:
    """As a data office makes one: an instructions sheet first, then a title merged across, a line of who
    filled it, a group row over a two-row header, a hidden column, data, a footer after blank rows."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes["A1"] = "身份证号请设为文本格式"
    notes.sheet_state = "hidden"
    sheet = book.create_sheet("实有人口")
    sheet["A1"] = "清波街道实有人口台账"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "填报单位：清波门社区"
    sheet["A3"], sheet["B3"], sheet["D3"] = "序号", "基本信息", "联系方式"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("D3:E3")
    for col, text in zip("BCDEF", ["姓名", "公民身份号码", "联系电话", "出生日期", "内部编号"], strict=True):
        sheet[f"{col}4"] = text
    sheet.column_dimensions["F"].hidden = True
    for i, (name, id_number, phone, born) in enumerate(ROWS, start=5):
        sheet[f"A{i}"] = i - 4
        sheet[f"B{i}"] = name
        sheet[f"C{i}"] = float(id_number[:-1] + "0") if ids_as_numbers else id_number
        sheet[f"D{i}"] = phone
        sheet[f"E{i}"] = born
        sheet[f"F{i}"] = f"N{i}"
    sheet["B10"] = "制表人：王芳"
    book.save(path)
    return path


def test_a_ledger_with_title_rows_and_a_merged_header_is_read_from_its_header(tmp_path: Path) -> None:
    table = open_table(office_ledger(tmp_path / "ledger.xlsx"), guess_header=guess)
    assert table.sheet == "实有人口"  # the hidden instructions sheet is not the default
    assert [s.name for s in table.sheets] == ["填表说明", "实有人口"] and not table.sheets[0].visible
    assert table.header_row == 4
    assert table.headers == ["序号", "姓名", "公民身份号码", "联系电话", "出生日期", "内部编号"]
    assert table.hidden_columns == frozenset({5})
    rows = list(table.rows())
    assert [n for n, _ in rows] == [5, 6, 10]  # Excel's row numbers; blank rows skipped; the footer is a row
    assert rows[0][1][1:3] == ["王芳", "11010519491231002X"]


def test_an_id_column_stored_as_numbers_comes_out_as_floats(tmp_path: Path) -> None:
    table = open_table(office_ledger(tmp_path / "ledger.xlsx", ids_as_numbers=True), guess_header=guess)
    first = next(table.rows())[1]
    assert isinstance(first[2], float)  # forms.ingest.values turns this into the id_as_number error


def test_a_sheet_is_chosen_by_name_or_number(tmp_path: Path) -> None:
    path = office_ledger(tmp_path / "ledger.xlsx")
    assert open_table(path, sheet="填表说明").sheet == "填表说明"
    assert open_table(path, sheet="2", guess_header=guess).sheet == "实有人口"
    with pytest.raises(ReadError) as caught:
        open_table(path, sheet="户籍")
    assert caught.value.code == "sheet_missing" and "实有人口" in caught.value.message_zh


def test_the_header_row_can_be_given(tmp_path: Path) -> None:
    table = open_table(office_ledger(tmp_path / "ledger.xlsx"), header_row=4)
    assert table.headers[1] == "姓名"


def test_a_stray_cell_at_the_sheets_last_cell_is_read_without_building_the_grid(tmp_path: Path) -> None:
    path = tmp_path / "stray.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码"])
    for name, id_number, *_ in ROWS:
        sheet.append([name, id_number])
    sheet["XFD1048576"] = " "
    book.save(path)
    table = open_table(path, guess_header=guess)
    assert table.headers == ["姓名", "公民身份号码"]
    assert [cells for _n, cells in table.rows()] == [r[:2] for r in ROWS]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_offices_use_is_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "list.csv"
    lines = ["低保对象名单（民政局 2026-11-30）,,", "姓名,身份证号码,联系电话"] + [",".join(r[:3]) for r in ROWS]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    table = open_table(path, guess_header=guess)
    assert table.encoding in ({"utf-8", "utf-8-sig"} if encoding.startswith("utf") else {"gb18030"})
    assert table.header_row == 2 and table.headers == ["姓名", "身份证号码", "联系电话"]
    assert [c for _n, c in table.rows()] == [r[:3] for r in ROWS]


def test_gbk_is_found_in_a_long_file_of_names() -> None:
    sample = ("姓名,身份证号码\r\n" + "".join(f"张{chr(0x4e00 + i)}明,110105194912310021\r\n" for i in range(500)))
    assert detect_encoding(sample.encode("gbk")) == "gb18030"


def test_the_encoding_can_be_given_and_a_wrong_one_is_said(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("姓名;身份证号码\r\n王芳;11010519491231002X\r\n".encode("gbk"))
    assert open_table(path, encoding="gbk").headers == ["姓名", "身份证号码"]  # ; found as the separator
    with pytest.raises(ReadError) as caught:
        list(open_table(path, encoding="utf-8").rows())
    assert caught.value.code == "encoding"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("list.xlsx", b"this is not a workbook", "not_a_spreadsheet"),
    ("list.pdf", b"%PDF-1.4", "not_a_spreadsheet"),
    ("list.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
    ("list.csv", b"", "empty"),
    ("list.csv", b"\r\n , ,\r\n", "empty"),
    ("list.xlsx", b"PK\x03\x04broken zip", "not_a_spreadsheet"),
])
def test_a_file_that_cannot_be_read_gets_one_clear_message(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert caught.value.code == code
    assert name in caught.value.message_zh and name in caught.value.message_en


def test_an_empty_workbook_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert caught.value.code == "empty"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is absent")
def test_an_old_xls_workbook_is_read() -> None:
    table = open_table(SHARED / "example_xls__hidden.xls", sheet="survey")
    assert "type" in table.headers and "name" in table.headers
    assert any(cells for _n, cells in table.rows())


def test_the_report_is_the_input_workbook_with_its_faulty_cells_marked(tmp_path: Path) -> None:
    from forms.ingest.report import PROBLEM_HEADER, write_report
    from forms.ingest.rows import RowIssue

    source = office_ledger(tmp_path / "ledger.xlsx")
    table = open_table(source, guess_header=guess)
    issues = {6: [RowIssue(6, "公民身份号码", "3.3E+17", "id_as_number", "error", "证件号码被存成了数字", "stored as a number"),
                  RowIssue(6, "联系电话", "139", "phone_unusual", "warning", "电话号码看起来不完整", "incomplete")]}
    out = tmp_path / "report.xlsx"
    assert write_report(source, table, lambda n: issues.get(n, []), out) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["填表说明", "实有人口"]
    sheet = book["实有人口"]
    assert sheet["A1"].value == "清波街道实有人口台账"  # title rows kept
    assert sheet["G4"].value == PROBLEM_HEADER
    assert sheet["B5"].value == "王芳" and sheet["G5"].value is None
    assert "id_as_number" in sheet["G6"].value and "phone_unusual" in sheet["G6"].value
    assert sheet["C6"].fill.start_color.rgb == "FFF4C7C3" and "存成了数字" in sheet["C6"].comment.text
    assert sheet["D6"].fill.start_color.rgb == "FFFFE5B4"
    assert sheet["B10"].value == "制表人：王芳"
    assert book["填表说明"]["A1"].value == "身份证号请设为文本格式"
