"""Maintained counts of entities per grid, kind and state (table ``area_counts``).

Every entity write goes through :func:`sync.server.repo_entities.save` or ``insert_new``, which call
:func:`add` in the same transaction, so the counts move with the entities and commit or roll back with
them. The dashboard sums these rows (a few per grid) instead of counting the entities table.
:func:`recount` computes the same figures from the entities (one scan), :func:`drift` compares both and
:func:`rebuild` replaces the maintained rows with the recount (``ybt server recount``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from sync.server import tables as t

Key = tuple[str, str, str]  # (grid, kind, state)


def _upsert(conn: Connection) -> Any:
    ac = t.area_counts
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(ac)
    return stmt.on_conflict_do_update(index_elements=[ac.c.grid, ac.c.kind, ac.c.state],
                                      set_={"n": ac.c.n + stmt.excluded.n})


def add(conn: Connection, deltas: Mapping[Key, int]) -> None:
    """Add ``deltas`` to the counts (rows created as needed), in sorted key order (PostgreSQL then takes
    the rows' locks in one order in every transaction)."""
    rows = [{"grid": g, "kind": k, "state": s, "n": n} for (g, k, s), n in sorted(deltas.items()) if n]
    if rows:
        conn.execute(_upsert(conn), rows)


def change(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict[Key, int]:
    """The deltas of writing ``after`` over ``before`` (entity snapshots; ``state`` defaults to active)."""
    out: dict[Key, int] = {}
    if before is not None:
        key = (str(before["grid"]), str(before["kind"]), str(before.get("state") or "active"))
        out[key] = out.get(key, 0) - 1
    key = (str(after["grid"]), str(after["kind"]), str(after.get("state") or "active"))
    out[key] = out.get(key, 0) + 1
    return {k: n for k, n in out.items() if n}


def move_grid(conn: Connection, src: str, dst: str) -> None:
    """Everything grid ``src`` held now lies in ``dst`` (an area move): its counts go along."""
    ac = t.area_counts
    moving = {(dst, r.kind, r.state): int(r.n) for r in conn.execute(
        sa.select(ac.c.kind, ac.c.state, ac.c.n).where(ac.c.grid == src))}
    conn.execute(sa.delete(ac).where(ac.c.grid == src))
    add(conn, moving)


def maintained(conn: Connection) -> dict[Key, int]:
    ac = t.area_counts
    return {(r.grid, r.kind, r.state): int(r.n)
            for r in conn.execute(sa.select(ac.c.grid, ac.c.kind, ac.c.state, ac.c.n)) if r.n}


def recount(conn: Connection) -> dict[Key, int]:
    """The counts computed from the entities table (a full scan)."""
    e = t.entities
    return {(g, k, s): int(n) for g, k, s, n in conn.execute(
        sa.select(e.c.grid, e.c.kind, e.c.state, sa.func.count()).group_by(e.c.grid, e.c.kind, e.c.state))}


def drift(conn: Connection) -> dict[Key, tuple[int, int]]:
    """Keys whose maintained count differs from the recount: key -> (maintained, recounted)."""
    kept, real = maintained(conn), recount(conn)
    return {k: (kept.get(k, 0), real.get(k, 0)) for k in sorted(set(kept) | set(real)) if kept.get(k, 0) != real.get(k, 0)}


def rebuild(conn: Connection) -> int:
    """Replace the maintained counts with a recount; returns the number of rows written."""
    real = recount(conn)
    conn.execute(sa.delete(t.area_counts))
    if real:
        conn.execute(sa.insert(t.area_counts), [{"grid": g, "kind": k, "state": s, "n": n}
                                                for (g, k, s), n in sorted(real.items())])
    return len(real)
