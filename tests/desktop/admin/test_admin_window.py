"""The admin's window: an admin gets the workbench (not the worker's lists), its navigation shows each
screen, keyboard included, and logging out and locking work as in the worker's window."""

from __future__ import annotations

from typing import Any

from desktop.admin.nav import SCREENS
from tests.desktop.admin.conftest import WAIT


def test_an_admin_logs_in_to_the_workbench_with_every_screen_in_the_navigation(admin_window: Any) -> None:
    from desktop.admin.window import AdminWindow

    assert isinstance(admin_window, AdminWindow)
    titles = [admin_window.nav.item(r).text() for r in range(admin_window.nav.count())]
    assert titles == [s.title for s in SCREENS]
    assert admin_window.current_key() == SCREENS[0].key
    assert admin_window.title.text() == SCREENS[0].title


def test_every_screen_opens_from_the_keyboard(qtbot: Any, admin_window: Any) -> None:
    for index, spec in enumerate(SCREENS[:9]):
        action = admin_window.go_actions[index]
        assert action.shortcut().toString() == f"Ctrl+{index + 1}"
        action.trigger()
        qtbot.waitUntil(lambda key=spec.key: admin_window.current_key() == key, timeout=WAIT)
        assert admin_window.stack.currentWidget() is admin_window.screens[spec.key]
        assert admin_window.title.text() == spec.title


def test_the_dashboard_reads_the_district_figures_when_shown(qtbot: Any, admin_window: Any) -> None:
    screen = admin_window.show_screen("dashboard")
    qtbot.waitUntil(lambda: screen.board.body is not None, timeout=WAIT)
    assert screen.board.model.rowCount() >= 1 and "人口" in screen.board.summary.text()


def test_the_admin_window_speaks_english_when_asked(admin_window: Any) -> None:
    from desktop import i18n

    admin_window.set_language("en")
    try:
        assert admin_window.file_menu.title().replace("&", "") == "File"
        assert all(admin_window.nav.item(r).text() != s.title for r, s in enumerate(SCREENS))
    finally:
        admin_window.set_language("zh")
    assert i18n.language() == "zh"


def test_locking_hides_the_screens_until_the_password(qtbot: Any, admin_window: Any) -> None:
    from tests.desktop.platform import PASSWORD

    admin_window.lock()
    assert admin_window.is_locked() and not admin_window.splitter.isEnabled()
    admin_window.lock_overlay.password.setText(PASSWORD)
    admin_window.lock_overlay.try_unlock()
    qtbot.waitUntil(lambda: not admin_window.is_locked(), timeout=WAIT)
    assert admin_window.splitter.isEnabled()


def test_logging_out_says_so(qtbot: Any, admin_window: Any) -> None:
    with qtbot.waitSignal(admin_window.logged_out, timeout=WAIT):
        admin_window.logout_action.trigger()
    assert not admin_window.isVisible() and admin_window.is_shut()  # the login window is not left beside it
