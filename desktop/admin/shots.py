"""PNGs of every admin screen for docs/screenshots: logs in as the demo street's admin on a running
platform, shows each screen of the navigation in turn (each in the state its ``prepare_screenshot``
sets up, once it is ``ready``), grabs it, and the first one again in English."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

ADMIN = "admin"


def _wait(condition: Any, timeout: float = 60.0) -> None:
    from desktop.qt import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the admin screen did not become ready in time")
        QApplication.processEvents()
        time.sleep(0.01)


def _settle(ms: int = 250) -> None:
    from desktop.qt import QApplication

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def admin_shots(outdir: Path, home: Path, url: str, password: str) -> list[Path]:
    from desktop import i18n
    from desktop.app import open_window
    from desktop.session import authenticate
    from desktop.sync_bootstrap import initial_sync

    session = authenticate(home / "admin", url, ADMIN, password, initial_sync=initial_sync)
    window = open_window(session)
    window.resize(1366, 768)
    window.show()
    shots: list[Path] = []
    try:
        _wait(lambda: window.online is True)

        def grab(name: str) -> None:
            _settle()
            path = outdir / f"{name}.png"
            window.grab().save(str(path))
            shots.append(path)

        for index, spec in enumerate(window.specs):
            screen = window.show_screen(spec.key)
            _wait(screen.ready)
            screen.prepare_screenshot()
            _wait(screen.ready)
            grab(f"admin-{index + 1:02d}-{spec.key}")
        i18n.set_language("en")
        screen = window.show_screen(window.specs[0].key)
        _wait(screen.ready)
        grab(f"admin-01-{window.specs[0].key}-en")
        i18n.set_language("zh")
    finally:
        window.shutdown()
        window.close()
        session.close()
    return shots
