"""Build the shipped ledger templates in ``resources/ledgers/`` (laid out like the departments' forms).

    python -m forms.ledger.build_defaults          # (re)write every workbook
    python -m forms.ledger.build_defaults --check  # exit 1 if one is missing or fails its check
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "resources" / "ledgers"
AGE = "age(${birth_date})"


@dataclass(frozen=True)
class Col:
    header: str
    value: str
    width: float = 12
    group: str = ""  # a merged header above consecutive columns of the same group


@dataclass(frozen=True)
class Spec:
    file: str
    name: str
    entity: str
    columns: tuple[Col, ...]
    filter: str = ""
    tags: str = ""
    sort: str = "grid, name"
    split: str = "none"
    type: str = "ledger"
    rows: str = "community"


NO = Col("序号", "${#}", 6)
ADDRESS = Col("现住地址", "${house.address}", 30)
LEDGERS: tuple[Spec, ...] = (
    Spec("实有人口总表.xlsx", "实有人口总表", "person", (
        NO, Col("姓名", "${name}", 10), Col("性别", "${sex}", 6), Col("民族", "${ethnicity}", 8),
        Col("出生日期", "${birth_date}", 12), Col("公民身份号码", "${id_number}", 21),
        Col("户籍地址", "${hukou_address}", 26), ADDRESS,
        Col("与户主关系", "${relation_to_head}", 10), Col("人口类型", "${population_type}", 10),
        Col("联系电话", "${phone}", 14), Col("文化程度", "${education}", 12),
        Col("政治面貌", "${political_status}", 12), Col("婚姻状况", "${marital_status}", 10),
        Col("工作单位", "${employer}", 20), Col("备注", "", 12)), sort="grid, name", split="community"),
    Spec("实有房屋总表.xlsx", "实有房屋总表", "house", (
        NO, Col("房屋编号", "${house_no}", 14), Col("小区", "${estate}", 14, "房屋地址"),
        Col("楼栋", "${building}", 8, "房屋地址"), Col("单元", "${unit}", 6, "房屋地址"), Col("室", "${room}", 8, "房屋地址"),
        Col("建筑用途", "${building_use}", 10), Col("房屋性质", "${house_nature}", 10),
        Col("建筑面积（㎡）", "${building_area}", 10), Col("姓名", "${owner_name}", 10, "房主"),
        Col("证件号码", "${owner_id_number}", 21, "房主"), Col("联系电话", "${owner_phone}", 14, "房主"),
        Col("居住状态", "${occupancy}", 10), Col("居住人数", "${occupant_count}", 8), Col("备注", "", 12)),
        sort="grid, estate, building, unit, room"),
    Spec("高龄老人台账.xlsx", "高龄老人台账", "person", (
        NO, Col("姓名", "${name}", 10), Col("性别", "${sex}", 6), Col("出生年月", "{{ format-date(${birth_date}, '%Y-%m') }}", 10),
        Col("年龄", "{{ " + AGE + " }}", 6), Col("公民身份号码", "${id_number}", 21), Col("户籍地址", "${hukou_address}", 24),
        ADDRESS, Col("联系电话", "${phone}", 14), Col("是否独居", "{{ if(has-tag('独居老人'), '是', '否') }}", 8),
        Col("姓名", "${guardian_name}", 10, "紧急联系人"), Col("电话", "${guardian_phone}", 14, "紧急联系人"),
        Col("高龄津贴档次", "{{ if(" + AGE + " >= 100, '100岁及以上', if(" + AGE + " >= 90, '90-99岁', '80-89岁')) }}", 12),
        Col("备注", "", 12)), tags="高龄老人", sort="grid, birth_date"),
    Spec("独居空巢老人台账.xlsx", "独居/空巢老人台账", "person", (
        NO, Col("姓名", "${name}", 10), Col("性别", "${sex}", 6), Col("年龄", "{{ " + AGE + " }}", 6),
        Col("公民身份号码", "${id_number}", 21), ADDRESS, Col("联系电话", "${phone}", 14),
        Col("类别", "{{ if(has-tag('独居老人'), '独居', '空巢') }}", 8),
        Col("姓名", "${guardian_name}", 10, "紧急联系人"), Col("电话", "${guardian_phone}", 14, "紧急联系人"),
        Col("备注", "", 12)), filter="has-tag('独居老人') or has-tag('空巢老人')", sort="grid, name"),
    Spec("残疾人台账.xlsx", "残疾人台账", "person", (
        NO, Col("姓名", "${name}", 10), Col("性别", "${sex}", 6), Col("年龄", "{{ " + AGE + " }}", 6),
        Col("公民身份号码", "${id_number}", 21), Col("残疾证号", "${disability_cert}", 24),
        Col("残疾类别", "{{ cn-disability-category(${disability_cert}) }}", 8, "残疾情况"),
        Col("残疾等级", "{{ cn-disability-grade(${disability_cert}) }}", 8, "残疾情况"), ADDRESS,
        Col("监护人", "${guardian_name}", 10), Col("联系电话", "${phone}", 14), Col("享受补贴情况", "", 12),
        Col("备注", "", 12)), tags="残疾人", sort="grid, name"),
    Spec("流动人口台账.xlsx", "流动人口台账", "person", (
        NO, Col("姓名", "${name}", 10), Col("性别", "${sex}", 6), Col("公民身份号码", "${id_number}", 21),
        Col("户籍地址", "${hukou_address}", 24), ADDRESS, Col("来本地日期", "${residence_reg_date}", 12),
        Col("居住事由", "${residence_reason}", 10), Col("居住证号", "${residence_permit_no}", 20, "居住证"),
        Col("有效期", "${permit_expiry}", 12, "居住证"), Col("工作单位", "${employer}", 20),
        Col("联系电话", "${phone}", 14), Col("房东姓名", "${house.owner_name}", 10), Col("备注", "", 12)),
        tags="流动人口", sort="grid, name"),
    Spec("出租房屋台账.xlsx", "出租房屋台账", "house", (
        NO, Col("房屋地址", "${address}", 30), Col("姓名", "${owner_name}", 10, "房东"),
        Col("身份证号", "${owner_id_number}", 21, "房东"), Col("电话", "${owner_phone}", 14, "房东"),
        Col("姓名", "{{ indexed-repeat(${tenant_name}, ${tenants}, 1) }}", 10, "承租人"),
        Col("身份证号", "{{ indexed-repeat(${tenant_id_number}, ${tenants}, 1) }}", 21, "承租人"),
        Col("电话", "{{ indexed-repeat(${tenant_phone}, ${tenants}, 1) }}", 14, "承租人"),
        Col("居住人数", "${occupant_count}", 8), Col("出租间数", "${rental_room_count}", 8),
        Col("租赁起止日期", "${lease_start} 至 ${lease_end}", 24), Col("出租用途", "${rental_use}", 8),
        Col("是否备案", "${rental_registered}", 8), Col("是否群租", "{{ if(has-tag('群租'), '是', '否') }}", 8),
        Col("备注", "", 12)), filter="has-tag('出租') or has-tag('部分出租')", sort="grid, address"),
    Spec("育龄妇女台账.xlsx", "育龄妇女台账", "person", (
        NO, Col("姓名", "${name}", 10), Col("出生日期", "${birth_date}", 12), Col("年龄", "{{ " + AGE + " }}", 6),
        Col("公民身份号码", "${id_number}", 21), Col("婚姻状况", "${marital_status}", 10), ADDRESS,
        Col("联系电话", "${phone}", 14), Col("人口类型", "${population_type}", 10),
        Col("是否孕产妇", "{{ if(has-tag('孕产妇'), '是', '否') }}", 10), Col("备注", "", 12)),
        tags="育龄妇女", sort="grid, birth_date"),
    Spec("各社区老年人口统计表.xlsx", "各社区老年人口统计表", "person", (
        NO, Col("社区", "${@area}", 16), Col("60-69岁", "{{ count(has-tag('60-69岁')) }}", 10, "其中"),
        Col("70-79岁", "{{ count(has-tag('70-79岁')) }}", 10, "其中"), Col("80-89岁", "{{ count(has-tag('80-89岁')) }}", 10, "其中"),
        Col("90岁以上", "{{ count(has-tag('90岁以上')) }}", 10, "其中"), Col("老年人合计", "{{ count() }}", 12),
        Col("独居老人", "{{ count(has-tag('独居老人')) }}", 10), Col("空巢老人", "{{ count(has-tag('空巢老人')) }}", 10)),
        tags="老年人", sort="", type="summary", rows="community"),
    Spec("出租房屋统计表.xlsx", "出租房屋统计表", "house", (
        NO, Col("网格", "${@area}", 16), Col("自住", "{{ count(has-tag('自住')) }}", 8, "居住状态"),
        Col("出租", "{{ count(has-tag('出租')) }}", 8, "居住状态"), Col("部分出租", "{{ count(has-tag('部分出租')) }}", 8, "居住状态"),
        Col("空置", "{{ count(has-tag('空置')) }}", 8, "居住状态"), Col("借住", "{{ count(has-tag('借住')) }}", 8, "居住状态"),
        Col("房屋合计", "{{ count() }}", 10), Col("群租", "{{ count(has-tag('群租')) }}", 8),
        Col("居住人数", "{{ sum(${occupant_count}) }}", 10)), sort="", type="summary", rows="grid"),
)


def build(spec: Spec, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = spec.name.replace("/", "、")
    n = len(spec.columns)
    last = get_column_letter(n)
    thin = Side(style="thin", color="FF000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = "${@area}" + spec.name.replace("/", "、")
    ws["A1"].font = Font(name="方正小标宋简体", size=18, bold=True)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 36
    half = max(1, n // 2)
    ws.merge_cells(f"A2:{get_column_letter(half)}2")
    ws["A2"] = "填报单位：${@area}"
    ws.merge_cells(f"{get_column_letter(half + 1)}2:{last}2")
    ws.cell(2, half + 1, "填报日期：${@date}").alignment = Alignment(horizontal="right")
    for c in (ws["A2"], ws.cell(2, half + 1)):
        c.font = Font(name="宋体", size=11)
    grouped = any(col.group for col in spec.columns)
    head_rows = (3, 4) if grouped else (3,)
    data_row = head_rows[-1] + 1
    fill = PatternFill("solid", fgColor="FFD9E1F2")
    i = 0
    while i < n:
        col = spec.columns[i]
        letter = get_column_letter(i + 1)
        if col.group:
            j = i
            while j + 1 < n and spec.columns[j + 1].group == col.group:
                j += 1
            ws.merge_cells(f"{letter}3:{get_column_letter(j + 1)}3")
            ws.cell(3, i + 1, col.group)
            for k in range(i, j + 1):
                ws.cell(4, k + 1, spec.columns[k].header)
            i = j + 1
            continue
        if grouped:
            ws.merge_cells(f"{letter}3:{letter}4")
        ws.cell(3, i + 1, col.header)
        i += 1
    for r in head_rows:
        ws.row_dimensions[r].height = 24
        for c in range(1, n + 1):
            cell = ws.cell(r, c)
            cell.font = Font(name="黑体", size=11, bold=True)
            cell.alignment = centre
            cell.border = box
            cell.fill = fill
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(data_row, c, col.value or None)
        cell.font = Font(name="宋体", size=10)
        cell.border = box
        cell.alignment = Alignment(horizontal="center" if col.width <= 10 else "left", vertical="center")
        cell.number_format = "@" if col.width > 10 else "General"
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[data_row].height = 18
    foot = data_row + 1
    ws.merge_cells(f"A{foot}:{last}{foot}")
    ws.cell(foot, 1, "制表人：　　　　　　审核人：　　　　　　联系电话：　　　　　　").font = Font(name="宋体", size=11)
    ws.row_dimensions[foot].height = 28
    ws.freeze_panes = ws.cell(data_row, 1)
    meta = wb.create_sheet("ledger")
    rows: list[tuple[str, str]] = [("name", spec.name), ("entity", spec.entity), ("type", spec.type), ("filter", spec.filter),
            ("tags", spec.tags), ("sort", spec.sort), ("split", spec.split)]
    if spec.type == "summary":
        rows.append(("rows", spec.rows))
    for at, (key, val) in enumerate(rows, start=1):
        meta.cell(at, 1, key)
        meta.cell(at, 2, val or None)
    meta.column_dimensions["B"].width = 60
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forms.ledger.build_defaults")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    from forms.ledger.check import default_scopes
    from forms.ledger.template import LedgerError, load_ledger

    scopes = default_scopes()
    bad = 0
    for spec in LEDGERS:
        path = OUT / spec.file
        if not args.check:
            build(spec, path)
        try:
            load_ledger(path, scopes)
        except (LedgerError, FileNotFoundError) as exc:
            bad += 1
            print(f"{path.name}: {exc}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
