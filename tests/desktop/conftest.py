"""GUI tests: real widgets (offscreen), a real encrypted store, a real platform server on loopback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.sync.memkeyring import MemoryKeyring


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own YBT_HOME, an in-memory keyring, Chinese as the language."""
    monkeypatch.setenv("YBT_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    from desktop import i18n, session
    from sync.store.crypto import KdfParams

    monkeypatch.setattr(session, "KDF_PARAMS", KdfParams(time_cost=1, memory_cost=8192, parallelism=1))
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The platform server with a small demo district, on loopback, shared by the GUI tests."""
    from tests.desktop.platform import Platform

    server = Platform(tmp_path_factory.mktemp("platform"))
    server.start()
    yield server
    server.stop()
