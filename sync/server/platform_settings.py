"""Platform settings an admin may change at run time (kept in ``server_settings``).

Only the names in :data:`EDITABLE` are read or written here (the table also holds the server's own
secrets, which no endpoint ever shows). Values are text; ``None`` means "not set".

- ``min_client_version``: the oldest app version allowed to push (``POST /submissions`` and
  ``POST /visits``); older apps get 426 ``client_too_old``. Not set: every version may push.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.server import tables as t
from sync.server.db import Writer

MIN_CLIENT_VERSION = "min_client_version"
#: setting -> (Chinese, English) description
EDITABLE: dict[str, tuple[str, str]] = {
    MIN_CLIENT_VERSION: ("允许推送的最低客户端版本", "the oldest client version allowed to push"),
}
#: How the keys are stored (apart from the server's own entries).
_PREFIX = "setting:"


def get(conn: Connection, name: str) -> str | None:
    value = conn.execute(sa.select(t.server_settings.c.value)
                         .where(t.server_settings.c.key == _PREFIX + name)).scalar_one_or_none()
    return None if value is None or value == "" else str(value)


def all_settings(conn: Connection) -> dict[str, Any]:
    keys = [_PREFIX + name for name in EDITABLE]
    rows = conn.execute(sa.select(t.server_settings).where(t.server_settings.c.key.in_(keys))).all()
    found = {row.key[len(_PREFIX):]: row.value for row in rows}
    return {name: (found.get(name) or None) for name in EDITABLE}


def put(w: Writer, name: str, value: str | None) -> str | None:
    """Set (or, with None, clear) a setting; returns the value it had."""
    old = get(w.conn, name)
    key = _PREFIX + name
    w.conn.execute(sa.delete(t.server_settings).where(t.server_settings.c.key == key))
    if value is not None:
        w.conn.execute(sa.insert(t.server_settings).values(key=key, value=value))
    return old
