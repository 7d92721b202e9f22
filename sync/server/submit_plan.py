"""Turning a submission's patches into new entity versions: scope, templates, tags, three-way merge.

``plan_submission`` reads only; the caller decides whether to store the result (applied at once, queued
for review, or answered as conflict / rejected).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from forms.errors import TemplateError
from sync.server import areas, old_versions, repo_entities, repo_templates, repo_users
from sync.server.merge import merge_fields, merge_tags
from sync.server.models import PatchIn, SubmissionIn
from sync.server.scope import Principal
from sync.server.state import ServerState

if TYPE_CHECKING:
    from forms.model import Template


@dataclass
class Plan:
    grid: str = ""
    before: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    after: dict[str, dict[str, Any]] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    templates: dict[str, Template] = field(default_factory=dict)
    approval_required: bool = False
    #: Entities whose patches changed nothing: entity id -> current rev (no new revision is written).
    unchanged: dict[str, int] = field(default_factory=dict)
    #: Master records read while planning (None: no such entity), so that each is read once.
    loaded: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    #: Patches made under an older template version: entity id -> (that version, the patch's own values).
    made_under: dict[str, tuple[Template, dict[str, Any]]] = field(default_factory=dict)
    #: Values with no place in the version in force (``forms.versions.Leftover.to_json()``), by entity id.
    leftovers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def issue(entity_id: str, field_name: str, kind: str, zh: str, en: str) -> dict[str, Any]:
    return {"entity_id": entity_id, "field": field_name, "rule": kind, "severity": "error", "kind": kind,
            "message": zh, "message_en": en}


def _tag_rules(templates: dict[str, Template], kind: str) -> dict[str, Any]:
    """Tag id -> TagDef of the catalogue for ``kind`` (from every template, own first)."""
    out: dict[str, Any] = {}
    own = templates.get(kind)
    ordered = ([own] if own else []) + [t for k, t in templates.items() if k != kind]
    for tpl in ordered:
        for tag in tpl.tags.values():
            if tag.scope.value == kind and tag.id not in out:
                out[tag.id] = tag
    return out


def _check_tags(plan: Plan, principal: Principal, patch: PatchIn) -> bool:
    if not patch.tags_add and not patch.tags_remove:
        return True
    catalogue = _tag_rules(plan.templates, patch.kind)
    ok = True
    for tag_id in [*patch.tags_add, *patch.tags_remove]:
        tag = catalogue.get(tag_id)
        if tag is None:
            plan.issues.append(issue(patch.entity_id, "$tags", "tag", f"未知标签：{tag_id}", f"unknown tag {tag_id}"))
            ok = False
        elif tag.kind.value != "manual" and principal.role != "admin":
            plan.issues.append(issue(patch.entity_id, "$tags", "tag", f"标签“{tag_id}”不能手工设置",
                                     f"tag {tag_id} is {tag.kind.value}, not manual"))
            ok = False
        elif not tag.visible_to(principal.role):
            plan.issues.append(issue(patch.entity_id, "$tags", "tag", f"无权设置标签“{tag_id}”",
                                     f"tag {tag_id} is not visible to role {principal.role}"))
            ok = False
    return ok


def _load_templates(state: ServerState, conn: Connection, grid: str) -> dict[str, Template]:
    found: dict[str, Template] = {}
    for kind, row in repo_templates.current_by_kind(conn, grid).items():

        def fetch(form_id: str = row.form_id, version: str = row.version, area: str = row.area) -> bytes:
            data = repo_templates.xlsx_bytes(conn, form_id, version, area)
            assert data is not None
            return data[0]

        try:
            found[kind] = state.templates.template(row.form_id, row.version, fetch, row.area)
        except TemplateError:  # published long ago, refused by this release: its kind cannot be edited
            continue
    return found


def _grid_ok(plan: Plan, principal: Principal, conn: Connection, entity_id: str, grid: str) -> bool:
    area = repo_users.get_area(conn, grid)
    if area is None or area["level"] != "grid":
        plan.issues.append(issue(entity_id, "$grid", "scope", f"网格 {grid} 不存在", f"no grid {grid}"))
        return False
    if areas.is_retired(conn, grid):
        plan.issues.append(issue(entity_id, "$grid", "scope", f"网格 {grid} 已撤销", f"grid {grid} is retired"))
        return False
    if not principal.covers(grid):
        plan.issues.append(issue(entity_id, "$grid", "scope", "该网格不在您的管辖范围内", "grid outside your scope"))
        return False
    return True


def _current(plan: Plan, conn: Connection, entity_id: str) -> dict[str, Any] | None:
    if entity_id in plan.after:
        return plan.after[entity_id]
    if entity_id not in plan.loaded:
        plan.loaded[entity_id] = repo_entities.get(conn, entity_id)
    return plan.loaded[entity_id]


def _undeclared(plan: Plan, patch: PatchIn, tpl: Template | None) -> bool:
    """Fields the template in force does not declare are refused (they would be stored and served to
    every device). A patch made under another version of the form is applied by field name, as the
    design says, so it is not checked against this one."""
    if tpl is None or (patch.template_version and patch.template_version != tpl.version):
        return False
    fields, groups = tpl.fields, tpl.groups
    unknown = sorted(k for k in patch.set if k not in fields and k not in groups)
    for name in unknown[:20]:
        plan.issues.append(issue(patch.entity_id, name, "unknown_field", f"模板中没有字段 {name}",
                                 f"the template has no field {name}"))
    return bool(unknown)


def _create(plan: Plan, principal: Principal, conn: Connection, patch: PatchIn) -> None:
    eid = patch.entity_id
    if _current(plan, conn, eid) is not None:
        plan.issues.append(issue(eid, "", "exists", "该记录已存在", "an entity with this id already exists"))
        return
    if not patch.grid:
        plan.issues.append(issue(eid, "$grid", "scope", "新记录缺少所属网格", "a new entity needs a grid"))
        return
    if not _grid_ok(plan, principal, conn, eid, patch.grid):
        return
    tpl = plan.templates.get(patch.kind)
    wanted = patch.template or patch.kind
    if tpl is None or tpl.form_id != wanted:
        plan.issues.append(issue(eid, "", "template", f"模板 {wanted} 未发布", f"template {wanted} is not published"))
        return
    if not _check_tags(plan, principal, patch) or _undeclared(plan, patch, tpl):
        return
    data = {k: v for k, v in patch.set.items() if v is not None and v != ""}
    plan.before[eid] = None
    plan.after[eid] = {
        "id": eid, "kind": patch.kind, "template": tpl.form_id, "template_version": tpl.version,
        "grid": patch.grid, "house_id": patch.house_id or None, "household_id": patch.household_id or None,
        "data": data, "tags": merge_tags([], patch.tags_add, patch.tags_remove), "rev": 0,
        "state": patch.state or "active",
    }


def _update(state: ServerState, plan: Plan, principal: Principal, conn: Connection, patch: PatchIn) -> None:
    eid = patch.entity_id
    current = _current(plan, conn, eid)
    if current is None or not principal.covers(current["grid"]):
        plan.issues.append(issue(eid, "", "unknown_entity", "记录不存在或不在您的管辖范围内",
                                 "no such entity in your scope"))
        return
    if current["kind"] != patch.kind:
        plan.issues.append(issue(eid, "", "unknown_entity", "记录类型不符", f"entity is a {current['kind']}"))
        return
    if patch.base_rev is None:
        plan.issues.append(issue(eid, "", "base_rev", "修改缺少基准版本", "an update needs base_rev"))
        return
    if eid not in plan.after:  # stored under an older version of the form: bring it to the one in force
        current = old_versions.brought_forward(state, conn, plan, current, keep=True)
    if eid in plan.after or patch.base_rev == current["rev"]:
        base = current
    else:
        found = repo_entities.version(conn, eid, patch.base_rev) if patch.base_rev < current["rev"] else None
        if found is None:
            plan.issues.append(issue(eid, "", "base_rev", "基准版本不存在", f"unknown base_rev {patch.base_rev}"))
            return
        base = old_versions.brought_forward(state, conn, plan, found, keep=False)
    if patch.grid and not _grid_ok(plan, principal, conn, eid, patch.grid):
        return
    if not _check_tags(plan, principal, patch):
        return
    in_force = plan.templates.get(patch.kind)
    if in_force is not None and in_force.form_id == current["template"] and _undeclared(plan, patch, in_force):
        return
    mine: dict[str, Any] = dict(patch.set)
    for pseudo, value in (("$state", patch.state), ("$house_id", patch.house_id),
                          ("$household_id", patch.household_id), ("$grid", patch.grid)):
        if value is not None:
            mine[pseudo] = value or None
    result = merge_fields(repo_entities.flat(base), repo_entities.flat(current), mine)
    if result.conflicts:
        plan.conflicts.extend(
            {"entity_id": eid, "field": c.field, "base": c.base, "mine": c.mine, "theirs": c.theirs,
             "theirs_rev": current["rev"]} for c in result.conflicts)
        return
    data = dict(current["data"])
    after = {**current, "data": data}
    for name, value in result.apply.items():
        if name in repo_entities.META:
            after[repo_entities.META[name]] = value
        elif value is None or value == "":
            data.pop(name, None)
        else:
            data[name] = value
    after["state"] = after.get("state") or "active"
    tpl = plan.templates.get(patch.kind)
    if tpl is not None and tpl.form_id == current["template"]:
        after["template_version"] = tpl.version
    after["tags"] = merge_tags(current["tags"], patch.tags_add, patch.tags_remove)
    if eid not in plan.after and not result.apply and after["tags"] == current["tags"]:
        plan.unchanged[eid] = current["rev"]  # nothing to write: the record already says this
        return
    plan.unchanged.pop(eid, None)
    if eid not in plan.before:
        plan.before[eid] = current
    plan.after[eid] = after


#: Which kind each link names: a person's house and household, a household's house.
LINKS = {"house_id": ("house", "房屋", "house"), "household_id": ("household", "住户", "household")}


def _check_links(plan: Plan, principal: Principal, conn: Connection) -> None:
    """One policy for references between entities: every link a submission sets must name an entity
    of the right kind that exists (stored, or created by this submission) and lies in the caller's
    scope. Missing and out of scope get the same answer, so the check tells nothing of other areas."""
    for eid, after in plan.after.items():
        before = plan.before.get(eid)
        for key, (kind, zh, en) in LINKS.items():
            target = after.get(key)
            if not target or (before is not None and before.get(key) == target):
                continue  # unchanged links were checked when they were set
            if key == "household_id" and after["kind"] != "person":
                plan.issues.append(issue(eid, f"${key}", "link", "只有人员可以关联住户",
                                         "only a person belongs to a household"))
                continue
            found = _current(plan, conn, target)
            if found is None or found["kind"] != kind or not principal.covers(found["grid"]):
                plan.issues.append(issue(eid, f"${key}", "link", f"关联的{zh}不存在或不在您的管辖范围内",
                                         f"the linked {en} does not exist or is outside your scope"))


def plan_submission(state: ServerState, conn: Connection, principal: Principal, sub: SubmissionIn,
                    templates: dict[str, dict[str, Template]] | None = None) -> Plan:
    """Plan ``sub``; ``templates`` (grid -> kind -> template) may carry the templates read for earlier
    submissions of the same transaction."""
    plan = Plan()
    first = sub.patches[0]
    if first.op == "create":
        plan.grid = first.grid or ""
    else:
        existing = _current(plan, conn, first.entity_id)
        plan.grid = existing["grid"] if existing and principal.covers(existing["grid"]) else ""
    if not plan.grid:
        plan.grid = principal.roots[0] if principal.roots else ""
    if not plan.grid:
        plan.templates = {}
    elif templates is None:
        plan.templates = _load_templates(state, conn, plan.grid)
    else:
        if plan.grid not in templates:
            templates[plan.grid] = _load_templates(state, conn, plan.grid)
        plan.templates = templates[plan.grid]
    for patch in sub.patches:
        known = _current(plan, conn, patch.entity_id) if patch.op == "update" else None
        patch = old_versions.adapt(state, conn, plan, patch, known["template"] if known else None)
        if patch.op == "create":
            _create(plan, principal, conn, patch)
        else:
            _update(state, plan, principal, conn, patch)
    _check_links(plan, principal, conn)
    plan.approval_required = any(
        plan.templates[s["kind"]].settings.approval_required for s in plan.after.values() if s["kind"] in plan.templates
    )
    return plan
