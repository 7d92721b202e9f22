"""Profiles: encryption at rest, passwords, damaged files, migrations from the first schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sync.store import ProfileError, Store, StoreCorrupt, WrongPassword, crypto
from sync.store.schema import V1_SQL, migration_names
from tests.store.conftest import CHEAP, PASSWORD, USER, house, person, pull


def test_create_then_open_keeps_data_and_user(profile: Path) -> None:
    s = Store.create(profile, PASSWORD, USER, kdf=CHEAP)
    pid = s.edits.create("person", "person", "g1", {"name": "张伟"})
    device = s.settings.device_id()
    s.close()
    with Store.open(profile, PASSWORD) as s2:
        assert s2.entities.get(pid)["data"]["name"] == "张伟"
        assert s2.settings.user()["display_name"] == "王芳"
        assert s2.settings.device_id() == device
        assert s2.schema_version() == len(migration_names())


def test_file_is_not_plain_sqlite_and_holds_no_clear_text(store: Store, profile: Path) -> None:
    store.edits.create("person", "person", "g1", {"name": "张伟", "id_number": "11010519491231002X"})
    store.close()
    raw = b"".join(p.read_bytes() for p in profile.glob("store.db*"))
    assert not raw.startswith(b"SQLite format 3")
    assert "张伟".encode() not in raw and b"11010519491231002X" not in raw
    conn = sqlite3.connect(profile / "store.db")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_profile_json_holds_kdf_parameters_and_salt_but_no_key(store: Store, profile: Path) -> None:
    doc = json.loads((profile / "profile.json").read_text(encoding="utf-8"))
    assert doc["kdf"] == "argon2id"
    assert doc["kdf_params"]["memory_cost"] == CHEAP.memory_cost
    assert len(doc["salt"]) >= 20
    assert doc["username"] == USER["username"]
    assert store._db.key.hex() not in json.dumps(doc)


def test_wrong_password_is_a_clear_error_and_changes_nothing(store: Store, profile: Path) -> None:
    pid = store.edits.create("person", "person", "g1", {"name": "李娜"})
    store.close()
    before = {p.name: p.read_bytes() for p in profile.iterdir()}
    for bad in ("wrong", PASSWORD.upper(), PASSWORD + " "):
        with pytest.raises(WrongPassword, match="密码错误"):
            Store.open(profile, bad)
    assert {p.name: p.read_bytes() for p in profile.iterdir()} == before
    with Store.open(profile, PASSWORD) as s:
        assert s.entities.get(pid)["data"]["name"] == "李娜"


def test_two_profiles_with_the_same_password_have_different_keys(tmp_path: Path) -> None:
    a = Store.create(tmp_path / "a", PASSWORD, USER, kdf=CHEAP)
    b = Store.create(tmp_path / "b", PASSWORD, {"username": "other"}, kdf=CHEAP)
    assert a._db.key != b._db.key
    a.close()
    b.close()


def test_damaged_database_is_reported_as_damaged_not_wrong_password(store: Store, profile: Path) -> None:
    store.close()
    for p in profile.glob("store.db-*"):
        p.unlink()
    db = profile / "store.db"
    data = bytearray(db.read_bytes())
    data[100:4000] = b"\x00" * 3900
    db.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt):
        Store.open(profile, PASSWORD)


def test_missing_or_broken_profile(tmp_path: Path, store: Store, profile: Path) -> None:
    with pytest.raises(ProfileError):
        Store.open(tmp_path / "nothing-here", PASSWORD)
    with pytest.raises(ProfileError):
        Store.create(profile, PASSWORD, USER, kdf=CHEAP)  # already a profile there
    store.close()
    (profile / "profile.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"profile\.json"):
        Store.open(profile, PASSWORD)


def test_empty_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WrongPassword):
        Store.create(tmp_path / "p", "", USER, kdf=CHEAP)


def test_default_kdf_parameters_are_strong() -> None:
    params = crypto.KdfParams()
    assert params.memory_cost >= 64 * 1024 and params.time_cost >= 2 and params.hash_len == 32


def test_migrate_from_frozen_first_schema(tmp_path: Path) -> None:
    """A database made by the first released schema (V1_SQL) opens and migrates, keeping its rows."""
    from sqlite_utils import Database

    from sync.store.schema import migrate

    profile = tmp_path / "old"
    profile.mkdir()
    salt = crypto.new_salt()
    key = crypto.derive_key(PASSWORD, salt, CHEAP)
    conn = crypto.connect(profile / crypto.DB_NAME, key, create=True)
    db = Database(conn)
    assert migrate(db, stop_before=migration_names()[1]) == 1
    assert "validation" not in db.table_names()
    # a person as the v1 code wrote it
    conn.execute("BEGIN")
    conn.execute("INSERT INTO meta (key, value) VALUES ('user', ?)", (json.dumps(USER),))
    conn.execute("INSERT INTO entities (seq, id, kind, template, grid, name, sort_name, status) "
                 "VALUES (1, 'p1', 'person', 'person', 'g1', '曾伟', 'zeng wei', 'draft')")
    conn.execute("INSERT INTO entity_docs (seq, data, base) VALUES (1, ?, NULL)",
                 (json.dumps({"name": "曾伟"}, ensure_ascii=False),))
    conn.execute("INSERT INTO search (rowid, names, nums, tails, addr) VALUES (1, '曾伟 伟 zengwei zw wei w', '', '', '')")
    conn.execute("COMMIT")
    conn.close()
    crypto.write_profile(profile, salt, CHEAP, key, USER["username"])
    assert V1_SQL.count("CREATE TABLE") >= 10

    with Store.open(profile, PASSWORD) as s:
        assert s.schema_version() == len(migration_names())
        assert s.scalar("PRAGMA user_version") == len(migration_names())
        assert s.entities.get("p1")["data"]["name"] == "曾伟"
        assert [r["id"] for r in s.lists.persons(query="zw").rows] == ["p1"]
        s.validation.set("p1", {"errors": 1, "warnings": 0, "tags": ["老年人"]})
        assert s.lists.persons(validation="error").total == 1
        assert s.library.template("person") is None


def test_sibling_connection_sees_commits(store: Store) -> None:
    h = house()
    pull(store, [h])
    other = store.sibling()
    try:
        pid = other.edits.create("person", "person", h["grid"], {"name": "周杰"}, house_id=h["id"])
        assert store.entities.get(pid)["house_id"] == h["id"]
        assert store.lists.persons(house_id=h["id"]).total == 1
    finally:
        other.close()


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    with pytest.raises(Exception, match=r"closed|关闭"):
        store.edits.create("person", "person", "g", {"name": "x"})


def test_person_helper_builds_wire_entities() -> None:
    assert person("张三")["kind"] == "person"
