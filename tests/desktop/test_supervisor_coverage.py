"""The supervisor's community dashboard has the district dashboard's measures for its community: read
when its tab is shown (no 刷新 pressed), by grid, down to a grid's workers, and never beyond the community."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.main_window import MainWindow
from desktop.qt import Qt
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.workbench import attach
from tests.desktop.helpers import close_window
from tests.desktop.platform import PASSWORD, SUPERVISOR

WAIT = 60_000


def test_the_supervisor_sees_its_communitys_coverage_without_pressing_refresh(qtbot: Any, platform: Any,
                                                                               tmp_path: Path) -> None:
    from desktop.review import attach_review

    session = authenticate(tmp_path / "sup", platform.url, SUPERVISOR, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    attach(window)
    tools: Any = attach_review(window)
    window.show()
    try:
        coverage = tools.dashboard.coverage
        with qtbot.waitSignal(coverage.loaded, timeout=WAIT):
            tools.dashboard_dock.raise_()  # its tab clicked
        assert tools.dashboard.tabs.currentWidget() is coverage
        assert coverage.body["area"]["code"] == "330102001001"
        assert [c["code"] for c in coverage.body["path"]] == ["330102001001"]
        names = [coverage.model.row(i)["name"] for i in range(coverage.model.rowCount())]
        assert names == ["清波门第一网格", "清波门第二网格"]
        persons = coverage.model.index(0, coverage.model.column_of("persons")).data()
        assert persons not in ("", "—", "0")
        assert "人口" in coverage.summary.text() and "待审核" in coverage.summary.text()
        # into the first grid: its worker, then back (Backspace); the community is the top
        coverage.table.setFocus()
        coverage.table.setCurrentIndex(coverage.model.index(0, 0))
        with qtbot.waitSignal(coverage.loaded, timeout=WAIT):
            qtbot.keyClick(coverage.table, Qt.Key.Key_Return)
        assert [coverage.model.row(i)["username"] for i in range(coverage.model.rowCount())] == ["wg_qbm_1"]
        with qtbot.waitSignal(coverage.loaded, timeout=WAIT):
            qtbot.keyClick(coverage.table, Qt.Key.Key_Backspace)
        assert coverage.body["area"]["code"] == "330102001001"
        coverage.up()  # nothing above the supervisor's own community
        assert coverage.body["area"]["code"] == "330102001001"
    finally:
        close_window(window)


def test_offline_the_coverage_says_so_in_words(qtbot: Any) -> None:
    from desktop.review.api import ReviewApi
    from desktop.review.dashboard import Dashboard

    offline = Dashboard(ReviewApi(None))
    qtbot.addWidget(offline)
    with qtbot.waitSignal(offline.coverage.failed, timeout=WAIT) as got:
        offline.refresh()
    assert "离线" in got.args[0] and offline.coverage.message.text() == got.args[0]
    assert offline.coverage.refresh_button.isEnabled() and offline.coverage.model.rowCount() == 0
