"""Auto-lock after idle time; the lock hides everything until the right password is typed."""

from __future__ import annotations

from desktop.lock import IdleLock, LockOverlay
from desktop.qt import QApplication, QEvent, QKeyEvent, QMainWindow, Qt


def test_idle_lock_fires_after_the_timeout_and_input_restarts_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    lock = IdleLock(0)
    lock.set_timeout_ms(200)
    fired: list[bool] = []
    lock.idle.connect(lambda: fired.append(True))
    qtbot.wait(120)
    # a key press anywhere counts as activity and restarts the countdown
    app = QApplication.instance()
    assert app is not None
    QApplication.sendEvent(app, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                                               Qt.KeyboardModifier.NoModifier, "a"))
    qtbot.wait(120)
    assert not fired
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    lock.detach()


def test_zero_minutes_turns_the_auto_lock_off(qtbot) -> None:  # type: ignore[no-untyped-def]
    lock = IdleLock(0)
    assert not lock.is_active()
    lock.detach()


def test_overlay_needs_the_right_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    overlay = LockOverlay(window, lambda p: p == "secret-1", "王芳")
    overlay.show_over_parent()
    assert overlay.isVisible()
    assert overlay.geometry() == window.rect()
    qtbot.keyClicks(overlay.password, "wrong")
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: overlay.error.text() == "密码不正确")  # checked off the GUI thread
    assert overlay.isVisible()
    assert overlay.error.text() == "密码不正确"
    assert overlay.password.text() == ""
    with qtbot.waitSignal(overlay.unlocked, timeout=1000):
        qtbot.keyClicks(overlay.password, "secret-1")
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert not overlay.isVisible()
