"""Visits end to end: recorded offline on the device, pushed by the sync engine after the submissions,
shown by the platform in the house's and persons' history and in /stats, once however often pushed,
and pulled by the worker's other device."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.client.engine import SyncEngine
from sync.server import tables as t
from sync.server.db import make_engine
from tests.sync.support import GRID1, ServerProcess, client, new_store


def _house_with_residents(store: Any) -> tuple[str, list[str]]:
    for row in store.q("SELECT house_id, count(*) AS n FROM entities WHERE kind = 'person' AND state = 'active' "
                       "AND house_id IS NOT NULL AND house_id NOT IN (SELECT house_id FROM visits) "
                       "GROUP BY house_id HAVING n >= 2 ORDER BY house_id"):
        persons = [r["id"] for r in store.q("SELECT id FROM entities WHERE house_id = ? AND kind = 'person' AND "
                                            "state = 'active' ORDER BY id", (row["house_id"],))]
        return str(row["house_id"]), persons
    raise AssertionError("no house with two residents in the demo grid")


def _server_visits(db_url: str, visit_id: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.visits)
                                    .where(t.visits.c.id == visit_id)).scalar_one())
    finally:
        engine.dispose()


def test_a_visit_recorded_offline_reaches_the_platform_and_verifies_the_persons_seen(
        shared_server: ServerProcess, tmp_path: Path) -> None:
    api = client(shared_server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    assert store.scalar("SELECT visit_every FROM tag_catalogue WHERE tag = '独居老人'") == 7
    house, persons = _house_with_residents(store)
    seen, away = persons[:1], persons[1:]
    before = api.get("/stats")["visits"]
    vid = store.visits.record(house, date.today(), "已核实", "户主在家", person_ids=seen)  # offline: no call made
    assert store.visits.get(vid)["sync_state"] == "pending"
    summary = SyncEngine(store, api).run()
    assert summary.ok, summary.errors
    assert (summary.visits_sent, summary.visits_accepted, summary.visits_rejected) == (1, 1, 0)
    assert "走访 1 次" in summary.text() and "visits sent 1" in summary.text("en")
    assert store.visits.get(vid)["sync_state"] == "accepted" and store.visits.open_count() == 0
    history = api.get("/visits", {"house_id": house})
    assert [i["id"] for i in history["items"]] == [vid]
    assert history["items"][0]["note"] == "户主在家" and history["verification"]["verified"] is True
    assert api.get("/visits", {"entity_id": seen[0]})["verification"]["verified"] is True
    for other in away:
        assert api.get("/visits", {"entity_id": other})["verification"]["verified"] is False
    after = api.get("/stats")["visits"]
    assert after["houses_verified"] == before["houses_verified"] + 1
    assert after["persons_verified"] == before["persons_verified"] + 1
    grid = {g["grid"]: g for g in after["by_grid"]}[GRID1]
    assert grid["houses_visited"] >= 1
    again = SyncEngine(store, api).run()
    assert again.ok and again.visits_sent == 0


def test_a_visit_whose_answer_was_lost_is_pushed_again_and_kept_once(shared_server: ServerProcess,
                                                                     tmp_path: Path) -> None:
    api = client(shared_server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    house, _ = _house_with_residents(store)
    vid = store.visits.record(house, date.today(), "无人在家")
    batch = store.visits.pending()
    store.visits.mark_sending([v["id"] for v in batch])
    api.push_visits(batch)  # reached the platform; the answer never reached the store
    assert store.visits.get(vid)["sync_state"] == "sent"
    summary = SyncEngine(store, api).run()
    assert summary.ok and summary.visits_sent == 1 and summary.visits_duplicates == 1
    assert store.visits.get(vid)["sync_state"] == "accepted"
    assert _server_visits(shared_server.db_url, vid) == 1


def test_a_changed_visit_goes_up_after_its_submission_and_the_other_device_pulls_it(
        shared_server: ServerProcess, tmp_path: Path) -> None:
    api = client(shared_server.url, "wg_qbm_2")
    store = new_store(tmp_path / "a", api)
    assert SyncEngine(store, api).run().ok
    house, persons = _house_with_residents(store)
    ent = store.entities.get(persons[0])
    store.edits.save_draft(persons[0], {**ent["data"], "occupation": "外卖骑手"})
    vid = store.visits.record(house, date.today(), "有变更", "职业有变化")
    sid = store.outbox.submit(visit_id=vid)
    summary = SyncEngine(store, api).run()
    assert summary.ok and summary.sent == 1 and summary.visits_sent == 1
    [item] = api.get("/visits", {"house_id": house})["items"]
    assert item["submission_id"] == sid and item["result"] == "有变更"
    # the same worker's other laptop (or the next worker of the grid) pulls the visit
    other_api = client(shared_server.url, "wg_qbm_2")
    other = new_store(tmp_path / "b", other_api)
    assert SyncEngine(other, other_api).run().ok
    [pulled] = other.visits.of_house(house)
    assert (pulled["id"], pulled["origin"], pulled["sync_state"], pulled["note"]) == (vid, "server", "accepted",
                                                                                       "职业有变化")
    assert other.q1("SELECT visit_result, visit_date FROM entities WHERE id = ?", (persons[1],)) == {
        "visit_result": "有变更", "visit_date": date.today().isoformat()}
    assert other.visits.open_count() == 0 and other.visits.cycle_kind() == "quarter"
