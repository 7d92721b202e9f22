"""``GET /dashboard``: coverage of an area by child area, for admins and supervisors (docs/protocol.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sync.protocol import utc_now
from sync.server import dashboard
from sync.server.agreement_gate import AgreementDep
from sync.server.deps import PrincipalDep, StateDep
from sync.server.visits import current_cycle

router = APIRouter(tags=["stats"], dependencies=[AgreementDep])


@router.get("/dashboard")
def get_dashboard(principal: PrincipalDep, state: StateDep,
                  area: Annotated[str | None, Query(pattern=r"^[0-9]{6,15}$",
                                                    description="area code (default: your own area)")] = None,
                  stale_days: Annotated[int, Query(ge=1, le=365,
                                                   description="a worker is late after this many days")] = 3,
                  ) -> dict[str, Any]:
    principal.require_role("supervisor", "admin")
    now = utc_now()
    with state.db.read() as conn:
        return dashboard.build(conn, principal, area, current_cycle(state, now.date()), stale_days, now)
