"""``/entities/{id}`` and ``/entities/{id}/history``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from sync.protocol import TAGS_FIELD
from sync.server import repo_entities
from sync.server.agreement_gate import AgreementDep
from sync.server.changes import sensitivity
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import not_found

router = APIRouter(tags=["entities"], dependencies=[AgreementDep])
EntityId = Annotated[str, Path(min_length=1, max_length=36)]


@router.get("/entities/{entity_id}")
def get_entity(entity_id: EntityId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    with state.db.read() as conn:
        found = repo_entities.get(conn, entity_id)
        if found is None or not principal.covers(found["grid"]):
            raise not_found("no such entity in your scope")
        hidden = sensitivity(conn, state.templates, principal.role)
    return hidden.strip(found)


@router.get("/entities/{entity_id}/history")
def get_history(entity_id: EntityId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    with state.db.read() as conn:
        found = repo_entities.get(conn, entity_id)
        if found is None or not principal.covers(found["grid"]):
            raise not_found("no such entity in your scope")
        hidden = sensitivity(conn, state.templates, principal.role).for_grid(found["grid"])
        items = repo_entities.history(conn, entity_id)
    for item in items:
        if item["field"] == TAGS_FIELD:
            item["old"] = [tag for tag in item["old"] or [] if tag not in hidden]
            item["new"] = [tag for tag in item["new"] or [] if tag not in hidden]
    return {"entity_id": entity_id, "items": [i for i in items if i["field"] != TAGS_FIELD or i["old"] != i["new"]]}
