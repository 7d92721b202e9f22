"""User actions on records, lists with filters and paging, the area tree, bundles and the graph."""

from __future__ import annotations

from datetime import date

import pytest

from forms.model import EntityKind
from sync.store import InvalidInput, NotFound, Store
from tests.bench.store_data import entity, item
from tests.store.conftest import GRID, house, person, pull


@pytest.fixture
def block(store: Store) -> dict[str, str]:
    h = house()
    hh = entity("household", GRID, {"household_no": "HH1"}, house_id=h["id"])
    a = person("王建国", h["id"], hh["id"], birth_date="1950-01-02", sex="1")
    b = person("李秀英", h["id"], hh["id"], birth_date="1952-03-04", sex="2")
    c = person("王小明", h["id"], hh["id"], birth_date="2015-05-06", sex="1")
    pull(store, [h, hh, a, b, c])
    return {"house": h["id"], "household": hh["id"], "a": a["id"], "b": b["id"], "c": c["id"]}


def test_save_draft_keeps_base_and_marks_draft_with_audit(store: Store, block: dict[str, str]) -> None:
    ent = store.entities.get(block["a"])
    assert ent["status"] == "synced" and ent["base"]["rev"] == 1
    saved = store.edits.save_draft(block["a"], {**ent["data"], "phone": "13812345678"}, ["留守老人"], reason="走访")
    assert saved["status"] == "draft"
    again = store.entities.get(block["a"])
    assert again["data"]["phone"] == "13812345678" and again["tags"] == ["留守老人"]
    assert "phone" not in again["base"]["data"] and again["base"]["tags"] == []
    log = store.audit.entries(block["a"])
    assert log[0]["action"] == "edit" and log[0]["detail"]["fields"] == ["phone"]
    assert log[0]["detail"]["tags_added"] == ["留守老人"] and log[0]["user"] == "wg_qingbo_1_1"
    assert log[0]["reason"] == "走访"


def test_saving_the_same_data_again_changes_nothing(store: Store, block: dict[str, str]) -> None:
    ent = store.entities.get(block["a"])
    before = len(store.audit.entries())
    store.edits.save_draft(block["a"], dict(ent["data"]))
    assert store.entities.get(block["a"])["status"] == "synced"
    assert len(store.audit.entries()) == before


def test_editing_back_to_the_server_value_is_clean_again(store: Store, block: dict[str, str]) -> None:
    ent = store.entities.get(block["a"])
    store.edits.save_draft(block["a"], {**ent["data"], "phone": "1"})
    store.edits.save_draft(block["a"], dict(ent["data"]))
    assert store.entities.get(block["a"])["status"] == "synced"


def test_revert_whole_record_or_one_field(store: Store, block: dict[str, str]) -> None:
    ent = store.entities.get(block["a"])
    store.edits.save_draft(block["a"], {**ent["data"], "phone": "1", "occupation": "教师"})
    out = store.edits.revert(block["a"], ["phone"])
    assert "phone" not in out["data"] and out["data"]["occupation"] == "教师" and out["status"] == "draft"
    out = store.edits.revert(block["a"])
    assert out["data"] == ent["data"] and out["status"] == "synced"
    new = store.edits.create("person", None, GRID, {"name": "新人"})
    with pytest.raises(InvalidInput):
        store.edits.revert(new)


