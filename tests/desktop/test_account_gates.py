"""At login: the 保密协议 before any resident data (同意 opens the window, 不同意 goes back), again when
its text changes; a password the admin reset is replaced before the local store is made or opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.account_dialogs import AgreementDialog, LocalPasswordDialog, PasswordChangeDialog
from desktop.login import LoginWindow
from desktop.session import Session, store_dir_for
from sync.server import tables as t
from sync.store import Store
from tests.desktop.helpers import click, click_ok
from tests.desktop.platform import PASSWORD, Platform, api_as
from tests.desktop.test_login import login

pytestmark = pytest.mark.gui
GRID = "330102001001001"


@pytest.fixture(scope="module")
def own_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    server = Platform(tmp_path_factory.mktemp("gates"), persons=60)
    server.start()
    yield server
    server.stop()


def new_worker(platform: Platform, username: str) -> str:
    admin = api_as(platform.url, "admin")
    return str(admin.post("/users", {"username": username, "display_name": "测试", "role": "worker",
                                     "password": PASSWORD, "areas": [GRID]})["id"])


def gate_dialog(qtbot: Any, window: LoginWindow, kind: type) -> Any:
    qtbot.waitUntil(lambda: window.gate is not None and isinstance(window.gate.dialog, kind)
                    and window.gate.dialog.isVisible(), timeout=20000)
    assert window.gate is not None
    return window.gate.dialog


def logged_in(qtbot: Any, window: LoginWindow, act: Any = None) -> Session:
    with qtbot.waitSignal(window.logged_in, timeout=30000) as got:
        if act is not None:
            act()
    session = got.args[0]
    assert isinstance(session, Session)
    return session


def accepted_versions(platform: Platform, username: str) -> list[int]:
    with platform.engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log.c.detail).where(t.audit_log.c.action == "agreement_accept",
                                                                  t.audit_log.c.actor_name == username)).all()
    return [r[0]["version"] for r in rows]


def test_the_agreement_comes_before_any_resident_data(qtbot: Any, own_platform: Platform, tmp_path: Path) -> None:
    admin = api_as(own_platform.url, "admin")
    admin.post("/agreement", {"text": "一、不得向他人泄露居民个人信息。"})
    new_worker(own_platform, "wg_gate_a")
    profile = tmp_path / "profile"
    window = login(qtbot, profile, own_platform.url, "wg_gate_a", PASSWORD)
    dialog = gate_dialog(qtbot, window, AgreementDialog)
    assert "不得向他人泄露" in dialog.text.toPlainText()
    click(qtbot, dialog.decline)
    qtbot.waitUntil(lambda: "未同意保密协议" in window.error.text(), timeout=10000)
    assert not (store_dir_for(profile, "wg_gate_a") / "profile.json").exists(), "no resident data on the laptop"
    assert accepted_versions(own_platform, "wg_gate_a") == []

    window2 = login(qtbot, profile, own_platform.url, "wg_gate_a", PASSWORD)
    dialog = gate_dialog(qtbot, window2, AgreementDialog)
    session = logged_in(qtbot, window2, lambda: click(qtbot, dialog.agree))
    assert session.first_login and session.store.lists.persons(limit=1).total > 0
    assert accepted_versions(own_platform, "wg_gate_a") == [1]
    session.close()

    admin.post("/agreement", {"text": "二、新版本。"})  # a new text: asked again at the next login
    with own_platform.engine.begin() as conn:  # (even when the laptop's session has ended meanwhile)
        conn.execute(sa.update(t.sessions).values(revoked=True))
    window3 = login(qtbot, profile, own_platform.url, "wg_gate_a", PASSWORD)
    dialog = gate_dialog(qtbot, window3, AgreementDialog)
    assert "新版本" in dialog.text.toPlainText()
    again = logged_in(qtbot, window3, lambda: click(qtbot, dialog.agree))
    assert not again.first_login and accepted_versions(own_platform, "wg_gate_a") == [1, 2]
    again.close()


def test_a_reset_password_is_changed_before_the_first_store_is_made(qtbot: Any, own_platform: Platform,
                                                                     tmp_path: Path) -> None:
    uid = new_worker(own_platform, "wg_gate_b")
    temporary = api_as(own_platform.url, "admin").post(f"/users/{uid}/reset-password", {})["password"]
    profile = tmp_path / "profile"
    window = login(qtbot, profile, own_platform.url, "wg_gate_b", temporary)
    dialog = gate_dialog(qtbot, window, PasswordChangeDialog)
    qtbot.keyClicks(dialog.new, "short")
    qtbot.keyClicks(dialog.confirm, "short")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and "8" in dialog.error.text()
    dialog.new.setText("my-new-passphrase")
    dialog.confirm.setText("my-new-passphrase")
    click_ok(qtbot, dialog)
    agreement = gate_dialog(qtbot, window, AgreementDialog)
    session = logged_in(qtbot, window, lambda: click(qtbot, agreement.agree))
    session.close()
    Store.open(store_dir_for(profile, "wg_gate_b"), "my-new-passphrase").close()  # made with the new one


def test_a_reset_password_rekeys_the_existing_store(qtbot: Any, own_platform: Platform, tmp_path: Path) -> None:
    uid = new_worker(own_platform, "wg_gate_c")
    profile = tmp_path / "profile"
    window = login(qtbot, profile, own_platform.url, "wg_gate_c", PASSWORD)
    first = logged_in(qtbot, window, lambda: click(qtbot, gate_dialog(qtbot, window, AgreementDialog).agree))
    first.close()
    temporary = api_as(own_platform.url, "admin").post(f"/users/{uid}/reset-password", {})["password"]
    window2 = login(qtbot, profile, own_platform.url, "wg_gate_c", temporary)
    dialog = gate_dialog(qtbot, window2, PasswordChangeDialog)
    for edit, text in ((dialog.new, "rekeyed-pass-1"), (dialog.confirm, "rekeyed-pass-1"),
                       (dialog.old_local, "not-the-old-one")):
        edit.setText(text)
    click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: "原密码不正确" in window2.error.text(), timeout=20000)
    window3 = login(qtbot, profile, own_platform.url, "wg_gate_c", temporary)
    dialog = gate_dialog(qtbot, window3, PasswordChangeDialog)
    for edit, text in ((dialog.new, "rekeyed-pass-1"), (dialog.confirm, "rekeyed-pass-1"), (dialog.old_local, PASSWORD)):
        edit.setText(text)
    session = logged_in(qtbot, window3, lambda: click_ok(qtbot, dialog))
    assert not session.first_login and session.store.lists.persons(limit=1).total > 0
    session.close()
    store_dir = store_dir_for(profile, "wg_gate_c")
    Store.open(store_dir, "rekeyed-pass-1").close()
    from sync.client.http import ApiClient

    assert ApiClient(own_platform.url, device_id="x").login("wg_gate_c", "rekeyed-pass-1")["username"] == "wg_gate_c"


def test_a_password_changed_on_another_computer_rekeys_this_one(qtbot: Any, own_platform: Platform,
                                                                tmp_path: Path) -> None:
    new_worker(own_platform, "wg_gate_d")
    profile = tmp_path / "profile"
    window = login(qtbot, profile, own_platform.url, "wg_gate_d", PASSWORD)
    logged_in(qtbot, window, lambda: click(qtbot, gate_dialog(qtbot, window, AgreementDialog).agree)).close()
    elsewhere = api_as(own_platform.url, "wg_gate_d")  # the other laptop
    elsewhere.post("/auth/password", {"old_password": PASSWORD, "new_password": "changed-elsewhere"})
    window2 = login(qtbot, profile, own_platform.url, "wg_gate_d", "changed-elsewhere")
    dialog = gate_dialog(qtbot, window2, LocalPasswordDialog)
    dialog.password.setText(PASSWORD)
    session = logged_in(qtbot, window2, lambda: click_ok(qtbot, dialog))
    assert session.store.lists.persons(limit=1).total > 0
    session.close()
    Store.open(store_dir_for(profile, "wg_gate_d"), "changed-elsewhere").close()
    wrong = login(qtbot, profile, "", "wg_gate_d", "not-any-password")  # offline, wrong: as before
    qtbot.waitUntil(lambda: wrong.error.text() == "密码不正确", timeout=20000)


def test_a_new_agreement_met_by_a_sync_is_asked_at_once(qtbot: Any, own_platform: Platform, tmp_path: Path) -> None:
    """The admin publishes a new version while the worker is working: the next sync is refused, the
    worker is asked there and then; 同意 and the sync goes through; the next new version refused logs out."""
    from desktop.main_window import MainWindow
    from desktop.session import authenticate
    from desktop.sync_bootstrap import initial_sync
    from desktop.workbench import attach
    from tests.desktop.helpers import close_window

    new_worker(own_platform, "wg_mid_session")
    admin = api_as(own_platform.url, "admin")
    current = admin.get("/agreement")
    if current.get("required"):  # accept what earlier tests published, so that the login itself is let in
        api_as(own_platform.url, "wg_mid_session").post("/agreement/accept", {"version": current["version"]})
    session = authenticate(tmp_path / "profile", own_platform.url, "wg_mid_session", PASSWORD,
                           initial_sync=initial_sync)
    window = MainWindow(session)
    bench: Any = attach(window)
    window.show()
    try:
        version = admin.post("/agreement", {"text": "三、会话中发布的新版本。"})["version"]
        bench.sync_panel.start()
        qtbot.waitUntil(lambda: isinstance(window.agreement_prompt.dialog, AgreementDialog), timeout=30000)
        dialog = window.agreement_prompt.dialog
        assert "会话中发布的新版本" in dialog.text.toPlainText()
        with qtbot.waitSignal(bench.sync_panel.synced, timeout=30000) as synced:
            click(qtbot, dialog.agree)
        assert synced.args[0].failure is None  # accepted, then the sync ran again and went through
        assert version in accepted_versions(own_platform, "wg_mid_session")
        admin.post("/agreement", {"text": "四、又一版。"})
        bench.sync_panel.start()
        qtbot.waitUntil(lambda: isinstance(window.agreement_prompt.dialog, AgreementDialog), timeout=30000)
        with qtbot.waitSignal(window.logged_out, timeout=30000):
            click(qtbot, window.agreement_prompt.dialog.decline)
    finally:
        close_window(window)
