"""Visit coverage for ``/stats``: houses visited and verified in the current cycle per grid, persons
verified, and overdue houses and persons by grid and by worker. A fixed number of queries whatever
the area's size (eight, one of them the published catalogues), each served by an index of migration 0003
or 0001. A street of 5,000 persons and 2,000 houses with 1,200 visits: about 40 ms on SQLite.

Overdue follows :mod:`forms.visits.plan`: counting visits are 已核实 / 有变更 (the person seen); under
the base rule an entity whose last counting visit lies before the previous cycle is overdue (never
visited: due by the end of this cycle, not overdue); an entity with a tag of ``visit_every`` d days
is overdue when its last counting visit is more than d days old, or it was never visited and the
cycle began before today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.visits import COUNTING_RESULTS, cycle_of
from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.scope import covers_clause

VERIFYING = "已核实"


def tag_intervals(conn: Connection, roots: Sequence[str]) -> dict[str, int]:
    """Tag -> visit_every days, from the newest published catalogue of each form and area that applies
    within ``roots`` (the shortest where several name the same tag)."""
    tt = t.templates
    rows = conn.execute(sa.select(tt.c.form_id, tt.c.area, tt.c.tags).order_by(tt.c.published_at.desc()))
    seen: set[tuple[str, str]] = set()
    out: dict[str, int] = {}
    for row in rows:
        if (row.form_id, row.area) in seen:
            continue
        seen.add((row.form_id, row.area))
        if not any(root.startswith(row.area) or row.area.startswith(root) for root in roots):
            continue
        for tag in row.tags or []:
            days = tag.get("visit_every") if isinstance(tag, dict) else None
            if isinstance(days, int) and not isinstance(days, bool) and days > 0:
                out[tag["id"]] = min(days, out.get(tag["id"], days))
    return out


def coverage(conn: Connection, roots: Sequence[str], cycle_kind: str, today: date | None = None) -> dict[str, Any]:
    today = today or utc_now().date()
    cycle = cycle_of(today, cycle_kind)
    start, end = cycle.start.isoformat(), cycle.end.isoformat()
    prev_start = cycle.previous().start.isoformat()
    v, vp = t.visits, t.visit_persons

    # 1. houses and active persons per grid (the maintained counts of sync/server/counts.py)
    ac = t.area_counts
    totals: dict[str, dict[str, int]] = {}
    for grid, kind, n in conn.execute(sa.select(ac.c.grid, ac.c.kind, ac.c.n).where(
            covers_clause(ac.c.grid, roots), ac.c.kind.in_(("house", "person")), ac.c.state == "active", ac.c.n != 0)):
        totals.setdefault(grid, {})[kind] = int(n)
    # 2. houses visited (any result) and verified in the cycle, per grid
    visited: dict[str, tuple[int, int]] = {}
    for grid, any_n, verified_n in conn.execute(sa.select(
            v.c.grid, sa.func.count(sa.distinct(v.c.house_id)),
            sa.func.count(sa.distinct(sa.case((v.c.result == VERIFYING, v.c.house_id))))).where(
            covers_clause(v.c.grid, roots), v.c.date >= start, v.c.date <= end).group_by(v.c.grid)):
        visited[grid] = (int(any_n), int(verified_n))
    # 3. persons verified in the cycle, per grid
    persons_verified: dict[str, int] = dict(conn.execute(sa.select(vp.c.grid, sa.func.count(sa.distinct(vp.c.person_id)))
                                                       .where(covers_clause(vp.c.grid, roots), vp.c.result == VERIFYING,
                                                              vp.c.date >= start, vp.c.date <= end)
                                                       .group_by(vp.c.grid)).all())
    # 4. overdue houses and persons per grid (one statement)
    overdue = _overdue(conn, roots, tag_intervals(conn, roots), today, cycle.start, prev_start)
    # 5. workers of these grids, 6. visits recorded this cycle per author
    u, ua = t.users, t.user_areas
    workers: dict[str, dict[str, Any]] = {}
    for row in conn.execute(sa.select(u.c.id, u.c.username, u.c.display_name, ua.c.area_code)
                            .join(ua, ua.c.user_id == u.c.id)
                            .where(u.c.role == "worker", u.c.active.is_(True), covers_clause(ua.c.area_code, roots))
                            .order_by(u.c.username, ua.c.area_code)):
        w = workers.setdefault(row.id, {"user_id": row.id, "username": row.username, "display_name": row.display_name,
                                        "grids": [], "visits": 0, "overdue_houses": 0, "overdue_persons": 0})
        w["grids"].append(row.area_code)
    recorded: dict[str, int] = dict(conn.execute(sa.select(v.c.author_id, sa.func.count()).where(
        covers_clause(v.c.grid, roots), v.c.date >= start, v.c.date <= end).group_by(v.c.author_id)).all())
    # 7. the names of the grids
    names = dict(conn.execute(sa.select(t.areas.c.code, t.areas.c.name).where(
        t.areas.c.level == "grid", covers_clause(t.areas.c.code, roots))).all())

    by_grid = []
    for grid in sorted(set(names) | set(totals) | set(visited)):
        houses_visited, houses_verified = visited.get(grid, (0, 0))
        late = overdue.get(grid, {})
        by_grid.append({"grid": grid, "name": names.get(grid, ""), "houses": totals.get(grid, {}).get("house", 0),
                        "houses_visited": houses_visited, "houses_verified": houses_verified,
                        "persons": totals.get(grid, {}).get("person", 0),
                        "persons_verified": int(persons_verified.get(grid, 0)),
                        "overdue_houses": late.get("house", 0), "overdue_persons": late.get("person", 0)})
    for w in workers.values():
        w["visits"] = int(recorded.get(w["user_id"], 0))
        for grid in w["grids"]:
            late = overdue.get(grid, {})
            w["overdue_houses"] += late.get("house", 0)
            w["overdue_persons"] += late.get("person", 0)
    total = {key: sum(g[key] for g in by_grid) for key in (
        "houses", "houses_visited", "houses_verified", "persons", "persons_verified", "overdue_houses",
        "overdue_persons")}
    return {"cycle": cycle.as_dict(), **total, "by_grid": by_grid,
            "by_user": sorted(workers.values(), key=lambda w: (-(w["overdue_houses"] + w["overdue_persons"]),
                                                               w["username"]))}


def _overdue(conn: Connection, roots: Sequence[str], intervals: dict[str, int], today: date, cycle_start: date,
             prev_start: str) -> dict[str, dict[str, int]]:
    """grid -> {"house": n, "person": n} of entities overdue (base rule or a tag's interval), in one
    statement: each active entity once, beside its last counting visit and the latest day by which its
    shortest tag interval wanted it seen (``today - visit_every``, as text: ISO days compare as text)."""
    e, v, vp, et = t.entities, t.visits, t.visit_persons, t.entity_tags
    counting = list(COUNTING_RESULTS)
    house_last = (sa.select(v.c.house_id.label("eid"), sa.func.max(v.c.date).label("last"))
                  .where(v.c.result.in_(counting), covers_clause(v.c.grid, roots)).group_by(v.c.house_id))
    person_last = (sa.select(vp.c.person_id.label("eid"), sa.func.max(vp.c.date).label("last"))
                   .where(vp.c.result.in_(counting), covers_clause(vp.c.grid, roots)).group_by(vp.c.person_id))
    last = sa.union_all(house_last, person_last).subquery("last_visit")
    late = sa.and_(last.c.last.is_not(None), last.c.last < prev_start)
    # only an entity with a counting visit or an interval tag can be late: start from those (found by
    # index in visits / entity_tags), not from every entity of the area
    candidates: Any = sa.select(last.c.eid)
    wanted = None
    if intervals:
        threshold = sa.func.max(sa.case(*((et.c.tag == tag, (today - timedelta(days=days)).isoformat())
                                          for tag, days in sorted(intervals.items()))))
        wanted = (sa.select(et.c.entity_id.label("eid"), threshold.label("by"))
                  .where(et.c.tag.in_(sorted(intervals)), covers_clause(et.c.grid, roots))
                  .group_by(et.c.entity_id).subquery("wanted"))
        candidates = sa.union(candidates, sa.select(wanted.c.eid))
    found = candidates.subquery("candidates")
    query = (sa.select(e.c.grid, e.c.kind, sa.func.count()).select_from(found).join(e, e.c.id == found.c.eid)
             .outerjoin(last, last.c.eid == found.c.eid))
    if wanted is not None:
        query = query.outerjoin(wanted, wanted.c.eid == found.c.eid)
        tag_late = sa.and_(wanted.c.by.is_not(None), last.c.last < wanted.c.by)
        if today > cycle_start:  # never visited, with a tag: overdue since the cycle began
            tag_late = sa.or_(tag_late, sa.and_(wanted.c.by.is_not(None), last.c.last.is_(None)))
        late = sa.or_(late, tag_late)
    out: dict[str, dict[str, int]] = {}
    for grid, kind, n in conn.execute(query.where(covers_clause(e.c.grid, roots), e.c.state == "active",
                                                  e.c.kind.in_(("house", "person")), late)
                                      .group_by(e.c.grid, e.c.kind)):
        out.setdefault(grid, {})[kind] = int(n)
    return out
