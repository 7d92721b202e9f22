"""What differs on Windows, decided in code and checked here on Linux: where the app keeps its files,
which keyring backend holds the tokens, which font family the app asks for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PureWindowsPath

import pytest
from keyring.backends import Windows, fail

from desktop.fonts import NOTO, pick_family
from desktop.settings import data_home
from sync.client.tokens import choose_backend, platform_backend
from tests.sync.memkeyring import MemoryKeyring

HOME = Path("/home/wg")


def test_windows_keeps_data_in_roaming_appdata_never_beside_the_program() -> None:
    appdata = r"C:\Users\wg\AppData\Roaming"
    path = data_home("win32", {"APPDATA": appdata}, HOME)
    assert PureWindowsPath(str(path)).parts[-1] == "yibiaotong"
    assert str(path).startswith(appdata)
    assert "Program Files" not in str(path)


def test_windows_without_appdata_falls_back_to_the_profile_folder() -> None:
    assert data_home("win32", {}, HOME) == HOME / "AppData" / "Roaming" / "yibiaotong"


def test_linux_follows_xdg_and_ybt_home_wins_everywhere() -> None:
    assert data_home("linux", {}, HOME) == HOME / ".local" / "share" / "yibiaotong"
    assert data_home("linux", {"XDG_DATA_HOME": "/data/x"}, HOME) == Path("/data/x/yibiaotong")
    for platform in ("linux", "win32", "darwin"):
        assert data_home(platform, {"YBT_HOME": "/srv/ybt", "APPDATA": "C:/x"}, HOME) == Path("/srv/ybt")


@pytest.fixture
def on_windows() -> Iterator[None]:
    """Credential Manager's backend as it reports itself on Windows (priority 5), for this test only."""
    vault = Windows.WinVaultKeyring
    original = vault.__dict__["priority"]
    vault.priority = 5.0  # type: ignore[misc]
    try:
        yield
    finally:
        vault.priority = original  # type: ignore[misc]


def test_on_windows_a_frozen_app_without_backend_discovery_uses_credential_manager(on_windows: None) -> None:
    chosen = choose_backend(fail.Keyring(), "win32")
    assert isinstance(chosen, Windows.WinVaultKeyring)


def test_on_linux_the_windows_backend_is_never_chosen() -> None:
    assert isinstance(platform_backend("win32"), Windows.WinVaultKeyring)  # loadable, but
    assert choose_backend(fail.Keyring(), "win32") is None  # it says it needs Windows here
    assert choose_backend(fail.Keyring(), "linux") is None  # and Linux has no fallback: the store keeps tokens
    assert platform_backend("linux") is None


def test_a_usable_configured_backend_comes_first(on_windows: None) -> None:
    configured = MemoryKeyring()
    assert choose_backend(configured, "win32") is configured


def test_windows_asks_for_microsoft_yahei_then_dengxian_then_noto() -> None:
    windows = ["Arial", "SimSun", "DengXian", "Microsoft YaHei", "Microsoft YaHei UI"]
    assert pick_family(windows, "win32") == "Microsoft YaHei UI"
    assert pick_family(["Arial", "DengXian", NOTO], "win32") == "DengXian"
    assert pick_family(["Arial", NOTO], "win32") == NOTO
    assert pick_family(["Arial"], "win32") is None


def test_linux_asks_for_noto_first_even_when_yahei_is_installed() -> None:
    assert pick_family(["Microsoft YaHei", NOTO, "WenQuanYi Micro Hei"], "linux") == NOTO
    assert pick_family(["WenQuanYi Micro Hei"], "linux") == "WenQuanYi Micro Hei"
