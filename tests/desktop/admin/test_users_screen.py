"""用户 screen against the real platform: create a user through the dialog (its first password shown
once, copyable), reset a password, bulk import with the per-row report and the handout workbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.admin.import_dialog import ImportDialog
from desktop.admin.secret_dialog import SecretDialog
from desktop.admin.user_dialog import UserDialog
from desktop.qt import QApplication, QInputDialog, QMessageBox
from sync.client.http import ApiClient
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, click_ok, commit_text, when_modal
from tests.desktop.platform import Platform
from tests.server.accounts_live import workbook


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A platform of this module's own: the areas and accounts made here would change what the shared
    platform's other tests count."""
    server = Platform(tmp_path_factory.mktemp("users-screen"), persons=120)
    server.start()
    yield server
    server.stop()

GRID = "330102001001002"


def users_screen(qtbot: Any, admin_window: Any) -> Any:
    screen = admin_window.show_screen("users")
    qtbot.waitUntil(lambda: screen.loaded, timeout=WAIT)
    return screen


def open_dialog(qtbot: Any, screen: Any, kind: type) -> Any:
    def shown() -> bool:
        assert not screen.error_label.isVisible(), screen.error_label.text()  # fail at once, saying why
        return isinstance(screen.dialog, kind) and screen.dialog.isVisible()

    qtbot.waitUntil(shown, timeout=WAIT)
    return screen.dialog


def login_state(url: str, username: str, password: str) -> dict[str, Any]:
    client = ApiClient(url, device_id="check")
    client.login(username, password)
    return {"ok": True}


def test_create_a_user_through_the_dialog(qtbot: Any, admin_window: Any, platform: Any) -> None:
    screen = users_screen(qtbot, admin_window)
    assert screen.model.row_of("wg_qbm_1") >= 0 and "王芳" in [u["display_name"] for u in screen.model.rows]
    click(qtbot, screen.buttons["create"])
    dialog = open_dialog(qtbot, screen, UserDialog)
    qtbot.keyClicks(dialog.username, "wg_gui_new")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.error.text()  # no name, no area yet
    commit_text(dialog.display_name, "赵敏")
    dialog.role.setCurrentIndex(dialog.role.findData("worker"))
    assert not dialog.areas.items["330102001001"].isCheckable()  # a community is not a worker's area
    dialog.areas.check(GRID)
    qtbot.keyClicks(dialog.end_date, "2030-06-30")
    dialog.third_party.setChecked(True)
    click_ok(qtbot, dialog)
    secret = open_dialog(qtbot, screen, SecretDialog)
    password = secret.password.text()
    click(qtbot, secret.copy)
    assert QApplication.clipboard().text() == password
    click_ok(qtbot, secret)
    qtbot.waitUntil(lambda: screen.model.row_of("wg_gui_new") >= 0, timeout=WAIT)
    user = screen.model.rows[screen.model.row_of("wg_gui_new")]
    assert user["display_name"] == "赵敏" and user["areas"] == [GRID] and user["end_date"] == "2030-06-30"
    assert user["third_party"] and user["must_change_password"]
    login_state(platform.url, "wg_gui_new", password)
    screen.filter.setText("赵敏")
    assert [u["username"] for u in screen.model.rows] == ["wg_gui_new"]


def test_reset_a_password_shows_it_once(qtbot: Any, admin_window: Any, platform: Any) -> None:
    admin = ApiClient(platform.url, device_id="setup")
    admin.login("admin", "demo1234")
    admin.post("/users", {"username": "wg_gui_reset", "display_name": "钱进", "role": "worker",
                          "password": "demo1234", "areas": [GRID]})
    screen = users_screen(qtbot, admin_window)
    click(qtbot, screen.buttons["refresh"])
    qtbot.waitUntil(lambda: screen.model.row_of("wg_gui_reset") >= 0, timeout=WAIT)
    screen.select("wg_gui_reset")
    click(qtbot, screen.buttons["reset"])
    secret = open_dialog(qtbot, screen, SecretDialog)
    temporary = secret.password.text()
    assert secret.password.isReadOnly() and len(temporary) >= 8
    click_ok(qtbot, secret)
    body = ApiClient(platform.url, device_id="x")._send("POST", "/auth/login", {
        "username": "wg_gui_reset", "password": temporary, "device_id": "x"}, auth=False)
    assert body["must_change_password"] is True
    qtbot.waitUntil(lambda: screen.model.rows[screen.model.row_of("wg_gui_reset")]["must_change_password"],
                    timeout=WAIT)


