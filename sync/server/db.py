"""Engine creation and transactions.

Writes are serialized: every write transaction takes the ``seq_counter`` row lock first (PostgreSQL) or
starts with ``BEGIN IMMEDIATE`` (SQLite). Change sequence numbers are therefore handed out in commit
order, and a reader's cursor can never skip a change that commits late. Reads run concurrently.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.server import tables as t


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

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """A serialized write transaction; commits on success, rolls back on any exception."""
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
                writer.lock()
                yield writer

    def dispose(self) -> None:
        self.engine.dispose()


class Writer:
    """A write transaction: the connection plus change-sequence allocation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self) -> None:
        if self.conn.dialect.name != "sqlite":
            self.conn.execute(sa.select(t.seq_counter.c.value).where(t.seq_counter.c.id == 1).with_for_update())

    def next_seq(self) -> int:
        return self.allocate(1)

    def allocate(self, count: int) -> int:
        """Reserve ``count`` consecutive sequence numbers; returns the first."""
        stmt = (
            sa.update(t.seq_counter)
            .where(t.seq_counter.c.id == 1)
            .values(value=t.seq_counter.c.value + count)
            .returning(t.seq_counter.c.value)
        )
        return int(self.conn.execute(stmt).scalar_one()) - count + 1

    def record_new_changes(self, type_: str, keys_and_areas: list[tuple[str, str]]) -> None:
        """Changelog rows for objects that have none yet (bulk loads)."""
        if not keys_and_areas:
            return
        first = self.allocate(len(keys_and_areas))
        self.conn.execute(sa.insert(t.changelog), [
            {"type": type_, "key": key, "seq": first + i, "area": area, "deleted": False}
            for i, (key, area) in enumerate(keys_and_areas)])

    def record_change(self, type_: str, key: str, area: str, *, deleted: bool = False) -> int:
        """Mark object ``type_``/``key`` changed: it gets a new sequence number (upsert)."""
        seq = self.next_seq()
        cl = t.changelog
        updated = self.conn.execute(
            sa.update(cl).where(cl.c.type == type_, cl.c.key == key)
            .values(seq=seq, area=area, deleted=deleted)
        )
        if updated.rowcount == 0:
            self.conn.execute(sa.insert(cl).values(type=type_, key=key, seq=seq, area=area, deleted=deleted))
        return seq
