"""The filtered audit log written to a file: CSV (UTF-8 with BOM, so Excel reads the Chinese) or .xlsx.

The export is made on the client, page after page of ``GET /audit`` with the same filters (the admin's
screen, off the GUI thread); the platform needs no file endpoint of its own.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sync.client.audit_text import export_row

PAGE = 500
HEADER_ZH = ("编号", "时间", "操作人", "操作", "操作名称", "记录编号", "对象", "详情", "来源", "设备", "IP", "区划")


def every_entry(get: Callable[[str, dict[str, Any]], Any], params: Mapping[str, Any],
                cancelled: Callable[[], bool] = lambda: False) -> Iterator[dict[str, Any]]:
    """Every matching entry, newest first, through ``get("/audit", query)`` page after page."""
    before: int | None = None
    while not cancelled():
        query = {**{k: v for k, v in params.items() if v is not None}, "limit": PAGE}
        if before is not None:
            query["before"] = before
        body = get("/audit", query)
        yield from body["items"]
        before = body["next_before"]
        if before is None:
            return


def write(path: Path, entries: Iterable[Mapping[str, Any]]) -> int:
    """Write ``entries`` to ``path`` (.xlsx by its suffix, else CSV); returns the number of rows."""
    rows = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("审计日志")
        sheet.append(list(HEADER_ZH))
        for entry in entries:
            sheet.append(export_row(entry))
            rows += 1
        book.save(path)
        return rows
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER_ZH)
        for entry in entries:
            writer.writerow(export_row(entry))
            rows += 1
    return rows