def test_bulk_import_reports_bad_rows_and_saves_the_handout_once(qtbot: Any, admin_window: Any, platform: Any,
                                                                tmp_path: Path) -> None:
    source = tmp_path / "新用户.xlsx"
    source.write_bytes(workbook([["wg_gui_b1", "孙一", "网格员", GRID, None, None],
                                 ["wg_gui_b2", "孙二", "网格员", "330102999999999", None, None],
                                 ["wg_gui_b3", "孙三", "审核员", "330102001001", "2031-01-31", "是"]]))
    screen = users_screen(qtbot, admin_window)
    click(qtbot, screen.buttons["import"])
    dialog = open_dialog(qtbot, screen, ImportDialog)
    assert not dialog.run.isEnabled()
    dialog.set_file(source)
    click(qtbot, dialog.check)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT)
    assert dialog.report["dry_run"] and dialog.report["would_create"] == 2 and not dialog.save.isEnabled()
    click(qtbot, dialog.run)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.report["dry_run"], timeout=WAIT)
    assert dialog.problems.rowCount() == 1
    assert [dialog.problems.item(0, c).text() for c in range(3)] == ["3", "区划代码", "330102999999999"]
    assert "已创建 2 个用户" in dialog.summary.text() and dialog.save.isEnabled() and not dialog.run.isEnabled()
    when_modal(lambda box: box.button(QMessageBox.StandardButton.No).click())
    dialog.reject()  # closing before the passwords are saved asks first
    assert dialog.isVisible()
    handout = tmp_path / "初始密码.xlsx"
    dialog.save_passwords(handout)
    assert not dialog.save.isEnabled() and all(u["password"] == "" for u in dialog.created)
    rows = list(load_workbook(handout).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["wg_gui_b1", "wg_gui_b3"]
    login_state(platform.url, "wg_gui_b3", str(rows[2][4]))
    dialog.reject()
    qtbot.waitUntil(lambda: screen.model.row_of("wg_gui_b3") >= 0, timeout=WAIT)


def test_edit_disable_and_enable_a_user(qtbot: Any, admin_window: Any, platform: Any) -> None:
    admin = ApiClient(platform.url, device_id="setup")
    admin.login("admin", "demo1234")
    admin.post("/users", {"username": "wg_gui_edit", "display_name": "李四", "role": "worker",
                          "password": "demo1234", "areas": [GRID]})
    screen = users_screen(qtbot, admin_window)
    click(qtbot, screen.buttons["refresh"])
    qtbot.waitUntil(lambda: screen.model.row_of("wg_gui_edit") >= 0, timeout=WAIT)

    def row() -> dict[str, Any]:
        return dict(screen.model.rows[screen.model.row_of("wg_gui_edit")])

    screen.select("wg_gui_edit")
    click(qtbot, screen.buttons["edit"])
    dialog = open_dialog(qtbot, screen, UserDialog)
    assert not dialog.username.isEnabled() and dialog.areas.checked() == [GRID]
    dialog.display_name.clear()
    commit_text(dialog.display_name, "李思")
    dialog.areas.check("330102001001001")
    qtbot.keyClicks(dialog.end_date, "2029-12-31")
    click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: row()["display_name"] == "李思", timeout=WAIT)
    assert row()["areas"] == ["330102001001001", GRID] and row()["end_date"] == "2029-12-31"

    screen.select("wg_gui_edit")
    click(qtbot, screen.buttons["disable"])
    reason = open_dialog(qtbot, screen, QInputDialog)
    reason.setTextValue("调岗")
    reason.accept()
    qtbot.waitUntil(lambda: not row()["active"], timeout=WAIT)
    assert row()["disabled_reason"] == "调岗"
    assert screen.model.index(screen.model.row_of("wg_gui_edit"), 4).data() == "停用：调岗"
    screen.select("wg_gui_edit")
    click(qtbot, screen.buttons["enable"])
    qtbot.waitUntil(lambda: row()["active"], timeout=WAIT)
