"""Store core: create/open/close a profile, meta and settings, audit, loading records."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

from sqlcipher3 import dbapi2 as sqlcipher

from sync.store import crypto
from sync.store.base import StoreBase, dumps, loads, locked, now_iso
from sync.store.errors import InvalidInput, NotFound, ProfileError, StoreCorrupt, StoreError, WrongPassword
from sync.store.records import HOUSE_COLUMNS, Record, record_from_row, write_records
from sync.store.schema import BULK_INDEXES, migrate, schema_version

_RECORD_SQL = (
    "SELECT e.seq, e.id, e.kind, e.template, e.template_version, e.grid, e.house_id, e.household_id, "
    "e.state, e.rev, e.status, e.tags, e.updated_at, e.server_updated_at, d.data, d.base, "
    "e.sort_name, e.estate, e.building, e.unit, e.room, e.birth_date "
    "FROM entities e JOIN entity_docs d ON d.seq = e.seq "
)


class StoreCore(StoreBase):
    # ---- lifecycle ---------------------------------------------------------------------------
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
            store._username = str(user["username"])
            with store.tx():
                store._set_meta("user", dict(user))
                store._set_meta("device_id", str(user.get("device_id") or uuid.uuid4()))
                store._set_meta("created_at", now_iso())
                store._audit("profile_created")
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
        if crypto.unlock(self.profile_dir, old) != self._key:
            raise WrongPassword()
        if not isinstance(new, str) or not new:
            raise InvalidInput("新密码不能为空 (the new password must not be empty)")
        doc = crypto.read_profile(self.profile_dir)
        params = kdf or crypto.KdfParams(**doc["kdf_params"])
        salt = crypto.new_salt()
        key = crypto.derive_key(new, salt, params)
        pending = self.profile_dir / crypto.PENDING_NAME
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = str(self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
        except sqlcipher.OperationalError:
            mode = "wal"
        try:
            if mode != "delete":
                raise StoreError("请先关闭其他窗口或同步任务再修改密码 (close other connections to this profile first)")
            crypto.write_profile(self.profile_dir, salt, params, key, str(doc.get("username") or ""),
                                 crypto.PENDING_NAME)
            try:
                self.conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
            except BaseException:
                pending.unlink(missing_ok=True)
                raise
            os.replace(pending, self.profile_dir / crypto.PROFILE_NAME)
            self._key = key
        finally:
            self.conn.execute("PRAGMA journal_mode = WAL")
        with self.tx():
            self._audit("password_changed")

    @classmethod
    def _from_conn(cls, profile_dir: Path, conn: Any, key: bytes) -> Self:
        store = cls.__new__(cls)
        store._init_base(profile_dir, conn, key)
        try:
            migrate(store.db)
            store.finish_bulk_load()  # a first pull that was cut short: indexes back before use
            user = store._get_meta("user") or {}
            store._username = str(user.get("username") or "")
        except BaseException:
            conn.close()
            raise
        return store

    def sibling(self) -> Self:
        """A second Store on the same profile with its own connection (for another thread)."""
        conn = crypto.connect(self.profile_dir / crypto.DB_NAME, self._key, create=False)
        return type(self)._from_conn(self.profile_dir, conn, self._key)

    def _end_bulk_load(self) -> None:
        if self._get_meta("bulk_load"):
            for sql in BULK_INDEXES.values():
                self.conn.execute(sql)
            self._set_meta("bulk_load", False)

    @locked
    def finish_bulk_load(self) -> None:
        """Build the indexes a first full pull dropped (done by the last page, at open and at close;
        the sync engine may call it when a first pull is cancelled)."""
        if self._get_meta("bulk_load"):
            with self.tx():
                self._end_bulk_load()

    @locked
    def close(self) -> None:
        if not self._closed:
            try:
                self.finish_bulk_load()
                self.conn.execute("PRAGMA analysis_limit = 400")
                self.conn.execute("PRAGMA optimize")  # keeps the planner's statistics current
            finally:
                self._closed = True
                self.conn.close()

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
        return schema_version(self.db)

    # ---- meta ----------------------------------------------------------------------------------
    def _get_meta(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else loads(row[0])

    def _set_meta(self, key: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, dumps(value)))

    @locked
    def user(self) -> dict[str, Any]:
        return dict(self._get_meta("user") or {})

    @locked
    def set_user(self, user: Mapping[str, Any]) -> None:
        with self.tx():
            self._set_meta("user", dict(user))
            self._audit("user_updated")
        self._username = str(user.get("username") or self._username)

    @locked
    def device_id(self) -> str:
        return str(self._get_meta("device_id") or "")

    @locked
    def get_setting(self, key: str, default: Any = None) -> Any:
        return (self._get_meta("settings") or {}).get(key, default)

    @locked
    def set_setting(self, key: str, value: Any) -> None:
        with self.tx():
            settings = self._get_meta("settings") or {}
            settings[key] = value
            self._set_meta("settings", settings)

    # ---- audit ---------------------------------------------------------------------------------
    @locked
    def audit(self, action: str, entity_id: str | None = None, field: str | Sequence[str] | None = None,
              reason: str | None = None, detail: Any = None) -> None:
        """Record an act of the user (reveal, export, login, …) in its own transaction."""
        if not action:
            raise InvalidInput("audit action 不能为空 (empty audit action)")
        with self.tx():
            self._audit(action, entity_id, field, reason, detail)

    @locked
    def audit_log(self, entity_id: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        where, params = ("WHERE entity_id = ?", [entity_id]) if entity_id else ("", [])
        rows = self.q(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset])
        for r in rows:
            r["detail"] = loads(r["detail"])
            r["synced"] = bool(r["synced"])
        return rows

    @locked
    def pending_audit(self, limit: int = 500) -> list[dict[str, Any]]:
        """Audit rows not yet sent to the platform (oldest first), for the sync engine."""
        rows = self.q("SELECT * FROM audit WHERE synced = 0 ORDER BY id LIMIT ?", (limit,))
        for r in rows:
            r["detail"] = loads(r["detail"])
            del r["synced"]
        return rows

    @locked
    def mark_audit_synced(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with self.tx():
            self.conn.executemany("UPDATE audit SET synced = 1 WHERE id = ?", [(i,) for i in ids])

    # ---- records -------------------------------------------------------------------------------
    def _load(self, entity_id: str) -> Record:
        row = self.q1(_RECORD_SQL + "WHERE e.id = ?", (entity_id,))
        if row is None:
            raise NotFound(f"找不到记录 {entity_id} (no such entity)")
        return record_from_row(row)

    def _load_many(self, ids: Sequence[str]) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            for row in self.q(_RECORD_SQL + f"WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
                out[row["id"]] = record_from_row(row)
        return out

    def _load_where(self, where: str, params: Sequence[Any]) -> list[Record]:
        return [record_from_row(r) for r in self.q(_RECORD_SQL + "WHERE " + where + " ORDER BY e.sort_name", params)]

    def _houses_columns(self, house_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Place columns of stored houses by id, in one query per 500 ids (absent ids are left out)."""
        ids = sorted(house_ids)
        out: dict[str, dict[str, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for row in self.conn.execute(f"SELECT id, {', '.join(HOUSE_COLUMNS)} FROM entities "
                                         f"WHERE id IN ({','.join('?' * len(chunk))}) AND kind = 'house'", chunk):
                out[row[0]] = {k: str(v or "") for k, v in zip(HOUSE_COLUMNS, row[1:], strict=True)}
        return out

    def _validation_tags(self, seqs: Iterable[int]) -> dict[int, list[str]]:
        seqs = [s for s in seqs if s is not None]
        out: dict[int, list[str]] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            for seq, tags in self.conn.execute(
                    f"SELECT seq, tags FROM validation WHERE seq IN ({','.join('?' * len(chunk))})", chunk):
                out[seq] = loads(tags, [])
        return out

    def _write(self, records: Sequence[Record], pending_houses: Mapping[str, Record] | None = None, *,
               stale: bool = True) -> None:
        """Write records and keep dependants (residents and households of a changed house) in step."""
        from sync.store.records import house_columns

        page = {r.id: r for r in records if r.kind == "house"}
        if pending_houses:
            page.update(pending_houses)

        stored = self._houses_columns({r.house_id for r in records
                                       if r.house_id and r.kind != "house" and r.house_id not in page})

        def house_of(house_id: str) -> dict[str, str] | None:
            if house_id in page:
                return house_columns(page[house_id].data)
            return stored.get(house_id)

        existing = [r for r in records if r.seq is not None]
        extra = self._validation_tags([r.seq for r in existing if r.seq is not None])
        write_records(self.conn, records, house_of, extra, stale=stale)
        if stale and existing:
            self._mark_neighbours_stale(existing)
        self._generation += 1

    def _mark_neighbours_stale(self, records: Sequence[Record]) -> None:
        """A changed record changes what aggregates and linked tags (独居老人, 纯老户, …) see for the
        other records of its house and household: their cached validation no longer holds either."""
        links = {x for r in records for x in (r.house_id, r.household_id) if x}
        links |= {r.id for r in records if r.kind != "person"}
        links = {x for x in links if x}
        items = sorted(links)
        for i in range(0, len(items), 300):
            chunk = items[i : i + 300]
            marks = ",".join("?" * len(chunk))
            for column in ("house_id", "household_id", "id"):  # one statement per index
                self.conn.execute(f"UPDATE entities SET vstale = 1 WHERE {column} IN ({marks}) AND vstale = 0",
                                  chunk)

    def _refresh_dependants(self, house_ids: Iterable[str], skip: set[str]) -> None:
        """Re-derive place columns and search documents of persons/households of these houses."""
        ids = [h for h in set(house_ids) if h]
        for i in range(0, len(ids), 400):
            chunk = ids[i : i + 400]
            deps = [r for r in self._load_where(
                f"e.house_id IN ({','.join('?' * len(chunk))}) AND e.kind != 'house'", chunk) if r.id not in skip]
            if deps:
                self._write(deps)
