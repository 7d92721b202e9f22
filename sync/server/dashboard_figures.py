"""The dashboard's figures per grid (or per worker of one grid), each an index read or a maintained count.

Every function takes the area ``root`` (a code; everything below it counts) and answers
``{key: {measure: value}}`` where the key is the first ``depth`` characters of a grid code (the child
area holding it: codes are hierarchical by prefix; ``None``: the grid code itself), or a user id for
:func:`by_author`. Grouping by the child in SQL keeps the rows read back few, whatever the number of
grids. Sources:

- entities by kind and state: ``area_counts`` (maintained, :mod:`sync.server.counts`);
- houses and persons visited / verified in the cycle: ``ix_visits_cycle`` and
  ``ix_visit_persons_cycle`` (covering: the count reads the index alone);
- records with validation errors: ``entity_issues`` by grid;
- the review backlog, its oldest item, returned work not yet resubmitted: ``ix_submissions_backlog``,
  ``ix_submissions_resubmits``;
- workers and their last sync: ``user_areas`` and ``users``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.visits import Cycle
from sync.server import tables as t
from sync.server.scope import covers_clause

VERIFYING = "已核实"
Figures = dict[str, dict[str, Any]]


def _put(out: Figures, key: str, **values: Any) -> None:
    out.setdefault(key, {}).update(values)


def _key(column: Any, depth: int | None) -> Any:
    """The grouping key of a grid column: its child-area prefix, or the grid itself. The numbers are
    literals, not parameters: PostgreSQL matches a GROUP BY expression to the selected one by its text,
    and two parameters are two different expressions to it."""
    if not depth:
        return column
    return sa.func.substr(column, sa.literal_column("1"), sa.literal_column(str(int(depth))))


def entities(conn: Connection, root: str, out: Figures, depth: int | None = None) -> None:
    """persons / houses / households (active), and persons by state."""
    ac = t.area_counts
    key = _key(ac.c.grid, depth)
    for grid, kind, state, n in conn.execute(sa.select(key, ac.c.kind, ac.c.state, sa.func.sum(ac.c.n))
                                             .where(covers_clause(ac.c.grid, [root]), ac.c.n != 0)
                                             .group_by(key, ac.c.kind, ac.c.state)):
        row = out.setdefault(grid, {})
        if state == "active":
            row[kind + "s"] = row.get(kind + "s", 0) + int(n)
        if kind == "person":
            states = row.setdefault("persons_by_state", {})
            states[state] = states.get(state, 0) + int(n)


def visits(conn: Connection, root: str, cycle: Cycle, out: Figures, depth: int | None = None) -> None:
    """Houses visited (any result) and verified, persons verified, in the cycle."""
    v, vp = t.visits, t.visit_persons
    start, end = cycle.start.isoformat(), cycle.end.isoformat()
    key = _key(v.c.grid, depth)
    for grid, visited, verified in conn.execute(sa.select(
            key, sa.func.count(sa.distinct(v.c.house_id)),
            sa.func.count(sa.distinct(sa.case((v.c.result == VERIFYING, v.c.house_id))))).where(
            covers_clause(v.c.grid, [root]), v.c.date >= start, v.c.date <= end).group_by(key)):
        _put(out, grid, houses_visited=int(visited), houses_verified=int(verified))
    pkey = _key(vp.c.grid, depth)
    for grid, seen, n in conn.execute(sa.select(
            pkey, sa.func.count(sa.distinct(vp.c.person_id)),
            sa.func.count(sa.distinct(sa.case((vp.c.result == VERIFYING, vp.c.person_id))))).where(
            covers_clause(vp.c.grid, [root]), vp.c.date >= start, vp.c.date <= end).group_by(pkey)):
        _put(out, grid, persons_visited=int(seen), persons_verified=int(n))


def issues(conn: Connection, root: str, out: Figures, depth: int | None = None) -> None:
    ei = t.entity_issues
    key = _key(ei.c.grid, depth)
    for grid, n in conn.execute(sa.select(key, sa.func.count()).where(covers_clause(ei.c.grid, [root]))
                                .group_by(key)):
        _put(out, grid, invalid=int(n))


def _returned_open() -> Any:
    s, later = t.submissions, t.submissions.alias("later")
    return sa.and_(s.c.status == "returned", ~sa.exists().where(later.c.resubmits == s.c.id))


def review(conn: Connection, root: str, out: Figures, depth: int | None = None) -> None:
    """Pending submissions and the oldest one's arrival; returned ones not yet resubmitted."""
    s = t.submissions
    key = _key(s.c.grid, depth)
    for grid, n, oldest in conn.execute(sa.select(key, sa.func.count(), sa.func.min(s.c.received_at)).where(
            s.c.status == "pending", covers_clause(s.c.grid, [root])).group_by(key)):
        _put(out, grid, backlog=int(n), oldest_pending=oldest)
    for grid, n in conn.execute(sa.select(key, sa.func.count()).where(
            covers_clause(s.c.grid, [root]), _returned_open()).group_by(key)):
        _put(out, grid, returned=int(n))


