"""The one database connection of a store, its lock, the transaction helper and the profile's meta rows.

Every collaborator of :class:`sync.store.Store` receives the same :class:`StoreDb`; nothing here
knows of them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlcipher3 import dbapi2 as sqlcipher
from sqlite_utils import Database

from sync.store.errors import InvalidInput, StoreError

P = ParamSpec("P")
R = TypeVar("R")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_date(value: date | str, what: str) -> str:
    """An ISO date from a date or its text; InvalidInput naming ``what`` otherwise."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what}: 日期格式应为 YYYY-MM-DD，收到 {text!r} (bad date)") from None
    return text


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def loads(text: str | bytes | None, default: Any = None) -> Any:
    if text is None:
        return default
    return json.loads(text)


def locked(method: Callable[P, R]) -> Callable[P, R]:
    """Serialize a public method on the store's re-entrant lock (the object's ``_lock``)."""

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        self = args[0]
        with self._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


class StoreDb:
    """The SQLCipher connection (wrapped by sqlite-utils), the lock and the transaction helper."""

    def __init__(self, profile_dir: Path, conn: sqlcipher.Connection, key: bytes) -> None:
        self.profile_dir = profile_dir
        self.conn = conn
        self.db = Database(conn)
        #: the one re-entrant lock of this connection; every collaborator serializes its methods on it
        self.lock = threading.RLock()
        self.key = key
        #: moves on every commit of this connection (``stamp`` adds the other connections' commits)
        self.generation = 0
        self.closed = False
        #: who is acting, written into audit rows
        self.username = ""

    @contextmanager
    def tx(self) -> Iterator[sqlcipher.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); nested calls join the outer one."""
        if self.closed:
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
            self.generation += 1

    def stamp(self) -> tuple[int, int]:
        """Changes whenever anything was committed, by this connection or another (caches key on it)."""
        with self.lock:
            return (self.generation, int(self.conn.execute("PRAGMA data_version").fetchone()[0]))

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

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, dumps(value)))
