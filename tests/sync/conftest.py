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


@pytest.fixture
def server(db_url: str) -> Iterator[ServerProcess]:
    proc = ServerProcess(db_url).start()
    yield proc
    proc.kill()


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    with FaultProxy(server.port) as p:
        yield p
