"""``POST /visits`` (push visits) and ``GET /visits?house_id=…|entity_id=…`` (visit history, scoped)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sync.server import areas, devices, repo_entities, visits
from sync.server.agreement_gate import AgreementDep
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, FastJSON, not_found
from sync.server.models import VisitBatchIn

router = APIRouter(tags=["visits"])
EntityQuery = Annotated[str | None, Query(min_length=1, max_length=36)]


@router.post("/visits", response_class=FastJSON, responses=devices.PUSH_RESPONSES)
def post_visits(body: VisitBatchIn, principal: PrincipalDep, state: StateDep) -> FastJSON:
    with state.db.read() as conn:  # a worker's unsent visits for a grid handed away still count
        principal = areas.push_principal(conn, principal)
    results = visits.receive_batch(state, principal, body.visits)
    state.metrics.visits_received(len(results))
    return FastJSON({"results": results})


@router.get("/visits", dependencies=[AgreementDep])
def get_visits(
    principal: PrincipalDep, state: StateDep, house_id: EntityQuery = None, entity_id: EntityQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    if (house_id is None) == (entity_id is None):
        raise ApiError(422, "validation_error", "请指定 house_id 或 entity_id 之一",
                       "give exactly one of house_id and entity_id",
                       details={"errors": [{"loc": ["query", "house_id"], "msg": "exactly one of house_id, entity_id",
                                            "type": "missing"}]})
    wanted = house_id or entity_id or ""
    with state.db.read() as conn:
        found = repo_entities.get(conn, wanted)
        if found is None or not principal.covers(found["grid"]) or (house_id is not None and found["kind"] != "house"):
            raise not_found("no such house or entity in your scope")
        return visits.history(conn, state, found, limit, offset)
