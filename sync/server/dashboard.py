"""``GET /dashboard``: the coverage of one area, one row per child area (district → streets →
communities → grids → the workers of a grid), with the area's totals, the way down from the caller's
own area (breadcrumb) and the workers who have not synced for ``stale_days`` days.

The figures are gathered per grid by :mod:`sync.server.dashboard_figures` (a fixed number of index
reads and maintained counts, whatever the area's size) and summed per child here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.visits import Cycle
from sync.protocol import format_ts
from sync.server import dashboard_figures as figures
from sync.server import repo_users
from sync.server import tables as t
from sync.server.errors import not_found
from sync.server.scope import Principal

SUMMED = ("persons", "houses", "households", "houses_visited", "houses_verified", "persons_visited",
          "persons_verified", "invalid", "backlog", "returned")
#: Stale workers listed at most (the count says how many there are in all).
STALE_LISTED = 200


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(SUMMED, 0), "persons_by_state": {}, "oldest_pending": None, "workers": 0,
            "workers_stale": 0, "last_sync_at": None}


def _fold(into: dict[str, Any], grid: dict[str, Any]) -> None:
    for key in SUMMED:
        into[key] += int(grid.get(key) or 0)
    for state, n in (grid.get("persons_by_state") or {}).items():
        into["persons_by_state"][state] = into["persons_by_state"].get(state, 0) + n
    into["oldest_pending"] = figures.oldest(_aware(into["oldest_pending"]), _aware(grid.get("oldest_pending")))


def _finish(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    oldest = _aware(row.get("oldest_pending"))
    row["oldest_pending"] = format_ts(oldest) if oldest else None
    row["backlog_age_days"] = (now - oldest).days if oldest else None
    last = _aware(row.get("last_sync_at"))
    row["last_sync_at"] = format_ts(last) if last else None
    return row


def _path(conn: Connection, principal: Principal, area: dict[str, Any]) -> list[dict[str, Any]]:
    """The areas from the caller's own root down to ``area`` (both included)."""
    chain = [area]
    while not any(chain[-1]["code"] == r for r in principal.roots) and chain[-1]["parent"]:
        parent = repo_users.get_area(conn, chain[-1]["parent"])
        if parent is None or not principal.covers(parent["code"]):
            break
        chain.append(parent)
    return [{"code": a["code"], "name": a["name"], "level": a["level"]} for a in reversed(chain)]


def build(conn: Connection, principal: Principal, code: str | None, cycle: Cycle, stale_days: int,
          now: datetime) -> dict[str, Any]:
    if code is None:
        code = principal.roots[0] if principal.roots else ""
    if not principal.covers(code):
        raise not_found("no such area in your scope")
    area = repo_users.get_area(conn, code)
    if area is None:
        raise not_found(f"no area {code}")
    a = t.areas
    children = [] if area["level"] == "grid" else conn.execute(
        sa.select(a.c.code, a.c.name, a.c.level).where(a.c.parent == code, a.c.retired_at.is_(None))
        .order_by(a.c.code)).all()
    lengths = {len(c.code) for c in children}
    depth = lengths.pop() if len(lengths) == 1 else None  # children alike: counted per child in SQL
    per_key: figures.Figures = {}
    figures.entities(conn, code, per_key, depth)
    figures.visits(conn, code, cycle, per_key, depth)
    figures.issues(conn, code, per_key, depth)
    figures.review(conn, code, per_key, depth)
    people = figures.workers(conn, code)
    stale_before = now - timedelta(days=stale_days)
    late_ids = {uid for uid, w in people.items()
                if (last := _aware(w["last_sync_at"])) is None or last < stale_before}

    def stale(w: dict[str, Any]) -> bool:
        return w["user_id"] in late_ids

    totals = _empty()
    for values in per_key.values():
        _fold(totals, values)
    totals["workers"], totals["workers_stale"] = len(people), len(late_ids)
    if area["level"] == "grid":
        rows = _worker_rows(conn, code, cycle, people, per_key.get(code, {}), stale)
        child_level = "worker"
    else:
        rows, child_level = _child_rows(children, per_key, people, stale), "area"
    late = sorted((w for w in people.values() if stale(w)),
                  key=lambda w: (_aware(w["last_sync_at"]) or datetime.min.replace(tzinfo=UTC), w["username"]))
    return {
        "area": {"code": area["code"], "name": area["name"], "level": area["level"]},
        "path": _path(conn, principal, area), "cycle": cycle.as_dict(), "child_level": child_level,
        "generated_at": format_ts(now), "stale_days": stale_days,
        "totals": _finish(totals, now), "rows": [_finish(r, now) for r in rows],
        "stale_workers": [_stale_item(w, now) for w in late[:STALE_LISTED]],
        "stale_total": len(late),
    }


def _stale_item(w: dict[str, Any], now: datetime) -> dict[str, Any]:
    last = _aware(w["last_sync_at"])
    return {"user_id": w["user_id"], "username": w["username"], "display_name": w["display_name"],
            "grids": w["grids"], "last_sync_at": format_ts(last) if last else None,
            "days": (now - last).days if last else None}


def _child_rows(children: Sequence[Any], per_key: figures.Figures, people: dict[str, dict[str, Any]],
                stale: Any) -> list[dict[str, Any]]:
    """One row per child area; ``per_key`` is keyed by child code or by grid code (found by prefix)."""
    rows = {c.code: {"code": c.code, "name": c.name, "level": c.level, **_empty()} for c in children}
    lengths = sorted({len(c) for c in rows}, reverse=True)

    def owner(grid: str) -> str | None:
        for n in lengths:
            if grid[:n] in rows:
                return grid[:n]
        return None

    for grid, values in per_key.items():
        child = owner(grid)
        if child is not None:
            _fold(rows[child], values)
    for w in people.values():
        for child in {c for c in map(owner, w["grids"]) if c is not None}:
            rows[child]["workers"] += 1
            rows[child]["workers_stale"] += int(stale(w))
    return list(rows.values())


def _worker_rows(conn: Connection, grid: str, cycle: Cycle, people: dict[str, dict[str, Any]],
                 the_grid: dict[str, Any], stale: Any) -> list[dict[str, Any]]:
    """One row per worker of the grid: the grid's persons and houses (their charge), their own work."""
    work = figures.by_author(conn, grid, cycle)
    rows = []
    for w in people.values():
        row: dict[str, Any] = {"code": w["user_id"], "name": w["display_name"], "level": "worker",
                               "username": w["username"], **_empty()}
        for key in ("persons", "houses", "households"):
            row[key] = int(the_grid.get(key) or 0)
        row["persons_by_state"] = dict(the_grid.get("persons_by_state") or {})
        mine = work.get(w["user_id"], {})
        for key in ("houses_visited", "houses_verified", "persons_visited", "persons_verified", "invalid", "backlog",
                    "returned"):
            row[key] = int(mine.get(key) or 0)
        row["oldest_pending"] = mine.get("oldest_pending")
        row["workers"], row["workers_stale"] = 1, int(stale(w))
        row["last_sync_at"] = w["last_sync_at"]
        rows.append(row)
    return rows
