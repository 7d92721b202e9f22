"""``ybt sync`` end to end: the first run logs in and creates the profile, later runs reuse it;
wrong password, wrong server and a profile of another user exit 1 with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sync.store import Store
from tests.server.live import free_port
from tests.sync.support import PASSWORD, ROOT, ServerProcess, server_entities

GRID = "330102001002002"


def ybt(*args: str, password: str = PASSWORD, full: bool = False) -> subprocess.CompletedProcess[str]:
    """``ybt sync ...`` (``full``: through the whole ``ybt`` tree) or the lighter ``python -m sync.client``."""
    env = {**os.environ, "YBT_PASSWORD": password, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    entry = "desktop.cli" if full else "sync.client"
    return subprocess.run([sys.executable, "-m", entry, *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120)


def test_first_sync_creates_the_profile_and_the_second_reuses_it(shared_server: ServerProcess,
                                                                 tmp_path: Path) -> None:
    profile = tmp_path / "wg"
    first = ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_2", "--profile", str(profile), full=True)
    assert first.returncode == 0, first.stderr
    assert "同步完成" in first.stdout and "登录凭据保存在: store" in first.stdout
    with Store.open(profile, PASSWORD) as store:
        counts = store.lists.counts()
        assert counts["person"] + counts["house"] + counts["household"] == len(
            server_entities(shared_server.db_url, GRID))
        assert store.settings.user()["role"] == "worker"
        assert store.settings.get(f"auth.tokens:{shared_server.url}|wg_ldl_2")   # tokens kept, encrypted
    second = ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_2", "--profile", str(profile),
                 "--lang", "en", "--quiet")
    assert second.returncode == 0, second.stderr
    assert "received 0" in second.stdout


def test_failures_exit_1_with_a_message(shared_server: ServerProcess, tmp_path: Path) -> None:
    profile = tmp_path / "wg"
    wrong = ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_2", "--profile", str(profile),
                password="wrong-password")
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr
    assert not (profile / "profile.json").exists()          # nothing created without a login
    down = ybt("sync", "--server", f"http://127.0.0.1:{free_port()}", "--user", "wg_ldl_2", "--profile",
               str(profile), "--retries", "1")
    assert down.returncode == 1 and "无法连接平台服务器" in down.stderr
    assert ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_2", "--profile",
               str(profile)).returncode == 0
    other = ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_1", "--profile", str(profile))
    assert other.returncode == 1 and "wg_ldl_2" in other.stderr
    locked = ybt("sync", "--server", shared_server.url, "--user", "wg_ldl_2", "--profile", str(profile),
                 password="another-password")
    assert locked.returncode == 1 and "密码" in locked.stderr
