"""The review queue: listing, showing before/after, and deciding (approve applies, return sends back)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import format_ts, utc_now
from sync.server import repo_entities, submissions
from sync.server import tables as t
from sync.server.db import ConcurrentChange, Writer
from sync.server.errors import ApiError, conflict, not_found
from sync.server.merge import changed_fields, same
from sync.server.models import DecisionIn, SubmissionIn
from sync.server.scope import Principal, covers_clause
from sync.server.state import ServerState
from sync.server.submit_plan import plan_submission

STATUS_FILTER = {"pending": ["pending"], "approved": ["approved"], "returned": ["returned"],
                 "all": ["pending", "approved", "returned"]}


def _label(kind: str, data: dict[str, Any]) -> str:
    if kind == "person":
        return str(data.get("name") or "")
    if kind == "house":
        return str(data.get("address") or data.get("house_no") or "")
    return str(data.get("household_no") or "")


def _decision(row: Any) -> dict[str, Any] | None:
    if row.decision is None:
        return None
    return {**row.decision, "decided_at": format_ts(row.decided_at) if row.decided_at else None}


def summary(conn: Connection, row: Any) -> dict[str, Any]:
    author = conn.execute(sa.select(t.users.c.id, t.users.c.username, t.users.c.display_name)
                          .where(t.users.c.id == row.author_id)).first()
    patches = row.body.get("patches", [])
    current = repo_entities.get_many(conn, [p["entity_id"] for p in patches])
    entities = []
    for p in patches:
        data = {**(current.get(p["entity_id"], {}).get("data") or {}), **(p.get("set") or {})}
        entities.append({"entity_id": p["entity_id"], "kind": p["kind"], "op": p["op"], "label": _label(p["kind"], data)})
    return {
        "submission_id": row.id,
        "author": {"id": author.id, "username": author.username, "display_name": author.display_name} if author else None,
        "grid": row.grid, "submitted_at": format_ts(row.submitted_at) if row.submitted_at else None,
        "received_at": format_ts(row.received_at), "status": row.status, "note": row.note,
        "resubmits": row.resubmits, "entities": entities, "client_validation": row.body.get("client_validation"),
    }


def queue(conn: Connection, principal: Principal, status: str, limit: int, offset: int) -> dict[str, Any]:
    s = t.submissions
    where = sa.and_(s.c.status.in_(STATUS_FILTER[status]), covers_clause(s.c.grid, principal.roots))
    total = conn.execute(sa.select(sa.func.count()).select_from(s).where(where)).scalar_one()
    rows = conn.execute(sa.select(s).where(where).order_by(s.c.received_at, s.c.id).limit(limit).offset(offset))
    return {"items": [summary(conn, r) for r in rows], "total": int(total)}


def load_visible(conn: Connection, principal: Principal, submission_id: str) -> Any:
    row = submissions.find(conn, submission_id)
    if row is None or row.status not in STATUS_FILTER["all"] or not principal.covers(row.grid):
        raise not_found("no such submission in your review scope")
    return row


def detail(state: ServerState, conn: Connection, principal: Principal, submission_id: str) -> dict[str, Any]:
    row = load_visible(conn, principal, submission_id)
    out = summary(conn, row)
    sub = SubmissionIn.model_validate(row.body)
    plan = plan_submission(state, conn, principal, sub)
    conflicting = {(c["entity_id"], c["field"]) for c in plan.conflicts}
    changes = []
    for p in sub.patches:
        current = repo_entities.get(conn, p.entity_id)
        before = repo_entities.flat(current) if current else {}
        base = current
        if current and p.base_rev is not None and p.base_rev != current["rev"]:
            base = repo_entities.version(conn, p.entity_id, p.base_rev) or current
        after_snapshot = plan.after.get(p.entity_id)
        tpl = plan.templates.get(p.kind)
        if after_snapshot is not None:
            fields = changed_fields(before, repo_entities.flat(after_snapshot))
        else:  # conflicting or invalid: show what the worker wanted
            fields = [(n, before.get(n), v) for n, v in p.set.items() if not same(before.get(n), v)]
        for (eid, name) in conflicting:
            if eid == p.entity_id and name not in {f[0] for f in fields}:
                fields.append((name, before.get(name), p.set.get(name)))
        old_tags = set(current["tags"]) if current else set()
        new_tags = set(after_snapshot["tags"]) if after_snapshot else (old_tags | set(p.tags_add)) - set(p.tags_remove)
        changes.append({
            "entity_id": p.entity_id, "kind": p.kind, "op": p.op,
            "label": _label(p.kind, {**(current or {}).get("data", {}), **p.set}),
            "base_rev": p.base_rev, "current_rev": current["rev"] if current else None,
            "fields": [{"field": n, "label": tpl.field_label(n) if tpl and not n.startswith("$") else n,
                        "before": old, "after": new, "conflict": (p.entity_id, n) in conflicting}
                       for n, old, new in fields],
            "tags_gained": sorted(new_tags - old_tags), "tags_lost": sorted(old_tags - new_tags),
            "state_before": current["state"] if current else None,
            "state_after": (after_snapshot or {}).get("state", p.state or (current or {}).get("state")),
            "base_available": base is not None,
            # the template version the patch was made under, and values the version in force has no place for
            "template": p.template or (current or {}).get("template") or p.kind,
            "template_version": p.template_version or (current or {}).get("template_version"),
            "leftovers": plan.leftovers.get(p.entity_id, []),
        })
    out["changes"] = changes
    out["issues"] = plan.issues
    out["decision"] = _decision(row)
    return out


def decide(state: ServerState, principal: Principal, submission_id: str, body: DecisionIn) -> dict[str, Any]:
    return state.db.write_retrying(lambda w: _decide(w, state, principal, submission_id, body))


def _decide(w: Writer, state: ServerState, principal: Principal, submission_id: str,
            body: DecisionIn) -> dict[str, Any]:
    row = load_visible(w.conn, principal, submission_id)
    if row.status != "pending":
        raise conflict("该提交已处理", f"submission is {row.status}, not pending")
    now = utc_now()
    revisions: dict[str, int] = {}
    if body.decision == "approve":
        sub = SubmissionIn.model_validate(row.body)
        plan = plan_submission(state, w.conn, principal, sub)
        tags: dict[str, list[str]] = {}
        if not plan.conflicts and not plan.issues:
            problems, tags = submissions.validate_plan(state, w.conn, plan)
            plan.issues.extend(problems)
        if plan.conflicts:
            raise conflict("主记录已被修改，与该提交冲突，请退回", "the master record changed: conflicts",
                           conflicts=plan.conflicts)
        if plan.issues:
            raise ApiError(409, "conflict", "该提交现在无法通过校验，请退回", "the submission no longer validates",
                           details={"issues": plan.issues})
        revisions = submissions.apply_plan(w, plan, tags, submission_id, row.author_id, principal.user_id)
        status = "approved"
    else:
        status = "returned"
    decision = {"status": status, "decided_by": principal.username, "comment": body.comment,
                "comments": [c.model_dump() for c in body.comments], "revisions": revisions}
    s = t.submissions
    done = w.conn.execute(sa.update(s).where(s.c.id == submission_id, s.c.status == "pending").values(
        status=status, decided_by=principal.user_id, decided_at=now, decision=decision))
    if done.rowcount != 1:
        raise ConcurrentChange(submission_id)
    w.record_change("review", submission_id, row.grid)
    return {"submission_id": submission_id, "status": status, "revisions": revisions}


def review_payload(conn: Connection, submission_id: str) -> dict[str, Any] | None:
    row = submissions.find(conn, submission_id)
    if row is None or row.decision is None:
        return None
    return {"submission_id": row.id, **_decision(row)}  # type: ignore[dict-item]
