"""``/changes`` (pull) and ``/submissions`` (push)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync import protocol
from sync.server import areas, changes, devices, platform_settings, submissions, sync_marks
from sync.server.agreement_gate import AgreementDep
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import FastJSON
from sync.server.models import BatchIn

router = APIRouter(tags=["sync"])


@router.get("/changes", response_class=FastJSON, dependencies=[AgreementDep])
def get_changes(
    principal: PrincipalDep, state: StateDep,
    since: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9]{0,18}(\.[A-Za-z0-9]{1,40})?$")] = None,
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_PAGE)] = protocol.DEFAULT_PAGE,
) -> FastJSON:
    seq, reset = changes.parse_cursor(since, principal)
    with state.db.read() as conn:
        result = changes.page(conn, principal, seq, limit, state.templates, state.config.visit_cycle)
        minimum = platform_settings.get(conn, platform_settings.MIN_CLIENT_VERSION)
    if minimum is not None:  # so that an app with nothing to push learns it must update
        result["settings"]["min_client_version"] = minimum
    result["reset"] = reset
    state.metrics.served_changes(len(result["items"]))
    sync_marks.touch(state.db, principal.user_id)
    return FastJSON(result)


@router.post("/submissions", response_class=FastJSON, responses=devices.PUSH_RESPONSES)
def post_submissions(body: BatchIn, principal: PrincipalDep, state: StateDep) -> FastJSON:
    with state.db.read() as conn:  # a worker's unsent work for a grid handed away still counts
        principal = areas.push_principal(conn, principal)
    results = submissions.receive_batch(state, principal, body.submissions)
    state.metrics.submissions_received(results)
    sync_marks.touch(state.db, principal.user_id)
    return FastJSON({"results": results})
