"""``python -m desktop.screenshots OUTDIR``: PNGs of the main screens with the demo data.

Sets up the demo platform in a temporary directory (``ybt server init --demo``), starts it on
loopback, logs in as the demo worker through the real login window, and grabs: the login window,
the person list, the house list, search results, the same in English, and the 1920×1080 layout.
Runs without a display (Qt's offscreen platform is used when none is set).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORKER = "wg_qbm_1"


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    from desktop.qt import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not become ready in time")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(ms: int = 150) -> None:
    from desktop.qt import QApplication

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def take(outdir: Path, home: Path) -> list[Path]:
    from desktop import i18n
    from desktop.app import attach_tools, create_application
    from desktop.demo_server import DEMO_PASSWORD, DemoServer
    from desktop.login import LoginWindow
    from desktop.main_window import MainWindow
    from desktop.models.area_tree import LEVEL_ROLE
    from desktop.qt import QInputMethodEvent, QWidget
    from desktop.session import Session
    from desktop.settings import AppSettings

    outdir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = outdir / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    server = DemoServer(home / "demo")
    server.prepare(out=sys.stdout)
    server.start()
    try:
        create_application(language="zh")
        login = LoginWindow(home / "profile", server_url=server.url, settings=AppSettings(), demo_hint=True)
        login.resize(760, 500)
        login.show()
        login.username.setText(WORKER)
        login.password.setText(DEMO_PASSWORD)
        grab(login, "01-login")
        i18n.set_language("en")
        grab(login, "01-login-en")
        i18n.set_language("zh")
        sessions: list[Session] = []
        login.logged_in.connect(sessions.append)
        login.submit()
        wait_until(lambda: bool(sessions) or bool(login.error.text()), timeout=180)
        if not sessions:
            raise RuntimeError(f"login failed: {login.error.text()}")
        login.close()
        session = sessions[0]

        window = MainWindow(session, AppSettings())
        bench = attach_tools(window)
        window.resize(1366, 768)
        window.show()
        wait_until(lambda: not session.store.validation.stale(1), timeout=300)
        window.refresh_lists()
        wait_until(lambda: window.areas.rowCount() > 0)
        settle(300)
        window.set_online(True)
        tree, areas = window.tree, window.areas
        index = areas.index(0, 0)
        while index.isValid() and index.data(LEVEL_ROLE) not in ("grid", "estate"):
            tree.expand(index)
            settle(50)
            index = areas.index(0, 0, index)
        if index.isValid():
            tree.expand(index)
            settle(50)
        tree.clearSelection()
        window.person_pane.table.selectRow(2)
        grab(window, "02-persons")
        window.tabs.setCurrentIndex(1)
        window.house_pane.table.selectRow(0)
        grab(window, "03-houses")
        window.tabs.setCurrentIndex(0)
        event = QInputMethodEvent("", [])
        event.setCommitString("王")
        from desktop.qt import QApplication

        window.search_box.setFocus()
        QApplication.sendEvent(window.search_box, event)
        wait_until(lambda: window.persons.query.text == "王")
        grab(window, "04-search")
        window.search_box.clear()
        wait_until(lambda: window.persons.query.text == "")
        i18n.set_language("en")
        grab(window, "05-persons-en")
        window.tabs.setCurrentIndex(1)
        grab(window, "06-houses-en")
        window.tabs.setCurrentIndex(0)
        i18n.set_language("zh")
        window.resize(1920, 1080)
        grab(window, "07-persons-1920")
        window.resize(1366, 768)
        editor_shots(window, bench, grab)
        window.lock()
        grab(window, "08-locked")
        window.shutdown()
        window.close()
        session.close()
        shots += review_shots(outdir, home, server.url, DEMO_PASSWORD)
        from desktop.admin.shots import admin_shots

        shots += admin_shots(outdir, home, server.url, DEMO_PASSWORD)
    finally:
        server.stop()
    return shots


def review_shots(outdir: Path, home: Path, url: str, password: str) -> list[Path]:
    """The supervisor's review queue with a submission open, and the community dashboard."""
    from desktop.review.screens import SUPERVISOR, demo_submissions, render_review_screens
    from desktop.session import authenticate
    from desktop.sync_bootstrap import initial_sync

    demo_submissions(url, password)
    session = authenticate(home / "supervisor", url, SUPERVISOR, password, initial_sync=initial_sync)
    try:
        return render_review_screens(outdir, session)
    finally:
        session.close()


def editor_shots(window: Any, bench: Any, grab: Callable[[Any, str], None]) -> None:
    """The record editor on an elder with tags, a household's members, the outbox, and English."""
    from desktop import i18n
    from desktop.qt import Qt

    store = window.session.store
    elder = store.lists.persons(tags=["老年人"], sort=("name", "asc"), limit=1).rows
    person_id = elder[0]["id"] if elder else store.lists.persons(limit=1).rows[0]["id"]
    window.open_record(person_id)
    window.editor_dock.setFloating(False)
    window.resizeDocks([window.editor_dock], [900], Qt.Orientation.Horizontal)
    grab(window, "09-editor")
    household = store.entities.get(person_id).get("household_id")
    if household:
        window.open_record(household)
        grab(window, "10-household")
    window.open_record(person_id)
    bench.show_outbox()
    grab(window, "11-outbox")
    bench.outbox_dock.hide()
    i18n.set_language("en")
    grab(window, "12-editor-en")
    i18n.set_language("zh")
    window.editor_dock.hide()
    bench.show_due()
    wait_until(lambda: bench.due.table.rowCount() > 0, timeout=60)
    grab(window, "13-due")
    bench.due_dock.hide()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.screenshots", description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--home", type=Path, help="where to put the demo platform (default: a temp dir)")
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("YBT_HOME", str(args.home or Path(tempfile.mkdtemp(prefix="ybt-shots-"))))
    home = args.home or Path(os.environ["YBT_HOME"])
    shots = take(args.outdir, home)
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
