"""Faults between the client and the real server: lost responses, cut pages, a server restarted in
the middle of a batch, the network going away. Nothing is duplicated, nothing is lost."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.client.engine import SyncEngine
from sync.client.errors import ProtocolError, Unreachable
from sync.client.http import RetryPolicy
from sync.server import tables as t
from sync.server.db import make_engine
from tests.sync.faultproxy import FaultProxy, Rule, canned
from tests.sync.support import ServerProcess, client, new_store, server_entities, server_submission_count

GRID_LDL1 = "330102001002001"
GRID_LDL2 = "330102001002002"


def edit(store: Any, n: int, field: str, value: str, offset: int = 0) -> list[str]:
    rows = store.lists.persons(limit=n, offset=offset).rows
    for row in rows:
        ent = store.entities.get(row["id"])
        store.edits.save_draft(row["id"], {**ent["data"], field: value})
    return [r["id"] for r in rows]


def history_rows(db_url: str, submission_ids: list[str]) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.history)
                                    .where(t.history.c.submission_id.in_(submission_ids))).scalar_one())
    finally:
        engine.dispose()


def test_a_response_lost_after_the_server_committed_is_a_duplicate_on_retry(shared_server: ServerProcess,
                                                                           tmp_path: Path) -> None:
    proxy = FaultProxy(shared_server.port)
    api = client(proxy.url, "sup_ldl")          # a supervisor's submissions are applied at once
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    before = server_entities(shared_server.db_url)
    ids = edit(store, 4, "employer", "西湖区图书馆")
    sids = [store.outbox.submit([i]) for i in ids]
    proxy.add(Rule("drop_response", "POST", "/api/v1/submissions", times=1))
    summary = SyncEngine(store, api).run()
    assert summary.ok, summary.errors
    assert proxy.count("POST", "/api/v1/submissions", "drop_response") == 1
    assert summary.sent == 4 and summary.duplicates == 4 and summary.accepted == 4
    assert server_submission_count(shared_server.db_url, sids) == 4
    after = server_entities(shared_server.db_url)
    for i in ids:
        assert after[i]["rev"] == before[i]["rev"] + 1          # applied once, not twice
        assert after[i]["data"]["employer"] == "西湖区图书馆"
        assert store.entities.get(i)["rev"] == after[i]["rev"]
        assert store.entities.get(i)["status"] == "synced"
    assert history_rows(shared_server.db_url, sids) == 4        # one field each, recorded once
    assert all(store.outbox.submission(s)["state"] == "approved" for s in sids)
    proxy.close()


def test_a_page_cut_in_the_middle_is_fetched_again(shared_server: ServerProcess, tmp_path: Path) -> None:
    proxy = FaultProxy(shared_server.port)
    api = client(proxy.url, "wg_ldl_2")
    store = new_store(tmp_path / "p", api)
    proxy.add(Rule("truncate", "GET", "/api/v1/changes", times=1, skip=1))
    proxy.add(Rule("drop_response", "GET", "/api/v1/changes", times=1, skip=2))
    summary = SyncEngine(store, api, pull_page=20).run()
    assert summary.ok, summary.errors
    master = server_entities(shared_server.db_url, GRID_LDL2)
    counts = store.lists.counts()
    assert counts["person"] + counts["house"] + counts["household"] == len(master)
    assert proxy.count("GET", "/api/v1/changes", "truncate") == 1
    proxy.close()


def test_the_server_restarted_in_the_middle_of_a_batch(server: ServerProcess, tmp_path: Path) -> None:
    proxy = FaultProxy(server.port)
    api = client(proxy.url, "wg_ldl_1", retry=RetryPolicy(attempts=60, base=0.1, cap=1.0))
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    restarted = threading.Event()

    def start_again() -> None:
        server.start()
        restarted.set()

    def kill_and_restart() -> None:
        server.kill()
        threading.Thread(target=start_again, daemon=True).start()

    all_sids: list[str] = []
    for round_, delay_rule in enumerate(("hook", "drop_then_hook")):
        ids = edit(store, 6, "employer", f"单位{round_}", offset=6 * round_)
        all_sids += [store.outbox.submit([i]) for i in ids]
        restarted.clear()
        if delay_rule == "hook":     # killed right after the batch reached it (before or while committing)
            proxy.add(Rule("hook", "POST", "/api/v1/submissions", hook=kill_and_restart))
        else:  # the second batch is committed and its answer lost; the server dies during the retry
            proxy.add(Rule("drop_response", "POST", "/api/v1/submissions", skip=1))
            proxy.add(Rule("hook", "POST", "/api/v1/submissions", skip=1, hook=kill_and_restart))
        summary = SyncEngine(store, api, push_batch=3).run()
        assert restarted.wait(30)
        assert summary.ok, summary.errors
        assert summary.sent >= 6 and summary.accepted == 6
    assert server_submission_count(server.db_url, all_sids) == len(all_sids)
    assert not store.outbox.pending(500)
    assert all(store.outbox.submission(s)["state"] == "accepted" for s in all_sids)
    proxy.close()


def test_offline_then_online_loses_nothing(shared_server: ServerProcess, tmp_path: Path) -> None:
    proxy = FaultProxy(shared_server.port)
    api = client(proxy.url, "wg_qbm_2", retry=RetryPolicy(attempts=2, base=0.01, cap=0.02))
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    ids = edit(store, 3, "employer", "离线修改")
    sid = store.outbox.submit(ids)
    proxy.offline = True
    summary = SyncEngine(store, api).run()
    assert not summary.ok and isinstance(summary.failure, Unreachable)
    assert "无法连接" in summary.errors[0]
    assert [s["id"] for s in store.outbox.pending(10)] == [sid]
    proxy.offline = False
    summary = SyncEngine(store, api).run()
    assert summary.ok and summary.sent == 1 and summary.accepted == 1
    assert server_submission_count(shared_server.db_url, [sid]) == 1
    proxy.close()


def test_a_malformed_page_is_refused_and_the_cursor_stays(shared_server: ServerProcess, tmp_path: Path) -> None:
    proxy = FaultProxy(shared_server.port)
    api = client(proxy.url, "wg_qbm_2")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    cursor = store.pull.cursor()
    bad_item = {"items": [{"seq": 1, "type": "entity", "id": "x", "deleted": False, "data": {"kind": "person"}}],
                "next_cursor": "999999.bad", "has_more": False, "reset": False}
    proxy.add(Rule("respond", "GET", "/api/v1/changes",
                   response=canned(200, "OK", json.dumps(bad_item).encode())))
    summary = SyncEngine(store, api).run()
    assert not summary.ok and isinstance(summary.failure, ProtocolError)
    assert "item 1" in summary.errors[0] or "第 1 项" in summary.errors[0]
    assert store.pull.cursor() == cursor
    proxy.add(Rule("respond", "GET", "/api/v1/changes", response=canned(200, "OK", b"<html>proxy login</html>")))
    summary = SyncEngine(store, api).run()
    assert isinstance(summary.failure, ProtocolError) and "JSON" in summary.errors[0]
    assert store.pull.cursor() == cursor
    assert SyncEngine(store, api).run().ok                      # and the next sync is fine again
    proxy.close()
