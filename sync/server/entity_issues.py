"""Records with validation errors (table ``entity_issues``): the platform keeps only versions that
passed its rules, so a record "has errors" while its latest submission was rejected for error findings
on it. Marked when such a submission is stored; cleared when the record is saved
(:func:`sync.server.repo_entities.save`) or a later submission of it is accepted for review."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.server import tables as t

_CLEAR = sa.delete(t.entity_issues).where(t.entity_issues.c.entity_id.in_(sa.bindparam("ids", expanding=True)))


def mark(conn: Connection, submission_id: str, grid: str, issues: Sequence[Mapping[str, Any]], at: datetime) -> None:
    """The entities named by error findings of a rejected submission now have errors (replacing older marks)."""
    errors: dict[str, int] = {}
    for found in issues:
        eid = str(found.get("entity_id") or "")
        if eid and found.get("severity", "error") == "error":
            errors[eid] = errors.get(eid, 0) + 1
    if not errors or not grid:
        return
    ids = sorted(errors)
    conn.execute(_CLEAR, {"ids": ids})
    conn.execute(sa.insert(t.entity_issues), [
        {"entity_id": eid, "grid": grid, "submission_id": submission_id, "errors": errors[eid], "at": at}
        for eid in ids])


def clear(conn: Connection, entity_ids: Iterable[str]) -> None:
    ids = sorted(set(entity_ids))
    if ids:
        conn.execute(_CLEAR, {"ids": ids})
