"""A grid handed from one worker to another, with both workers' real stores: after one sync each the new
worker holds exactly the grid's entities (besides its own grid) and the old one none of them; the old
worker's unsent work is neither lost nor stranded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.client.engine import SyncEngine
from tests.sync.support import ServerProcess, client, new_store, server_entities

GRID1, GRID2 = "330102001001001", "330102001001002"


def local_ids(store: Any, grid: str | None = None) -> set[str]:
    if grid is None:
        return {r["id"] for r in store.q("SELECT id FROM entities")}
    return {r["id"] for r in store.q("SELECT id FROM entities WHERE grid = ?", (grid,))}


def test_grid_handover_between_two_devices(server: ServerProcess, tmp_path: Path) -> None:
    url = server.url
    admin, sup = client(url, "admin"), client(url, "sup_qbm")
    old_api, new_api = client(url, "wg_qbm_1"), client(url, "wg_qbm_2")
    old, new = new_store(tmp_path / "old", old_api), new_store(tmp_path / "new", new_api)
    assert SyncEngine(old, old_api).run().ok and SyncEngine(new, new_api).run().ok
    grid1, grid2 = set(server_entities(server.db_url, GRID1)), set(server_entities(server.db_url, GRID2))
    assert local_ids(old) == grid1 and local_ids(new) == grid2

    # the old worker's work not yet sent when the grid changes hands: a queued edit and a draft
    persons = [r["id"] for r in old.lists.persons(limit=5).rows]
    queued, drafted = persons[0], persons[1]
    old.edits.save_draft(queued, {**old.entities.get(queued)["data"], "phone": "13900002222"})
    sid = str(old.outbox.submit([queued]))
    old.edits.save_draft(drafted, {**old.entities.get(drafted)["data"], "employer": "清波街道办事处"})

    moved = admin.post(f"/areas/{GRID1}/assign", {"worker": "wg_qbm_2"})
    assert [p["username"] for p in moved["previous"]] == ["wg_qbm_1"]

    old_sync = SyncEngine(old, old_api).run()
    assert old_sync.ok and old_sync.accepted == 1  # pushed first, accepted within the hand-over grace
    # the old device holds none of the grid's entities but the one whose edit is still a draft
    assert local_ids(old) == {drafted}
    kept = old.entities.get(drafted)
    assert kept["data"]["employer"] == "清波街道办事处" and kept["status"] == "draft"
    assert [r["entity_id"] for r in old.q("SELECT entity_id FROM audit WHERE action = 'out_of_scope_kept'")] == [drafted]
    assert GRID1 not in {a["code"] for a in old.lists.areas()}  # its tree no longer offers the grid
    assert {a["area"] for a in old.library.assignments() if a["username"] == "wg_qbm_1"} == set()

    new_sync = SyncEngine(new, new_api).run()
    assert new_sync.ok
    assert local_ids(new, GRID1) == grid1 and local_ids(new) == grid1 | grid2
    assert {GRID1, GRID2} <= {a["code"] for a in new.lists.areas()}
    assert {a["area"] for a in new.library.assignments() if a["username"] == "wg_qbm_2"} == {GRID1, GRID2}

    # the queued edit waits for review on the platform; approved, it reaches the new worker's device
    assert sup.post(f"/review/{sid}/decision", {"decision": "approve"})["status"] == "approved"
    assert SyncEngine(new, new_api).run().ok
    assert new.entities.get(queued)["data"]["phone"] == "13900002222"
    # the draft can still be submitted from the old device during the grace, and is not lost
    old.outbox.submit([drafted])
    assert SyncEngine(old, old_api).run().accepted == 1
    assert local_ids(old) == {drafted}  # kept as submitted until the next restart of its feed
