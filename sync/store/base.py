"""The connection, lock and transaction plumbing shared by the Store's parts."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlcipher3 import dbapi2 as sqlcipher
from sqlite_utils import Database

from sync.store.errors import StoreError

P = ParamSpec("P")
R = TypeVar("R")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def loads(text: str | bytes | None, default: Any = None) -> Any:
    if text is None:
        return default
    return json.loads(text)


def locked(method: Callable[P, R]) -> Callable[P, R]:
    """Serialize a public method on the store's re-entrant lock."""

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        self = args[0]
        with self._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


class StoreBase:
    """Holds the SQLCipher connection (wrapped by sqlite-utils), the lock and the transaction helper."""

    profile_dir: Path
    conn: sqlcipher.Connection
    db: Database
    _lock: threading.RLock
    _key: bytes
    _generation: int
    _closed: bool

    def _init_base(self, profile_dir: Path, conn: sqlcipher.Connection, key: bytes) -> None:
        self.profile_dir = profile_dir
        self.conn = conn
        self.db = Database(conn)
        self._lock = threading.RLock()
        self._key = key
        self._generation = 0
        self._closed = False
        self._username = ""
        # per-query caches of the list side, valid while stamp() is unchanged
        self._seq_cache: dict[tuple[str, tuple[Any, ...]], tuple[tuple[int, int], list[int]]] = {}
        self._count_cache: dict[tuple[str, tuple[Any, ...]], tuple[tuple[int, int], int]] = {}
        self._grids_cache: tuple[tuple[int, int], list[str]] | None = None

    @contextmanager
    def tx(self) -> Iterator[sqlcipher.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); nested calls join the outer one."""
        if self._closed:
            raise StoreError("数据库已关闭 (the store is closed)")
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._generation += 1

    def stamp(self) -> tuple[int, int]:
        """Changes whenever anything was committed, by this connection or another (caches key on it)."""
        with self._lock:
            return (self._generation, int(self.conn.execute("PRAGMA data_version").fetchone()[0]))

    def q(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def q1(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self.q(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _audit(self, action: str, entity_id: str | None = None, field: Any = None,
               reason: Any = None, detail: Any = None) -> None:
        """Insert one audit row; called inside the action's own transaction."""
        if field is not None and not isinstance(field, str):  # several fields: "a,b"
            field = ",".join(map(str, field)) if isinstance(field, list | tuple) else str(field)
        self.conn.execute(
            "INSERT INTO audit (ts, user, action, entity_id, field, reason, detail) VALUES (?,?,?,?,?,?,?)",
            (now_iso(), self._username, action, entity_id, field, None if reason is None else str(reason),
             None if detail is None else json.dumps(detail, ensure_ascii=False, default=str)),
        )
