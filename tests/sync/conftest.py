"""Fixtures: a real platform server (subprocess on loopback) over SQLite, and PostgreSQL when
YBT_TEST_PG_URL is set; in-memory keyring for every test of this folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.server.live import PG_ENV, fresh_database, prepare
from tests.sync.faultproxy import FaultProxy
from tests.sync.memkeyring import MemoryKeyring
from tests.sync.support import PASSWORD, ServerProcess

BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=[pytest.mark.postgres,
                                    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")]),
]
DEMO_PERSONS = 160


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, str(tmp_path)) as url:
        prepare(url, demo_persons=DEMO_PERSONS, password=PASSWORD)
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def shared_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[ServerProcess]:
    """One server per backend for tests that only need distinct users or entities (not a clean slate)."""
    with fresh_database(request.param, str(tmp_path_factory.mktemp("shared"))) as url:
        prepare(url, demo_persons=DEMO_PERSONS, password=PASSWORD)
        proc = ServerProcess(url, login_limit=1000).start()
        yield proc
        proc.kill()


@pytest.fixture(scope="module", params=BACKENDS)
def short_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[ServerProcess]:
    """Access tokens of 1 second and the production login limit (5 failures per user)."""
    with fresh_database(request.param, str(tmp_path_factory.mktemp("short"))) as url:
        prepare(url, demo_persons=20, password=PASSWORD)
        proc = ServerProcess(url, access_seconds=1, login_limit=5).start()
        yield proc
        proc.kill()


@pytest.fixture
def server(db_url: str) -> Iterator[ServerProcess]:
    """A server of its own (the test kills, restarts or needs a clean database)."""
    proc = ServerProcess(db_url).start()
    yield proc
    proc.kill()


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    with FaultProxy(server.port) as p:
        yield p
