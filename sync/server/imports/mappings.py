"""Saved column mappings: one per department's file layout (header as written -> field, "" ignores the
column), kept on the platform in ``server_settings`` under ``import_mapping:<name>`` as JSON."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import format_ts, utc_now
from sync.server import tables as t
from sync.server.db import Writer

_PREFIX = "import_mapping:"


def list_all(conn: Connection) -> list[dict[str, Any]]:
    s = t.server_settings
    rows = conn.execute(sa.select(s.c.key, s.c.value).where(s.c.key.like(_PREFIX + "%")).order_by(s.c.key)).all()
    out = []
    for row in rows:
        try:
            value = json.loads(row.value or "{}")
        except ValueError:
            continue
        out.append({"name": row.key[len(_PREFIX):], **value})
    return out


def get(conn: Connection, name: str) -> dict[str, Any] | None:
    s = t.server_settings
    raw = conn.execute(sa.select(s.c.value).where(s.c.key == _PREFIX + name)).scalar_one_or_none()
    if raw is None:
        return None
    value: dict[str, Any] = json.loads(raw)
    return {"name": name, **value}


def put(w: Writer, name: str, kind: str, columns: dict[str, str], user: str) -> dict[str, Any]:
    s = t.server_settings
    value = {"kind": kind, "columns": columns, "updated_by": user, "updated_at": format_ts(utc_now())}
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    key = _PREFIX + name
    if w.conn.execute(sa.select(s.c.key).where(s.c.key == key)).first() is None:
        w.conn.execute(sa.insert(s), {"key": key, "value": text})
    else:
        w.conn.execute(sa.update(s).where(s.c.key == key), {"value": text})
    return {"name": name, **value}
