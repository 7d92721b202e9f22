"""``/stats``: counts by area, tag and state, the review queue length and visit coverage (the current
cycle's visited / verified houses and persons, overdue by grid and by worker), within the caller's scope."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query

from sync.server import repo_users, visit_stats
from sync.server import tables as t
from sync.server.agreement_gate import AgreementDep
from sync.server.changes import sensitivity
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import not_found
from sync.server.scope import covers_clause

router = APIRouter(tags=["stats"], dependencies=[AgreementDep])


@router.get("/stats")
def stats(principal: PrincipalDep, state: StateDep,
          area: Annotated[str | None, Query(pattern=r"^[0-9]{6,15}$")] = None) -> dict[str, Any]:
    if area is not None and not principal.covers(area):
        raise not_found("no such area in your scope")
    roots = [area] if area else list(principal.roots)
    with state.db.read() as conn:
        ac = t.area_counts  # maintained counts (sync/server/counts.py): a few rows per grid, not the entities
        per_grid = conn.execute(sa.select(ac.c.grid, ac.c.kind, ac.c.state, ac.c.n)
                                .where(covers_clause(ac.c.grid, roots), ac.c.n != 0)).all()
        kinds: dict[str, int] = {}
        by_state: dict[str, int] = {}
        for row in per_grid:
            kinds[row.kind] = kinds.get(row.kind, 0) + int(row.n)
            if row.kind == "person":
                by_state[row.state] = by_state.get(row.state, 0) + int(row.n)
        et = t.entity_tags
        hidden = sensitivity(conn, state.templates, principal.role).under(roots)
        by_tag = {tag: n for tag, n in conn.execute(
            sa.select(et.c.tag, sa.func.count()).where(covers_clause(et.c.grid, roots))
            .group_by(et.c.tag).order_by(sa.func.count().desc(), et.c.tag)).all() if tag not in hidden}
        children = []
        parents = roots if area else list(principal.roots)
        for parent in parents:
            for child in conn.execute(sa.select(t.areas).where(t.areas.c.parent == parent).order_by(t.areas.c.code)):
                counts: dict[str, int] = {}
                for row in per_grid:
                    if row.grid.startswith(child.code):
                        counts[row.kind] = counts.get(row.kind, 0) + int(row.n)
                children.append({**repo_users.area_dict(child), "persons": counts.get("person", 0),
                                 "houses": counts.get("house", 0), "households": counts.get("household", 0)})
        s = t.submissions
        queue = conn.execute(sa.select(sa.func.count()).select_from(s)
                             .where(s.c.status == "pending", covers_clause(s.c.grid, roots))).scalar_one()
        visits = visit_stats.coverage(conn, roots, state.config.visit_cycle)
    return {"area": area or ",".join(principal.roots), "persons": kinds.get("person", 0),
            "houses": kinds.get("house", 0), "households": kinds.get("household", 0), "by_area": children,
            "by_tag": by_tag, "by_state": by_state, "review_queue": int(queue), "visits": visits}
