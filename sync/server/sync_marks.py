"""``users.last_sync_at``: when a user last pulled (``/changes``) or pushed (``/submissions``).

Cheap by design: a process remembers when it last wrote each user's mark and writes again only when
that is older than :data:`EVERY` (a worker syncing every few seconds costs one small UPDATE a minute),
and the UPDATE itself only moves a mark older than that, so several server processes agree.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.db import Database

EVERY = 60.0
log = logging.getLogger("ybt.server")

_lock = threading.Lock()
_written: dict[tuple[int, str], float] = {}


def touch(db: Database, user_id: str) -> None:
    """Note that ``user_id`` synced now (at most once a minute per process and user)."""
    key = (id(db), user_id)
    clock = time.monotonic()
    with _lock:
        last = _written.get(key)
        if last is not None and clock - last < EVERY:
            return
        _written[key] = clock
    now = utc_now()
    u = t.users
    try:
        with db.write() as w:
            w.conn.execute(sa.update(u).where(u.c.id == user_id, sa.or_(
                u.c.last_sync_at.is_(None), u.c.last_sync_at < now - timedelta(seconds=EVERY))).values(last_sync_at=now))
    except SQLAlchemyError as exc:  # the sync itself succeeded: a missed mark is written at the next one
        with _lock:
            _written.pop(key, None)
        log.warning("last sync of %s not recorded: %s", user_id, exc)


def forget() -> None:
    """Drop the remembered writes (tests that move the clock)."""
    with _lock:
        _written.clear()
