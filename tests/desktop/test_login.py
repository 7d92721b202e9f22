"""Logging in: first online (creates the encrypted store and pulls the data), then offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.login import LoginWindow
from desktop.qt import Qt
from desktop.session import Session, store_dir_for
from tests.desktop.platform import PASSWORD, SUPERVISOR, WORKER, free_port

pytestmark = pytest.mark.gui


def login(qtbot: Any, profile: Path, server: str, username: str, password: str) -> LoginWindow:
    window = LoginWindow(profile, server_url=server)
    qtbot.addWidget(window)
    window.show()
    window.username.clear()
    qtbot.keyClicks(window.username, username)
    qtbot.keyClicks(window.password, password)
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    return window


def wait_done(qtbot: Any, window: LoginWindow, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: not window.busy, timeout=timeout)


def test_first_login_online_then_offline_unlock(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    window = login(qtbot, profile, platform.url, WORKER, PASSWORD)
    with qtbot.waitSignal(window.logged_in, timeout=30000) as got:
        pass
    session = got.args[0]
    assert isinstance(session, Session)
    assert session.first_login
    assert session.role == "worker" and session.display_name == "王芳"
    assert (store_dir_for(profile, WORKER) / "profile.json").exists()
    page = session.store.lists.persons(limit=5)
    assert page.total > 0, "the first login pulled the worker's records"
    assert {r["grid"] for r in session.store.lists.persons(limit=500).rows} == {"330102001001001"}
    from desktop.data import store_template

    published = store_template(session.store, "person")
    assert published is not None and published.tags, "the platform's template (and tag catalogue) came down"
    session.close()

    # The platform is now out of reach: the same password still opens the local data.
    dead = f"http://127.0.0.1:{free_port()}"
    window2 = login(qtbot, profile, dead, WORKER, PASSWORD)
    with qtbot.waitSignal(window2.logged_in, timeout=20000) as got2:
        pass
    offline = got2.args[0]
    assert not offline.first_login
    assert offline.store.lists.persons(limit=1).total == page.total
    offline.close()


def test_wrong_password_offline_is_refused_clearly(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    window = login(qtbot, profile, platform.url, WORKER, PASSWORD)
    with qtbot.waitSignal(window.logged_in, timeout=30000) as got:
        pass
    got.args[0].close()
    window2 = login(qtbot, profile, "", WORKER, "not-the-password")
    wait_done(qtbot, window2)
    assert window2.error.text() == "密码不正确"
    assert window2.password.text() == ""
    assert window2.password.hasFocus() or not window2.isActiveWindow()


def test_wrong_password_online_first_login(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    window = login(qtbot, tmp_path / "p", platform.url, SUPERVISOR, "wrong-password")
    wait_done(qtbot, window)
    assert "用户名或密码错误" in window.error.text()
    assert not (store_dir_for(tmp_path / "p", SUPERVISOR) / "profile.json").exists(), "no store without a login"


def test_unreachable_server_on_first_login(qtbot: Any, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    window = login(qtbot, tmp_path / "p", dead, WORKER, PASSWORD)
    wait_done(qtbot, window)
    assert "无法连接平台服务器" in window.error.text()
    assert dead in window.error.text()


def test_disabled_account_cannot_log_in(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    platform.set_active("wg_ldl_2", False)
    try:
        window = login(qtbot, tmp_path / "p", platform.url, "wg_ldl_2", PASSWORD)
        wait_done(qtbot, window)
        assert window.error.text(), "the refusal is shown"
        assert "用户名或密码错误" in window.error.text() or "停用" in window.error.text()
    finally:
        platform.set_active("wg_ldl_2", True)


def test_errors_follow_the_language(qtbot: Any, tmp_path: Path) -> None:
    from desktop import i18n

    dead = f"http://127.0.0.1:{free_port()}"
    window = login(qtbot, tmp_path / "p", dead, WORKER, PASSWORD)
    wait_done(qtbot, window)
    i18n.set_language("en")
    assert "Cannot reach the platform server" in window.error.text()
    assert window.button.text() == "Log in"


def test_empty_fields_are_explained_without_a_request(qtbot: Any, tmp_path: Path) -> None:
    window = LoginWindow(tmp_path / "p", server_url="http://127.0.0.1:9")
    qtbot.addWidget(window)
    window.username.clear()
    window.submit()
    assert not window.busy
    assert window.error.text() == "请输入用户名和密码"


def test_offline_unlock_keeps_a_way_back_online(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    """Unlocked with the platform reachable, the session can log in again for the sync."""
    profile = tmp_path / "profile"
    window = login(qtbot, profile, platform.url, WORKER, PASSWORD)
    with qtbot.waitSignal(window.logged_in, timeout=30000) as got:
        pass
    got.args[0].close()
    window2 = login(qtbot, profile, platform.url, WORKER, PASSWORD)
    with qtbot.waitSignal(window2.logged_in, timeout=20000) as got2:
        pass
    session = got2.args[0]
    assert not session.first_login and session.client is not None and session.relogin is not None
    user = session.relogin()
    assert user["username"] == WORKER
    assert session.client.tokens is not None
    session.close()
