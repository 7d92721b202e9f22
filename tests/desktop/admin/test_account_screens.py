"""账号清查 and 保密协议 screens, on a platform of their own (setting an agreement changes every login)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.qt import QMessageBox
from sync.protocol import utc_now
from sync.server import tables as t
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, commit_text
from tests.desktop.platform import PASSWORD, Platform, api_as

GRID = "330102001002001"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    server = Platform(tmp_path_factory.mktemp("account-screens"), persons=60)
    server.start()
    yield server
    server.stop()


def test_account_review_finds_idle_accounts_and_disables_the_checked(qtbot: Any, platform: Platform,
                                                                     admin_window: Any) -> None:
    admin = api_as(platform.url, "admin")
    ids = {name: admin.post("/users", {"username": name, "display_name": "闲置", "role": "worker",
                                       "password": PASSWORD, "areas": [GRID]})["id"]
           for name in ("wg_idle_1", "wg_idle_2", "wg_busy")}
    with platform.engine.begin() as conn:
        old = utc_now() - timedelta(days=200)
        conn.execute(sa.update(t.users).where(t.users.c.id.in_([ids["wg_idle_1"], ids["wg_idle_2"]]))
                     .values(last_login_at=old, created_at=old))
        conn.execute(sa.update(t.users).where(t.users.c.id == ids["wg_busy"])
                     .values(last_login_at=utc_now(), last_sync_at=utc_now()))
    screen = admin_window.show_screen("account_review")
    qtbot.waitUntil(lambda: screen.result is not None, timeout=WAIT)
    assert screen.row_of("wg_idle_1") >= 0 and screen.row_of("wg_busy") < 0
    assert "长期未登录" in screen.model.item(screen.row_of("wg_idle_1"), 4).text()
    screen.days.setValue(365)
    click(qtbot, screen.find_button)
    qtbot.waitUntil(lambda: screen.result is not None and screen.result["idle_days"] == 365, timeout=WAIT)
    assert "长期未登录" not in screen.model.item(screen.row_of("wg_idle_1"), 4).text()
    screen.days.setValue(90)
    click(qtbot, screen.find_button)
    qtbot.waitUntil(lambda: screen.result["idle_days"] == 90, timeout=WAIT)
    screen.set_checked("wg_idle_1")
    screen.set_checked("wg_idle_2")
    commit_text(screen.reason, "账号清查2026")
    click(qtbot, screen.disable)
    qtbot.waitUntil(lambda: not any(u["active"] for u in screen.result["items"]
                                    if u["username"] in ("wg_idle_1", "wg_idle_2")), timeout=WAIT)
    users = {u["username"]: u for u in admin.get("/users")["items"]}
    assert users["wg_idle_1"]["disabled_reason"] == "账号清查2026" and users["wg_busy"]["active"]


def test_the_agreement_screen_sets_a_version_and_lists_who_has_not_accepted(qtbot: Any, platform: Platform,
                                                                            admin_window: Any) -> None:
    screen = admin_window.show_screen("agreement")
    qtbot.waitUntil(lambda: screen.current is not None, timeout=WAIT)
    assert "尚未设置" in screen.version.text()
    screen.text.clear()
    commit_text(screen.text, "一、不得泄露居民信息。")
    click(qtbot, screen.publish)
    qtbot.waitUntil(lambda: screen.confirm is not None and screen.confirm.isVisible(), timeout=WAIT)
    click(qtbot, screen.confirm.button(QMessageBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: screen.current is not None and screen.current.get("version") == 1, timeout=WAIT)
    assert "第 1 版" in screen.version.text()
    pending = {screen.pending.item(r, 0).text() for r in range(screen.pending.rowCount())}
    assert {"wg_qbm_1", "sup_ldl", "admin"} <= pending
    worker = api_as(platform.url, "wg_qbm_1")
    worker.post("/agreement/accept", {"version": 1})
    screen.refresh()
    qtbot.waitUntil(lambda: "wg_qbm_1" not in {screen.pending.item(r, 0).text()
                                               for r in range(screen.pending.rowCount())}, timeout=WAIT)
    api_as(platform.url, "admin").post("/agreement/accept", {"version": 1})


def test_an_admin_who_has_not_accepted_a_new_version_is_asked_by_the_dashboard(qtbot: Any, platform: Platform,
                                                                              admin_window: Any) -> None:
    from desktop.account_dialogs import AgreementDialog

    admin = api_as(platform.url, "admin")
    version = admin.post("/agreement", {"text": "五、管理员也须签署。"})["version"]
    screen = admin_window.show_screen("dashboard")
    qtbot.waitUntil(lambda: isinstance(admin_window.agreement_prompt.dialog, AgreementDialog), timeout=WAIT)
    click(qtbot, admin_window.agreement_prompt.dialog.agree)
    qtbot.waitUntil(lambda: not admin.get("/agreement")["required"], timeout=WAIT)
    qtbot.waitUntil(lambda: screen.ready() and "保密协议" not in screen.board.message.text(), timeout=WAIT)
    assert admin.get("/agreement")["version"] == version
