"""The store's audit log: append-only rows of what the user did (reveal, edit, submit, login, …)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sync.store.db import StoreDb, loads, locked, now_iso
from sync.store.errors import InvalidInput


class Audit:
    """``store.audit``: writes the audit rows of every action and reads them back.

    The other collaborators call :meth:`log` inside their own transaction, so an action and its
    audit row commit together; :meth:`record` is for an act that writes nothing else (a reveal, an
    export, a login).
    """

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock

    def log(self, action: str, entity_id: str | None = None, field: Any = None,
            reason: Any = None, detail: Any = None) -> None:
        """Insert one audit row; called inside the action's own transaction."""
        if field is not None and not isinstance(field, str):  # several fields: "a,b"
            field = ",".join(map(str, field)) if isinstance(field, list | tuple) else str(field)
        self._db.conn.execute(
            "INSERT INTO audit (ts, user, action, entity_id, field, reason, detail) VALUES (?,?,?,?,?,?,?)",
            (now_iso(), self._db.username, action, entity_id, field, None if reason is None else str(reason),
             None if detail is None else json.dumps(detail, ensure_ascii=False, default=str)),
        )

    @locked
    def record(self, action: str, entity_id: str | None = None, field: str | Sequence[str] | None = None,
               reason: str | None = None, detail: Any = None) -> None:
        """Record an act of the user (reveal, export, login, …) in its own transaction."""
        if not action:
            raise InvalidInput("audit action 不能为空 (empty audit action)")
        with self._db.tx():
            self.log(action, entity_id, field, reason, detail)

    @locked
    def entries(self, entity_id: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        """Audit rows, newest first (of one entity if given); ``synced``: the platform has it (or refused it)."""
        where, params = ("WHERE entity_id = ?", [entity_id]) if entity_id else ("", [])
        rows = self._db.q(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        for r in rows:
            r["detail"] = loads(r["detail"])
            r["synced"] = bool(r["synced"])
        return rows

    @locked
    def pending(self, limit: int = 500) -> list[dict[str, Any]]:
        """Audit rows not yet sent to the platform (oldest first), for the sync engine."""
        rows = self._db.q("SELECT * FROM audit WHERE synced = 0 ORDER BY id LIMIT ?", (limit,))
        for r in rows:
            r["detail"] = loads(r["detail"])
            del r["synced"]
        return rows

    @locked
    def log_id(self) -> str:
        """This store's audit log id (made on first use): with a local id it keys an entry on the platform."""
        value = self._db.get_meta("audit_log_id")
        if not value:
            value = uuid.uuid4().hex
            with self._db.tx():
                self._db.set_meta("audit_log_id", value)
        return str(value)

    @locked
    def mark_refused(self, ids: Iterable[int]) -> None:
        """Entries the platform answered it will never take (unknown action, past a bound): not sent again."""
        ids = list(ids)
        with self._db.tx():
            self._db.conn.executemany("UPDATE audit SET synced = 2 WHERE id = ?", [(i,) for i in ids])

    @locked
    def mark_synced(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with self._db.tx():
            self._db.conn.executemany("UPDATE audit SET synced = 1 WHERE id = ?", [(i,) for i in ids])
