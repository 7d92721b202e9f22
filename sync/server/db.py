"""Engine creation and transactions.

Change sequence numbers are handed out at the end of each write transaction under the ``seq_counter``
row lock, held until the commit (PostgreSQL), or inside a ``BEGIN IMMEDIATE`` transaction (SQLite,
where writers are serialized anyway). Numbers are therefore in commit order, and a reader's cursor
never skips a change that commits late. Reads run concurrently. On PostgreSQL other writes run in
parallel; those that read-modify-write use :meth:`Database.write_retrying` with optimistic checks.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from sync.server import tables as t

T = TypeVar("T")


def normalize_url(url: str) -> str:
    """Accept a bare file path as a SQLite database."""
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 20) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("ybt_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class Database:
    """The engine plus the two kinds of transaction the server uses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: SQLite: writers of this process queue here instead of spinning in SQLite's busy handler.
        self._write_lock = threading.Lock() if is_sqlite(engine) else None
        #: True when write transactions never run concurrently (SQLite): no writer can interfere.
        self.serialized = self._write_lock is not None

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """A write transaction; commits on success, rolls back on any exception.

        Change records are buffered and get their sequence numbers at the very end, under the
        counter's row lock, which is therefore the last lock taken and is held only until the commit.
        """
        if self._write_lock is None:
            with self._write_transaction() as writer:
                yield writer
            return
        with self._write_lock, self._write_transaction() as writer:
            yield writer

    @contextmanager
    def _write_transaction(self) -> Iterator[Writer]:
        with self.engine.connect() as raw:
            conn = raw.execution_options(ybt_write=True)
            with conn.begin():
                writer = Writer(conn)
                yield writer
                writer.flush()

    def write_retrying(self, work: Callable[[Writer], T], attempts: int = 8) -> T:
        """Run ``work`` in a write transaction, again from the start if a concurrent writer got in the way.

        Concurrent writers (PostgreSQL) are detected by unique keys, optimistic revision checks
        (:class:`ConcurrentChange`) and the database's deadlock detector; each retry sees their commits.
        """
        for attempt in range(attempts):
            try:
                with self.write() as writer:
                    return work(writer)
            except (ConcurrentChange, IntegrityError, OperationalError) as exc:
                if attempt == attempts - 1 or not retryable(exc):
                    raise
                time.sleep(0.005 * (attempt + 1) * (1 + random.random()))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


class Writer:
    """A write transaction: the connection plus change-sequence allocation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._pending: dict[tuple[str, str], tuple[str, bool]] = {}

    def allocate(self, count: int) -> int:
        """Reserve ``count`` consecutive sequence numbers; returns the first."""
        return int(self.conn.execute(_ALLOCATE, {"count": count}).scalar_one()) - count + 1

    def mark(self) -> dict[tuple[str, str], tuple[str, bool]]:
        """The buffered changes so far (to :meth:`restore` when rolling back to a savepoint)."""
        return dict(self._pending)

    def restore(self, mark: dict[tuple[str, str], tuple[str, bool]]) -> None:
        self._pending = dict(mark)

    def record_new_changes(self, type_: str, keys_and_areas: list[tuple[str, str]]) -> None:
        """Changelog rows for objects that have none yet (bulk loads)."""
        if not keys_and_areas:
            return
        first = self.allocate(len(keys_and_areas))
        self.conn.execute(sa.insert(t.changelog), [
            {"type": type_, "key": key, "seq": first + i, "area": area, "deleted": False}
            for i, (key, area) in enumerate(keys_and_areas)])

    def record_change(self, type_: str, key: str, area: str, *, deleted: bool = False) -> None:
        """Mark object ``type_``/``key`` changed; it gets a new sequence number when the transaction ends."""
        self._pending.pop((type_, key), None)
        self._pending[(type_, key)] = (area, deleted)

    def flush(self) -> None:
        """Give the buffered changes consecutive sequence numbers (upserting their changelog rows)."""
        if not self._pending:
            return
        items = list(self._pending.items())
        self._pending.clear()
        first = self.allocate(len(items))
        for i, ((type_, key), (area, deleted)) in enumerate(items):
            updated = self.conn.execute(
                _UPDATE_CHANGE, {"t": type_, "k": key, "seq": first + i, "area": area, "deleted": deleted})
            if updated.rowcount == 0:
                self.conn.execute(_INSERT_CHANGE, {"type": type_, "key": key, "seq": first + i, "area": area,
                                                   "deleted": deleted})


class ConcurrentChange(Exception):
    """Another transaction changed a row this one read; the work is retried."""


def retryable(exc: Exception) -> bool:
    if isinstance(exc, ConcurrentChange | IntegrityError):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


_UPDATE_CHANGE = (
    sa.update(t.changelog)
    .where(t.changelog.c.type == sa.bindparam("t"), t.changelog.c.key == sa.bindparam("k"))
    .values(seq=sa.bindparam("seq"), area=sa.bindparam("area"), deleted=sa.bindparam("deleted"))
)
_INSERT_CHANGE = sa.insert(t.changelog)
_ALLOCATE = (
    sa.update(t.seq_counter)
    .where(t.seq_counter.c.id == 1)
    .values(value=t.seq_counter.c.value + sa.bindparam("count", type_=sa.BigInteger))
    .returning(t.seq_counter.c.value)
)
