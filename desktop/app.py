"""The QApplication: font, style, language, and the login -> main window flow.

``create_application()`` makes (or reuses) the QApplication with the Fusion style and the
"Noto Sans CJK SC" font set explicitly (so Chinese text uses Simplified Chinese glyph forms, not
the Japanese or Traditional forms a font fallback may pick). ``run_app()`` shows the login window
and, once the worker is in, the main window; closing the main window ends the app.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

from desktop import fonts, i18n
from desktop.qt import QApplication, QFont, QFontDatabase, QGuiApplication, QStyleFactory, Qt, QTimer
from desktop.settings import AppSettings

APP_NAME = "一表通"
ORGANISATION = "yibiaotong"
FONT_FAMILY = fonts.NOTO
FONT_POINT_SIZE = 10.0


def pick_font_family() -> str:
    """The system's preferred Simplified Chinese family when installed (:mod:`desktop.fonts`: 微软雅黑 /
    等线 on Windows, Noto Sans CJK SC on Linux), else Noto's name (Qt falls back from there)."""
    return fonts.pick_family(QFontDatabase.families(), sys.platform) or FONT_FAMILY


def app_font() -> QFont:
    font = QFont(pick_font_family())
    font.setPointSizeF(FONT_POINT_SIZE)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def create_application(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The QApplication, set up for the app (reuses one that already exists, as under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(ORGANISATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setFont(app_font())
    from desktop import gc_guard

    gc_guard.install(app)
    if language:
        i18n.set_language(language)
    i18n.apply_qt_texts(i18n.language())  # Qt's own buttons (确定 / 取消) in the app's language
    return app


def stop_on_signals(app: QApplication) -> None:
    """Ctrl+C or SIGTERM ends the app cleanly (so ``ybt demo`` stops its server too).

    Python only runs signal handlers between bytecodes; a light timer wakes the interpreter
    while Qt's event loop waits.
    """
    def quit_app(_signum: int, _frame: object) -> None:
        app.quit()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, quit_app)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def attach_tools(window: object) -> object:
    """Add the role's tools to a main window: the editor, visits, submit, outbox and sync for
    everyone; the review queue and the dashboard for supervisors and admins."""
    from desktop.review import attach_review
    from desktop.workbench import attach

    bench = attach(window)
    attach_review(window)
    return bench


def open_window(session: object, settings: AppSettings | None = None) -> Any:
    """The window of the session's role: the admin's workbench for an admin, else the main window with
    the role's tools (worker: records, visits, sync; supervisor: plus the review queue and dashboard)."""
    from desktop.main_window import MainWindow
    from desktop.session import Session

    assert isinstance(session, Session)
    if session.role == "admin":
        from desktop.admin.window import AdminWindow

        return AdminWindow(session, settings)
    window = MainWindow(session, settings)
    attach_tools(window)
    return window


def run_app(profile_dir: Path, server_url: str | None = None, language: str | None = None,
            demo_hint: bool = False, settings_home: Path | None = None) -> int:
    """Show the login window, then the main window; returns the exit status.

    ``settings_home``: where this run keeps its preferences (the demo keeps its own, so its
    throw-away server address never becomes the default of ``ybt app``).
    """
    settings = AppSettings.load(settings_home)
    lang = language or settings.language
    app = create_application(language=lang)
    from desktop.login import LoginWindow

    windows: list[Any] = []
    logins: list[LoginWindow] = []

    def show_login() -> None:
        login = LoginWindow(profile_dir, server_url=server_url or settings.server_url, settings=settings,
                            demo_hint=demo_hint)
        login.logged_in.connect(lambda session: open_main(session, login))
        logins[:] = [login]
        login.show()

    def open_main(session: object, login: LoginWindow) -> None:
        from desktop.session import Session

        assert isinstance(session, Session)
        window = open_window(session, settings)
        window.logged_out.connect(lambda: logged_out(window))
        windows.append(window)
        window.show()
        window.raise_()
        window.activateWindow()  # the keyboard goes to the new window (shortcuts work at once)
        login.close()

    def logged_out(window: Any) -> None:
        """Log-out: the window closes (its store with it) and the login window is back."""
        app.setQuitOnLastWindowClosed(False)

        def back_to_login() -> None:
            finish(window)
            show_login()
            app.setQuitOnLastWindowClosed(True)

        QTimer.singleShot(0, back_to_login)

    def finish(window: Any) -> None:
        if window in windows:
            windows.remove(window)
            window.shutdown()
            window.session.close()

    show_login()
    stop_on_signals(app)
    status = app.exec()
    for window in list(windows):
        finish(window)
    return int(status)
