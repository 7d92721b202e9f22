"""One pass over an import file: each row read, matched and validated with the submission engine.

``check_file`` reads only (the dry run runs it on a read connection; the apply runs it again inside the
write transaction, so what is written is what the file says against the platform as it is then). The
file streams through in slices of :data:`SLICE` rows: each slice's persons are looked up at once and
planned with :func:`sync.server.submit_plan.plan_submission` per grid, then validated with
:func:`sync.server.submissions.validate_plan` — the same rules as a worker's submission.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from forms.ingest.columns import find_header_row, match_columns
from forms.ingest.issues import ERROR, WARNING, error
from forms.ingest.read import ReadError, Table, open_table
from forms.ingest.rows import Duplicates, IngestRow, RowIssue, RowReader, located
from sync.server.imports.match import Held, Places, columns_of, held_by_id_number, new_person_id
from sync.server.imports.options import ImportOptions
from sync.server.models import PatchIn, SubmissionIn
from sync.server.scope import Principal
from sync.server.state import ServerState
from sync.server.submissions import validate_plan
from sync.server.submit_plan import Plan, _load_templates, plan_submission

SLICE = 500
#: Issues kept for the report (counts go on past it).
MAX_ISSUES = 100_000
#: the fields an import finds a person by: without a column for them no row can be matched
KEY_FIELDS = ("id_number",)
LOAD_FIELDS = ("id_number", "name")


class FileProblem(Exception):
    """The file as a whole cannot be imported (not a spreadsheet, no key column…)."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


@dataclass
class Checked:
    file: str
    sha256: str
    sheet: str = ""
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("created", "updated", "unchanged", "errors", "warnings", "tags_set", "tags_removed", "suggestions"), 0))
    #: return mode: the persons the list names (their provenance is renewed on apply)
    matched: set[str] = field(default_factory=set)
    #: return mode: the persons whose tag from this source is removed (absent from the snapshot)
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: Excel row -> create / update / unchanged / error
    outcomes: dict[int, str] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)
    #: the plans to write (apply), with the validated tags of each
    plans: list[tuple[Plan, dict[str, list[str]], dict[str, int]]] = field(default_factory=list)

    def issues_of(self) -> dict[int, list[RowIssue]]:
        out: dict[int, list[RowIssue]] = {}
        for i in self.issues:
            out.setdefault(i.row, []).append(i)
        return out

    def summary(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "sheet": self.sheet, "header_row": self.header_row,
                "columns": self.columns, "unmapped": self.unmapped, "rows": self.rows, **self.counts,
                "removed": self.removed[:1000]}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_for(path: Path, template: Any, options: ImportOptions) -> Table:
    try:
        return open_table(path, sheet=options.sheet,
                          guess_header=lambda rows: find_header_row(rows, template, options.kind))
    except ReadError as exc:
        raise FileProblem(exc.code, exc.message("zh"), exc.message("en")) from exc


