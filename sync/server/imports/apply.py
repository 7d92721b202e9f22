"""Writing a checked import: one transaction for the whole file (a crash or a kill midway leaves the
platform as it was), the import stored as a submission of the importing admin so that every field's
history names the admin and the file, and one audit entry (who, file hash, mode, counts).

The file is checked again inside the write transaction: what is written is what the file says against
the platform as it is at that moment (a worker's change since the dry run is not overwritten unseen:
the row's patch then merges with it like any submission). Re-importing a file changes nothing: every
row is ``unchanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.protocol import utc_now
from sync.server import audit
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.imports import returned
from sync.server.imports.check import Checked, FileProblem, check_file
from sync.server.imports.options import ImportOptions
from sync.server.scope import Principal
from sync.server.state import ServerState
from sync.server.submissions import apply_plan


def apply_file(state: ServerState, principal: Principal, path: Path, name: str, options: ImportOptions,
               import_id: str, *, progress: Callable[[str, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> Checked:
    def work(w: Writer) -> Checked:
        checked = check_file(state, w.conn, principal, path, name, options, import_id, keep_plans=True,
                             progress=(lambda n: progress("checking", n)) if progress else None, cancelled=cancelled)
        if checked.counts["errors"] and options.on_error == "abort":
            raise Aborted(checked)
        written = 0
        for plan, tags, _rows in checked.plans:
            if cancelled is not None and cancelled():
                raise FileProblem("cancelled", "导入已取消，平台未作任何修改", "the import was cancelled; nothing was changed")
            apply_plan(w, plan, tags, import_id, principal.user_id, principal.user_id)
            written += len(plan.after)
            if progress is not None:
                progress("writing", written)
        if options.mode == "return" and options.tag:
            _provenance(w, principal, checked, options, import_id)
        _store(w, principal, checked, options, import_id)
        return checked

    return state.db.write_retrying(work, attempts=2)


def _provenance(w: Writer, principal: Principal, checked: Checked, options: ImportOptions, import_id: str) -> None:
    listed = {eid for _plan, _tags, rows in checked.plans for eid in rows}
    as_of = options.as_of or date.today().isoformat()
    returned.record(w, listed, tag=options.tag, source=options.source, file=checked.file, sha256=checked.sha256,
                    as_of=as_of, import_id=import_id, importer_id=principal.user_id)
    returned.forget(w, (item["entity_id"] for item in checked.removed), tag=options.tag, source=options.source)


class Aborted(Exception):
    """``--on-error abort`` and the file has errors: nothing was written."""

    def __init__(self, checked: Checked) -> None:
        super().__init__("errors found")
        self.checked = checked


def _store(w: Writer, principal: Principal, checked: Checked, options: ImportOptions, import_id: str) -> None:
    counts = {k: checked.counts[k] for k in ("created", "updated", "unchanged", "errors", "warnings", "tags_set",
                                             "tags_removed", "suggestions")}
    body: dict[str, Any] = {"import": {"file": checked.file, "sha256": checked.sha256, **options.to_json()},
                            "patches": []}
    now = utc_now()
    w.conn.execute(sa.insert(t.submissions), {
        "id": import_id, "author_id": principal.user_id, "device_id": "import", "grid": "", "status": "applied",
        "body": body, "result": {"id": import_id, "outcome": "accepted", "status": "applied", "counts": counts},
        "note": f"导入 import {checked.file} sha256:{checked.sha256}", "body_digest": checked.sha256,
        "resubmits": None, "submitted_at": now, "received_at": now})
    audit.record(w.conn, "import", actor=principal, target=checked.file[:200],
                 detail={"import_id": import_id, "sha256": checked.sha256, "mode": options.mode,
                         "kind": options.kind, "source": options.source, "rows": checked.rows, **counts})
