"""The sync engine against the real server and a real local store: pull, push, progress, cancel."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

from sync.client.engine import SyncEngine, SyncProgress
from tests.sync.support import GRID1, ServerProcess, client, new_store, server_entities


def edit_some(store, n: int, field: str = "occupation", value: str = "快递员",  # type: ignore[no-untyped-def]
              offset: int = 0) -> list[str]:
    persons = store.lists.persons(limit=n, offset=offset).rows
    for p in persons:
        ent = store.entities.get(p["id"])
        store.edits.save_draft(p["id"], {**ent["data"], field: value})
    return [p["id"] for p in persons]


def test_first_sync_pulls_the_whole_scope_and_a_second_changes_nothing(shared_server: ServerProcess, tmp_path: Path) -> None:
    server = shared_server
    api = client(server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    steps: list[SyncProgress] = []
    summary = SyncEngine(store, api, pull_page=25).run(steps.append)
    assert summary.ok, summary.errors
    master = server_entities(server.db_url, GRID1)
    assert store.lists.counts()["person"] + store.lists.counts()["house"] + store.lists.counts()["household"] == len(master)
    for eid, row in master.items():
        local = store.entities.get(eid)
        assert local["rev"] == row["rev"] and local["data"] == row["data"]
    assert summary.pages >= len(master) // 25
    assert [s.phase for s in steps][-1] == "done"
    assert any(s.phase == "pull" for s in steps)
    assert all(b.received >= a.received for a, b in itertools.pairwise(steps))
    again = SyncEngine(store, api).run()
    assert again.ok and again.received == 0 and again.sent == 0


def test_edits_reach_the_platform_once_and_come_back_approved(shared_server: ServerProcess, tmp_path: Path) -> None:
    server = shared_server
    api = client(server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    ids = edit_some(store, 5)
    sid = store.outbox.submit(ids, note="走访")
    more = [store.outbox.submit([i]) for i in edit_some(store, 3, "employer", "区图书馆", offset=5)]
    steps: list[SyncProgress] = []
    summary = SyncEngine(store, api, push_batch=2).run(steps.append)
    assert summary.ok, summary.errors
    assert summary.sent == 4 and summary.accepted == 4 and summary.duplicates == 0 and summary.batches == 2
    pushes = [(p.done, p.total) for p in steps if p.phase == "push"]
    assert pushes == [(0, 4), (2, 4), (2, 4), (4, 4)]             # a bar: done out of total
    assert all(store.outbox.submission(m)["state"] == "accepted" for m in more)
    assert store.outbox.submission(sid)["state"] in ("accepted", "approved")
    # the supervisor approves; the worker's next sync brings the new revisions
    sup = client(server.url, "sup_qbm")
    assert sup.post(f"/review/{sid}/decision", {"decision": "approve"})["status"] == "approved"
    assert SyncEngine(store, api).run().ok
    master = server_entities(server.db_url, GRID1)
    for eid in ids:
        assert master[eid]["data"]["occupation"] == "快递员"
        local = store.entities.get(eid)
        assert local["status"] == "synced" and local["rev"] == master[eid]["rev"]
    assert store.outbox.submission(sid)["state"] == "approved"


def test_cancel_stops_between_pages_and_the_next_run_resumes(shared_server: ServerProcess, tmp_path: Path) -> None:
    server = shared_server
    api = client(server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    cancel = threading.Event()

    def stop_after_two(p: SyncProgress) -> None:
        if p.phase == "pull" and p.received >= 20:
            cancel.set()

    first = SyncEngine(store, api, pull_page=10).run(stop_after_two, cancel)
    assert first.cancelled and not first.ok and first.received == 20
    cursor = store.pull.cursor()
    assert cursor
    rest = SyncEngine(store, api, pull_page=10).run()
    assert rest.ok
    total = len(server_entities(server.db_url, GRID1))
    assert store.lists.counts()["person"] + store.lists.counts()["house"] + store.lists.counts()["household"] == total
