"""The admin window, logged in to the shared test platform as the demo street's admin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.helpers import close_window

ADMIN = "admin"
WAIT = 60_000


@pytest.fixture
def admin_window(qtbot: Any, platform: Any, tmp_path: Path) -> Iterator[Any]:
    from desktop.app import open_window
    from desktop.session import authenticate
    from desktop.sync_bootstrap import initial_sync
    from tests.desktop.platform import PASSWORD

    session = authenticate(tmp_path / "admin", platform.url, ADMIN, PASSWORD, initial_sync=initial_sync)
    window = open_window(session)
    window.show()
    qtbot.waitUntil(lambda: window.online is True, timeout=WAIT)
    yield window
    close_window(window)
