"""Test support for the sync client: the real server as a subprocess, stores, clients, submissions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from sync.client.http import ApiClient, RetryPolicy
from sync.client.tokens import MemoryTokens
from sync.server import tables as t
from sync.server.db import make_engine
from sync.store import KdfParams, Store
from tests.server.live import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo1234"
CHEAP = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
GRID1 = "330102001001001"
FAST_RETRY = RetryPolicy(attempts=8, base=0.05, cap=0.5)


class ServerProcess:
    """``python -m tests.sync.serve`` on a fixed port: start, kill (SIGKILL), restart."""

    def __init__(self, db_url: str, *, access_seconds: int = 900, login_limit: int = 5,
                 port: int | None = None) -> None:
        self.db_url = db_url
        self.login_limit = login_limit
        self.port = port or free_port()
        self.access_seconds = access_seconds
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.serve", "--db", self.db_url, "--port", str(self.port),
             "--access-seconds", str(self.access_seconds), "--login-limit", str(self.login_limit)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"server exited: {err[-2000:]}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def restart(self) -> None:
        self.kill()
        self.start()


def client(url: str, user: str, *, retry: RetryPolicy = FAST_RETRY, timeout: tuple[float, float] = (2.0, 20.0),
           login: bool = True) -> ApiClient:
    api = ApiClient(url, device_id=f"test-{user}", tokens=MemoryTokens(), username=user, timeout=timeout,
                    retry=retry)
    if login:
        api.login(user, PASSWORD)
    return api


def new_store(path: Path, api: ApiClient) -> Any:
    return Store.create(path, PASSWORD, {**api.user, "username": api.username, "device_id": api.device_id},
                        kdf=CHEAP)


def server_entities(db_url: str, grid: str | None = None) -> dict[str, dict[str, Any]]:
    """The platform's master records straight from its database: id -> {rev, data, ...}."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            query = sa.select(t.entities)
            if grid:
                query = query.where(t.entities.c.grid == grid)
            rows = conn.execute(query).mappings().all()
    finally:
        engine.dispose()
    out = {}
    for row in rows:
        out[row["id"]] = dict(row)
    return out


def server_submission_count(db_url: str, ids: list[str] | None = None) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(t.submissions)
            if ids is not None:
                query = query.where(t.submissions.c.id.in_(ids))
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def env_for_cli() -> dict[str, str]:
    env = dict(os.environ)
    env["YBT_PASSWORD"] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def new_id() -> str:
    return str(uuid.uuid4())
