"""Submissions made under an older version of a template: validated by that version, then applied to
the version in force by field name (``forms.versions.migrate``), values with no place kept beside it.

A device sends the version each patch was edited under (``PatchIn.template_version``). When it is not
the version in force of the same form, :func:`adapt` loads the old version (withdrawn versions too:
they stay on the platform for exactly this), rewrites the patch's ``set`` by field name, and notes on
the plan what the patch was made under and what it left over. :func:`old_version_issues` then runs
the old version's rules over the record as the worker saw it; those findings, not the new version's,
decide whether the submission is accepted (a field the new version requires is simply still empty).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.errors import TemplateError
from sync.server import tables as t
from sync.server.models import PatchIn
from sync.server.state import ServerState

if TYPE_CHECKING:
    from forms.graph import EntityGraph
    from forms.model import Template


class Plan(Protocol):
    """What this module reads and notes on a ``sync.server.submit_plan.Plan``."""

    grid: str
    before: dict[str, dict[str, Any] | None]
    after: dict[str, dict[str, Any]]
    templates: dict[str, Template]
    made_under: dict[str, tuple[Template, dict[str, Any]]]
    leftovers: dict[str, list[dict[str, Any]]]


def old_template(state: ServerState, conn: Connection, form_id: str, version: str, grid: str) -> Template | None:
    """``form_id@version`` as published at or above ``grid`` (withdrawn or not), loaded once per process."""
    tt = t.templates
    prefixes = [grid[:n] for n in range(0, len(grid) + 1)]
    row = conn.execute(sa.select(tt.c.area).where(tt.c.form_id == form_id, tt.c.version == version,
                                                  tt.c.area.in_(prefixes))
                       .order_by(sa.func.length(tt.c.area).desc())).first()
    if row is None:
        return None
    area = str(row.area)

    def fetch() -> bytes:
        found = conn.execute(sa.select(tt.c.xlsx).where(tt.c.form_id == form_id, tt.c.version == version,
                                                        tt.c.area == area)).scalar_one()
        return bytes(found)

    try:
        return state.templates.template(form_id, version, fetch, area)
    except TemplateError:
        return None


def adapt(state: ServerState, conn: Connection, plan: Plan, patch: PatchIn, current_form: str | None) -> PatchIn:
    """``patch`` with its values moved to the version in force, when it was made under another one of
    the same form (``current_form``: the form of the record it edits, None for a new record)."""
    tpl = plan.templates.get(patch.kind)
    made = patch.template_version
    form_id = patch.template or current_form or (tpl.form_id if tpl else None)
    if tpl is None or not made or made == tpl.version or form_id != tpl.form_id:
        return patch
    old = old_template(state, conn, tpl.form_id, made, plan.grid)
    if old is None:
        return patch  # an unknown version: the version in force judges it, as before
    from forms.versions import migrate

    moved = migrate(patch.set, old, tpl)
    plan.made_under[patch.entity_id] = (old, dict(patch.set))
    if moved.leftovers:
        plan.leftovers[patch.entity_id] = [x.to_json() for x in moved.leftovers]
    return patch.model_copy(update={"set": moved.values, "template_version": tpl.version})


def old_version_issues(state: ServerState, plan: Plan, graph: EntityGraph | None,
                       id_index: Any = None) -> list[dict[str, Any]]:
    """Error findings of the records made under an old version, by that version's rules, over the
    record as the worker saw it (the stored values with the patch's original values over them).
    ``id_index``: the request's index of ID numbers (for the duplicate check), as the in-force run has."""
    from forms.graph import entity_from_dict

    issues: list[dict[str, Any]] = []
    for eid, (old, original) in plan.made_under.items():
        after = plan.after.get(eid)
        if after is None:
            continue
        from forms.versions import migrate

        before = plan.before.get(eid) or {}
        in_force = plan.templates[after["kind"]]
        stored = migrate(before.get("data") or {}, in_force, old).values  # the stored record, as the old version names it
        data = {k: v for k, v in {**stored, **original}.items() if v is not None and v != ""}
        entity = entity_from_dict({**after, "data": data})
        templates = {**plan.templates, after["kind"]: old}
        validator = state.templates.validator(templates, date.today())
        if id_index is not None:
            validator.id_index = id_index
        result = validator.validate(entity, graph)
        for finding in result.errors:
            issues.append({"entity_id": eid, "field": finding.field, "rule": finding.rule, "severity": "error",
                           "kind": finding.kind,
                           "message": f"按模板 {old.form_id} {old.version}：{finding.message_zh}",
                           "message_en": f"by template {old.form_id} {old.version}: {finding.message_en}"})
    return issues


def result_notes(plan: Plan) -> dict[str, Any]:
    """What an accepted submission's result says of old versions: ``made_under`` (entity id -> the
    version its patch was made under) and ``leftovers`` (entity id -> values kept beside it); nothing
    when every patch was made under the version in force."""
    if not plan.made_under:
        return {}
    return {"made_under": {eid: old.version for eid, (old, _) in plan.made_under.items()},
            "leftovers": plan.leftovers}


def brought_forward(state: ServerState, conn: Connection, plan: Plan, snapshot: dict[str, Any],
                    keep: bool) -> dict[str, Any]:
    """A stored record (or one of its versions) written under an older version of the form in force,
    with its data moved to that version by field name, so that a patch made under the version in force
    merges with it name for name. ``keep``: note its leftovers on the plan (for the current record,
    whose values would otherwise leave the master record; a base version's are history)."""
    tpl = plan.templates.get(snapshot.get("kind", ""))
    made = snapshot.get("template_version")
    if tpl is None or not made or made == tpl.version or snapshot.get("template") != tpl.form_id:
        return snapshot
    old = old_template(state, conn, tpl.form_id, str(made), plan.grid or snapshot.get("grid", ""))
    if old is None:
        return snapshot
    from forms.versions import migrate

    moved = migrate(snapshot.get("data") or {}, old, tpl)
    if keep and moved.leftovers:
        have = plan.leftovers.setdefault(str(snapshot["id"]), [])
        paths = {x["path"] for x in have}
        have.extend(x.to_json() for x in moved.leftovers if x.path not in paths)
    return {**snapshot, "data": moved.values}