def check_file(state: ServerState, conn: Connection, principal: Principal, path: Path, name: str,
               options: ImportOptions, import_key: str, *, keep_plans: bool = False,
               progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None) -> Checked:
    root = principal.roots[0] if principal.roots else ""
    templates = _load_templates(state, conn, root) if root else {}
    template = templates.get(options.kind)
    if template is None:
        raise FileProblem("template", f"{options.kind} 模板未发布", f"no {options.kind} template is published")
    table = open_for(path, template, options)
    mapping = match_columns(table.headers, template, options.kind, saved=options.mapping)
    out = Checked(name, sha256_of(path), table.sheet, table.header_row, list(table.headers))
    out.columns = [{"column": m.column, "header": m.header, "field": m.field, "how": m.how} for m in mapping.columns]
    out.unmapped = [m.header for m in mapping.unmapped]
    needed = LOAD_FIELDS if options.mode == "load" else KEY_FIELDS
    missing = [f for f in needed if f not in mapping.mapped]
    if missing:
        shown = "、".join(template.fields[f].label("zh") or f for f in missing)
        raise FileProblem("required_column_missing", f"文件中没有这些列：{shown}",
                          "the file has no column for: " + ", ".join(missing))
    headers = columns_of(table.headers, mapping.mapped)
    reader = RowReader(template, mapping, table.headers)
    places = Places(conn, principal, with_houses="@address" in mapping.mapped)
    duplicates = Duplicates(headers["id_number"])
    grid_templates: dict[str, dict[str, Any]] = {}
    template_keys: dict[str, str] = {}  # grid -> its templates in force (grids alike are planned together)
    rows: list[IngestRow] = []
    for batch in _slices(table.rows(), SLICE):
        if cancelled is not None and cancelled():
            raise FileProblem("cancelled", "导入已取消", "the import was cancelled")
        rows = [reader.read(number, cells) for number, cells in batch]
        for row in rows:
            again = duplicates.add(str(row.values.get("id_number") or ""), row.number)
            if again is not None:
                row.issues.append(again)
        _slice(state, conn, principal, options, import_key, rows, headers, places, (grid_templates, template_keys),
               out, keep_plans)
        out.rows += len(rows)
        if progress is not None:
            progress(out.rows)
    for issue in duplicates.first_rows():
        _add_issue(out, issue)
        if out.outcomes.get(issue.row) != "error":
            _recount(out, issue.row, "error")
    if keep_plans:
        _drop_rows(out, {d.row for d in duplicates.first_rows()})
    if options.mode == "return" and options.tag and not options.incremental:
        _removals(state, conn, principal, options, out, grid_templates, keep_plans)
    out.issues.sort(key=lambda i: i.row)
    return out


def _removals(state: ServerState, conn: Connection, principal: Principal, options: ImportOptions, out: Checked,
              grid_templates: dict[str, Any], keep_plans: bool) -> None:
    """The snapshot: persons the source returned the tag on before and this list leaves out lose it."""
    from sync.server import repo_entities
    from sync.server.imports import returned

    gone = (returned.held_by_source(conn, options.source, options.tag)
            | returned.unclaimed(conn, options.tag, principal)) - out.matched
    if not gone:
        return
    kept = returned.also_returned_by_others(conn, options.source, options.tag, gone)
    by_grid: dict[str, list[PatchIn]] = {}
    for eid, current in sorted(repo_entities.get_many(conn, sorted(gone)).items()):
        if not principal.covers(current["grid"]):
            continue
        out.removed.append({"entity_id": eid, "name": current["data"].get("name", ""),
                            "id_number": current["data"].get("id_number", ""), "tag": options.tag,
                            "tag_kept": eid in kept})
        if eid in kept or options.tag not in current["tags"]:
            continue
        by_grid.setdefault(current["grid"], []).append(PatchIn.model_construct(
            entity_id=eid, kind="person", op="update", base_rev=current["rev"], set={}, template=None,
            template_version=None, grid=None, house_id=None, household_id=None, tags_add=[],
            tags_remove=[options.tag], state=None))
    for patches in by_grid.values():
        sub = SubmissionIn.model_construct(id="import", patches=patches, device_id=None, created_at=None,
                                           resubmits=None, note=None, client_validation=None)
        plan = plan_submission(state, conn, principal, sub, grid_templates)
        tags: dict[str, list[str]] = {}
        if not plan.issues:
            problems, tags = validate_plan(state, conn, plan)
            plan.issues.extend(problems)
        if plan.issues:  # a record that cannot be saved as it is: its tag stays, said in the report
            bad = {str(i.get("entity_id")) for i in plan.issues}
            for item in out.removed:
                if item["entity_id"] in bad:
                    item["tag_kept"] = True
            continue
        out.counts["tags_removed"] += len(plan.after)
        if keep_plans:
            out.plans.append((plan, tags, {}))


