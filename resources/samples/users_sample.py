"""Write ``users_sample.xlsx``: a bulk-user workbook as a street office makes one (a title row above
the header, Chinese headers, a date cell, several grids in one cell), for the demo district.

``python -m resources.samples.users_sample [OUT.xlsx]`` (default: next to this file).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "users_sample.xlsx"
HEADER = ["用户名", "姓名", "角色", "区划代码", "结束日期", "第三方"]
ROWS: list[list[object]] = [
    ["wg_qbm_11", "陈静", "网格员", "330102001001001", None, "否"],
    ["wg_qbm_12", "刘洋", "网格员", "330102001001001、330102001001002", None, "否"],
    ["wg_ldl_11", "黄丽", "网格员", "330102001002001", date(2027, 6, 30), "是"],
    ["sup_ldl_2", "林峰", "审核员", "330102001002", None, None],
]


def write(path: Path = SAMPLE) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "用户"
    sheet.append(["清波街道 一表通账号申请表（每行一人；区划代码多个用顿号分开）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for column, width in zip("ABCDEF", (14, 10, 10, 40, 14, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["E"][2:]:
        cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE))
