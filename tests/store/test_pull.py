"""apply_changes: one page and its cursor in one transaction; pulled versions never eat local edits."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from sync.store import InvalidInput, Store
from tests.bench.store_data import entity, item
from tests.store.conftest import GRID, house, person, pull


def newer(ent: dict[str, Any], rev: int, **changes: Any) -> dict[str, Any]:
    out = {**ent, "rev": rev, "data": {**ent["data"]}}
    for key, value in changes.items():
        if key in ("tags", "house_id", "household_id", "state", "grid"):
            out[key] = value
        elif value is None:
            out["data"].pop(key, None)
        else:
            out["data"][key] = value
    return out


def test_page_and_cursor_are_stored_together(store: Store) -> None:
    assert store.pull.cursor() is None
    h = house()
    counts = pull(store, [h, person("张伟", h["id"])], cursor="2.abc")
    assert counts == {"entity": 2}
    assert store.pull.cursor() == "2.abc"
    assert store.lists.counts()["person"] == 1
    assert store.entities.get(h["id"])["status"] == "synced"


def test_malformed_item_stores_nothing_and_keeps_the_cursor(store: Store) -> None:
    pull(store, [house()], cursor="1")
    good = person("李娜")
    bad_pages: list[list[Any]] = [
        [item(good), {"seq": 2, "type": "entity", "id": "x", "deleted": False, "data": {"id": "x", "kind": "cat"}}],
        [item(good), {"seq": 2, "type": "entity", "id": "y", "deleted": False,
                      "data": {**person("王五"), "rev": "three"}}],
        [item(good), {"seq": 2, "type": "area", "id": "1", "deleted": False, "data": {"code": "1"}}],
        [item(good), "not an object"],
        [item(good), {"seq": 2, "type": "template", "id": "t@1", "deleted": False,
                      "data": {"form_id": "person", "version": "1", "xlsx_base64": "%%%"}}],
    ]
    for page in bad_pages:
        with pytest.raises(InvalidInput) as err:
            store.pull.apply_changes(page, "2")
        assert "2" in str(err.value)  # names the item
        assert store.pull.cursor() == "1"
        assert store.entities.find(good["id"]) is None


def test_failure_in_the_middle_of_a_page_rolls_everything_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    pull(store, [house()], cursor="1")
    p = person("赵六")

    def boom(self: Any, c: dict[str, Any]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(type(store.pull), "_apply_codelist", boom)
    with pytest.raises(OSError):
        store.pull.apply_changes([item(p), {"seq": 9, "type": "codelist", "id": "sex", "deleted": False,
                                       "data": {"name": "sex", "items": []}}], "2")
    assert store.pull.cursor() == "1"
    assert store.entities.find(p["id"]) is None
    assert store.lists.persons(query="zl").total == 0


def test_same_page_twice_is_harmless(store: Store) -> None:
    h = house()
    p = person("张伟", h["id"])
    pull(store, [h, p], "1")
    pull(store, [h, p], "1")
    assert store.lists.counts()["person"] == 1
    assert store.lists.persons(query="zw").total == 1


def test_pull_over_a_draft_keeps_local_edits_and_takes_other_server_changes(store: Store) -> None:
    p = person("张伟", phone="13800000000", occupation="工人")
    pull(store, [p], "1")
    local = store.entities.get(p["id"])
    store.edits.save_draft(p["id"], {**local["data"], "phone": "13911112222"}, ["留守老人"])
    pull(store, [newer(p, 2, occupation="教师", employer="某小学", tags=["低保对象"])], "2")
    after = store.entities.get(p["id"])
    assert after["data"]["phone"] == "13911112222"          # mine, kept
    assert after["data"]["occupation"] == "教师"              # theirs, taken
    assert after["data"]["employer"] == "某小学"
    assert sorted(after["tags"]) == ["低保对象", "留守老人"]
    assert after["rev"] == 2 and after["base"]["data"]["occupation"] == "教师"
    assert after["base"]["data"]["phone"] == "13800000000"
    assert after["status"] == "draft"


def test_pull_of_the_same_change_makes_the_draft_clean(store: Store) -> None:
    p = person("张伟", phone="1")
    pull(store, [p], "1")
    store.edits.save_draft(p["id"], {**p["data"], "phone": "2"})
    pull(store, [newer(p, 2, phone="2")], "2")
    assert store.entities.get(p["id"])["status"] == "synced"


def test_pull_with_a_different_value_for_an_edited_field_keeps_mine(store: Store) -> None:
    p = person("张伟", phone="1")
    pull(store, [p], "1")
    store.edits.save_draft(p["id"], {**p["data"], "phone": "2"})
    pull(store, [newer(p, 2, phone="3")], "2")
    after = store.entities.get(p["id"])
    assert after["data"]["phone"] == "2" and after["base"]["data"]["phone"] == "3"


def test_local_move_and_removed_field_survive_a_pull(store: Store) -> None:
    h1, h2 = house(), house("杭州市上城区清波街道南山公寓1幢101室", estate="南山公寓")
    p = person("张伟", h1["id"], occupation="工人")
    pull(store, [h1, h2, p], "1")
    store.edits.move_person(p["id"], h2["id"], None)
    data = dict(store.entities.get(p["id"])["data"])
    del data["occupation"]
    store.edits.save_draft(p["id"], data)
    pull(store, [newer(p, 2, name="张伟明")], "2")
    after = store.entities.get(p["id"])
    assert after["house_id"] == h2["id"] and "occupation" not in after["data"]
    assert after["data"]["name"] == "张伟明"
    assert store.lists.persons(query="zwm").total == 1


def test_older_revision_is_ignored(store: Store) -> None:
    p = person("张伟")
    pull(store, [newer(p, 5, phone="5")], "1")
    pull(store, [newer(p, 4, phone="4")], "2")
    assert store.entities.get(p["id"])["data"]["phone"] == "5"
    assert store.pull.cursor() == "2"


def test_house_changes_reach_its_residents_rows(store: Store) -> None:
    h = house()
    p = person("张伟", h["id"])
    pull(store, [p, h], "1")  # person before its house in the page
    assert store.lists.persons(query="清波门").total == 1
    pull(store, [newer(h, 2, address="杭州市上城区南星街道馒头山路8号")], "2")
    row = store.lists.persons().rows[0]
    assert row["address"] == "杭州市上城区南星街道馒头山路8号"
    assert store.lists.persons(query="馒头山").total == 1


def test_deleted_items_drop_clean_records_but_keep_drafts(store: Store) -> None:
    a, b = person("甲"), person("乙")
    pull(store, [a, b], "1")
    store.edits.save_draft(b["id"], {**b["data"], "phone": "1"})
    store.pull.apply_changes([{"seq": 3, "type": "entity", "id": a["id"], "deleted": True, "data": None},
                         {"seq": 4, "type": "entity", "id": b["id"], "deleted": True, "data": None}], "2")
    assert store.entities.find(a["id"]) is None
    assert store.entities.find(b["id"])["data"]["phone"] == "1"  # type: ignore[index]
    assert any(r["action"] == "server_deleted_kept_local" for r in store.audit.entries())


def test_reset_drops_clean_records_not_sent_again(store: Store) -> None:
    a, b, c = person("甲"), person("乙"), person("丙")
    pull(store, [a, b, c], "1")
    store.edits.save_draft(c["id"], {**c["data"], "phone": "1"})
    mine = store.edits.create("person", None, GRID, {"name": "丁"})
    store.pull.apply_changes([item(a)], "r1", reset=True, has_more=True)
    assert store.lists.counts()["person"] == 4  # nothing dropped before the last page
    counts = store.pull.apply_changes([], "r2", has_more=False)
    assert counts["dropped"] == 1
    assert store.entities.find(b["id"]) is None
    assert store.entities.find(a["id"]) and store.entities.find(c["id"]) and store.entities.find(mine)


def test_templates_catalogue_codelists_assignments(store: Store) -> None:
    blob = b"PK\x03\x04 fake workbook bytes"
    tpl = {"form_id": "person", "version": "2026.1", "entity": "person", "title": "实有人口",
           "approval_required": True, "sha256": hashlib.sha256(blob).hexdigest(),
           "published_at": "2026-11-01T00:00:00Z", "xlsx_base64": base64.b64encode(blob).decode()}
    cat = {"form_id": "person", "version": "2026.1", "entity": "person",
           "tags": [{"id": "老年人", "label": "老年人", "label_en": "Elderly", "scope": "person", "kind": "auto",
                     "sensitive": []},
                    {"id": "严重精神障碍患者", "label": "严重精神障碍患者", "scope": "person", "kind": "returned",
                     "sensitive": ["supervisor"]}]}
    store.pull.apply_changes([
        {"seq": 1, "type": "template", "id": "person@2026.1", "deleted": False, "data": tpl},
        {"seq": 2, "type": "tag_catalogue", "id": "person@2026.1", "deleted": False, "data": cat},
        {"seq": 3, "type": "codelist", "id": "sex", "deleted": False,
         "data": {"name": "sex", "items": [{"code": "1", "label": "男性"}]}},
        {"seq": 4, "type": "assignment", "id": "u1:" + GRID, "deleted": False,
         "data": {"user_id": "u1", "username": "wg1", "role": "worker", "area": GRID, "active": True}},
    ], "4")
    t = store.library.template("person")
    assert t is not None and t["xlsx"] == blob and t["info"]["approval_required"] is True
    assert [x["id"] for x in t["tags"]] == ["老年人", "严重精神障碍患者"]
    assert store.library.tag_catalogue()[1]["sensitive"] == ["supervisor"]
    assert store.library.codelist("sex") == [{"code": "1", "label": "男性"}]
    assert store.library.assignments()[0]["area"] == GRID
    assert store.edits.create("person", None, GRID, {"name": "x"}) and \
        store.lists.persons(query="x").rows[0]["id"]
    new = store.edits.create("person", None, GRID, {"name": "新"})
    assert store.entities.get(new)["template_version"] == "2026.1"
    with pytest.raises(InvalidInput, match="sha256"):
        store.pull.apply_changes([{"seq": 5, "type": "template", "id": "person@2", "deleted": False,
                              "data": {**tpl, "version": "2", "sha256": "0" * 64}}], "5")


def test_unknown_item_types_are_counted_not_fatal(store: Store) -> None:
    counts = store.pull.apply_changes([{"seq": 1, "type": "future_thing", "id": "1", "deleted": False, "data": {}}], "1")
    assert counts == {"future_thing": 1} and store.pull.cursor() == "1"


def test_household_rows_take_their_house_place(store: Store) -> None:
    h = house()
    hh = entity("household", GRID, {"household_no": "HH9"}, house_id=h["id"])
    pull(store, [hh, h], "1")
    assert store.lists.households(house_id=h["id"]).rows[0]["estate"] == "清波门小区"


def _indexes(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_first_full_pull_builds_its_indexes_once_at_the_end(store: Store) -> None:
    from sync.store.schema import BULK_INDEXES
    from tests.bench.store_data import population

    ents = population(60, seed=3)
    store.pull.apply_changes([item(e) for e in ents[:50]], "1", has_more=True)
    assert not set(BULK_INDEXES) & _indexes(store)
    # the store answers correctly meanwhile, just without those indexes
    first = ents[2]
    assert first["id"] in [r["id"] for r in store.entities.residents(first["house_id"])]
    assert store.lists.persons().total == sum(1 for e in ents[:50] if e["kind"] == "person")
    store.pull.apply_changes([item(e) for e in ents[50:]], "2", has_more=False)
    assert set(BULK_INDEXES) <= _indexes(store)
    assert store.lists.persons().total == sum(1 for e in ents if e["kind"] == "person")
    # later pulls into a filled store keep the indexes
    store.pull.apply_changes([item(person("甲"))], "3", has_more=True)
    assert set(BULK_INDEXES) <= _indexes(store)


def test_first_pull_cut_short_gets_its_indexes_back_on_reopen(store: Store, profile: Any) -> None:
    from sync.store.schema import BULK_INDEXES
    from tests.store.conftest import PASSWORD

    store.pull.apply_changes([item(person("甲"))], "1", has_more=True)
    assert not set(BULK_INDEXES) & _indexes(store)
    store.conn.close()  # as if the process died: no orderly close
    store._db.closed = True
    with Store.open(profile, PASSWORD) as again:
        assert set(BULK_INDEXES) <= _indexes(again)
        assert again.pull.cursor() == "1"


def test_updates_that_leave_indexed_columns_alone_still_refresh_rows_and_search(store: Store) -> None:
    a, b = person("张伟", phone="13800001111"), person("李娜", phone="13800002222")
    pull(store, [a, b], "1")
    store.validation.set_many([(a["id"], {"errors": 0, "warnings": 0, "tags": []})])
    pull(store, [newer(a, 2, phone="13900003333")], "2")  # only a non-indexed column changes
    row = store.lists.persons(query="3333").rows[0]
    assert row["id"] == a["id"] and row["phone"] == "13900003333"
    assert store.lists.persons(query="1111").total == 0
    assert a["id"] in store.validation.stale()
    pull(store, [newer(a, 3, name="曾伟")], "3")  # the sort key changes
    assert [r["name"] for r in store.lists.persons().rows] == ["李娜", "曾伟"]
    assert [r["name"] for r in store.lists.persons(sort=("name", "desc")).rows] == ["曾伟", "李娜"]
