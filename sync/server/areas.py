"""The area tree (区 → 街道 → 社区 → 网格) and the acts on it: add, rename, move, retire, hand a grid over.

Codes are hierarchical by prefix and never reused. A retired area keeps its row (history, audit and
old visits name it) but holds nothing, is hidden from the tree by default and takes no new entity,
child or assignment.

Moving: only a **grid** moves (to another community; the common case in a district). It cannot keep
its code (the code names its community), so moving creates a new grid under the new community with the
next free code and the same name, moves everything the old grid holds there (entities, their tags,
visits, submissions, the workers assigned), and retires the old code. A community changing streets is
done the same way by hand: add it under the new street, move its grids, retire the old one.

Moving contents (retire with ``move_to``, or a move) writes a new revision of every entity (history
``$grid``), and changelog rows so that holders of the old grid drop the entities and holders of the new
one receive them at their next pull; the workers whose grids changed get a new cursor fingerprint, so
their next pull restarts (``reset``) and their devices hold exactly their grids afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync import protocol
from sync.protocol import format_ts, utc_now
from sync.server import repo_entities, repo_users
from sync.server import tables as t
from sync.server.counts import move_grid as move_counts
from sync.server.db import Writer
from sync.server.scope import Principal, covers_clause, visible_clause

#: Days after a hand-over in which the former worker's pushes for the grid are still accepted.
HANDOVER_GRACE_DAYS = 30
LEVEL_BELOW = {"district": "street", "street": "community", "community": "grid"}
KINDS = ("house", "household", "person")


def row(conn: Connection, code: str) -> Any:
    return conn.execute(sa.select(t.areas).where(t.areas.c.code == code)).first()


def is_retired(conn: Connection, code: str) -> bool:
    found = row(conn, code)
    return found is not None and found.retired_at is not None


def holdings(conn: Connection, grid: str) -> dict[str, int]:
    """What a grid holds: entities of each kind (any state)."""
    e = t.entities
    counts = dict.fromkeys(KINDS, 0)
    for kind, n in conn.execute(sa.select(e.c.kind, sa.func.count()).where(e.c.grid == grid).group_by(e.c.kind)):
        counts[kind] = int(n)
    return counts


def active_children(conn: Connection, code: str) -> list[str]:
    a = t.areas
    return [r[0] for r in conn.execute(sa.select(a.c.code).where(a.c.parent == code, a.c.retired_at.is_(None))
                                       .order_by(a.c.code))]


def assigned_users(conn: Connection, code: str, role: str | None = None) -> list[Any]:
    u, ua = t.users, t.user_areas
    query = sa.select(u).join(ua, ua.c.user_id == u.c.id).where(ua.c.area_code == code)
    if role:
        query = query.where(u.c.role == role)
    return list(conn.execute(query.order_by(u.c.username)))


def tree(conn: Connection, principal: Principal, *, retired: bool = False, counts: bool = True) -> list[dict[str, Any]]:
    """The areas the caller sees; with ``counts``, each with what lies in it (active houses, households,
    persons in the caller's scope) and, for grids, their active workers (two grouped queries)."""
    a, e = t.areas, t.entities
    query = sa.select(a).where(visible_clause(a.c.code, principal)).order_by(a.c.code)
    if not retired:
        query = query.where(a.c.retired_at.is_(None))
    rows = list(conn.execute(query))
    if not counts:
        return [{**repo_users.area_dict(r), "retired": r.retired_at is not None,
                 "retired_at": format_ts(r.retired_at) if r.retired_at else None} for r in rows]
    # one pass over the grids in scope: each grid's counts go to the grid and every ancestor prefix
    totals: dict[str, dict[str, int]] = {}
    lengths = sorted(protocol.AREA_CODE_LENGTH.values())
    for grid, kind, n in conn.execute(sa.select(e.c.grid, e.c.kind, sa.func.count())
                                      .where(e.c.state == "active", covers_clause(e.c.grid, principal.roots))
                                      .group_by(e.c.grid, e.c.kind)):
        for code in {grid[:length] for length in lengths if length <= len(grid)} | {grid}:
            totals.setdefault(code, dict.fromkeys(KINDS, 0))[kind] += int(n)
    workers: dict[str, list[dict[str, str]]] = {}
    u, ua = t.users, t.user_areas
    for r in conn.execute(sa.select(ua.c.area_code, u.c.id, u.c.username, u.c.display_name)
                          .join(u, u.c.id == ua.c.user_id)
                          .where(u.c.role == "worker", u.c.active.is_(True), covers_clause(ua.c.area_code,
                                                                                            principal.roots))
                          .order_by(u.c.username)):
        workers.setdefault(r.area_code, []).append({"id": r.id, "username": r.username,
                                                     "display_name": r.display_name})
    out = []
    for r in rows:
        held = totals.get(r.code) or dict.fromkeys(KINDS, 0)
        item = {**repo_users.area_dict(r), "retired": r.retired_at is not None,
                "retired_at": format_ts(r.retired_at) if r.retired_at else None,
                "houses": held["house"], "households": held["household"], "persons": held["person"],
                "in_scope": principal.covers(r.code)}
        if r.level == "grid":
            item["workers"] = workers.get(r.code, [])
        out.append(item)
    return out


# -- writes ------------------------------------------------------------------------------------


def rename(w: Writer, code: str, name: str) -> None:
    w.conn.execute(sa.update(t.areas).where(t.areas.c.code == code).values(name=name))
    w.record_change("area", code, code)


def retire(w: Writer, code: str) -> None:
    """Mark the area retired; devices drop it from their trees (a deleted ``area`` change)."""
    w.conn.execute(sa.update(t.areas).where(t.areas.c.code == code).values(retired_at=utc_now()))
    w.record_change("area", code, code, deleted=True)


def next_child_code(conn: Connection, parent: str, level: str) -> str:
    """The next code under ``parent`` never used before (retired codes count as used)."""
    length = protocol.AREA_CODE_LENGTH[level]
    a = t.areas
    used = [r[0] for r in conn.execute(sa.select(a.c.code).where(a.c.code >= parent, a.c.code < parent + ":"))
            if len(r[0]) == length]
    suffixes = [int(c[len(parent):]) for c in used if c[len(parent):].isdigit()]
    nxt = max(suffixes, default=0) + 1
    width = length - len(parent)
    if nxt >= 10 ** width:
        raise ValueError(f"no free code under {parent}")
    return parent + str(nxt).zfill(width)


def move_contents(w: Writer, src: str, dst: str, actor_id: str) -> dict[str, int]:
    """Move everything grid ``src`` holds to grid ``dst``: each entity gets a new revision (history
    ``$grid``), its tags in force, visits and submissions follow. Returns counts by kind (+ visits)."""
    e = t.entities
    cols = [e.c[c] for c in ("id", "kind", "template", "template_version", "grid", "house_id", "household_id",
                             "data", "tags", "rev", "state", "updated_at")]
    rows = list(w.conn.execute(sa.select(*cols).where(e.c.grid == src).order_by(e.c.id).with_for_update()))
    now = utc_now()
    counts = dict.fromkeys(KINDS, 0)
    for i in range(0, len(rows), 500):
        chunk = rows[i:i + 500]
        ids = [r.id for r in chunk]
        w.conn.execute(sa.update(e).where(e.c.id.in_(ids))
                       .values(grid=dst, rev=e.c.rev + 1, updated_at=now, updated_by=actor_id))
        versions, history = [], []
        for r in chunk:
            snap = repo_entities.row_to_snapshot(r)
            rev = snap["rev"] + 1
            versions.append({"entity_id": r.id, "rev": rev,
                             "snapshot": {**snap, "grid": dst, "rev": rev, "updated_at": format_ts(now)}})
            history.append({"entity_id": r.id, "rev": rev, "field": "$grid", "old": src, "new": dst,
                            "submission_id": None, "author_id": actor_id, "approved_by": None, "at": now})
            counts[r.kind] = counts.get(r.kind, 0) + 1
            # the old grid's holders drop it first; then everyone covering dst receives it
            w.record_change(repo_entities.MOVED, f"{r.id}@{src}", src)
            w.record_change("entity", r.id, dst)
        w.conn.execute(sa.insert(t.entity_versions), versions)
        w.conn.execute(sa.insert(t.history), history)
    w.conn.execute(sa.update(t.entity_tags).where(t.entity_tags.c.grid == src).values(grid=dst))
    move_counts(w.conn, src, dst)  # the dashboard's maintained counts and records with errors follow
    w.conn.execute(sa.update(t.entity_issues).where(t.entity_issues.c.grid == src).values(grid=dst))
    visit_ids = [r[0] for r in w.conn.execute(sa.select(t.visits.c.id).where(t.visits.c.grid == src))]
    w.conn.execute(sa.update(t.visits).where(t.visits.c.grid == src).values(grid=dst))
    w.conn.execute(sa.update(t.visit_persons).where(t.visit_persons.c.grid == src).values(grid=dst))
    w.conn.execute(sa.update(t.submissions).where(t.submissions.c.grid == src).values(grid=dst))
    for vid in visit_ids:
        w.record_change("visit", vid, dst)
    counts["visits"] = len(visit_ids)
    return counts


def move_grid(w: Writer, code: str, parent: str, actor_id: str) -> tuple[str, dict[str, int]]:
    """Re-home grid ``code`` under community ``parent``: a new code, everything moved, old code retired."""
    old = row(w.conn, code)
    new_code = next_child_code(w.conn, parent, "grid")
    repo_users.insert_area(w, new_code, old.name, "grid", parent)
    counts = move_contents(w, code, new_code, actor_id)
    for user in assigned_users(w.conn, code):
        codes = [new_code if c == code else c for c in repo_users.user_area_codes(w.conn, user.id)]
        repo_users.set_user_areas(w, user.id, codes)
    retire(w, code)
    return new_code, counts


def assign_grid(w: Writer, grid: str, worker_id: str) -> list[str]:
    """Make ``worker_id`` the grid's only worker; returns the ids of the workers who lost it.

    Both sides' scopes change, so both devices' next pull restarts: the new worker's device receives
    every entity of the grid, the old worker's drops them (its unsent work is pushed first, and accepted
    for :data:`HANDOVER_GRACE_DAYS` days, see :func:`push_principal`)."""
    previous = [u.id for u in assigned_users(w.conn, grid, "worker") if u.id != worker_id]
    for uid in previous:
        repo_users.set_user_areas(w, uid, [c for c in repo_users.user_area_codes(w.conn, uid) if c != grid])
    codes = repo_users.user_area_codes(w.conn, worker_id)
    if grid not in codes:
        repo_users.set_user_areas(w, worker_id, [*codes, grid])
    if previous:
        w.conn.execute(sa.update(t.areas).where(t.areas.c.code == grid).values(
            handover={"from": previous, "to": worker_id, "at": format_ts(utc_now())}))
    return previous


# -- the hand-over grace -------------------------------------------------------------------------


def handed_over_from(conn: Connection, user_id: str, grace_days: int = HANDOVER_GRACE_DAYS) -> list[str]:
    """Grids handed away from this user within the grace period (and not retired since)."""
    a = t.areas
    since = format_ts(utc_now() - timedelta(days=grace_days))
    found = []
    for code, handover in conn.execute(sa.select(a.c.code, a.c.handover)
                                       .where(a.c.handover.is_not(None), a.c.retired_at.is_(None))):
        if isinstance(handover, dict) and user_id in (handover.get("from") or []) \
                and str(handover.get("at") or "") >= since:
            found.append(code)
    return found


def push_principal(conn: Connection, principal: Principal) -> Principal:
    """The principal a push is checked with: a worker's recently handed-over grids still count, so the
    work its device had not sent when the grid changed hands is accepted (and reaches the new worker),
    never stranded on the old device."""
    if principal.role != "worker":
        return principal
    extra = [c for c in handed_over_from(conn, principal.user_id) if not principal.covers(c)]
    if not extra:
        return principal
    roots: Iterable[str] = (*principal.roots, *extra)
    return replace(principal, roots=tuple(roots),
                   ancestors=principal.ancestors | {a for c in extra for a in repo_users.ancestors_by_prefix(c)})
