"""GUI tests: real widgets (offscreen), a real encrypted store, a real platform server on loopback."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.sync.memkeyring import MemoryKeyring


@pytest.fixture(scope="package", autouse=True)
def _collect_on_the_gui_thread(qapp: object) -> Iterator[None]:
    """As in the app: cyclic garbage (Qt objects among it) is collected on the GUI thread only."""
    import gc

    from desktop import gc_guard

    gc_guard.install(qapp)  # type: ignore[arg-type]
    yield
    gc.collect()
    gc_guard.uninstall()


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
    gc.collect()  # on the GUI thread, before the next test's threads start


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The platform server with a small demo district, on loopback, shared by the GUI tests."""
    from tests.desktop.platform import Platform

    server = Platform(tmp_path_factory.mktemp("platform"))
    server.start()
    yield server
    server.stop()


WINDOW_PASSWORD = "pass-1234"


def make_session(profile: Path, role: str = "worker", persons: int = 300) -> object:
    """A logged-in session over a real encrypted store holding a test district."""
    from desktop.session import Session, store_dir_for
    from sync.store import KdfParams, Store
    from sync.store.crypto import unlock
    from tests.desktop.factory import fill_store

    username = f"user_{role}"
    store_dir = store_dir_for(profile, username)
    user = {"username": username, "display_name": "王芳", "role": role, "areas": []}
    store = Store.create(store_dir, WINDOW_PASSWORD, user,
                         kdf=KdfParams(time_cost=1, memory_cost=8192, parallelism=1))
    fill_store(store, persons)

    def verify(candidate: str) -> bool:
        try:
            unlock(store_dir, candidate)
        except Exception:
            return False
        return True

    session = Session(profile, store_dir, username, store.settings.user(), "", "test-device", store)
    session.reopen = store.sibling
    session.verify = verify
    return session


@pytest.fixture
def main_window(qtbot: object, tmp_path: Path) -> Iterator[object]:
    from desktop.main_window import MainWindow

    session = make_session(tmp_path / "profile")
    window = MainWindow(session)  # type: ignore[arg-type]
    window.show()
    yield window
    # closed here, after shutdown (pytest-qt would close it first, and a window with unsent work
    # asks before it closes)
    window.shutdown()
    window.close()
    window.deleteLater()
    session.close()  # type: ignore[attr-defined]
