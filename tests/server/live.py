"""A real platform server on loopback for tests and benchmarks: database setup and a uvicorn thread."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
import uvicorn
from sqlalchemy.engine import make_url

from sync.server.app import create_app
from sync.server.bootstrap import InitReport, init_database
from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from sync.server.demo import seed_demo
from sync.server.security import make_hasher

PG_ENV = "YBT_TEST_PG_URL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fresh_database(backend: str, tmp_dir: str) -> Iterator[str]:
    """A new empty database URL: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir}/ybt-{uuid.uuid4().hex[:8]}.db"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        raise RuntimeError(f"{PG_ENV} is not set")
    name = f"ybt_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def prepare(url: str, *, demo_persons: int = 200, password: str = "demo1234") -> InitReport:
    """Schema, default templates and a (small) demo district, with fast password hashing."""
    engine = make_engine(url)
    report = init_database(engine)
    seed_demo(Database(engine), password, report, hasher=make_hasher(fast=True), n_persons=demo_persons)
    engine.dispose()
    return report


@dataclass
class LiveServer:
    url: str
    db_url: str
    server: uvicorn.Server
    thread: threading.Thread
    config: ServerConfig

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.server_state_dispose()

    def server_state_dispose(self) -> None:
        app = self.server.config.app
        state = getattr(getattr(app, "state", None), "ybt", None)
        if state is not None:
            state.db.dispose()


def start(config: ServerConfig, *, threads: int = 40) -> LiveServer:
    app = create_app(config)
    port = free_port()
    uv_config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                               limit_concurrency=2000, backlog=2048)
    server = uvicorn.Server(uv_config)

    def run() -> None:
        import anyio.to_thread

        async def main() -> None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
            await server.serve()

        import asyncio

        asyncio.run(main())

    thread = threading.Thread(target=run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", config.db_url, server, thread, config)
