"""Preferences survive restarts; a damaged file gives defaults instead of stopping the app."""

from __future__ import annotations

from pathlib import Path

from desktop.settings import AppSettings, ybt_home


def test_round_trip(tmp_path: Path) -> None:
    AppSettings(language="en", idle_lock_minutes=5, server_url="http://x", last_username="wg").save(tmp_path)
    loaded = AppSettings.load(tmp_path)
    assert (loaded.language, loaded.idle_lock_minutes, loaded.server_url, loaded.last_username) == (
        "en", 5, "http://x", "wg")


def test_damaged_or_odd_files_fall_back_to_defaults(tmp_path: Path) -> None:
    path = AppSettings.path(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert AppSettings.load(tmp_path) == AppSettings()
    path.write_text('{"language": 3, "idle_lock_minutes": "ten", "unknown": 1}', encoding="utf-8")
    assert AppSettings.load(tmp_path) == AppSettings()
    path.write_text('{"idle_lock_minutes": -4}', encoding="utf-8")
    assert AppSettings.load(tmp_path).idle_lock_minutes == 0


def test_ybt_home_follows_the_environment(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("YBT_HOME", str(tmp_path / "h"))
    assert ybt_home() == tmp_path / "h"


def test_settings_write_back_where_they_were_read(tmp_path: Path) -> None:
    settings = AppSettings.load(tmp_path / "demo")
    settings.server_url = "http://127.0.0.1:5555"
    settings.save()
    assert AppSettings.load(tmp_path / "demo").server_url == "http://127.0.0.1:5555"
    assert AppSettings.load(tmp_path).server_url == "", "the main settings are untouched"
