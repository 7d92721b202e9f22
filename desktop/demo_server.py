"""The local demo platform behind ``ybt demo`` (and the GUI tests): set up once, run on loopback.

``DemoServer(home)``: ``prepare()`` runs ``ybt server init --db sqlite:///HOME/platform.sqlite --demo``
the first time (the demo district with its accounts); ``start()`` runs ``ybt server run`` in a child
process on 127.0.0.1 and waits until it answers; ``stop()`` ends that process (and only it).
No Qt here: the tests use it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

START_TIMEOUT = 60.0
#: Password of every demo account (passed to ``ybt server init --demo-password``).
DEMO_PASSWORD = "demo1234"


class DemoServerError(Exception):
    """The demo platform could not be set up or started; the message says why and where the log is."""


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM when the app dies (even if it is killed)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ybt_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop.cli", *args]


class DemoServer:
    def __init__(self, home: Path, port: int = 0) -> None:
        self.home = Path(home)
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: TextIO | None = None

    @property
    def db_path(self) -> Path:
        return self.home / "platform.sqlite"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def prepare(self, out: TextIO | None = None) -> bool:
        """Create the demo platform database if there is none (True: created now), or bring an
        existing one's schema up to date (a demo made by an older version of the app)."""
        self.home.mkdir(parents=True, exist_ok=True)
        if self.db_path.exists():
            done = subprocess.run(_ybt_command("server", "init", "--db", self.db_url), capture_output=True,
                                  text=True, env=self._env(), check=False)
            if done.returncode != 0:
                raise DemoServerError(
                    f"演示平台升级失败 / upgrading the demo platform failed (exit {done.returncode}):\n"
                    f"{(done.stderr or done.stdout).strip()[-2000:]}")
            return False
        if out is not None:
            print(f"正在建立演示平台 / setting up the demo platform: {self.db_path}", file=out, flush=True)
        done = subprocess.run(_ybt_command("server", "init", "--db", self.db_url, "--demo",
                                            "--demo-password", DEMO_PASSWORD),
                              capture_output=True, text=True, env=self._env(), check=False)
        self.home.joinpath("init.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        if done.returncode != 0:
            with contextlib.suppress(OSError):
                self.db_path.unlink()
            raise DemoServerError(
                f"演示平台建立失败 / setting up the demo platform failed (exit {done.returncode}):\n"
                f"{(done.stderr or done.stdout).strip()[-2000:]}")
        return True

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            _ybt_command("server", "run", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port)),
            stdout=self._log, stderr=subprocess.STDOUT, env=self._env(), preexec_fn=_die_with_parent)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DemoServerError(
                    f"演示平台启动失败 / the demo platform did not start (exit {self.process.returncode}); "
                    f"log: {self.log_path}\n{self._log_tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.stop()
        raise DemoServerError(f"演示平台 {START_TIMEOUT:.0f} 秒内未响应 / the demo platform did not answer "
                              f"within {START_TIMEOUT:.0f} s; log: {self.log_path}")

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return ""

    @staticmethod
    def _env() -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("PYTHONIOENCODING", "utf-8")
        return env


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(user name, display name, role, area) of the demo district's accounts, as the platform seeds them."""
    from sync.server import demo

    return [(username, display, role, area) for username, display, role, area in demo.USERS]


ROLE_NAMES = {"worker": "网格员 worker", "supervisor": "审核员 supervisor", "admin": "管理员 admin"}


def print_accounts(server: DemoServer, out: TextIO) -> None:
    print(f"演示平台已启动 / demo platform running at {server.url}", file=out)
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD} for all):", file=out)
    for username, display, role, area in demo_accounts():
        print(f"  {username:<10} {ROLE_NAMES.get(role, role):<20} {area:<16} {display}", file=out)
    print(f"服务器日志 / server log: {server.log_path}", file=out)
    out.flush()
