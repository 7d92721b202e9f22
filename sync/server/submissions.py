"""Receiving submissions and applying them: idempotency, validation, review queue, master record."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from forms.graph import MemoryGraph, entity_from_dict
from sync.protocol import parse_ts, utc_now
from sync.server import entity_issues, old_versions, repo_entities
from sync.server import tables as t
from sync.server.db import ConcurrentChange, Writer, retryable
from sync.server.models import SubmissionIn
from sync.server.scope import Principal
from sync.server.state import ServerState
from sync.server.submit_plan import Plan, issue, plan_submission

if TYPE_CHECKING:
    from forms.model import Template

_FIND = sa.select(t.submissions).where(t.submissions.c.id == sa.bindparam("sid"))


def find(conn: Connection, submission_id: str) -> Any:
    return conn.execute(_FIND, {"sid": submission_id}).first()


_FIND_MANY = sa.select(t.submissions.c.id, t.submissions.c.result, t.submissions.c.author_id,
                       t.submissions.c.body_digest).where(t.submissions.c.id.in_(sa.bindparam("ids", expanding=True)))


def _stored_results(conn: Connection, ids: list[str]) -> dict[str, Any]:
    """Submission id -> stored row (result, author, body digest), for those of ``ids`` already stored."""
    return {row.id: row for row in conn.execute(_FIND_MANY, {"ids": ids})}


def body_digest(sub: SubmissionIn, dumped: dict[str, Any] | None = None) -> str:
    """SHA-256 of the canonical body (``dumped``: ``sub.model_dump(mode="json")`` if already made)."""
    body = dumped if dumped is not None else sub.model_dump(mode="json")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def known(row: Any, principal: Principal, sub: SubmissionIn) -> dict[str, Any]:
    """The answer to a submission whose id is already stored. A retry (same author, same body) gets the
    first outcome; the id of somebody else's submission, or another body under the same id, is refused
    without a word of the stored one (it may carry conflict values)."""
    if row.author_id != principal.user_id:
        return {"id": sub.id, "outcome": "rejected", "issues": [issue(
            "", "$id", "id_taken", "该提交编号已被使用，请重新提交", "this submission id is already taken; submit anew")]}
    if row.body_digest is not None and row.body_digest != body_digest(sub):
        return {"id": sub.id, "outcome": "rejected", "issues": [issue(
            "", "$id", "id_reused", "同一提交编号下内容不同，未处理",
            "a different submission under an id already used; not processed")]}
    return {"id": sub.id, "outcome": "duplicate", "original": row.result}


def validate_plan(state: ServerState, conn: Connection, plan: Plan) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Error-level findings of the planned entities, and the tags in force of each."""
    if not plan.after:
        return [], {}
    tpls = dict(plan.templates)
    validator = state.templates.validator(tpls, date.today())
    houses = {s["house_id"] for s in plan.after.values() if s.get("house_id")}
    houses |= {eid for eid, s in plan.after.items() if s["kind"] == "house"}
    households = {s["household_id"] for s in plan.after.values() if s.get("household_id")}
    households |= {eid for eid, s in plan.after.items() if s["kind"] == "household"}
    graph = MemoryGraph(entity_from_dict(s) for s in repo_entities.neighbours(conn, houses, households))
    targets = [entity_from_dict(s) for s in plan.after.values()]
    graph.extend(targets)
    pending = {s["id"]: str(s["data"].get("id_number", "")).strip().upper()
               for s in plan.after.values() if s["kind"] == "person" and s["data"].get("id_number")}
    validator.id_index = _THREAD_INDEX  # the shared validator asks this request's index, per thread
    issues: list[dict[str, Any]] = []
    tags: dict[str, list[str]] = {}
    _CURRENT.index = _ExcludingIndex(repo_entities.DbIdIndex(conn, pending), set(plan.after))
    try:
        results = validator.validate_many([e for e in targets if e.kind.value in tpls], graph)
        old = old_versions.old_version_issues(state, plan, graph, _THREAD_INDEX) if plan.made_under else []
    finally:
        _CURRENT.index = None
    checked = [e for e in targets if e.kind.value in tpls]
    for entity, result in zip(checked, results, strict=True):
        tags[entity.id] = list(result.tags)
        if entity.id in plan.made_under:
            continue  # judged by the version it was made under (below)
        for finding in result.errors:
            issues.append({"entity_id": entity.id, "field": finding.field, "rule": finding.rule,
                           "severity": "error", "kind": finding.kind, "message": finding.message_zh,
                           "message_en": finding.message_en})
    issues.extend(old)
    return issues, tags


