"""Import samples built from the demo district, written the way offices write them
(``python -m sync.server.demo_samples [DIR]``, default ``resources/samples/``).

:func:`demo_entities` is deterministic, so the ID numbers in these files are the demo platform's:

- ``实有人口台账.xlsx``: the street's person ledger — a merged title row, a two-row merged header
  (group headings above the column names), choices written as labels (男, 汉族, 户籍人口…), dates as
  2023/1/5, phones with dashes; most rows as the platform holds them, some updated phones, a few new
  persons placed by their grid, an ID number stored as a number, one person on two rows, one new
  person whose address names no house.
- ``民政低保名单.csv``: 民政's 低保 list (GBK, a title line): most of the demo's 低保对象, some
  persons new to the list, some omitted (the snapshot removes their tag), a few differing phones
  (reported for the worker to verify).
- ``残联名单.xlsx``: 残联's list: 残疾人证号 values, some differing from the records (reported).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

from sync.server.demo import AREAS, DEMO_PERSONS, GRIDS, demo_entities

LEDGER = "实有人口台账.xlsx"
DIBAO = "民政低保名单.csv"
CANLIAN = "残联名单.xlsx"
GROUPS = [("基本信息", 7), ("居住信息", 2), ("户籍信息", 9)]
HEADER = ["序号", "姓名", "公民身份号码", "性别", "民族", "出生日期", "联系电话", "所属网格", "现住址",
          "人口类型", "证件类型", "国籍", "户籍地行政区划代码", "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型"]
FIELDS = [None, "name", "id_number", "sex", "ethnicity", "birth_date", "phone", None, None, "population_type", "id_type",
          "nationality", "hukou_division", "hukou_address", "hukou_here", "living_here", "relation_to_head",
          "residence_type"]
GRID_NAMES = {code: name for code, name, level, _parent in AREAS if level == "grid"}


def _persons() -> list[dict[str, Any]]:
    return [e for e in demo_entities() if e["kind"] == "person" and e["data"].get("id_type") == "01"
            and e["state"] == "active"]


def _labels() -> dict[str, dict[str, str]]:
    import importlib.resources

    from forms.xlsform import load_template

    tpl = load_template(Path(str(importlib.resources.files("resources") / "templates" / "person.xlsx")))
    out: dict[str, dict[str, str]] = {}
    for name, f in tpl.fields.items():
        if f.choice_list and f.choice_list in tpl.choices:
            out[name] = {c.name: c.label("zh") for c in tpl.choices[f.choice_list].choices}
    return out


def _office(name: str, value: Any, labels: dict[str, dict[str, str]]) -> Any:
    """A stored value as an office writes it."""
    if value is None or value == "":
        return None
    if name in labels:
        return labels[name].get(str(value), value)
    if name == "birth_date":
        y, m, d = str(value).split("-")
        return f"{int(y)}/{int(m)}/{int(d)}"
    if name == "phone" and len(str(value)) == 11:
        v = str(value)
        return f"{v[:3]}-{v[3:7]}-{v[7:]}"
    return value


def _id(first17: str) -> str:
    from forms.synth.population import id_check_char

    return first17 + id_check_char(first17)


def ledger_rows() -> list[list[Any]]:
    labels = _labels()
    people = [p for p in _persons() if p["grid"] in GRIDS[:2]][:60]
    rows: list[list[Any]] = []

    def row_of(p: dict[str, Any], **changes: Any) -> list[Any]:
        data = {**p["data"], **changes}
        cells = [_office(f, data.get(f), labels) if f else None for f in FIELDS]
        cells[7] = GRID_NAMES[p["grid"]]
        cells[8] = data.get("hukou_address") if data.get("hukou_here") == "yes" else None
        return cells

    for p in people[:50]:
        rows.append(row_of(p))
    for n, p in enumerate(people[50:55]):  # updated phones
        rows.append(row_of(p, phone=f"1390571{n:04d}"))
    resident = {"population_type": "1", "id_type": "01", "nationality": "CHN", "hukou_division": "330102",
                "hukou_here": "yes", "living_here": "yes", "relation_to_head": "02", "residence_type": "1",
                "ethnicity": "01"}
    for n, (sex, grid) in enumerate((("2", GRIDS[0]), ("1", GRIDS[1]), ("2", GRIDS[1]))):  # new persons
        number = _id(f"33010219910{n + 1}1{n}{12 + n:02d}{2 * n + (1 if sex == '1' else 0)}")
        data = {**resident, "name": ["赵新月", "钱新宇", "孙新雅"][n], "id_number": number, "sex": sex,
                "birth_date": f"1991-0{n + 1}-1{n}", "phone": f"1360000000{n}",
                "hukou_address": f"清波街道清波门小区{n + 1}幢1单元10{n + 1}室"}
        rows.append(row_of({"grid": grid, "data": data}))
    as_number = row_of(people[55])
    as_number[2] = float(people[55]["data"]["id_number"])  # Excel turned the ID into a number
    rows.append(as_number)
    rows.append(row_of(people[56]))
    rows.append(row_of(people[56], phone="13700000000"))  # the same person twice
    nowhere = {**resident, "name": "李无址", "id_number": _id("33010219920303123"), "sex": "1",
               "birth_date": "1992-03-03", "hukou_address": "清波街道某某小区99幢9单元999室"}
    unknown = row_of({"grid": GRIDS[0], "data": nowhere})
    unknown[7], unknown[8] = None, "清波街道某某小区99幢9单元999室"
    rows.append(unknown)
    for n, r in enumerate(rows, 1):
        r[0] = n
    return rows


def write_ledger(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "实有人口"
    sheet.append(["清波街道实有人口台账（2026年11月）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    group_row: list[Any] = [None]
    for name, width in GROUPS:
        group_row += [name] + [None] * (width - 1)
    sheet.append(group_row)
    column = 2
    for _name, width in GROUPS:
        sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + width - 1)
        column += width
    sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    sheet.cell(2, 1).value = "序号"
    sheet.append([None, *HEADER[1:]])
    for row in ledger_rows():
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=4, min_col=3, max_col=3):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    book.save(path)


def dibao_rows() -> list[list[Any]]:
    people = _persons()
    held = [p for p in people if "低保对象" in p["tags"] and p["grid"] in GRIDS]
    fresh = [p for p in people if "低保对象" not in p["tags"] and "低保边缘" not in p["tags"]
             and "特困人员" not in p["tags"]][:5]
    listed = held[:-6] + fresh  # the last six are no longer on the list
    rows: list[list[Any]] = []
    for n, p in enumerate(listed, 1):
        phone = p["data"].get("phone", "")
        if n % 15 == 0:
            phone = f"1885710{n:04d}"  # 民政 holds another phone: a suggestion
        rows.append([n, p["data"]["name"], p["data"]["id_number"], phone, 1 + n % 3, f"{1160 * (1 + n % 3)}.00"])
    return rows


def write_dibao(path: Path) -> None:
    out = io.StringIO()
    out.write("上城区民政局 最低生活保障对象名单（截至2026年11月30日）\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["序号", "姓名", "身份证号码", "联系电话", "保障人数", "月保障金（元）"])
    writer.writerows(dibao_rows())
    path.write_bytes(out.getvalue().encode("gbk"))


def canlian_rows() -> list[list[Any]]:
    people = [p for p in _persons() if p["data"].get("disability_cert")][:20]
    rows: list[list[Any]] = []
    for n, p in enumerate(people, 1):
        cert = p["data"]["disability_cert"]
        if n % 5 == 0:  # 残联's newer certificate (category/grade changed): a suggestion
            cert = cert[:18] + ("2" if cert[18:19] != "2" else "3") + cert[19:]
        rows.append([n, p["data"]["name"], p["data"]["id_number"], cert])
    return rows


def write_canlian(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "持证残疾人"
    sheet.append(["上城区残疾人联合会 持证残疾人名单"])
    sheet.append(["序号", "姓名", "身份证号", "残疾人证号"])
    for row in canlian_rows():
        sheet.append(row)
    book.save(path)


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / LEDGER, folder / DIBAO, folder / CANLIAN]
    write_ledger(out[0])
    write_dibao(out[1])
    write_canlian(out[2])
    return out


__all__ = ["DEMO_PERSONS", "main", "write_all"]


def default_folder() -> Path:
    import importlib.resources

    return Path(str(importlib.resources.files("resources") / "samples"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in write_all(Path(args[0]) if args else default_folder()):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
