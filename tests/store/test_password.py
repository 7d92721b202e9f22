"""Changing the password re-encrypts the store; an interrupted change never locks the user out."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.store import InvalidInput, Store, StoreError, WrongPassword, crypto
from tests.store.conftest import CHEAP, PASSWORD, USER

NEW = "新的密码 2026!"


def _make(profile: Path) -> tuple[Store, str]:
    s = Store.create(profile, PASSWORD, USER, kdf=CHEAP)
    pid = s.edits.create("person", "person", "g1", {"name": "张伟", "id_number": "11010519491231002X"})
    return s, pid


def test_change_password_then_only_the_new_one_opens(profile: Path) -> None:
    s, pid = _make(profile)
    old_key = s._db.key
    s.change_password(PASSWORD, NEW)
    assert s.entities.get(pid)["data"]["name"] == "张伟"  # the open store keeps working
    s.edits.save_draft(pid, {"name": "张伟", "phone": "1"})
    s.close()
    with pytest.raises(WrongPassword):
        Store.open(profile, PASSWORD)
    with Store.open(profile, NEW) as again:
        assert again.entities.get(pid)["data"]["phone"] == "1"
        assert again._db.key != old_key
        assert again.audit.entries()[1]["action"] == "password_changed"
        assert again.scalar("PRAGMA journal_mode") == "wal"
    # the file no longer opens with the old key, even bypassing profile.json
    with pytest.raises(StoreError):
        crypto.connect(profile / crypto.DB_NAME, old_key, create=False)
    assert not (profile / crypto.PENDING_NAME).exists()


def test_wrong_old_password_or_empty_new_one_changes_nothing(profile: Path) -> None:
    s, _ = _make(profile)
    with pytest.raises(WrongPassword):
        s.change_password("not it", NEW)
    with pytest.raises(InvalidInput):
        s.change_password(PASSWORD, "")
    s.close()
    Store.open(profile, PASSWORD).close()


def test_refused_while_another_connection_is_open(profile: Path) -> None:
    s, pid = _make(profile)
    other = s.sibling()
    try:
        other.entities.get(pid)
        with pytest.raises(StoreError):
            s.change_password(PASSWORD, NEW)
    finally:
        other.close()
    s.close()
    Store.open(profile, PASSWORD).close()


def test_crash_before_the_rekey_keeps_the_old_password(profile: Path) -> None:
    s, pid = _make(profile)
    key = crypto.derive_key(NEW, crypto.new_salt(), CHEAP)
    crypto.write_profile(profile, crypto.new_salt(), CHEAP, key, USER["username"], crypto.PENDING_NAME)
    s.close()
    with pytest.raises(WrongPassword):
        Store.open(profile, NEW)
    with Store.open(profile, PASSWORD) as again:
        assert again.entities.get(pid)["data"]["name"] == "张伟"
    assert not (profile / crypto.PENDING_NAME).exists()


def test_crash_after_the_rekey_opens_with_the_new_password(profile: Path) -> None:
    s, pid = _make(profile)
    salt = crypto.new_salt()
    key = crypto.derive_key(NEW, salt, CHEAP)
    crypto.write_profile(profile, salt, CHEAP, key, USER["username"], crypto.PENDING_NAME)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.conn.execute("PRAGMA journal_mode = DELETE")
    s.conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
    s.conn.close()  # died before renaming the pending profile
    s._db.closed = True
    with pytest.raises(WrongPassword):
        Store.open(profile, PASSWORD)
    with Store.open(profile, NEW) as again:
        assert again.entities.get(pid)["data"]["name"] == "张伟"
    assert not (profile / crypto.PENDING_NAME).exists()
    Store.open(profile, NEW).close()
