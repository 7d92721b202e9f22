"""Natural address order: the key function, the lists sorted by address, the v8 migration."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sync.store import Store, crypto
from sync.store.natural import natural_key, place_key
from tests.bench.store_data import entity
from tests.store.conftest import CHEAP, GRID, PASSWORD, USER, pull

# ---- the key function ----------------------------------------------------------------------------


def _reference(value: str) -> list[tuple[int, int]]:
    """The natural order spelled out: a digit run is one number; other characters are themselves,
    those below '0' before numbers, the others after."""
    value = value.translate({**{0xFF10 + i: str(i) for i in range(10)}, 0: None, 1: None})
    out: list[tuple[int, int]] = []
    for number, other in re.findall(r"([0-9]+)|([^0-9])", value):
        if number:
            out.append((1, int(number)))
        else:
            out.append((0 if ord(other) < 0x30 else 2, ord(other)))
    return out


def _sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def test_rooms_buildings_and_text_sort_naturally() -> None:
    rooms = ["1001", "1002", "101", "102", "201", "B101", "B20", "", "商铺1", "9", "0"]
    assert sorted(rooms, key=natural_key) == ["", "0", "9", "101", "102", "201", "1001", "1002", "B20", "B101",
                                               "商铺1"]
    assert sorted(["10幢", "2幢", "1幢", "21幢", "幢"], key=natural_key) == ["1幢", "2幢", "10幢", "21幢", "幢"]
    assert sorted(["2单元", "10单元", "1单元"], key=natural_key) == ["1单元", "2单元", "10单元"]
    assert natural_key("１０１") == natural_key("101")  # full-width digits are digits
    assert natural_key("007") == natural_key("7")
    assert natural_key("1" * 9 + "x") > natural_key("9" * 8 + "x")  # long runs stay in order
    assert natural_key("9" * 9) < natural_key("1" + "0" * 9)
    assert natural_key("1" * 200) > natural_key("9" * 99)


def test_place_key_compares_part_by_part() -> None:
    assert place_key(["a", "2幢", "1单元", "101"]) < place_key(["a", "10幢", "1单元", "101"])
    assert place_key(["a", "1", "", ""]) < place_key(["a", "1A", "", ""])  # a part ends below any character
    assert place_key(["a", "", "", ""]) < place_key(["a", "1", "", ""])
    assert place_key(["", "", "", ""]) < place_key(["a", "", "", ""])
    assert place_key(["a\x01b", "", "", ""]) == place_key(["ab", "", "", ""])


_TEXT = st.text(alphabet=st.sampled_from(list("0123456789０１９ABab-# 幢单元室商铺\x01")), max_size=14)


@given(_TEXT, _TEXT)
def test_key_order_is_the_natural_order_of_the_digit_runs(a: str, b: str) -> None:
    assert _sign(natural_key(a), natural_key(b)) == _sign(_reference(a), _reference(b))
    # SQLite compares TEXT by its UTF-8 bytes: the same order as the code points
    assert _sign(natural_key(a).encode(), natural_key(b).encode()) == _sign(natural_key(a), natural_key(b))


@given(st.lists(_TEXT, min_size=4, max_size=4), st.lists(_TEXT, min_size=4, max_size=4))
def test_place_key_order_is_the_parts_natural_order(a: list[str], b: list[str]) -> None:
    assert _sign(place_key(a), place_key(b)) == _sign([_reference(p) for p in a], [_reference(p) for p in b])


# ---- lists sorted by address -------------------------------------------------------------------

PLACES = [("清波门小区", "10幢", "1单元", "101"), ("清波门小区", "2幢", "1单元", "1001"),
          ("清波门小区", "2幢", "1单元", "201"), ("清波门小区", "2幢", "1单元", "101"),
          ("清波门小区", "2幢", "1单元", "B101"), ("清波门小区", "2幢", "10单元", "101"),
          ("清波门小区", "2幢", "2单元", "102"), ("清波门小区", "", "", "")]
NATURAL = [("清波门小区", "", "", ""), ("清波门小区", "2幢", "1单元", "101"), ("清波门小区", "2幢", "1单元", "201"),
           ("清波门小区", "2幢", "1单元", "1001"), ("清波门小区", "2幢", "1单元", "B101"),
           ("清波门小区", "2幢", "2单元", "102"), ("清波门小区", "2幢", "10单元", "101"),
           ("清波门小区", "10幢", "1单元", "101")]


def _houses_and_persons() -> list[dict[str, Any]]:
    out = []
    for i, (estate, building, unit, room) in enumerate(PLACES):
        h = entity("house", GRID, {"house_no": f"H{i}", "estate": estate, "building": building, "unit": unit,
                                   "room": room, "address": f"{estate}{building}{unit}{room}"}, eid=f"h{i}")
        out += [h, entity("person", GRID, {"name": f"人{i}"}, house_id=h["id"], eid=f"p{i}")]
    return out


def _places(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [(r["estate"], r["building"], r["unit"], r["room"]) for r in rows]


def _check_lists(store: Store, *, search: bool = True) -> None:
    for direction, expected in (("asc", NATURAL), ("desc", NATURAL[::-1])):
        first = store.lists.houses(sort=("address", direction))
        assert _places(first.rows) == expected and first.total == len(PLACES)
        assert _places(store.lists.persons(sort=("address", direction)).rows) == expected
        # pages after the first (read from the cached order) agree with it
        pages = [r for off in range(0, len(PLACES), 3)
                 for r in store.lists.houses(sort=("address", direction), offset=off, limit=3).rows]
        assert _places(pages) == expected
        assert _places(store.lists.houses(GRID, sort=("address", direction)).rows) == expected
        if search:  # a search sorted by address: the matches, then their order
            assert _places(store.lists.persons(sort=("address", direction), query="清波门").rows) == expected


def test_houses_and_persons_sort_by_address_naturally_both_ways(store: Store) -> None:
    pull(store, _houses_and_persons())
    _check_lists(store)


def test_first_page_sorted_by_address_is_read_from_an_index(store: Store) -> None:
    pull(store, _houses_and_persons())
    for kind in ("person", "house"):
        for direction in ("asc", "desc"):
            plan = " ".join(str(r[-1]) for r in store.conn.execute(
                f"EXPLAIN QUERY PLAN SELECT e.seq FROM entities e WHERE e.kind = ? "
                f"ORDER BY e.grid {direction}, e.place_key {direction}, e.seq {direction} LIMIT 100", (kind,)))
            assert "entities_kind_grid_place" in plan and "TEMP B-TREE" not in plan, plan


def test_editing_a_room_moves_the_house_and_its_residents(store: Store) -> None:
    pull(store, _houses_and_persons())
    data = store.entities.get("h2")["data"]  # 2幢 1单元 201
    store.edits.save_draft("h2", {**data, "room": "99"})
    rows = store.lists.houses(sort=("address", "asc")).rows
    assert [r["id"] for r in rows][:3] == ["h7", "h2", "h3"]
    assert [r["id"] for r in store.lists.persons(sort=("address", "asc")).rows][:3] == ["p7", "p2", "p3"]
    created = store.edits.create("house", None, GRID, {"estate": "清波门小区", "building": "2幢", "unit": "1单元",
                                                      "room": "5"})
    assert [r["id"] for r in store.lists.houses(sort=("address", "asc")).rows][1] == created


# ---- migration from the previous schema ----------------------------------------------------------


def test_a_store_of_the_previous_schema_gets_place_keys_and_their_index(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from sync.store.schema import migrate, migration_names

    profile = tmp_path / "old"
    profile.mkdir()
    salt = crypto.new_salt()
    key = crypto.derive_key(PASSWORD, salt, CHEAP)
    conn = crypto.connect(profile / crypto.DB_NAME, key, create=True)
    db = Database(conn)
    migrate(db, stop_before="v8_place_key")
    assert "place_key" not in {c[1] for c in conn.execute("PRAGMA table_info(entities)")}
    # houses and their residents as the v7 code wrote them
    conn.execute("BEGIN")
    conn.execute("INSERT INTO meta (key, value) VALUES ('user', ?)", (json.dumps(USER),))
    for i, (estate, building, unit, room) in enumerate(PLACES):
        for seq, kind, eid, house_id, data in (
                (2 * i + 1, "house", f"h{i}", None, {"estate": estate, "building": building, "unit": unit,
                                                    "room": room}),
                (2 * i + 2, "person", f"p{i}", f"h{i}", {"name": f"人{i}"})):
            conn.execute("INSERT INTO entities (seq, id, kind, template, grid, house_id, name, sort_name, estate, "
                         "building, unit, room, vstale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                         (seq, eid, kind, kind, GRID, house_id, data.get("name", ""), data.get("name", ""),
                          estate, building, unit, room))
            conn.execute("INSERT INTO entity_docs (seq, data, base) VALUES (?, ?, '=')",
                         (seq, json.dumps(data, ensure_ascii=False)))
    conn.execute("COMMIT")
    conn.close()
    crypto.write_profile(profile, salt, CHEAP, key, USER["username"])

    with Store.open(profile, PASSWORD) as s:
        assert s.schema_version() == len(migration_names())
        assert "entities_kind_grid_place" in {r[0] for r in s.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert s.scalar("SELECT count(*) FROM entities WHERE place_key = ''") == 0
        _check_lists(s, search=False)  # (these rows have no search documents)
        # the backfilled key is the one a write computes: rewriting a record leaves it as it is
        before = s.scalar("SELECT place_key FROM entities WHERE id = 'h1'")
        s.edits.save_draft("h1", {**s.entities.get("h1")["data"], "owner_name": "王芳"})
        assert s.scalar("SELECT place_key FROM entities WHERE id = 'h1'") == before


def test_the_area_tree_lists_buildings_units_and_rooms_in_the_same_order(store: Store) -> None:
    pull(store, _houses_and_persons())
    key = f"{GRID}\u001f清波门小区"
    assert [n.name for n in store.lists.area_children(key)] == ["（未填）", "2幢", "10幢"]
    assert [n.name for n in store.lists.area_children(f"{key}\u001f2幢")] == ["1单元", "2单元", "10单元"]
    assert [n.name for n in store.lists.area_children(f"{key}\u001f2幢\u001f1单元")] == ["101", "201", "1001", "B101"]
