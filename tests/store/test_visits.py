"""Visits in the local store: recorded and queued for sync, persons seen, sync states, pulled visits of
other devices merged idempotently, the summary columns, verification and the due list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from sync.store import InvalidInput, NotFound, Store
from tests.store.conftest import GRID, house, person, pull

TODAY = date(2026, 12, 4)  # 2026-Q4


def catalogue(store: Store, **every: int | None) -> None:
    tags = [{"id": t, "label": t, "scope": "person", "kind": "auto", "sensitive": [], "visit_every": d}
            for t, d in every.items()]
    store.pull.apply_changes([{"seq": 1, "type": "tag_catalogue", "id": "person@2026.1@330102", "deleted": False,
                               "data": {"form_id": "person", "version": "2026.1", "entity": "person",
                                        "tags": tags}}], "cat")


def tagged(store: Store, entity_id: str, *tags: str) -> None:
    store.validation.set(entity_id, {"errors": 0, "warnings": 0, "tags": list(tags)})


@pytest.fixture
def block(store: Store) -> dict[str, Any]:
    h = house()
    a, b = person("张三", h["id"]), person("李四", h["id"])
    gone = person("王五", h["id"])
    gone["state"] = "moved_out"
    pull(store, [h, a, b, gone])
    return {"house": h["id"], "persons": [a["id"], b["id"]], "gone": gone["id"]}


def visit_item(vid: str, house_id: str, day: str, result: str, persons: list[str], seq: int = 10,
               author: str = "wg_old") -> dict[str, Any]:
    return {"seq": seq, "type": "visit", "id": vid, "deleted": False,
            "data": {"id": vid, "house_id": house_id, "grid": GRID, "date": day, "result": result, "note": "上任走访",
                     "person_ids": persons, "author": {"id": "u-old", "username": author, "display_name": "老网格员"},
                     "device_id": "old-laptop", "submission_id": None, "created_at": f"{day}T02:00:00Z",
                     "received_at": f"{day}T03:00:00Z", "verifies": result == "已核实", "cycle": "2026-Q4"}}


def test_a_visit_is_queued_with_the_residents_as_seen(store: Store, block: dict[str, Any]) -> None:
    vid = store.visits.record(block["house"], "2026-11-20", "已核实", "户主在家")
    v = store.visits.get(vid)
    assert (v["sync_state"], v["origin"], v["note"]) == ("pending", "local", "户主在家")
    assert sorted(v["person_ids"]) == sorted(block["persons"])  # not the one who moved out
    assert store.visits.open_count() == 1
    [wire] = store.visits.pending()
    assert wire["id"] == vid and wire["result"] == "已核实" and wire["date"] == "2026-11-20"
    assert sorted(wire["person_ids"]) == sorted(block["persons"])
    assert [x["id"] for x in store.visits.of_person(block["persons"][0])] == [vid]
    assert store.visits.of_person(block["gone"]) == []


def test_the_persons_seen_can_be_named(store: Store, block: dict[str, Any]) -> None:
    vid = store.visits.record(block["house"], "2026-11-20", "有变更", person_ids=block["persons"][:1])
    assert store.visits.get(vid)["person_ids"] == block["persons"][:1]
    empty = store.visits.record(block["house"], "2026-11-20", "无人在家", person_ids=[])
    assert store.visits.get(empty)["person_ids"] == []
    with pytest.raises(InvalidInput, match=r"person_ids\[1\]"):
        store.visits.record(block["house"], "2026-11-20", "已核实", person_ids=[block["persons"][0], block["house"]])


@pytest.mark.parametrize("when,result,match", [
    ("2026-11-21", "maybe", "bad visit result"),
    ((date.today() + timedelta(days=1)).isoformat(), "已核实", "future"),
    ("21/11/2026", "已核实", "bad date"),
])
def test_bad_visits_are_refused_and_nothing_is_stored(store: Store, block: dict[str, Any], when: str,
                                                      result: str, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        store.visits.record(block["house"], when, result)
    assert store.visits.open_count() == 0 and store.visits.of_house(block["house"]) == []


def test_an_unknown_house_is_not_found(store: Store, block: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        store.visits.record(block["persons"][0], "2026-11-20", "已核实")


def test_sync_states_and_messages(store: Store, block: dict[str, Any]) -> None:
    ok = store.visits.record(block["house"], "2026-11-20", "已核实")
    bad = store.visits.record(block["house"], "2026-11-21", "拒访")
    first = store.visits.pending()
    store.visits.mark_sending([ok, bad])
    assert {store.visits.get(i)["sync_state"] for i in (ok, bad)} == {"sent"}
    assert store.visits.pending() == first  # the same bodies again: a retry is a duplicate, never another visit
    store.visits.record_results([
        {"id": ok, "outcome": "duplicate", "original": {"outcome": "accepted", "visit": {"grid": GRID,
                                                                                          "person_ids": []}}},
        {"id": bad, "outcome": "rejected", "issues": [{"message": "找不到房屋", "message_en": "no house"}]}])
    assert store.visits.get(ok)["sync_state"] == "accepted"
    refused = store.visits.get(bad)
    assert refused["sync_state"] == "rejected" and "找不到房屋" in refused["sync_message"]
    assert store.visits.open_count() == 0 and store.visits.pending() == []


def test_a_visit_to_a_house_the_platform_does_not_hold_waits(store: Store) -> None:
    created = store.edits.create("house", "house", GRID, house()["data"])
    house_id = created["id"] if isinstance(created, dict) else str(created)
    store.visits.record(house_id, "2026-11-20", "已核实")
    assert store.visits.open_count() == 1 and store.visits.pending() == []


def test_pulled_visits_merge_idempotently_and_keep_the_summary_right(store: Store, block: dict[str, Any]) -> None:
    mine = store.visits.record(block["house"], "2026-11-10", "无人在家")
    theirs = visit_item("v-old", block["house"], "2026-11-25", "已核实", block["persons"])
    echo = visit_item(mine, block["house"], "2026-11-10", "无人在家", [], seq=11, author="wg_qingbo_1_1")
    for _ in range(2):  # the same page twice (a killed sync): one visit each
        store.pull.apply_changes([theirs, echo], "c2")
    visits = store.visits.of_house(block["house"])
    assert [v["id"] for v in visits] == ["v-old", mine]
    assert visits[0]["origin"] == "server" and visits[0]["author"] == "老网格员"
    assert store.visits.get(mine)["sync_state"] == "accepted" and store.visits.get(mine)["origin"] == "local"
    assert store.visits.open_count() == 0
    row = store.q1("SELECT visit_result, visit_date FROM entities WHERE id = ?", (block["persons"][1],))
    assert row == {"visit_result": "已核实", "visit_date": "2026-11-25"}
    assert store.visits.verification(block["persons"][0], TODAY)["verified"] is True
    assert store.visits.verification(block["house"], TODAY)["visit_id"] == "v-old"
    store.pull.apply_changes([{"seq": 12, "type": "visit", "id": "v-old", "deleted": True, "data": None}], "c3")
    assert [v["id"] for v in store.visits.of_house(block["house"])] == [mine]
    assert store.q1("SELECT visit_result FROM entities WHERE id = ?", (block["house"],)) == {"visit_result": "无人在家"}


def test_a_malformed_pulled_visit_refuses_the_page(store: Store, block: dict[str, Any]) -> None:
    bad = visit_item("v-bad", block["house"], "2026-11-25", "已走访", [])
    with pytest.raises(InvalidInput, match="visit"):
        store.pull.apply_changes([bad], "c9")
    assert store.pull.cursor() == "c1"  # the page before, not this one


def test_verification_follows_the_cycle_setting(store: Store, block: dict[str, Any]) -> None:
    store.visits.record(block["house"], "2026-10-02", "已核实")
    assert store.visits.verification(block["house"], TODAY)["verified"] is True  # quarter
    store.visits.set_cycle("month")
    v = store.visits.verification(block["house"], TODAY)
    assert v["verified"] is False and v["cycle"]["label"] == "2026-12"
    with pytest.raises(InvalidInput):
        store.visits.set_cycle("weekly")


def test_due_list_most_overdue_first_with_the_tag_that_set_the_interval(store: Store) -> None:
    catalogue(store, 独居老人=7, 高龄老人=30, 老年人=None)
    h1, h2, h3 = house(), house(address="清波门小区4幢1单元101室", building="4幢", room="101"), house()
    alone = person("独居甲", h1["id"])
    old = person("高龄乙", h2["id"])
    young = person("青年丙", h3["id"])
    pull(store, [h1, h2, h3, alone, old, young], cursor="p")
    tagged(store, alone["id"], "老年人", "独居老人", "高龄老人")
    tagged(store, old["id"], "老年人", "高龄老人")
    store.visits.record(h1["id"], "2026-11-20", "已核实")  # 独居: due 11-27, 7 days overdue
    store.visits.record(h2["id"], "2026-11-20", "已核实")  # 高龄: due 12-20, not yet
    store.visits.record(h3["id"], "2026-08-01", "已核实")  # last quarter: due by the end of this one
    store.visits.record(h3["id"], "2026-12-01", "无人在家")  # an attempt does not count
    rows = store.visits.due(today=TODAY)
    assert rows[0]["entity_id"] == alone["id"]
    first = rows[0]
    assert (first["kind"], first["rule_tags"], first["interval_days"], first["last_visit"], first["due_date"],
            first["days_overdue"], first["house_id"]) == ("person", ["独居老人"], 7, "2026-11-20", "2026-11-27", 7,
                                                          h1["id"])
    ids = [r["entity_id"] for r in rows]
    assert old["id"] not in ids and h2["id"] not in ids and h1["id"] not in ids
    assert young["id"] in ids and h3["id"] in ids
    by_id = {r["entity_id"]: r for r in rows}
    assert by_id[young["id"]]["due_date"] == "2026-12-31" and by_id[young["id"]]["rule"] == "cycle"
    assert store.visits.due_count(today=TODAY) == len(rows)
    assert [r["entity_id"] for r in store.visits.due(tag="独居老人", today=TODAY)] == [alone["id"]]
    assert store.visits.due_count(tag="高龄老人", today=TODAY) == 1
    assert store.visits.due(kind="house", today=TODAY)[0]["kind"] == "house"
    assert [r["entity_id"] for r in store.visits.due(today=TODAY, limit=1, offset=1)] == ids[1:2]
    assert store.visits.due(grid="330102001001999", today=TODAY) == []
    # seen today: off the list
    store.visits.record(h1["id"], TODAY, "已核实")
    assert alone["id"] not in {r["entity_id"] for r in store.visits.due(today=TODAY)}


def test_a_store_of_the_previous_schema_keeps_its_visits_and_queues_them(tmp_path: Any) -> None:
    from sqlite_utils import Database

    from sync.store import crypto
    from sync.store.schema import migrate
    from tests.store.conftest import CHEAP

    salt = crypto.new_salt()
    key = crypto.derive_key("pw", salt, CHEAP)
    conn = crypto.connect(tmp_path / crypto.DB_NAME, key, create=True)
    db = Database(conn)
    migrate(db, stop_before="v7_visit_sync")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO entities (id, kind, template, house_id) VALUES ('h1', 'house', 'house', NULL)")
    conn.execute("INSERT INTO entities (id, kind, template, house_id) VALUES ('p1', 'person', 'person', 'h1')")
    conn.execute("INSERT INTO visits (id, house_id, date, result, created_at) VALUES ('v1', 'h1', '2026-11-01', "
                 "'已核实', '2026-11-01T00:00:00Z')")
    conn.execute("COMMIT")
    migrate(db)
    row = conn.execute("SELECT sync_state, person_ids, origin FROM visits WHERE id = 'v1'").fetchone()
    assert tuple(row) == ("pending", '["p1"]', "local")
    assert [tuple(r) for r in conn.execute("SELECT person_id FROM visit_persons")] == [("p1",)]
    conn.close()


def test_a_person_born_on_the_visit_is_seen_here_but_not_named_to_the_platform(store: Store,
                                                                                block: dict[str, Any]) -> None:
    """The newborn exists on the platform only once its submission is applied: naming it in the
    visit would get the whole visit refused as an unknown person."""
    baby = store.edits.create("person", "person", GRID, {"name": "张小宝"}, house_id=block["house"])
    vid = store.visits.record(block["house"], "2026-11-20", "有变更")
    assert baby in store.visits.get(vid)["person_ids"]
    [wire] = store.visits.pending()
    assert sorted(wire["person_ids"]) == sorted(block["persons"])
