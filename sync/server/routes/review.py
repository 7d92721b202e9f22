"""``/review/queue``, ``/review/{id}``, ``/review/{id}/decision`` (supervisor, admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from sync.server import review
from sync.server.agreement_gate import AgreementDep
from sync.server.deps import PrincipalDep, StateDep
from sync.server.models import DecisionIn

router = APIRouter(tags=["review"], dependencies=[AgreementDep])
SubmissionId = Annotated[str, Path(min_length=1, max_length=36)]


@router.get("/review/queue")
def review_queue(
    principal: PrincipalDep, state: StateDep,
    status: Literal["pending", "approved", "returned", "all"] = "pending",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    principal.require_role("supervisor", "admin")
    with state.db.read() as conn:
        return review.queue(conn, principal, status, limit, offset)


@router.get("/review/{submission_id}")
def review_detail(submission_id: SubmissionId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("supervisor", "admin")
    with state.db.read() as conn:
        return review.detail(state, conn, principal, submission_id)


@router.post("/review/{submission_id}/decision")
def review_decision(submission_id: SubmissionId, body: DecisionIn, principal: PrincipalDep,
                    state: StateDep) -> dict[str, Any]:
    principal.require_role("supervisor", "admin")
    return review.decide(state, principal, submission_id, body)
