"""Ledger templates and exports: layout kept, rows selected and labelled, masking, row limit, csv."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from forms.ledger import ExportRefused, ExportRequest, Item, LedgerError, RecordView, load_ledger, run_export
from forms.ledger.build_defaults import LEDGERS, OUT
from forms.ledger.check import default_scopes, default_templates
from forms.ledger.export import labels_for

TODAY = date(2026, 12, 1)


def elder(name: str, birth: str = "1940-03-05", tags: tuple[str, ...] = ("高龄老人", "老年人"),
          grid: str = "g1", community: str = "c1", **data: str) -> Item:
    record = {"name": name, "sex": "2", "birth_date": birth, "id_number": "11010519491231002X",
              "phone": "13812345678", "hukou_address": "浙江省杭州市上城区", **data}
    return Item(RecordView(record, frozenset(tags), {"address": "清波门小区3幢2单元301室"}, None), grid, community)


@pytest.fixture(scope="module")
def labels() -> object:
    return labels_for(default_templates())


def export(tmp_path: Path, file: str, items: list[Item], labels: object, **kw: object) -> tuple[object, Path]:
    ledger = load_ledger(OUT / file, default_scopes())
    out = tmp_path / ("out." + str(kw.get("format", "xlsx")))
    req = ExportRequest(ledger, out, area_name="清波门社区", today=TODAY, **kw)  # type: ignore[arg-type]
    return run_export(req, items, labels), out  # type: ignore[arg-type]


def test_every_shipped_ledger_loads_and_checks() -> None:
    scopes = default_scopes()
    assert len(LEDGERS) == 10
    for spec in LEDGERS:
        ledger = load_ledger(OUT / spec.file, scopes)
        assert ledger.name == spec.name and ledger.type == spec.type


def test_elderly_ledger_keeps_layout_selects_labels_and_masks(tmp_path: Path, labels: object) -> None:
    items = [elder("张桂英"), elder("李秀兰", "1930-01-01"), elder("王小明", "1990-01-01", tags=())]
    result, out = export(tmp_path, "高龄老人台账.xlsx", items, labels)
    assert result.rows == 2 and result.sheets == 1 and result.masked  # type: ignore[attr-defined]
    template = openpyxl.load_workbook(OUT / "高龄老人台账.xlsx").worksheets[0]
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert {str(r) for r in template.merged_cells.ranges if r.max_row < 5} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "清波门社区高龄老人台账" and ws["A1"].font.b and ws["A1"].font.sz == 18
    assert ws["K3"].value == "紧急联系人" and ws["K4"].value == "姓名" and ws["F3"].value == "公民身份号码"
    assert abs(ws.column_dimensions["F"].width - template.column_dimensions["F"].width) < 1
    assert ws["F5"].border.left.style == "thin"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=6)]
    assert [r[1] for r in rows] == ["张桂英", "李秀兰"] or [r[1] for r in rows] == ["李秀兰", "张桂英"]
    first = rows[0] if rows[0][1] == "张桂英" else rows[1]
    assert first[0] in (1, 2) and first[2] == "女性" and first[4] == 86 and first[3] == "1940-03"
    assert first[5] == "110105********002X" and first[8] == "138****5678"
    assert first[7] == "清波门小区3幢2单元301室"
    assert ws["A7"].value.startswith("制表人") and "A7:N7" in {str(r) for r in ws.merged_cells.ranges}


def test_unmasking_needs_an_allowed_role_and_a_reason(tmp_path: Path, labels: object) -> None:
    items = [elder("张桂英")]
    with pytest.raises(ExportRefused) as refused:
        export(tmp_path, "高龄老人台账.xlsx", items, labels, role="worker", unmasked=True, reason="核对")
    assert refused.value.code == "unmask_forbidden" and "F" in refused.value.zh
    with pytest.raises(ExportRefused) as no_reason:
        export(tmp_path, "高龄老人台账.xlsx", items, labels, role="admin", unmasked=True, reason=" ")
    assert no_reason.value.code == "reason_required"
    assert not (tmp_path / "out.xlsx").exists()
    result, out = export(tmp_path, "高龄老人台账.xlsx", items, labels, role="admin", unmasked=True,
                         reason="民政局高龄津贴发放核对")
    assert not result.masked and result.unmasked_columns == ["F", "I", "L"]  # type: ignore[attr-defined]
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["F5"].value == "11010519491231002X" and ws["I5"].value == "13812345678"


def test_past_the_row_limit_the_ledger_goes_on_on_a_new_sheet_with_the_header(tmp_path: Path, labels: object) -> None:
    items = [elder(f"老人{i:02d}") for i in range(25)]
    result, out = export(tmp_path, "高龄老人台账.xlsx", items, labels, row_limit=16)  # 4 header + 1 footer + 11
    assert result.rows == 25 and result.sheets == 3  # type: ignore[attr-defined]
    wb = openpyxl.load_workbook(out)
    counts = []
    for ws in wb.worksheets:
        assert ws["B3"].value == "姓名" and "K3:L3" in {str(r) for r in ws.merged_cells.ranges}
        assert ws.max_row <= 16
        counts.append(sum(1 for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)))
    assert counts == [11, 11, 3]
    assert wb.worksheets[-1].cell(5 + 3, 1).value.startswith("制表人")
    assert wb.worksheets[1]["A5"].value == 12  # the row numbers go on


def test_csv_is_utf8_with_bom_and_opens_with_the_right_characters(tmp_path: Path, labels: object) -> None:
    result, out = export(tmp_path, "高龄老人台账.xlsx", [elder("欧阳桂英")], labels, format="csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "姓名", "性别"] and rows[0][10] == "姓名"
    assert rows[1][1] == "欧阳桂英" and rows[1][2] == "女性" and rows[1][5] == "110105********002X"
    assert result.rows == 1  # type: ignore[attr-defined]


def test_split_by_community_gives_one_sheet_per_community(tmp_path: Path, labels: object) -> None:
    items = [elder("甲", community="c1"), elder("乙", community="c2"), elder("丙", community="c2")]
    result, out = export(tmp_path, "实有人口总表.xlsx", items, labels,
                         area_names={"c1": "清波门社区", "c2": "劳动路社区"})
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["清波门社区", "劳动路社区"] and result.rows == 3  # type: ignore[attr-defined]
    assert wb["劳动路社区"]["A1"].value == "劳动路社区实有人口总表"


def test_summary_table_counts_by_community_with_a_total_row(tmp_path: Path, labels: object) -> None:
    items = [elder("甲", "1950-01-01", ("老年人", "70-79岁")), elder("乙", "1960-06-01", ("老年人", "60-69岁"), community="c2"),
             elder("丙", "1935-01-01", ("老年人", "90岁以上", "独居老人"), community="c2"), elder("丁", "2000-01-01", ())]
    _result, out = export(tmp_path, "各社区老年人口统计表.xlsx", items, labels,
                         row_areas=(("c1", "清波门社区"), ("c2", "劳动路社区")))
    ws = openpyxl.load_workbook(out).worksheets[0]
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=5, max_row=7)]
    assert body[0] == [1, "清波门社区", 0, 1, 0, 0, 1, 0, 0]
    assert body[1] == [2, "劳动路社区", 1, 0, 0, 1, 2, 1, 0]
    assert body[2][0] == "合计" and body[2][2:] == [1, 1, 0, 1, 3, 1, 0]


def _ledger_book(path: Path, data_row: list[str], meta: list[tuple[str, str]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["测试台账"])
    ws.append(["序号", "姓名", "年龄"])
    ws.append(data_row)
    m = wb.create_sheet("ledger")
    for row in meta:
        m.append(list(row))
    wb.save(path)
    return path


def test_bad_placeholders_are_located_by_sheet_cell_and_position(tmp_path: Path) -> None:
    path = _ledger_book(tmp_path / "bad.xlsx", ["${#}", "${nam}", "{{ age(${birth_date} }}"],
                        [("name", "测试"), ("entity", "person"), ("filter", "has-tag('高龄老人') and"),
                         ("column", "mask"), ("Q", "id")])
    with pytest.raises(LedgerError) as exc:
        load_ledger(path, default_scopes())
    found = {(p.sheet, p.row, p.column): p for p in exc.value.problems}
    assert found[("台账", 3, "B")].position == 2 and found[("台账", 3, "B")].code == "unknown_field"
    assert "nam" in found[("台账", 3, "B")].message
    bad_expr = found[("台账", 3, "C")]
    assert bad_expr.code == "syntax" and 3 <= (bad_expr.position or 0) <= 22
    assert ("ledger", 3, "B") in found  # the filter
    assert ("ledger", 5, "A") in found  # column Q is not in the data row


def test_a_cancelled_export_leaves_no_file_and_progress_is_reported(tmp_path: Path, labels: object) -> None:
    from forms.ledger import Cancelled

    ledger = load_ledger(OUT / "高龄老人台账.xlsx", default_scopes())
    items = [elder(f"老人{i:03d}") for i in range(300)]
    seen: list[tuple[int, int]] = []
    out = tmp_path / "c.xlsx"
    with pytest.raises(Cancelled):
        run_export(ExportRequest(ledger, out, today=TODAY), items, labels,  # type: ignore[arg-type]
                   progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) >= 3)
    assert not out.exists() and seen[:3] == [(3, 300), (6, 300), (9, 300)]
    done = run_export(ExportRequest(ledger, out, today=TODAY), items, labels,  # type: ignore[arg-type]
                      progress=lambda d, t: seen.append((d, t)))
    assert done.rows == 300 and seen[-1] == (300, 300)
