"""``ybt admin devices`` and ``ybt admin settings`` against the real platform: list, revoke (exit 1 when
refused), the minimum client version set and cleared; ``--json`` shapes as docs/protocol.md says."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.sync.revocation_support import device_client
from tests.sync.support import PASSWORD, ROOT, ServerProcess, env_for_cli


def admin(*args: str, server: ServerProcess) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", "admin", *args, "--server", server.url,
                           "--user", "admin"], cwd=ROOT, env={**env_for_cli(), "YBT_PASSWORD": PASSWORD},
                          text=True, capture_output=True, timeout=120)


def test_list_and_revoke_a_device_from_the_command_line(shared_server: ServerProcess) -> None:
    api = device_client(shared_server.url, "sup_qbm")
    listed = admin("devices", "list", "--of", "sup_qbm", "--json", server=shared_server)
    assert listed.returncode == 0, listed.stderr
    [item] = [i for i in json.loads(listed.stdout) if i["device_id"] == api.device_id]
    assert set(item) >= {"id", "username", "display_name", "device_id", "first_seen", "last_seen",
                         "app_version", "state", "push_first", "revoke_reason", "wiped_at"}
    assert item["state"] == "active" and item["app_version"] == "0.1.0"
    readable = admin("devices", "list", "--of", "sup_qbm", server=shared_server)
    assert api.device_id in readable.stdout and "在用" in readable.stdout
    done = admin("devices", "revoke", item["id"], "--reason", "借用期满", "--push-first", "--json", server=shared_server)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "revoked" and json.loads(done.stdout)["push_first"] is True
    again = admin("devices", "revoke", item["id"], "--reason", "借用期满", server=shared_server)
    assert again.returncode == 1 and "已被吊销" in again.stderr
    revoked = admin("devices", "list", "--of", "sup_qbm", "--state", "revoked", "--json", server=shared_server)
    assert [i["id"] for i in json.loads(revoked.stdout)] == [item["id"]]
    blank = admin("devices", "revoke", item["id"], "--reason", " ", server=shared_server)
    assert blank.returncode == 2


def test_the_minimum_client_version_is_set_shown_and_cleared(shared_server: ServerProcess) -> None:
    try:
        bad = admin("settings", "set", "min_client_version", "latest", server=shared_server)
        assert bad.returncode == 1 and "版本号" in bad.stderr
        put = admin("settings", "set", "min_client_version", "0.3.0", "--json", server=shared_server)
        assert put.returncode == 0, put.stderr
        assert json.loads(put.stdout) == {"min_client_version": "0.3.0"}
        shown = admin("settings", "show", server=shared_server)
        assert "min_client_version" in shown.stdout and "0.3.0" in shown.stdout
    finally:
        cleared = admin("settings", "set", "min_client_version", "none", "--json", server=shared_server)
    assert json.loads(cleared.stdout) == {"min_client_version": None}
