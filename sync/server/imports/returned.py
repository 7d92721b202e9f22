"""Returned tags' provenance (数据回流): a ``return`` import of a source is a snapshot of that source.

Each person of the list gets the list's tag with a provenance row (source, file, as-of day, importer);
a person that the source returned before and that is absent from the new list loses the source's row,
and the tag itself when no other source still returns it (a tag set by hand or by another source stays).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.scope import Principal, covers_clause

r = t.returned_tags


def held_by_source(conn: Connection, source: str, tag: str) -> set[str]:
    """The persons ``source`` has returned ``tag`` on."""
    return {row[0] for row in conn.execute(sa.select(r.c.entity_id).where(r.c.source == source, r.c.tag == tag))}


def unclaimed(conn: Connection, tag: str, principal: Principal) -> set[str]:
    """Persons in ``principal``'s scope holding ``tag`` with no source recorded for it (set before
    provenance was kept: by the demo seed, a load, or an earlier release). The first snapshot of a
    source claims them: a returned tag is a department's by definition."""
    et = t.entity_tags
    claimed = sa.select(r.c.entity_id).where(r.c.tag == tag, r.c.entity_id == et.c.entity_id).exists()
    rows = conn.execute(sa.select(et.c.entity_id).where(et.c.tag == tag, covers_clause(et.c.grid, principal.roots),
                                                       ~claimed))
    return {row[0] for row in rows}


def also_returned_by_others(conn: Connection, source: str, tag: str, ids: Iterable[str]) -> set[str]:
    """Of ``ids``, those on which another source returns ``tag`` too (the tag stays)."""
    keys = sorted(set(ids))
    out: set[str] = set()
    for i in range(0, len(keys), 500):
        out |= {row[0] for row in conn.execute(sa.select(r.c.entity_id).where(
            r.c.tag == tag, r.c.source != source, r.c.entity_id.in_(keys[i:i + 500])))}
    return out


def provenance(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(r).where(r.c.entity_id == entity_id).order_by(r.c.tag, r.c.source))
    return [{"tag": x.tag, "source": x.source, "file": x.file, "as_of": x.as_of, "import_id": x.import_id} for x in rows]


def record(w: Writer, ids: Iterable[str], *, tag: str, source: str, file: str, sha256: str, as_of: str,
           import_id: str, importer_id: str) -> None:
    """Set (or renew) the provenance of ``tag`` from ``source`` on ``ids``."""
    keys = sorted(set(ids))
    now = utc_now()
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        w.conn.execute(sa.delete(r).where(r.c.source == source, r.c.tag == tag, r.c.entity_id.in_(part)))
        w.conn.execute(sa.insert(r), [{"entity_id": eid, "tag": tag, "source": source, "file": file[:200],
                                       "sha256": sha256, "as_of": as_of, "import_id": import_id,
                                       "importer_id": importer_id, "at": now} for eid in part])


def forget(w: Writer, ids: Iterable[str], *, tag: str, source: str) -> None:
    keys = sorted(set(ids))
    for i in range(0, len(keys), 500):
        w.conn.execute(sa.delete(r).where(r.c.source == source, r.c.tag == tag, r.c.entity_id.in_(keys[i:i + 500])))
