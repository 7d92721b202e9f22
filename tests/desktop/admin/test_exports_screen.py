"""The admin's 导出台账 and 台账模板 screens against the real platform."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.desktop.admin.conftest import WAIT

pytestmark = pytest.mark.gui
SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "ledgers"


def test_the_admin_exports_a_summary_table_for_the_street(qtbot: Any, admin_window: Any, tmp_path: Path) -> None:
    screen = admin_window.show_screen("exports").panel
    qtbot.waitUntil(lambda: screen.loaded and screen.busy == 0, timeout=WAIT)
    screen.ledger.setCurrentIndex(screen.ledger.findData("各社区老年人口统计表"))
    out = tmp_path / "老年人口.xlsx"
    screen.export_to(out)
    qtbot.waitUntil(lambda: screen.finished is not None or screen.error_label.isVisible(), timeout=WAIT)
    assert screen.finished is not None, screen.error_label.text()
    assert screen.open_button.isEnabled() and screen.bar.value() == 100
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["C3"].value == "其中" and ws["C4"].value == "60-69岁"
    rows = screen.finished["rows"]
    assert rows >= 1 and ws.cell(5 + rows, 1).value == "合计"


def test_a_ledger_with_a_bad_placeholder_is_not_published_and_its_problem_is_located(
        qtbot: Any, admin_window: Any, tmp_path: Path) -> None:
    screen = admin_window.show_screen("ledgers")
    qtbot.waitUntil(lambda: screen.loaded and screen.busy == 0, timeout=WAIT)
    assert screen.model.rowCount() >= 10
    wb = openpyxl.load_workbook(SHIPPED / "残疾人台账.xlsx")
    wb.worksheets[0]["D5"] = "{{ age(${birth_date} }}"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    screen.publish(bad)
    qtbot.waitUntil(lambda: screen.busy == 0 and screen.problems.isVisible(), timeout=WAIT)
    assert "残疾人台账" in screen.problems.toPlainText() and "D5" in screen.problems.toPlainText()
