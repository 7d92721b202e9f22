"""The worker's 导出台账 in the workbench: preview, export off the GUI thread, audit entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from desktop.workbench import attach


def test_the_worker_exports_a_ledger_from_the_toolbar(qtbot: Any, main_window: Any, tmp_path: Path) -> None:
    bench = attach(main_window)
    action = bench.actions["export"]
    assert action.text() == "导出台账" and action in main_window.sync_toolbar.actions()
    action.trigger()
    dialog = bench.export_dialog
    dialog.ledger.setCurrentIndex(dialog.ledger.findData("实有人口总表"))
    qtbot.waitUntil(lambda: dialog.previewed > 0 and dialog.model.rowCount() > 0, timeout=30000)
    assert dialog.model.horizontalHeaderItem(1).text() == "姓名"
    ids = [dialog.model.item(r, 5).text() for r in range(dialog.model.rowCount())]
    assert all("*" in i for i in ids if i)  # masked in the preview as in the file
    out = tmp_path / "out" / "实有人口.xlsx"
    dialog.export_to(out)
    assert dialog.running and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.error == "" and dialog.result is not None, dialog.error
    assert dialog.result["rows"] == dialog.previewed and dialog.bar.value() == 100
    assert dialog.open_button.isEnabled()
    wb = openpyxl.load_workbook(out)
    data_rows = sum(1 for ws in wb.worksheets for r in ws.iter_rows(min_row=4, values_only=True)
                    if isinstance(r[0], int))
    assert data_rows == dialog.previewed
    entry = main_window.session.store.audit.entries(limit=1)[0]
    assert entry["action"] == "export"
    dialog.close()