_CURRENT = threading.local()


class _ThreadIndex:
    """The ``id_index`` of a validator shared between threads: delegates to the calling thread's index."""

    def owners(self, id_number: str) -> set[str]:
        index = getattr(_CURRENT, "index", None)
        return index.owners(id_number) if index is not None else set()


_THREAD_INDEX = _ThreadIndex()


class _ExcludingIndex:
    """Owners of an ID number, where the entities being saved count with their new numbers only."""

    def __init__(self, inner: repo_entities.DbIdIndex, saving: set[str]) -> None:
        self.inner, self.saving = inner, saving

    def owners(self, id_number: str) -> set[str]:
        key = id_number.strip().upper()
        found = {o for o in self.inner.owners(id_number) if o not in self.saving}
        found |= {eid for eid, num in self.inner.pending.items() if num == key}
        return found


def apply_plan(w: Writer, plan: Plan, tags: dict[str, list[str]], submission_id: str,
               author_id: str, approved_by: str | None) -> dict[str, int]:
    revisions: dict[str, int] = dict(plan.unchanged)
    for eid, after in plan.after.items():
        revisions[eid] = repo_entities.save(
            w, plan.before.get(eid), after, tags_in_force=tags.get(eid, after["tags"]),
            submission_id=submission_id, author_id=author_id, approved_by=approved_by)
    return revisions


def _store(w: Writer, principal: Principal, sub: SubmissionIn, grid: str, status: str, result: dict[str, Any]) -> None:
    submitted_at = None
    if sub.created_at:
        try:
            submitted_at = parse_ts(sub.created_at)
        except ValueError:
            submitted_at = None
    body = sub.model_dump(mode="json")
    digest = body_digest(sub, body)
    if status == "rejected":  # nothing of it was applied: keep what it touched, not its values
        for patch in body["patches"]:
            patch["set"] = dict.fromkeys(patch["set"])
    now = utc_now()
    w.conn.execute(_INSERT, {
        "id": sub.id, "author_id": principal.user_id, "device_id": sub.device_id, "grid": grid or "",
        "status": status, "body": body, "result": result, "note": sub.note, "body_digest": digest,
        "resubmits": sub.resubmits, "submitted_at": submitted_at, "received_at": now})
    if status == "rejected":
        entity_issues.mark(w.conn, sub.id, grid, result.get("issues") or [], now)
    elif status == "pending":  # passed the rules; waits for review
        entity_issues.clear(w.conn, (p.entity_id for p in sub.patches))


_INSERT = sa.insert(t.submissions)


def receive(state: ServerState, principal: Principal, sub: SubmissionIn) -> dict[str, Any]:
    """Handle one submission in its own transaction (retried if a concurrent writer interferes)."""
    return state.db.write_retrying(lambda w: _receive(w, state, principal, sub))


