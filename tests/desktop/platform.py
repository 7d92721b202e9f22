"""A real platform server on loopback for the GUI tests: SQLite, a small demo district, uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import uvicorn
from argon2 import PasswordHasher

from sync.client.http import ApiClient
from sync.server.app import create_app
from sync.server.bootstrap import InitReport, init_database
from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from sync.server.demo import seed_demo

PASSWORD = "demo1234"
WORKER = "wg_qbm_1"  # 王芳, grid 330102001001001
SUPERVISOR = "sup_qbm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Platform:
    def __init__(self, folder: Path, persons: int = 400) -> None:
        self.db_url = f"sqlite:///{folder / 'platform.sqlite'}"
        engine = make_engine(self.db_url)
        report: InitReport = init_database(engine)
        seed_demo(Database(engine), PASSWORD, report, n_persons=persons,
                  hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
        self.engine = engine
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(ServerConfig(db_url=self.db_url, fast_password_hash=True))

    def start(self) -> None:
        """Start serving (again, after ``stop``: a laptop's platform coming back in range)."""
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="platform", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test platform did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def set_active(self, username: str, active: bool) -> None:
        from sync.server import repo_users

        db = Database(self.engine)
        with db.write() as w:
            row: Any = repo_users.user_by_name(w.conn, username)
            repo_users.update_user(w, row.id, {"active": active})


def api_as(url: str, username: str) -> ApiClient:
    """A logged-in API client of ``username`` on another device (as a second laptop would be)."""
    client = ApiClient(url, device_id=f"other-{uuid.uuid4().hex[:6]}")
    client.login(username, PASSWORD)
    return client
