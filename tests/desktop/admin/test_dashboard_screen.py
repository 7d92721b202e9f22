"""The admin's district dashboard: figures on show, drilling down from the street to a grid's workers
with the keyboard and the mouse, the breadcrumb and Backspace back up, F5, the stale workers' list."""

from __future__ import annotations

from typing import Any

from desktop.qt import QPoint, Qt
from tests.desktop.admin.conftest import WAIT


def _row_of(board: Any, code: str) -> int:
    return next(i for i in range(board.model.rowCount()) if board.model.row(i).get("code") == code)


def _cell(board: Any, row: int, key: str) -> str:
    return str(board.model.index(row, board.model.column_of(key)).data())


def test_the_admin_drills_down_from_the_street_to_a_grid_and_back(qtbot: Any, admin_window: Any) -> None:
    screen = admin_window.show_screen("dashboard")
    board = screen.board
    qtbot.waitUntil(lambda: board.body is not None, timeout=WAIT)  # read when shown, no 刷新 pressed
    assert board.body["area"]["code"] == "330102001"
    assert [board.model.row(i)["name"] for i in range(board.model.rowCount())] == ["清波门社区", "劳动路社区"]
    street_persons = int(board.body["totals"]["persons"])
    community = _row_of(board, "330102001001")
    assert int(_cell(board, community, "persons").replace(",", "")) == board.body["rows"][community]["persons"] > 0
    assert "%" in _cell(board, community, "coverage") or _cell(board, community, "coverage") == "—"
    assert board.coverage_view.chart().series()[0].barSets()[0].count() == 2
    assert board.backlog_view.chart().title() == "待审核提交"

    # Enter on the community's row opens it: its grids
    board.table.setFocus()
    board.table.setCurrentIndex(board.model.index(community, 0))
    with qtbot.waitSignal(board.loaded, timeout=WAIT):
        qtbot.keyClick(board.table, Qt.Key.Key_Return)
    assert board.body["area"]["code"] == "330102001001"
    assert {board.model.row(i)["code"] for i in range(board.model.rowCount())} == {"330102001001001", "330102001001002"}
    assert int(board.body["totals"]["persons"]) < street_persons
    # a double-click on the first grid: its workers
    grid = _row_of(board, "330102001001001")
    qtbot.waitExposed(board.table)
    rect = board.table.visualRect(board.model.index(grid, 0))
    with qtbot.waitSignal(board.loaded, timeout=WAIT):  # as a mouse makes it: a click, then the second press
        qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert board.body["child_level"] == "worker"
    assert [board.model.row(i)["name"] for i in range(board.model.rowCount())] == ["王芳"]
    assert board.findChild(type(board.refresh_button), "crumb_330102001001") is not None
    # a worker's row opens nothing further
    board.open_row(0)
    assert board.body["child_level"] == "worker"

    # the breadcrumb back to the community, Backspace to the street
    crumb = board.findChild(type(board.refresh_button), "crumb_330102001001")
    with qtbot.waitSignal(board.loaded, timeout=WAIT):
        qtbot.mouseClick(crumb, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    assert board.body["area"]["code"] == "330102001001"
    board.table.setFocus()
    with qtbot.waitSignal(board.loaded, timeout=WAIT):
        qtbot.keyClick(board.table, Qt.Key.Key_Backspace)
    assert board.body["area"]["code"] == "330102001"
    assert board.findChild(type(board.refresh_button), "crumb_330102001") is None  # the top: no way up
    # F5 reads the same area again
    with qtbot.waitSignal(board.loaded, timeout=WAIT):
        qtbot.keyClick(board.table, Qt.Key.Key_F5)
    assert board.body["area"]["code"] == "330102001"


def test_the_workers_who_have_not_synced_are_listed(qtbot: Any, admin_window: Any) -> None:
    board = admin_window.show_screen("dashboard").board
    qtbot.waitUntil(lambda: board.body is not None, timeout=WAIT)
    total = int(board.body["stale_total"])
    assert board.stale.rowCount() == min(total, 200)
    assert f"未同步超过 {board.stale_days.value()} 天的网格员：{total} 人" in board.stale_title.text()
    names = {board.stale.row(i)["username"] for i in range(board.stale.rowCount())}
    assert names <= {"wg_qbm_1", "wg_qbm_2", "wg_ldl_1", "wg_ldl_2"}


def test_a_click_on_a_bar_opens_that_child(qtbot: Any, admin_window: Any) -> None:
    board = admin_window.show_screen("dashboard").board
    qtbot.waitUntil(lambda: board.body is not None and board.body["area"]["code"] == "330102001", timeout=WAIT)
    bars = board.coverage_view.chart().series()[0].barSets()[0]
    second = board.model.row(1)["code"]
    with qtbot.waitSignal(board.loaded, timeout=WAIT):
        bars.clicked.emit(1)  # what QtCharts sends for a click on the second bar
    assert board.body["area"]["code"] == second
