"""The admin's 设备 screen against the real platform: the demo worker's device is listed after its
login and revoked from the screen; the worker's window, at its next sync, wipes the local store, says
why and goes back to the login window, which says it too. The minimum client version set in the
screen holds back an older worker app's push with a notice, until it is cleared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop.admin.models.devices import COLUMNS, ITEM_ROLE
from desktop.main_window import MainWindow
from desktop.qt import QApplication, QMessageBox, Qt
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.workbench import attach
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, click_ok, close_window, commit_text, when_modal
from tests.desktop.platform import PASSWORD, WORKER

pytestmark = pytest.mark.gui


@pytest.fixture
def worker(qtbot: Any, platform: Any, tmp_path: Path) -> Iterator[Any]:
    session = authenticate(tmp_path / "worker", platform.url, WORKER, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    bench = attach(window)
    window.bench = bench
    window.show()
    qtbot.waitUntil(lambda: window.online is True, timeout=WAIT)
    yield window
    close_window(window)


def devices_screen(qtbot: Any, admin_window: Any) -> Any:
    screen = admin_window.show_screen("devices")
    qtbot.waitUntil(lambda: screen.loaded and screen.busy == 0, timeout=WAIT)
    return screen


def click_device(qtbot: Any, screen: Any, device_id: str) -> dict[str, Any]:
    table = screen.table
    for row in range(screen.proxy.rowCount()):
        item = screen.proxy.index(row, 0).data(ITEM_ROLE)
        if item["device_id"] == device_id:
            rect = table.visualRect(screen.proxy.index(row, 0))
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return dict(item)
    raise AssertionError(f"device {device_id} is not listed")


def shown_cell(screen: Any, device_id: str, key: str) -> str:
    col = [k for k, _ in COLUMNS].index(key)
    for row in range(screen.proxy.rowCount()):
        if screen.proxy.index(row, 0).data(ITEM_ROLE)["device_id"] == device_id:
            return str(screen.proxy.index(row, col).data())
    raise AssertionError(f"device {device_id} is not listed")


def revoked_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "deviceRevokedBox" and w.isVisible()]


def test_the_admin_revokes_the_workers_device_and_the_worker_is_wiped_and_told_why(
        qtbot: Any, admin_window: Any, worker: Any) -> None:
    device = worker.session.device_id
    screen = devices_screen(qtbot, admin_window)
    qtbot.keyClicks(screen.filter, WORKER)
    assert screen.proxy.rowCount() >= 1  # filtered as typed
    qtbot.keyClick(screen.filter, Qt.Key.Key_Return)  # and asked of the platform
    qtbot.waitUntil(lambda: screen.busy == 0, timeout=WAIT)
    assert screen.model.rowCount() == screen.proxy.rowCount() == screen.total
    assert all(screen.proxy.index(r, 0).data(ITEM_ROLE)["username"] == WORKER for r in range(screen.proxy.rowCount()))
    item = click_device(qtbot, screen, device)
    assert shown_cell(screen, device, "display_name") == "王芳"
    assert shown_cell(screen, device, "app_version") == "0.1.0" and shown_cell(screen, device, "state") == "在用"
    assert screen.revoke_button.isEnabled()

    def fill(dialog: Any) -> None:
        assert not dialog.ok.isEnabled()  # a reason is required
        commit_text(dialog.reason, "笔记本丢失")
        assert dialog.ok.isEnabled() and "丢失" in dialog.consequence.text()
        click_ok(qtbot, dialog)

    when_modal(fill)
    click(qtbot, screen.revoke_button)
    qtbot.waitUntil(lambda: screen.busy == 0 and shown_cell(screen, device, "state") == "已吊销，待清除",
                    timeout=WAIT)
    assert click_device(qtbot, screen, device)["id"] == item["id"]
    assert not screen.revoke_button.isEnabled()  # revoked once only

    store_dir = Path(worker.session.store_dir)
    profile = Path(worker.session.profile_dir)
    with qtbot.waitSignal(worker.logged_out, timeout=WAIT):
        click(qtbot, worker.sync_toolbar.widgetForAction(worker.bench.actions["sync"]))
    qtbot.waitUntil(lambda: bool(revoked_boxes()), timeout=WAIT)
    assert not store_dir.exists()  # the encrypted store is gone
    [box] = revoked_boxes()
    assert "此设备已被管理员吊销，本地数据已清除：笔记本丢失" in box.text()
    box.close()

    from desktop.login import LoginWindow

    login = LoginWindow(profile)
    qtbot.addWidget(login)
    login.show()
    assert login.revoked.isVisible() and "笔记本丢失" in login.revoked.text()
    click(qtbot, screen.refresh_button)
    qtbot.waitUntil(lambda: screen.busy == 0 and shown_cell(screen, device, "state") == "已清除", timeout=WAIT)


def test_an_older_app_is_told_to_update_and_keeps_its_visit_until_the_minimum_is_lifted(
        qtbot: Any, admin_window: Any, worker: Any) -> None:
    screen = devices_screen(qtbot, admin_window)
    screen.min_version.clear()
    qtbot.keyClicks(screen.min_version, "0.2.0")
    click(qtbot, screen.min_save)
    try:
        qtbot.waitUntil(lambda: screen.busy == 0, timeout=WAIT)
        assert screen.min_version.text() == "0.2.0"
        store = worker.session.store
        house = store.q1("SELECT id FROM entities WHERE kind = 'house' ORDER BY id")["id"]
        store.visits.record(house, date.today(), "已核实")
        panel = worker.bench.sync_panel
        qtbot.waitUntil(lambda: not panel.running, timeout=WAIT)
        panel.last = None
        click(qtbot, worker.sync_toolbar.widgetForAction(worker.bench.actions["sync"]))
        qtbot.waitUntil(lambda: panel.last is not None and not panel.running, timeout=WAIT)
        notice = panel.update_notice
        assert notice.isVisible() and notice.text() == "请更新一表通到 0.2.0 版本或更高版本后再同步"
        assert store.visits.open_count() == 1  # kept, not sent
    finally:
        screen.min_version.clear()
        click(qtbot, screen.min_save)
        qtbot.waitUntil(lambda: screen.busy == 0, timeout=WAIT)
    panel.last = None
    click(qtbot, worker.sync_toolbar.widgetForAction(worker.bench.actions["sync"]))
    qtbot.waitUntil(lambda: panel.last is not None and not panel.running, timeout=WAIT)
    assert panel.last.visits_sent == 1 and store.visits.open_count() == 0
    assert not notice.isVisible()


def test_the_admins_own_window_is_wiped_when_its_device_is_revoked(qtbot: Any, platform: Any,
                                                                  admin_window: Any) -> None:
    from tests.desktop.platform import api_as

    session = admin_window.session
    store_dir, profile = Path(session.store_dir), Path(session.profile_dir)
    other = api_as(platform.url, "admin")  # the same admin on another laptop
    [item] = [d for d in other.get("/devices", {"user": "admin"})["items"] if d["device_id"] == session.device_id]
    other.post(f"/devices/{item['id']}/revoke", {"push_first": False, "reason": "换新电脑"})
    with qtbot.waitSignal(admin_window.logged_out, timeout=WAIT):
        admin_window.show_screen("devices")  # its next call to the platform: the screen reads the devices
    qtbot.waitUntil(lambda: bool(revoked_boxes()), timeout=WAIT)
    [box] = revoked_boxes()
    assert "换新电脑" in box.text()
    box.close()
    assert not store_dir.exists()
    from desktop.revoked import marker_text

    assert "换新电脑" in marker_text(profile)
