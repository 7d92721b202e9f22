"""``ybt selftest``: an installation's check logs in through the real login window offscreen, pulls,
and reports what it found; a wrong password is a failed check that says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.install_check import check
from tests.desktop.platform import PASSWORD

pytestmark = pytest.mark.gui


def test_selftest_logs_in_pulls_and_finds_the_font_and_the_catalogue(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    report = check(platform.url, "wg_qbm_1", PASSWORD, tmp_path / "profile", timeout=180)
    assert report["ok"], report
    assert report["persons"] > 0 and report["houses"] > 0
    assert report["cjk_font"] and report["english_catalogue"] is True
    assert report["qt_platform"] == "offscreen"


def test_selftest_fails_with_the_login_windows_reason_on_a_wrong_password(
        qtbot: Any, platform: Any, tmp_path: Path) -> None:
    report = check(platform.url, "wg_qbm_2", "not-the-password", tmp_path / "profile", timeout=180)
    assert report["ok"] is False and report["error"]
    assert "persons" not in report
