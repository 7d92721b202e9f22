"""The Store: one user's encrypted local replica, and the collaborators it hands out.

The Store owns the one connection, its lock and transaction helper (:class:`StoreDb`); each job is a
collaborator over that connection, made once here and given what it needs in its constructor:

``store.entities`` reading and writing entity rows · ``store.lists`` the area tree, paged lists and
search · ``store.edits`` drafts and life events · ``store.visits`` visits · ``store.validation`` the
validation cache · ``store.library`` templates, tag catalogue, code lists, assignments · ``store.ledgers`` records for exports ·
``store.pull`` applying pulled pages · ``store.outbox`` submissions, results and conflicts ·
``store.audit`` the audit log · ``store.settings`` the user, device id and settings.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Self

from sqlcipher3 import dbapi2 as sqlcipher

from sync.store import crypto
from sync.store.audit import Audit
from sync.store.db import StoreDb, locked, now_iso
from sync.store.edits import Edits
from sync.store.entities import Entities
from sync.store.errors import InvalidInput, ProfileError, StoreCorrupt, StoreError, WrongPassword
from sync.store.graph import StoreGraph
from sync.store.ledger_source import LedgerSource
from sync.store.leftovers import Leftovers
from sync.store.library import Library
from sync.store.lists import Lists
from sync.store.outbox import Outbox
from sync.store.pull import Pull
from sync.store.schema import migrate, schema_version
from sync.store.settings import Settings
from sync.store.validation_cache import ValidationCache
from sync.store.visits import Visits


class Store:
    """One user's encrypted local replica. Create with ``Store.create`` / ``Store.open``."""

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock
        self.profile_dir: Path = db.profile_dir
        self.audit = Audit(db)
        self.settings = Settings(db, self.audit)
        self.entities = Entities(db)
        self.validation = ValidationCache(db)
        self.visits = Visits(db, self.audit)
        self.edits = Edits(db, self.entities, self.audit)
        self.lists = Lists(db)
        self.library = Library(db)
        self.ledgers = LedgerSource(db)
        self.leftovers = Leftovers(db, self.entities, self.audit)
        self.pull = Pull(db, self.entities, self.audit, self.visits, self.leftovers)
        self.outbox = Outbox(db, self.entities, self.visits, self.audit, self.leftovers)

    # ---- the connection (for tests and tools; the collaborators hold their own reference) ------
    @property
    def conn(self) -> sqlcipher.Connection:
        return self._db.conn

    def tx(self) -> AbstractContextManager[sqlcipher.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); nested calls join the outer one."""
        return self._db.tx()

    def stamp(self) -> tuple[int, int]:
        """Changes whenever anything was committed, by this connection or another."""
        return self._db.stamp()

    def q(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return self._db.q(sql, params)

    def q1(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        return self._db.q1(sql, params)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        return self._db.scalar(sql, params)

    def graph(self) -> StoreGraph:
        """A forms.graph.EntityGraph over the local versions, cached until the store changes."""
        return StoreGraph(self._db, self.entities)

    # ---- lifecycle -----------------------------------------------------------------------------
    @classmethod
    def create(cls, profile_dir: str | Path, password: str, user: Mapping[str, Any],
               *, kdf: crypto.KdfParams | None = None) -> Self:
        """Create a new encrypted profile in an empty (or missing) directory and open it."""
        profile_dir = Path(profile_dir)
        if (profile_dir / crypto.PROFILE_NAME).exists() or (profile_dir / crypto.DB_NAME).exists():
            raise ProfileError(f"{profile_dir} 已有用户资料 (a profile already exists here)")
        if not isinstance(user, Mapping) or not str(user.get("username") or ""):
            raise InvalidInput("user 必须包含 username (user needs a username)")
        params = kdf or crypto.KdfParams()
        salt = crypto.new_salt()
        key = crypto.derive_key(password, salt, params)
        profile_dir.mkdir(parents=True, exist_ok=True)
        try:
            conn = crypto.connect(profile_dir / crypto.DB_NAME, key, create=True)
            store = cls._from_conn(profile_dir, conn, key)
            db = store._db
            db.username = str(user["username"])
            with db.tx():
                db.set_meta("user", dict(user))
                db.set_meta("device_id", str(user.get("device_id") or uuid.uuid4()))
                db.set_meta("created_at", now_iso())
                store.audit.log("profile_created")
            crypto.write_profile(profile_dir, salt, params, key, str(user["username"]))
        except BaseException:
            for name in (crypto.DB_NAME, crypto.DB_NAME + "-wal", crypto.DB_NAME + "-shm"):
                (profile_dir / name).unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, profile_dir: str | Path, password: str) -> Self:
        """Unlock and open a profile. WrongPassword if the password is wrong (nothing is touched)."""
        profile_dir = Path(profile_dir)
        pending = profile_dir / crypto.PENDING_NAME
        if pending.exists():  # a password change was interrupted: did it reach the database?
            conn = None
            try:
                key = crypto.unlock(profile_dir, password, crypto.PENDING_NAME)
                conn = crypto.connect(profile_dir / crypto.DB_NAME, key, create=False)
            except (WrongPassword, ProfileError, StoreCorrupt):
                conn = None
            if conn is not None:
                os.replace(pending, profile_dir / crypto.PROFILE_NAME)  # it did: finish it
                return cls._from_conn(profile_dir, conn, key)
        key = crypto.unlock(profile_dir, password)
        try:
            conn = crypto.connect(profile_dir / crypto.DB_NAME, key, create=False)
        except StoreCorrupt:
            if pending.exists():  # the database already moved to the new password
                raise WrongPassword("密码已修改，请使用新密码 (the password was changed: use the new one)") from None
            raise
        pending.unlink(missing_ok=True)  # a change that never reached the database
        return cls._from_conn(profile_dir, conn, key)

    @locked
    def change_password(self, old: str, new: str, *, kdf: crypto.KdfParams | None = None) -> None:
        """Re-encrypt the database under a key derived from ``new`` (WrongPassword if ``old`` is not
        this profile's password). Other connections (siblings) must be closed first. A crash at
        any point leaves a profile that opens with the old or the new password."""
        db = self._db
        if crypto.unlock(self.profile_dir, old) != db.key:
            raise WrongPassword()
        if not isinstance(new, str) or not new:
            raise InvalidInput("新密码不能为空 (the new password must not be empty)")
        doc = crypto.read_profile(self.profile_dir)
        params = kdf or crypto.KdfParams(**doc["kdf_params"])
        salt = crypto.new_salt()
        key = crypto.derive_key(new, salt, params)
        pending = self.profile_dir / crypto.PENDING_NAME
        try:
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = str(db.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
        except sqlcipher.OperationalError:
            mode = "wal"
        try:
            if mode != "delete":
                raise StoreError("请先关闭其他窗口或同步任务再修改密码 (close other connections to this profile first)")
            crypto.write_profile(self.profile_dir, salt, params, key, str(doc.get("username") or ""),
                                 crypto.PENDING_NAME)
            try:
                db.conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
            except BaseException:
                pending.unlink(missing_ok=True)
                raise
            os.replace(pending, self.profile_dir / crypto.PROFILE_NAME)
            db.key = key
        finally:
            db.conn.execute("PRAGMA journal_mode = WAL")
        with db.tx():
            self.audit.log("password_changed")

    @classmethod
    def _from_conn(cls, profile_dir: Path, conn: Any, key: bytes) -> Self:
        store = cls(StoreDb(profile_dir, conn, key))
        try:
            migrate(store._db.db)
            store.pull.finish_bulk_load()  # a first pull that was cut short: indexes back before use
            user = store._db.get_meta("user") or {}
            store._db.username = str(user.get("username") or "")
        except BaseException:
            conn.close()
            raise
        return store

    def sibling(self) -> Self:
        """A second Store on the same profile with its own connection (for another thread)."""
        conn = crypto.connect(self.profile_dir / crypto.DB_NAME, self._db.key, create=False)
        return type(self)._from_conn(self.profile_dir, conn, self._db.key)

    @locked
    def close(self) -> None:
        db = self._db
        if not db.closed:
            try:
                self.pull.finish_bulk_load()
                db.conn.execute("PRAGMA analysis_limit = 400")
                db.conn.execute("PRAGMA optimize")  # keeps the planner's statistics current
            finally:
                db.closed = True
                db.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def delete_profile(profile_dir: str | Path) -> None:
        """Remove a profile directory (store.db, WAL files and profile.json)."""
        shutil.rmtree(Path(profile_dir), ignore_errors=True)

    @locked
    def schema_version(self) -> int:
        return schema_version(self._db.db)