def _receive(w: Writer, state: ServerState, principal: Principal, sub: SubmissionIn,
             templates: dict[str, dict[str, Template]] | None = None,
             stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """``stored``: the results of submissions already stored, when this transaction read them up front."""
    if stored is not None:
        if sub.id in stored:
            return known(stored[sub.id], principal, sub)
    else:
        first = find(w.conn, sub.id)
        if first is not None:
            return known(first, principal, sub)
    plan = plan_submission(state, w.conn, principal, sub, templates)
    tags: dict[str, list[str]] = {}
    if not plan.issues and not plan.conflicts:
        problems, tags = validate_plan(state, w.conn, plan)
        plan.issues.extend(problems)
    if plan.conflicts:
        result: dict[str, Any] = {"id": sub.id, "outcome": "conflict", "conflicts": plan.conflicts}
        _store(w, principal, sub, plan.grid, "conflict", result)
    elif plan.issues:
        result = {"id": sub.id, "outcome": "rejected", "issues": plan.issues}
        _store(w, principal, sub, plan.grid, "rejected", result)
    elif plan.approval_required and principal.role == "worker":
        result = {"id": sub.id, "outcome": "accepted", "status": "pending_review", "revisions": {},
                  **old_versions.result_notes(plan)}
        _store(w, principal, sub, plan.grid, "pending", result)
    else:
        revisions = apply_plan(w, plan, tags, sub.id, principal.user_id, principal.user_id)
        result = {"id": sub.id, "outcome": "accepted", "status": "applied", "revisions": revisions,
                  **old_versions.result_notes(plan)}
        _store(w, principal, sub, plan.grid, "applied", result)  # same transaction: stored with its result
    return result


#: A batch is applied in transactions of at most this many submissions / this long (bounding how long
#: the write lock is held, so other writers and the change feed do not wait behind a large push).
CHUNK_SUBMISSIONS = 50
CHUNK_SECONDS = 0.05
#: Attempts at one submission inside a batch's transaction before the whole transaction starts again.
_INNER_ATTEMPTS = 3


def receive_batch(state: ServerState, principal: Principal, batch: list[SubmissionIn]) -> list[dict[str, Any]]:
    """Handle a batch: each submission under its own savepoint, several per transaction.

    Every submission's outcome is its own (a conflict or rejection leaves the others alone; a
    submission whose work fails is rolled back to its savepoint alone); they are committed together
    for speed, and the change-feed numbers are taken at each commit, in commit order.
    """
    results: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(results) < len(batch):
        done = len(results)
        rest = batch[done:]
        results += state.db.write_retrying(
            lambda w, rest=rest: _receive_chunk(w, state, principal, rest, set(seen)))  # type: ignore[misc]
        seen.update(sub.id for sub in batch[done:len(results)])
    return results


def _receive_chunk(w: Writer, state: ServerState, principal: Principal, subs: list[SubmissionIn],
                   seen: set[str]) -> list[dict[str, Any]]:
    """Submissions from the start of ``subs`` in this transaction, until the chunk is full."""
    out: list[dict[str, Any]] = []
    templates: dict[str, dict[str, Template]] = {}  # read once per grid and transaction
    # no other writer can store a submission while this transaction runs: look them all up at once
    stored = _stored_results(w.conn, [s.id for s in subs[:CHUNK_SUBMISSIONS]]) if state.db.serialized else None
    started = time.perf_counter()
    for sub in subs:
        if out and (len(out) >= CHUNK_SUBMISSIONS or time.perf_counter() - started > CHUNK_SECONDS):
            break
        if sub.id in seen:  # the same id twice in one batch: the second is a retry of the first, or refused
            row = find(w.conn, sub.id)
            out.append(known(row, principal, sub) if row is not None
                       else {"id": sub.id, "outcome": "duplicate", "original": {}})
            continue
        seen.add(sub.id)
        out.append(_receive_isolated(w, state, principal, sub, templates, stored))
    return out


def _receive_isolated(w: Writer, state: ServerState, principal: Principal, sub: SubmissionIn,
                      templates: dict[str, dict[str, Template]], stored: dict[str, Any] | None) -> dict[str, Any]:
    """One submission under a savepoint; a concurrent writer's interference retries it alone.

    SQLite serializes writers (``BEGIN IMMEDIATE``), so no other writer can interfere there: a
    failure can only end the whole transaction, and the savepoint is left out.
    """
    if state.db.serialized:
        return _receive(w, state, principal, sub, templates, stored)
    for attempt in range(_INNER_ATTEMPTS):
        mark = w.mark()
        savepoint = w.conn.begin_nested()
        try:
            result = _receive(w, state, principal, sub, templates)
        except (ConcurrentChange, IntegrityError, OperationalError) as exc:
            savepoint.rollback()
            w.restore(mark)
            if attempt == _INNER_ATTEMPTS - 1 or not retryable(exc):
                raise  # the whole transaction starts again (Database.write_retrying)
            continue
        except BaseException:
            savepoint.rollback()
            w.restore(mark)
            raise
        savepoint.commit()
        return result
    raise AssertionError("unreachable")


__all__ = ["apply_plan", "find", "issue", "receive", "receive_batch", "validate_plan"]