def test_bad_input_is_refused_and_nothing_is_saved(store: Store, block: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        store.edits.create("car", None, GRID, {})
    with pytest.raises(InvalidInput):
        store.edits.create("person", None, GRID, {"name": "x"}, house_id="no-such-house")
    with pytest.raises(NotFound):
        store.edits.save_draft("no-such-id", {})
    with pytest.raises(InvalidInput):
        store.edits.save_draft(block["a"], ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        store.visits.record(block["house"], "2026-11-21", "maybe")
    with pytest.raises(InvalidInput):
        store.edits.set_state(block["a"], "deceased", "21/11/2026")
    assert store.lists.counts()["person"] == 3
    assert store.entities.get(block["a"])["state"] == "active"


def test_move_person_and_set_state(store: Store, block: dict[str, str]) -> None:
    h2 = store.edits.create("house", None, GRID, {"address": "清波街道柳浪闻莺苑1幢101", "estate": "柳浪闻莺苑"})
    store.edits.move_person(block["c"], h2, None, reason="搬家")
    moved = store.entities.get(block["c"])
    assert moved["house_id"] == h2 and moved["household_id"] is None and moved["status"] == "draft"
    assert store.lists.persons(house_id=h2).rows[0]["address"] == "清波街道柳浪闻莺苑1幢101"
    store.edits.set_state(block["a"], "deceased", date(2026, 11, 1), reason="病故")
    dead = store.entities.get(block["a"])
    assert dead["state"] == "deceased" and dead["data"]["death_date"] == "2026-11-01"
    store.edits.set_state(block["b"], "moved_out", "2026-10-01", reason="随子女迁居")
    assert store.entities.get(block["b"])["data"]["moved_out_reason"] == "随子女迁居"
    assert [r["id"] for r in store.entities.residents(block["house"])] == []
    assert len(store.entities.residents(block["house"], include_inactive=True)) == 2
    assert store.lists.persons(state="deceased").total == 1


def test_lists_page_sort_and_filter(store: Store, block: dict[str, str]) -> None:
    page = store.lists.persons(limit=2)
    assert page.total == 3 and [r["name"] for r in page.rows] == ["李秀英", "王建国"]
    assert [r["name"] for r in store.lists.persons(offset=2).rows] == ["王小明"]
    assert store.lists.persons(sort=("birth_date", "desc")).rows[0]["name"] == "王小明"
    row = page.rows[0]
    assert {"id", "name", "sex", "birth_date", "id_number", "phone", "address", "tags", "errors", "warnings",
            "state", "status"} <= set(row)
    assert store.lists.persons(area=GRID).total == 3
    assert store.lists.persons(area=GRID[:12]).total == 3
    assert store.lists.persons(area="330102001001999").total == 0
    assert store.lists.persons(estate="清波门小区", building="3幢", unit="2单元", room="301").total == 3
    assert store.lists.persons(household_id=block["household"]).total == 3
    houses = store.lists.houses()
    assert houses.total == 1 and houses.rows[0]["residents"] == 3
    with pytest.raises(InvalidInput):
        store.lists.persons(sort=("salary", "asc"))
    with pytest.raises(InvalidInput):
        store.lists.persons(validation="bad")


def test_validation_cache_drives_filters_and_tags(store: Store, block: dict[str, str]) -> None:
    store.validation.set(block["a"], {"errors": 2, "warnings": 1, "tags": ["老年人", "80-89"]})
    store.validation.set_many([(block["b"], {"errors": 0, "warnings": 1, "tags": ["老年人"]}),
                           (block["c"], {"findings": [], "tags": ["未成年人"]})])
    assert [r["name"] for r in store.lists.persons(validation="error").rows] == ["王建国"]
    assert [r["name"] for r in store.lists.persons(validation="warning").rows] == ["李秀英"]
    assert [r["name"] for r in store.lists.persons(validation="ok").rows] == ["王小明"]
    assert store.lists.persons(tags=["老年人"]).total == 2
    assert store.lists.persons(tags=["老年人", "80-89"]).total == 1
    row = store.lists.persons(tags=["80-89"]).rows[0]
    assert row["errors"] == 2 and row["tags_in_force"] == ["老年人", "80-89"]
    # stored manual tags count for tag filters too
    ent = store.entities.get(block["c"])
    store.edits.save_draft(block["c"], ent["data"], ["留守儿童"])
    assert store.lists.persons(tags=["留守儿童"]).total == 1
    assert store.lists.persons(tags=["未成年人"]).total == 1
    cached = store.validation.get(block["a"])
    assert cached is not None and cached["tags"] == ["老年人", "80-89"]
    assert block["c"] in store.validation.stale()
    assert block["a"] in store.validation.stale()  # same house: its aggregates may have changed


def test_validation_result_objects_from_forms_are_accepted(store: Store, block: dict[str, str]) -> None:
    from forms.model import Severity
    from forms.validate.findings import Finding, ValidationResult

    finding = Finding(rule="name:required", severity=Severity.ERROR, entity_id=block["a"],
                      entity=EntityKind.PERSON, field="name", message_zh="必填", message_en="required",
                      kind="required")
    warn = Finding(rule="phone:constraint", severity=Severity.WARNING, entity_id=block["a"],
                   entity=EntityKind.PERSON, field="phone", message_zh="号码", message_en="phone",
                   kind="constraint")
    store.validation.set(block["a"], ValidationResult(tags=["老年人"], findings=[finding, warn], values={},
                                                      ok=False))
    v = store.validation.get(block["a"])
    assert v is not None and (v["errors"], v["warnings"]) == (1, 1) and v["findings"][0]["field"] == "name"
    assert store.lists.persons(validation="error", tags=["老年人"]).total == 1


def test_visits_filter_houses_and_persons(store: Store, block: dict[str, str]) -> None:
    assert store.lists.houses(visit="none").total == 1
    vid = store.visits.record(block["house"], "2026-11-20", "无人在家")
    store.visits.record(block["house"], date(2026, 11, 21), "已核实", "户主在家")
    assert store.lists.houses(visit="已核实").total == 1
    assert store.lists.persons(visit="已核实").total == 3
    assert store.lists.persons(visit="none").total == 0
    assert [v["result"] for v in store.visits.of_house(block["house"])] == ["已核实", "无人在家"]
    assert store.visits.get(vid)["note"] == ""
    assert store.audit.entries()[0]["action"] == "visit"


def test_area_tree_from_areas_then_house_fields(store: Store, block: dict[str, str]) -> None:
    store.pull.apply_changes([
        {"seq": 1, "type": "area", "id": "330102001", "deleted": False,
         "data": {"code": "330102001", "name": "清波街道", "level": "street", "parent": "330102"}},
        {"seq": 2, "type": "area", "id": "330102001001", "deleted": False,
         "data": {"code": "330102001001", "name": "清波门社区", "level": "community", "parent": "330102001"}},
        {"seq": 3, "type": "area", "id": GRID, "deleted": False,
         "data": {"code": GRID, "name": "第一网格", "level": "grid", "parent": "330102001001"}},
    ], "areas-1")
    top = store.lists.area_children(None)
    assert [n.name for n in top] == ["清波街道"]
    community = store.lists.area_children(top[0].key)
    grid = store.lists.area_children(community[0].key)
    assert [n.name for n in grid] == ["第一网格"] and grid[0].has_children
    estates = store.lists.area_children(grid[0].key)
    assert [(n.name, n.level, n.houses) for n in estates] == [("清波门小区", "estate", 1)]
    buildings = store.lists.area_children(estates[0].key)
    units = store.lists.area_children(buildings[0].key)
    rooms = store.lists.area_children(units[0].key)
    assert [n.level for n in (buildings[0], units[0], rooms[0])] == ["building", "unit", "room"]
    assert rooms[0].filters["house_id"] == block["house"]
    assert store.lists.persons(**rooms[0].filters).total == 3
    assert store.lists.persons(**units[0].filters).total == 3


def test_bundle_and_graph(store: Store, block: dict[str, str]) -> None:
    b = store.entities.bundle(block["a"])
    assert b["house"]["id"] == block["house"] and b["household"]["id"] == block["household"]
    assert len(b["residents"]) == 3 and len(b["members"]) == 3 and len(b["households"]) == 1
    hb = store.entities.bundle(block["house"])
    assert hb["house"]["id"] == block["house"] and len(hb["residents"]) == 3
    g = store.graph()
    assert g.get(block["a"]).kind == EntityKind.PERSON  # type: ignore[union-attr]
    assert len(g.residents(block["house"])) == 3
    assert len(g.members(block["household"])) == 3
    assert [e.id for e in g.households(block["house"])] == [block["household"]]
    assert g.get("nope") is None
    store.edits.set_state(block["c"], "moved_out", "2026-01-01")
    assert len(g.residents(block["house"])) == 2  # cache dropped after the write


def test_counts_and_settings(store: Store, block: dict[str, str]) -> None:
    c = store.lists.counts()
    assert (c["person"], c["house"], c["household"], c["drafts"]) == (3, 1, 1, 0)
    store.settings.set("language", "en")
    assert store.settings.get("language") == "en" and store.settings.get("x", 5) == 5
    store.audit.record("reveal", block["a"], field="id_number", reason="核对身份")
    row = store.audit.entries()[0]
    assert (row["action"], row["field"], row["reason"]) == ("reveal", "id_number", "核对身份")
    pending = store.audit.pending()
    store.audit.mark_synced([r["id"] for r in pending])
    assert store.audit.pending() == []


def test_pull_helper_items_are_protocol_shaped() -> None:
    assert set(item(house())) == {"seq", "type", "id", "deleted", "data"}


def test_needs_validation_follows_changes_not_status(store: Store, block: dict[str, str]) -> None:
    assert sorted(store.validation.stale()) == sorted(block.values())  # everything pulled is unchecked
    store.validation.set_many([(i, {"errors": 0, "warnings": 0, "tags": []}) for i in block.values()])
    assert store.validation.stale() == []
    ent = store.entities.get(block["a"])
    store.edits.save_draft(block["a"], {**ent["data"], "phone": "1"})
    assert sorted(store.validation.stale()) == sorted(block.values())  # a and its house-mates
    store.validation.set_many([(i, {"errors": 0, "warnings": 0, "tags": []}) for i in block.values()])
    store.outbox.submit([block["a"]])  # status change only: the cached result still holds
    assert store.validation.stale() == []


def test_audit_accepts_several_fields_and_any_detail(store: Store, block: dict[str, str]) -> None:
    store.audit.record("export", None, field=["id_number", "phone"], reason="报表", detail={"rows": 3, "when": date(2026, 1, 1)})
    row = store.audit.entries()[0]
    assert row["field"] == "id_number,phone" and row["detail"] == {"rows": 3, "when": "2026-01-01"}
    with pytest.raises(InvalidInput):
        store.audit.record("")


def test_cached_lists_and_graph_see_commits_of_another_connection(store: Store, block: dict[str, str]) -> None:
    assert store.lists.persons(offset=1, limit=10).total == 3  # scrolling path: cached order
    assert store.lists.persons(query="w", limit=10).total == 2
    g = store.graph()
    assert len(g.residents(block["house"])) == 3
    other = store.sibling()
    try:
        other.edits.create("person", None, GRID, {"name": "吴明"}, house_id=block["house"])
    finally:
        other.close()
    assert store.lists.persons(offset=1, limit=10).total == 4
    assert store.lists.persons(query="w", limit=10).total == 3
    assert len(g.residents(block["house"])) == 4


def test_scrolling_pages_join_up_in_order(store: Store, block: dict[str, str]) -> None:
    for i in range(30):
        store.edits.create("person", None, GRID, {"name": f"测试{i:02d}", "birth_date": f"19{i + 50}-01-01"})
    for sort in (("name", "asc"), ("birth_date", "desc"), ("name", "desc")):
        whole = [r["id"] for r in store.lists.persons(sort=sort, limit=1000).rows]
        paged = [r["id"] for off in range(0, 33, 7) for r in store.lists.persons(sort=sort, offset=off, limit=7).rows]
        assert paged == whole and len(whole) == 33


def test_a_change_makes_the_whole_house_due_for_validation(store: Store, block: dict[str, str]) -> None:
    store.validation.set_many([(i, {"errors": 0, "warnings": 0, "tags": []}) for i in block.values()])
    store.edits.set_state(block["c"], "moved_out", "2026-11-01")  # 独居/空巢 of the others may change
    assert sorted(store.validation.stale()) == sorted(block.values())
