"""Auto-lock: after a stretch without keyboard or mouse input the window locks; the password unlocks it.

:class:`IdleLock` watches input application-wide (an event filter on the QApplication) and emits
``idle`` when no input came for ``minutes``. :class:`LockOverlay` covers the whole main window
(menus, lists, docks), so no resident data stays visible while the worker is away, and asks for
the password; ``verify(password) -> bool`` decides (the store checks it against its key).
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.i18n import notifier, tr
from desktop.qt import (
    QApplication,
    QEvent,
    QFrame,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

#: Events that count as the worker being present.
ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.InputMethod, QEvent.Type.TouchBegin,
})


class IdleLock(QObject):
    """Emits ``idle`` after ``minutes`` without input; ``minutes <= 0`` turns the auto-lock off."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle.emit)
        self.set_timeout_ms(int(minutes * 60_000))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout_ms(self, ms: int) -> None:
        self._timeout_ms = ms
        self.poke()

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def poke(self) -> None:
        """Restart the countdown (called on every input event)."""
        if self._timeout_ms > 0:
            self._timer.start(self._timeout_ms)
        else:
            self._timer.stop()

    def pause(self) -> None:
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start(self._timeout_ms)
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class LockOverlay(QFrame):
    """An opaque panel over the whole window asking for the password; ``unlocked`` when it is right."""

    unlocked = Signal()

    def __init__(self, parent: QWidget, verify: Callable[[str], bool], user_label: str) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._verify = verify
        self._user_label = user_label
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title.setFont(font)
        self.user = QLabel()
        self.user.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("lockPassword")
        self.password.setFixedWidth(300)
        self.password.returnPressed.connect(self.try_unlock)
        self.button = QPushButton()
        self.button.setObjectName("unlockButton")
        self.button.setFixedWidth(300)
        self.button.clicked.connect(self.try_unlock)
        self.error = QLabel()
        self.error.setObjectName("lockError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for w in (self.title, self.user, self.password, self.button, self.error):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        notifier().language_changed.connect(self.retranslate)
        self.retranslate()
        self.hide()

    def retranslate(self, _lang: str = "") -> None:
        self.title.setText(tr("已锁定"))
        self.user.setText(tr("当前用户：{user}。请输入密码解锁。", user=self._user_label))
        self.password.setPlaceholderText(tr("密码"))
        self.button.setText(tr("解锁"))
        if self.error.text():
            self.error.setText(tr("密码不正确"))

    def show_over_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.error.clear()
        self.password.clear()
        self.show()
        self.raise_()
        self.password.setFocus()

    def try_unlock(self) -> None:
        """Check the password off the GUI thread (deriving the key takes a fraction of a second)."""
        from desktop.workers import run_in_background

        password = self.password.text()
        self.password.clear()
        if not password:
            self._refused()
            return
        self.password.setEnabled(False)
        self.button.setEnabled(False)
        run_in_background(lambda: self._verify(password), self._checked, lambda _e: self._checked(False))

    def _checked(self, ok: object) -> None:
        self.password.setEnabled(True)
        self.button.setEnabled(True)
        if ok is True:
            self.error.clear()
            self.hide()
            self.unlocked.emit()
        else:
            self._refused()

    def _refused(self) -> None:
        self.error.setText(tr("密码不正确"))
        self.password.setFocus()


class WindowLock:
    """Locking one window, for the worker's and the admin's alike: masked values forgotten, the idle
    timer paused, the widgets ``lockable()`` names disabled, the overlay shown and the act audited;
    unlocking gives each widget back the state it had (the editor may have disabled some itself)."""

    def __init__(self, overlay: LockOverlay, idle: IdleLock, forget: Callable[[], None],
                 audit: Callable[[str], None], lockable: Callable[[], list[QWidget]]) -> None:
        self.overlay = overlay
        self.idle = idle
        self.forget = forget
        self.audit = audit
        self.lockable = lockable
        self.before: list[tuple[QWidget, bool]] = []

    def is_locked(self) -> bool:
        return self.overlay.isVisible()

    def lock(self) -> bool:
        """Lock; False when the window was locked already."""
        if self.is_locked():
            return False
        self.forget()
        self.idle.pause()
        self.before = [(w, w.isEnabled()) for w in self.lockable()]
        for w, _enabled in self.before:
            w.setEnabled(False)
        self.overlay.show_over_parent()
        self.audit("lock")
        return True

    def release(self) -> None:
        """After the right password: everything as it was before the lock."""
        for w, enabled in self.before:
            w.setEnabled(enabled)
        self.before = []
        self.audit("unlock")
        self.idle.poke()