def workers(conn: Connection, root: str) -> dict[str, dict[str, Any]]:
    """Active workers assigned to grids under ``root``: user id -> who, grids, last sync."""
    u, ua = t.users, t.user_areas
    found: dict[str, dict[str, Any]] = {}
    for row in conn.execute(sa.select(u.c.id, u.c.username, u.c.display_name, u.c.last_sync_at, ua.c.area_code)
                            .join(ua, ua.c.user_id == u.c.id)
                            .where(u.c.role == "worker", u.c.active.is_(True), covers_clause(ua.c.area_code, [root]))
                            .order_by(u.c.username, ua.c.area_code)):
        w = found.setdefault(row.id, {"user_id": row.id, "username": row.username, "display_name": row.display_name,
                                      "last_sync_at": row.last_sync_at, "grids": []})
        w["grids"].append(row.area_code)
    return found


def by_author(conn: Connection, grid: str, cycle: Cycle) -> Figures:
    """The work of each author within one grid: visits of the cycle, backlog, returned, errors."""
    v, vp, s, ei = t.visits, t.visit_persons, t.submissions, t.entity_issues
    start, end = cycle.start.isoformat(), cycle.end.isoformat()
    out: Figures = {}
    in_cycle = sa.and_(v.c.grid == grid, v.c.date >= start, v.c.date <= end)
    for author, visited, verified in conn.execute(sa.select(
            v.c.author_id, sa.func.count(sa.distinct(v.c.house_id)),
            sa.func.count(sa.distinct(sa.case((v.c.result == VERIFYING, v.c.house_id))))).where(in_cycle)
            .group_by(v.c.author_id)):
        _put(out, author, houses_visited=int(visited), houses_verified=int(verified))
    for author, seen, n in conn.execute(sa.select(
            v.c.author_id, sa.func.count(sa.distinct(vp.c.person_id)),
            sa.func.count(sa.distinct(sa.case((vp.c.result == VERIFYING, vp.c.person_id)))))
            .select_from(vp).join(v, v.c.id == vp.c.visit_id).where(in_cycle).group_by(v.c.author_id)):
        _put(out, author, persons_visited=int(seen), persons_verified=int(n))
    for author, n, oldest in conn.execute(sa.select(s.c.author_id, sa.func.count(), sa.func.min(s.c.received_at))
                                          .where(s.c.status == "pending", s.c.grid == grid).group_by(s.c.author_id)):
        _put(out, author, backlog=int(n), oldest_pending=oldest)
    for author, n in conn.execute(sa.select(s.c.author_id, sa.func.count()).where(s.c.grid == grid, _returned_open())
                                  .group_by(s.c.author_id)):
        _put(out, author, returned=int(n))
    for author, n in conn.execute(sa.select(s.c.author_id, sa.func.count()).select_from(ei)
                                  .join(s, s.c.id == ei.c.submission_id).where(ei.c.grid == grid)
                                  .group_by(s.c.author_id)):
        _put(out, author, invalid=int(n))
    return out


def oldest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
