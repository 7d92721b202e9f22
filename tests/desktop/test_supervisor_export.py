"""The supervisor's 导出台账 (review tools' toolbar): its community's ledger from the platform, masked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop.main_window import MainWindow
from desktop.review import attach_review
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.workbench import attach
from tests.desktop.helpers import close_window
from tests.desktop.platform import PASSWORD, SUPERVISOR

pytestmark = pytest.mark.gui
WAIT = 30000


@pytest.fixture
def window(qtbot: Any, platform: Any, tmp_path: Path) -> Iterator[Any]:
    session = authenticate(tmp_path / "sup", platform.url, SUPERVISOR, PASSWORD, initial_sync=initial_sync)
    win = MainWindow(session)
    win.show()
    yield win
    close_window(win)


def test_the_supervisor_exports_the_communitys_ledger_from_the_toolbar(qtbot: Any, window: Any,
                                                                        tmp_path: Path) -> None:
    attach(window)  # as the app wires it: the worker's tools, then the review
    tools = attach_review(window)
    action = tools.actions["export"]
    assert action in window.sync_toolbar.actions() and action.text() == "导出台账"
    assert [a.text() for a in window.sync_toolbar.actions()].count("导出台账") == 1
    action.trigger()
    screen = tools.export_screen
    qtbot.waitUntil(lambda: screen.loaded and screen.busy == 0, timeout=WAIT)
    screen.ledger.setCurrentIndex(screen.ledger.findData("实有人口总表"))
    out = tmp_path / "人口.xlsx"
    screen.export_to(out)
    qtbot.waitUntil(lambda: screen.finished is not None or screen.error_label.isVisible(), timeout=WAIT)
    assert screen.finished is not None, screen.error_label.text()
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 1 and screen.finished["masked"] is True
    ws = wb.worksheets[0]
    assert all(v is None or "*" in str(v) for v in (ws.cell(r, 6).value for r in range(4, 4 + screen.finished["rows"])))
