"""A reveal made offline reaches the platform's audit log with the next sync — once, even when that
sync is killed after the platform stored the entry (before the device noted it) and is run again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.client.engine import SyncEngine
from sync.server import tables as t
from sync.server.db import make_engine
from sync.store import Store
from tests.sync.faultproxy import FaultProxy, Rule
from tests.sync.support import PASSWORD, ROOT, ServerProcess, client, new_store

AUDIT_PATH = "/api/v1/audit"


def platform_entries(db_url: str, client_key: str) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.select(t.audit_log).where(t.audit_log.c.client_key == client_key)).all())
    finally:
        engine.dispose()


def local_entry(store: Any, action: str, entity_id: str) -> dict[str, Any]:
    [row] = [r for r in store.audit.entries(entity_id) if r["action"] == action]
    return dict(row)


def sync_process(url: str, user: str, profile: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "YBT_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.Popen([sys.executable, "-m", "sync.client", "sync", "--server", url, "--user", user,
                             "--profile", str(profile), "--retries", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, text=True)


def test_an_offline_reveal_reaches_the_platform_once_through_a_killed_sync(shared_server: ServerProcess,
                                                                         tmp_path: Path) -> None:
    user = "wg_qbm_2"
    profile = tmp_path / "worker"
    with FaultProxy(shared_server.port) as proxy:
        api = client(proxy.url, user)
        with new_store(profile, api) as store:
            assert SyncEngine(store, api).run().ok
            person = store.lists.persons(limit=1).rows[0]["id"]
            proxy.offline = True                                   # the network is gone
            store.audit.record("reveal", person, "id_number", "入户核对身份")
            offline = SyncEngine(store, api).run()
            assert not offline.ok
            entry = local_entry(store, "reveal", person)
            assert not entry["synced"]
            key = f"{store.settings.device_id()}:{store.audit.log_id()}:{entry['id']}"
        assert platform_entries(shared_server.db_url, key) == []
        proxy.offline = False

        # ``ybt sync`` is killed once the platform has committed the upload, before its answer is stored
        proc = sync_process(proxy.url, user, profile)

        def kill_when_stored() -> None:
            deadline = time.monotonic() + 20
            while not platform_entries(shared_server.db_url, key) and time.monotonic() < deadline:
                time.sleep(0.02)
            proc.kill()

        proxy.add(Rule("hook", "POST", AUDIT_PATH, hook=kill_when_stored))
        proc.wait(60)
        assert proc.returncode != 0                               # it was killed, not finished
        assert proxy.count("POST", AUDIT_PATH, "hook") == 1
        assert len(platform_entries(shared_server.db_url, key)) == 1
        with Store.open(profile, PASSWORD) as store:
            assert not local_entry(store, "reveal", person)["synced"]   # the device never heard back
            again = SyncEngine(store, client(proxy.url, user)).run()
            assert again.ok, again.errors
            assert local_entry(store, "reveal", person)["synced"]
            assert SyncEngine(store, client(proxy.url, user)).run().ok
    [stored] = platform_entries(shared_server.db_url, key)
    assert stored.action == "reveal" and stored.entity_id == person and stored.origin == "device"
    assert stored.actor_name == user and stored.detail["reason"] == "入户核对身份"
    assert stored.detail["field"] == "id_number"


def test_a_lost_answer_is_retried_and_answered_duplicate(shared_server: ServerProcess, tmp_path: Path) -> None:
    user = "wg_ldl_1"
    with FaultProxy(shared_server.port) as proxy:
        api = client(proxy.url, user)
        with new_store(tmp_path / "p", api) as store:
            assert SyncEngine(store, api).run().ok
            for n in range(3):
                store.audit.record("export", None, reason=f"第{n}次", detail={"rows": n, "unmasked": False})
            pending = len(store.audit.pending())
            proxy.add(Rule("drop_response", "POST", AUDIT_PATH, times=1))
            summary = SyncEngine(store, api).run()
            assert summary.ok, summary.errors
            assert proxy.count("POST", AUDIT_PATH, "drop_response") == 1
            assert summary.audit_sent == pending and store.audit.pending() == []
            prefix = f"{store.settings.device_id()}:{store.audit.log_id()}:"
            ids = [r["id"] for r in store.audit.entries() if r["action"] == "export"]
    for local_id in ids:
        assert len(platform_entries(shared_server.db_url, prefix + str(local_id))) == 1
