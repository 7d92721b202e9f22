"""``GET /audit`` (admin: filtered keyset pages), ``GET /audit/actions``, ``GET /audit/{id}``, and
``POST /audit`` (a device uploads its own entries with each sync).

There is no PUT, PATCH or DELETE on any of these paths: the log is append-only (tests/server/test_audit.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from sync.server import audit_query, audit_upload
from sync.server.audit import ACTIONS
from sync.server.audit_upload import AuditBatchIn
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import FastJSON, not_found

router = APIRouter(tags=["audit"])
MAX_ID = 2**62  # beyond any entry id, within every database's integer
Text = Annotated[str | None, Query(min_length=1, max_length=64)]
Moment = Annotated[str | None, Query(min_length=1, max_length=40,
                                     description="ISO date (a day in China Standard Time) or datetime")]


@router.get("/audit", response_class=FastJSON)
def list_audit(
    principal: PrincipalDep, state: StateDep,
    who: Text = None, action: Text = None, since: Moment = None, until: Moment = None,
    entity_id: Annotated[str | None, Query(min_length=1, max_length=36)] = None,
    origin: Literal["platform", "device"] | None = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="the next_before of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=audit_query.MAX_LIMIT)] = audit_query.DEFAULT_LIMIT,
) -> FastJSON:
    """The audit log in the admin's scope, newest first; ``next_before`` pages on (null: the last page)."""
    principal.require_role("admin")
    flt = audit_query.AuditFilter.parse(who, action, since, until, entity_id, origin)
    with state.db.read() as conn:
        return FastJSON(audit_query.page(conn, principal, flt, before=before, limit=limit))


@router.get("/audit/actions")
def audit_actions(principal: PrincipalDep) -> dict[str, Any]:
    """Every action name with its Chinese and English description (the filter's choices)."""
    principal.require_role("admin")
    return {"items": [{"action": k, "zh": zh, "en": en} for k, (zh, en) in ACTIONS.items()]}


@router.get("/audit/{entry_id}")
def audit_entry(entry_id: Annotated[int, Path(ge=1, le=MAX_ID)], principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    with state.db.read() as conn:
        found = audit_query.one(conn, principal, entry_id)
    if found is None:
        raise not_found("no such audit entry in your scope")
    return found


@router.post("/audit", response_class=FastJSON)
def post_audit(body: AuditBatchIn, principal: PrincipalDep, state: StateDep) -> FastJSON:
    """A device's own entries (any role: the logged-in user is the actor), answered one by one."""
    return FastJSON({"results": audit_upload.receive_batch(state, principal, body)})