def _slices(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, list[Any]]]]:
    batch: list[tuple[int, list[Any]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _add_issue(out: Checked, issue: RowIssue) -> None:
    if len(out.issues) < MAX_ISSUES:
        out.issues.append(issue)
    if issue.severity == WARNING:
        out.counts["warnings"] += 1
        if issue.code == "differs":
            out.counts["suggestions"] += 1


def _recount(out: Checked, row: int, outcome: str) -> None:
    before = out.outcomes.get(row)
    if before is not None:
        out.counts[_COUNTER[before]] -= 1
    out.outcomes[row] = outcome
    out.counts[_COUNTER[outcome]] += 1


_COUNTER = {"create": "created", "update": "updated", "unchanged": "unchanged", "error": "errors"}


def _drop_rows(out: Checked, rows: set[int]) -> None:
    """Leave the first rows of duplicated persons out of the plans (found after their slice)."""
    if not rows:
        return
    for plan, tags, row_of in out.plans:
        for eid in [e for e, r in row_of.items() if r in rows]:
            plan.after.pop(eid, None)
            plan.unchanged.pop(eid, None)
            plan.before.pop(eid, None)
            tags.pop(eid, None)


def _patch(options: ImportOptions, import_key: str, row: IngestRow, held: Held | None,
           places: Places, headers: dict[str, str], principal: Principal) -> PatchIn | None:
    number = str(row.values.get("id_number") or "")
    values = dict(row.values)
    tags = [options.tag] if options.mode == "return" and options.tag else []
    if held is not None:
        if held.kind != "person" or not principal.covers(held.grid):
            row.issues.append(located(row.number, headers["id_number"], number, error(
                "out_of_scope", "该证件号码的人员不在您的管辖范围内", "the person with this number is outside your scope")))
            return None
        if options.mode == "return":
            _differences(options, row, held, headers)
            values = {}  # a department's values are never written over the worker's record
        return PatchIn.model_construct(entity_id=held.id, kind="person", op="update", base_rev=held.rev,
                                       set=values, template=None, template_version=None, grid=None, house_id=None,
                                       household_id=None, tags_add=tags, tags_remove=[], state=None)
    if options.mode == "return":
        row.issues.append(located(row.number, headers["id_number"], number, error(
            "unknown_person", "平台上没有该证件号码的人员（回流名单只更新已有人员）",
            "the platform holds no person with this number (a returned list updates known persons only)")))
        return None
    grid, house, problem, column = places.grid_of(row.meta)
    if problem is not None or grid is None:
        header = headers.get(column, column or headers["id_number"])
        assert problem is not None
        row.issues.append(located(row.number, header, row.meta.get(column, ""), problem))
        return None
    return PatchIn.model_construct(entity_id=new_person_id(import_key, number), kind="person", op="create",
                                   base_rev=None, set=values, template=None, template_version=None, grid=grid,
                                   house_id=house, household_id=None, tags_add=tags, tags_remove=[], state=None)


def _differences(options: ImportOptions, row: IngestRow, held: Held, headers: dict[str, str]) -> None:
    """A returned value that differs from the record: reported for the worker to verify (a suggestion)."""
    when = options.as_of or "最新"
    for name, value in row.values.items():
        if name in ("id_number", "name") or value in (None, ""):
            continue
        current = held.data.get(name)
        if current != value:
            row.issues.append(RowIssue(row.number, headers.get(name, name), str(value)[:200], "differs", WARNING,
                                       f"{options.source} {when}：{headers.get(name, name)} {value}；记录：{current or '（空）'}",
                                       f"{options.source} {options.as_of or 'latest'}: {name} {value}; record: "
                                       f"{current or '(empty)'}"))


def _slice(state: ServerState, conn: Connection, principal: Principal, options: ImportOptions, import_key: str,
           rows: list[IngestRow], headers: dict[str, str], places: Places,
           caches: tuple[dict[str, Any], dict[str, str]], out: Checked, keep_plans: bool) -> None:
    grid_templates, template_keys = caches
    held = held_by_id_number(conn, (str(r.values.get("id_number") or "") for r in rows if not r.has_errors))
    by_grid: dict[str, list[tuple[IngestRow, PatchIn]]] = {}
    for row in rows:
        patch = None if row.has_errors else _patch(options, import_key, row, held.get(
            str(row.values.get("id_number") or "")), places, headers, principal)
        if patch is None:
            continue
        grid = patch.grid or (held[str(row.values["id_number"])].grid)
        if patch.op == "update":
            out.matched.add(patch.entity_id)
        by_grid.setdefault(_templates_key(conn, grid, template_keys), []).append((row, patch))
    for pairs in by_grid.values():
        _plan_group(state, conn, principal, pairs, headers, grid_templates, out, keep_plans)
    for row in rows:
        for issue in row.issues:
            _add_issue(out, issue)
        if row.has_errors:
            _recount(out, row.number, "error")


def _templates_key(conn: Connection, grid: str, cache: dict[str, str]) -> str:
    """The grid's templates in force, as a key: grids with the same templates are planned together (a
    slice's rows spread over a district's grids would otherwise be planned one or two at a time)."""
    from sync.server import repo_templates

    found = cache.get(grid)
    if found is None:
        rows = repo_templates.current_by_kind(conn, grid)
        found = cache[grid] = "|".join(sorted(f"{k}:{r.form_id}@{r.version}@{r.area}" for k, r in rows.items()))
    return found


def _plan_group(state: ServerState, conn: Connection, principal: Principal, pairs: list[tuple[IngestRow, PatchIn]],
                headers: dict[str, str], grid_templates: dict[str, Any], out: Checked, keep_plans: bool) -> None:
    """Plan and validate one grid's patches; rows with problems are left out and the rest planned again."""
    for _attempt in range(4):
        if not pairs:
            return
        row_of = {p.entity_id: r for r, p in pairs}
        sub = SubmissionIn.model_construct(id="import", patches=[p for _r, p in pairs], device_id=None,
                                           created_at=None, resubmits=None, note=None, client_validation=None)
        plan = plan_submission(state, conn, principal, sub, grid_templates)
        issues = list(plan.issues)
        tags: dict[str, list[str]] = {}
        if not issues:
            found, tags = validate_plan(state, conn, plan)
            issues = found
        bad: set[int] = set()
        for item in issues:
            row = row_of.get(item.get("entity_id") or "")
            if row is None:
                continue
            name = str(item.get("field") or "")
            header = headers.get(name) or _label(plan, name)
            value = row.values.get(name, "") if name else ""
            row.issues.append(located(row.number, header, value, error(
                f"rule:{item.get('rule') or item.get('kind') or 'invalid'}", str(item.get("message") or ""),
                str(item.get("message_en") or item.get("message") or ""))))
            bad.add(row.number)
        if issues and not bad:  # an issue naming no row of the file: every row of the group fails with it
            for r, _p in pairs:
                first = issues[0]
                r.issues.append(located(r.number, "", "", error(
                    "rule:" + str(first.get("rule") or "invalid"), str(first.get("message") or ""),
                    str(first.get("message_en") or ""))))
            return
        if bad:
            pairs = [(r, p) for r, p in pairs if r.number not in bad]
            continue
        for r, p in pairs:
            eid = p.entity_id
            outcome = "unchanged" if eid in plan.unchanged else ("create" if plan.before.get(eid) is None and
                                                                eid in plan.after else "update")
            _recount(out, r.number, outcome)
        out.counts["tags_set"] += sum(1 for eid in plan.after if _tag_added(plan, eid))
        if keep_plans:
            out.plans.append((plan, tags, {p.entity_id: r.number for r, p in pairs}))
        return
    for r, _p in pairs:  # still failing after leaving rows out: these rows are not imported
        r.issues.append(located(r.number, "", "", error("not_checked", "这些行未能通过检查", "these rows did not pass")))


def _label(plan: Plan, name: str) -> str:
    """A field with no column in the file: its label, as the report names it."""
    tpl = plan.templates.get("person")
    f = tpl.fields.get(name) if tpl is not None else None
    return (f.label("zh") or name) if f is not None else name


def _tag_added(plan: Plan, eid: str) -> bool:
    before = plan.before.get(eid)
    after = plan.after.get(eid)
    if after is None:
        return False
    old = set(before["tags"]) if before else set()
    return bool(set(after["tags"]) - old)


__all__ = ["ERROR", "Checked", "FileProblem", "check_file", "sha256_of"]
