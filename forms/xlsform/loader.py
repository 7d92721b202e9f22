"""Loading an XLSForm template (with 一表通's extensions) into a :class:`forms.model.Template`.

``load_template`` reads the workbook, checks every sheet, compiles every expression and raises
one :class:`TemplateError` listing *all* problems found, each naming sheet, row, column and (for
expressions) the position. It never raises anything else.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from forms.errors import Problem, TemplateError
from forms.expr import Compiled, Scope
from forms.model import (
    Choice,
    ChoiceList,
    EntityKind,
    Field,
    FieldType,
    Group,
    RuleDef,
    TagDef,
    TagKind,
    Template,
    assembled,
)
from forms.xlsform.catalogue import RULES, TAGS, PendingRule, PendingTag, parse_rules, parse_tags
from forms.xlsform.columns import (
    RULES_KEYS,
    RULES_TRANSLATABLE,
    TAGS_KEYS,
    TAGS_TRANSLATABLE,
    choices_columns,
    simple_columns,
    survey_columns,
)
from forms.xlsform.deps import find_cycles, topological_order
from forms.xlsform.expressions import ExprCompiler, tag_positions
from forms.xlsform.settings import parse_settings
from forms.xlsform.survey import (
    CHOICES,
    SURVEY,
    PendingField,
    PendingGroup,
    Source,
    SurveyParser,
    parse_choices,
)
from forms.xlsform.workbook import (
    MAX_BLANK_COLUMNS,
    MAX_BLANK_ROWS,
    Workbook,
    WorkbookReadError,
    column_letter,
    read_workbook,
)


def load_template(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    skip_unsupported: bool = False,
    related: Mapping[EntityKind, Template] | None = None,
    today: dt.date | None = None,
) -> Template:
    """Load a template workbook (.xlsx or .xls). Raises only :class:`TemplateError`.

    ``skip_unsupported`` leaves out fields of types 一表通 does not handle (photo, geopoint ...)
    with a warning each instead of rejecting the template. ``related`` gives the templates of
    the other entity kinds so references inside aggregates (``count-members(${age} > 60)``) and
    tags/rules scoped to another kind are checked. ``today`` is used to warn about an
    ``age_as_of`` date in the future.
    """
    name = filename or (Path(source).name if isinstance(source, str | Path) else "")
    collecting = gc.isenabled()
    # A large template makes ~10^6 short-lived objects, freed by reference counting: cyclic
    # collections over them while it loads were a third of the time. Reading the workbook is
    # paused too: its rows and cells set off collections over all the caller holds.
    if collecting:
        gc.disable()
    try:
        try:
            workbook = read_workbook(source, filename=name)
        except WorkbookReadError as exc:
            raise TemplateError([exc.problem]) from None
        return _Loader(workbook, name, skip_unsupported, related or {}, today).load()
    except TemplateError:
        raise
    except Exception as exc:  # a bug of ours must still reach the user as a clear error
        raise TemplateError(
            [Problem(f"读取模板时出现内部错误 / internal error while loading the template: {exc!r}", code="internal")]
        ) from exc
    finally:
        if collecting:
            gc.enable()


class _Loader:
    def __init__(
        self,
        workbook: Workbook,
        source_name: str,
        skip_unsupported: bool,
        related: Mapping[EntityKind, Template],
        today: dt.date | None,
    ) -> None:
        self.wb = workbook
        self.source_name = source_name
        self.skip = skip_unsupported
        self.related = related
        self.today = today
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.exprs = ExprCompiler(self.problems, self.warnings)
        self.languages: dict[str, None] = {}
        self.survey_name = SURVEY
        self.calc_column = "calculation"

    # -- the whole load ------------------------------------------------------------------
    def load(self) -> Template:
        self._ignored_parts()
        settings, allow_dups = parse_settings(self.wb, self.source_name, self.today, self.problems, self.warnings)
        choice_cols = None
        choices: dict[str, list[Choice]] = {}
        list_rows: dict[str, int] = {}
        choices_sheet = self.wb.sheet(CHOICES)
        if choices_sheet is not None:
            choice_cols = choices_columns(choices_sheet, self.problems)
            missing = [c for c in ("list_name", "name") if not choice_cols.has(c)]
            if len(missing) == 2 and choices_sheet.columns:  # its first row is data, not a header
                first = ", ".join(c.header for c in choices_sheet.columns[:4])
                self.problems.append(
                    Problem(f"choices 表第 1 行应是列标题（list_name、name、label），现为：{first} / "
                            f"the choices sheet's first row should be its header (list_name, name, label); "
                            f"it reads: {first}", sheet=choices_sheet.name, row=1, code="missing_header"))
            elif choices_sheet.rows and missing:
                for col in missing:
                    self.problems.append(
                        Problem(f"choices 表缺少 {col} 列 / the choices sheet has no '{col}' column",
                                sheet=choices_sheet.name, row=1, column=col, code="missing_column")
                    )
            else:
                choices, list_rows = parse_choices(choice_cols, self.problems, self.warnings, allow_dups)
            self._langs(choice_cols.languages())

        survey_sheet = self.wb.sheet(SURVEY)
        if survey_sheet is None:
            names = ", ".join(self.wb.sheet_names) or "-"
            self.problems.append(
                Problem(f"缺少 survey 工作表（现有：{names}）/ the workbook has no 'survey' sheet (it has: {names})",
                        sheet=SURVEY, code="missing_sheet")
            )
            raise TemplateError(self.sorted_problems())
        cols = survey_columns(survey_sheet, self.problems, self.warnings)
        self.calc_column = cols.header("calculation")
        self._langs(cols.languages())
        if not cols.has("type"):
            self.problems.append(
                Problem("survey 表缺少 type 列 / the survey sheet has no 'type' column",
                        sheet=survey_sheet.name, row=1, column="type", code="missing_column")
            )
            raise TemplateError(self.sorted_problems())
        self.survey_name = survey_sheet.name
        choices_name = choices_sheet.name if choices_sheet is not None else CHOICES
        choices_col = choice_cols.header("name") if choice_cols is not None else "name"
        parser = SurveyParser(cols, choices, self.problems, self.warnings, self.skip, (choices_name, choices_col))
        result = parser.run()
        if any(p.code == "missing_header" and p.sheet == choices_name for p in self.problems):
            # every list looks missing because the header is: say the cause once, not each effect
            self.problems[:] = [p for p in self.problems if p.code != "missing_choice_list"]
        if result.settings_rows.get("title"):
            settings = replace(settings, form_title=result.settings_rows["title"])
        if result.settings_rows.get("id_string"):
            settings = replace(settings, form_id=result.settings_rows["id_string"])

        scope = self._scope(result.fields, result.skipped, result.groups, settings.entity)
        columns = ["name", "label", *(choice_cols.extra if choice_cols else ())]
        choice_scope = Scope(
            {n: (f.type, f.repeat) for n, f in result.fields.items()}
            | {n: (FieldType.TEXT, r) for n, (_row, r) in result.skipped.items()},
            repeats=[n for n, g in result.groups.items() if g.is_repeat],
            linked=scope.linked,
            kind=str(settings.entity),
        )
        true_expr = self.exprs.compile("true()", Source(SURVEY, 1, "required"), scope)
        fields: dict[str, Field] = {}
        for pf in result.fields.values():
            fields[pf.name] = self._field(pf, scope, choice_scope, columns, true_expr)
        groups: dict[str, Group] = {}
        root = self._groups(result.root, fields, groups, scope)
        choice_lists = {
            name: ChoiceList(name=name, choices=tuple(items), by_name=_by_name(items), row=list_rows.get(name))
            for name, items in choices.items()
        }
        order = self._calculation_order(fields)
        tags = self._tags(settings.entity, scope, fields)
        rules = self._rules(scope, fields, groups)
        self._check_tag_refs(tags)
        self._check_skipped_refs(result.skipped, fields)
        if self.problems:
            raise TemplateError(self.sorted_problems())
        return Template(
            settings=settings, root=root, fields=fields, groups=groups, choices=choice_lists, tags=tags,
            rules=rules, languages=tuple(self.languages), warnings=tuple(self.sorted_problems(self.warnings)),
            calculation_order=tuple(order), source_name=self.source_name,
        )

    def sorted_problems(self, problems: list[Problem] | None = None) -> list[Problem]:
        """Problems in workbook order: by sheet as the workbook orders them, then by row."""
        order = {name: i for i, name in enumerate(self.wb.sheet_names)}
        items = self.problems if problems is None else problems
        return sorted(items, key=lambda p: (order.get(p.sheet or "", -1), p.row or 0))

    def _ignored_parts(self) -> None:
        for sheet in self.wb.sheets.values():
            if sheet.ignored_row is not None:
                self.warnings.append(
                    Problem(
                        f"第 {sheet.ignored_row} 行及以后的内容在 {MAX_BLANK_ROWS} 多个空行之后，已忽略（与 pyxform 相同）/ "
                        f"rows from {sheet.ignored_row} on follow more than {MAX_BLANK_ROWS} blank rows and are "
                        "ignored (as pyxform does)",
                        sheet=sheet.name, row=sheet.ignored_row, code="ignored_rows", severity="warning",
                    )
                )
            if sheet.ignored_column is not None:
                letter = column_letter(sheet.ignored_column)
                self.warnings.append(
                    Problem(
                        f"{letter} 列及以后的列在 {MAX_BLANK_COLUMNS} 多个空列之后，已忽略 / columns from {letter} on "
                        f"follow more than {MAX_BLANK_COLUMNS} blank header cells and are ignored (as pyxform does)",
                        sheet=sheet.name, row=1, column=letter, code="ignored_columns", severity="warning",
                    )
                )

    def _langs(self, langs: list[str]) -> None:
        for lang in langs:
            self.languages.setdefault(lang, None)

    # -- scopes --------------------------------------------------------------------------
    def _scope(
        self,
        fields: Mapping[str, PendingField],
        skipped: Mapping[str, tuple[int, str | None]],
        groups: Mapping[str, PendingGroup],
        entity: EntityKind,
    ) -> Scope:
        specs: dict[str, tuple[FieldType, str | None]] = {n: (FieldType.TEXT, r) for n, (_row, r) in skipped.items()}
        specs.update({n: (f.type, f.repeat) for n, f in fields.items()})
        linked: dict[str, Scope] = {str(k): Scope.from_template(t) for k, t in self.related.items() if k != entity}
        scope = Scope(
            specs,
            repeats=[n for n, g in groups.items() if g.is_repeat],
            linked=linked,
            choice_lists={n: f.choice_list for n, f in fields.items() if f.choice_list},
            kind=str(entity),
        )
        scope.linked[str(entity)] = scope
        return scope

    def _scope_for(self, kind: EntityKind, entity: EntityKind, own: Scope) -> Scope:
        """The scope of a tag or rule about ``kind`` in a template of ``entity``."""
        if kind == entity:
            return own
        other = self.related.get(kind)
        if other is not None:
            scope = Scope.from_template(other, linked=own.linked)
            return scope
        # The other kind's template was not given: its field references cannot be checked.
        return Scope(permissive=True, linked=own.linked, kind=str(kind))

    # -- survey --------------------------------------------------------------------------
    def _field(
        self, pf: PendingField, scope: Scope, choice_scope: Scope, columns: list[str], true_expr: Compiled | None
    ) -> Field:
        compiled: dict[str, Compiled | None] = {}
        for key, (text, src) in pf.exprs.items():
            if key == "choice_filter":
                compiled[key] = self.exprs.compile_choice_filter(text, src, choice_scope, columns, pf.choice_list or "")
            else:
                compiled[key] = self.exprs.compile(text, src, scope)
        required = compiled.get("required")
        if pf.required_const:
            required = true_expr
        languages = self.languages
        for labels in (pf.labels, pf.hints, pf.required_messages, pf.constraint_messages):
            for lang in labels:
                if lang and lang not in languages:
                    languages[lang] = None
        return assembled(Field, {
            "name": pf.name, "type": pf.type, "labels": pf.labels, "hints": pf.hints, "required": required,
            "required_messages": pf.required_messages, "relevant": compiled.get("relevant"),
            "constraint": compiled.get("constraint"), "constraint_messages": pf.constraint_messages,
            "calculation": compiled.get("calculation"), "default": pf.default, "read_only": pf.read_only,
            "choice_list": pf.choice_list, "choice_filter": compiled.get("choice_filter"), "or_other": pf.or_other,
            "appearance": pf.appearance, "path": pf.path, "repeat": pf.repeat, "row": pf.row, "extra": pf.extra,
        })

    def _groups(self, root: PendingGroup, fields: Mapping[str, Field], out: dict[str, Group], scope: Scope) -> Group:
        """Build groups bottom-up without recursion (nesting depth is the user's to choose)."""
        built: dict[int, Group] = {}
        stack: list[tuple[PendingGroup, bool]] = [(root, False)]
        while stack:
            pg, ready = stack.pop()
            if not ready:
                stack.append((pg, True))
                stack.extend((c, False) for c in reversed(pg.children) if isinstance(c, PendingGroup))
                continue
            children: list[Field | Group] = []
            for child in pg.children:
                if isinstance(child, PendingGroup):
                    children.append(built[id(child)])
                elif child.name in fields and fields[child.name].row == child.row:
                    children.append(fields[child.name])
            relevant = count = None
            if "relevant" in pg.exprs:
                relevant = self.exprs.compile(*pg.exprs["relevant"], scope)
            if "repeat_count" in pg.exprs:
                count = self.exprs.compile(*pg.exprs["repeat_count"], scope)
            self._langs([k for k in pg.labels if k])
            g = Group(
                name=pg.name, labels=pg.labels, relevant=relevant, is_repeat=pg.is_repeat, repeat_count=count,
                appearance=pg.appearance, children=tuple(children), path=pg.path, row=pg.row,
            )
            built[id(pg)] = g
        for node in built[id(root)].walk():
            if isinstance(node, Group):
                out.setdefault(node.name, node)
        return built[id(root)]

    def _calculation_order(self, fields: Mapping[str, Field]) -> list[str]:
        calc = [n for n, f in fields.items() if f.calculation is not None]
        calc_set = set(calc)
        edges = {n: [r for r in sorted(fields[n].calculation.refs) if r in calc_set] for n in calc}  # type: ignore[union-attr]
        for cycle in find_cycles(calc, edges):
            f = fields[cycle[0]]
            path = " → ".join(cycle)
            self.problems.append(
                Problem(f"计算循环依赖 / calculation cycle: {path}", sheet=self.survey_name, row=f.row,
                        column=self.calc_column, code="cycle")
            )
        return topological_order(calc, edges)

    # -- tags and rules ------------------------------------------------------------------
    def _tags(self, entity: EntityKind, own: Scope, fields: Mapping[str, Field]) -> dict[str, TagDef]:
        sheet = self.wb.sheet(TAGS)
        if sheet is None:
            return {}
        cols = simple_columns(sheet, self.problems, TAGS_KEYS, TAGS_TRANSLATABLE)
        self._langs(cols.languages())
        pending = parse_tags(cols, entity, self.problems)
        ids = {t.id for t in pending}
        out: dict[str, TagDef] = {}
        for t in pending:
            scope = self._scope_for(t.scope, entity, own)
            cond = exp = None
            if "condition" in t.exprs:
                cond = self.exprs.compile(*t.exprs["condition"], scope)
            if "expires" in t.exprs:
                exp = self.exprs.compile(*t.exprs["expires"], scope)
            for key, listed in (("requires", t.requires), ("excludes", t.excludes)):
                for other in listed:
                    if other not in ids:
                        self.problems.append(
                            Problem(f"未知标签 '{other}' / unknown tag '{other}'", sheet=sheet.name, row=t.row,
                                    column=cols.header(key), code="unknown_tag")
                        )
            known_fields = self._field_names(t.scope, entity, fields)
            for fname in t.required_fields:
                if known_fields is not None and fname not in known_fields:
                    self.problems.append(
                        Problem(f"未知字段 '{fname}' / unknown field '{fname}'", sheet=sheet.name, row=t.row,
                                column=cols.header("required_fields"), code="unknown_field")
                    )
            out[t.id] = TagDef(
                id=t.id, labels=t.labels, scope=t.scope, kind=t.kind, condition=cond, requires=t.requires,
                excludes=t.excludes, required_fields=t.required_fields, sensitive=t.sensitive, expires=exp, row=t.row,
                visit_every=t.visit_every,
            )
        self._tag_cycles(pending, out, sheet.name, cols.header("requires"), cols.header("condition"))
        return out

    def _field_names(
        self, kind: EntityKind, entity: EntityKind, fields: Mapping[str, Field]
    ) -> Mapping[str, Field] | None:
        """The fields a tag about ``kind`` may name (a mapping, not a copy: asked once per tag)."""
        if kind == entity:
            return fields
        other = self.related.get(kind)
        return other.fields if other is not None else None

    def _tag_cycles(
        self, pending: list[PendingTag], tags: Mapping[str, TagDef], sheet: str, requires_col: str, cond_col: str
    ) -> None:
        order = [t.id for t in pending]
        rows = {t.id: t.row for t in pending}
        requires = {t.id: list(t.requires) for t in pending}
        for cycle in find_cycles(order, requires):
            self.problems.append(
                Problem(f"标签前提循环 / cycle among tag prerequisites: {' → '.join(cycle)}", sheet=sheet,
                        row=rows[cycle[0]], column=requires_col, code="cycle")
            )
        auto = [i for i in order if tags[i].kind == TagKind.AUTO]
        auto_set = set(auto)
        edges = {
            i: [r for r in sorted(tags[i].condition.tag_refs) if r in auto_set]  # type: ignore[union-attr]
            for i in auto
            if tags[i].condition is not None
        }
        for cycle in find_cycles(auto, edges):
            self.problems.append(
                Problem(f"自动标签经 has-tag 循环引用 / cycle among auto tags through has-tag: {' → '.join(cycle)}",
                        sheet=sheet, row=rows[cycle[0]], column=cond_col, code="cycle")
            )

    def _rules(self, own: Scope, fields: Mapping[str, Field], groups: Mapping[str, Group]) -> tuple[RuleDef, ...]:
        sheet = self.wb.sheet(RULES)
        if sheet is None:
            return ()
        cols = simple_columns(sheet, self.problems, RULES_KEYS, RULES_TRANSLATABLE)
        self._langs(cols.languages())
        out: list[RuleDef] = []
        for r in parse_rules(cols, self.problems):
            if r.expression is None:
                continue
            # A rule is evaluated on each record of this template; its scope (household, house)
            # says which linked records it looks across, through aggregates.
            compiled = self.exprs.compile(*r.expression, own)
            target = self._rule_target(r, sheet.name, fields, groups)
            if compiled is None or target is None:
                continue
            out.append(RuleDef(id=r.id, scope=r.scope, expression=compiled, severity=r.severity,
                               messages=r.messages, row=r.row, field=target))
        return tuple(out)

    def _rule_target(self, r: PendingRule, sheet: str, fields: Mapping[str, Field],
                     groups: Mapping[str, Group]) -> str | None:
        """The ``field`` cell of a rule: empty, a top-level field of this template or one of its
        top-level repeats (a finding is about the whole record, never one row); None if invalid.

        Whatever the rule's scope, the field is one of this template's: the rule runs on each
        record of this template and its finding belongs to that record; fields of linked records
        (read through aggregates) cannot be named."""
        name = r.field
        if not name:
            return ""

        def fault(zh: str, en: str, code: str) -> None:
            self.problems.append(Problem(f"{zh} / {en}", sheet=sheet, row=r.row, column=r.field_column, code=code))

        f = fields.get(name)
        g = groups.get(name)
        if f is not None:
            if f.repeat is not None:
                fault(f"字段 '{name}' 在重复组 '{f.repeat}' 内：规则针对整条记录，请填写重复组外的字段或重复组 '{f.repeat}' 本身",
                      f"field '{name}' is inside the repeat '{f.repeat}': a rule reports on the whole record, "
                      f"name a field outside repeats or the repeat '{f.repeat}' itself", "invalid_value")
                return None
            return name
        if g is not None and g.is_repeat and not any(groups[p].is_repeat for p in g.path if p in groups):
            return name
        if g is not None:
            fault(f"'{name}' 是分组，不是字段", f"'{name}' is a group, not a field", "invalid_value")
            return None
        fault(f"规则的 field 列 '{name}' 不是本模板的字段", f"the rule's field '{name}' is not a field of this template",
              "unknown_field")
        return None

    def _check_skipped_refs(self, skipped: Mapping[str, tuple[int, str | None]], fields: Mapping[str, Field]) -> None:
        """References to fields left out (unsupported types) are empty: say so where they occur."""
        if not skipped:
            return
        for compiled, src in self.exprs.compiled:
            for name in sorted(compiled.refs):
                if name in skipped and name not in fields:
                    pos = compiled.source.find("${" + name)
                    self.warnings.append(
                        Problem(
                            f"引用了已跳过的字段 ${{{name}}}（第 {skipped[name][0]} 行），其值恒为空 / refers to "
                            f"${{{name}}}, a field left out (row {skipped[name][0]}); its value is always empty",
                            sheet=src.sheet, row=src.row, column=src.column, position=pos if pos >= 0 else None,
                            code="skipped_field_ref", severity="warning",
                        )
                    )

    def _check_tag_refs(self, tags: Mapping[str, TagDef]) -> None:
        """Every literal has-tag('id') anywhere in the template must name a catalogue tag."""
        for compiled, src in self.exprs.compiled:
            for tag in sorted(compiled.tag_refs):
                if tag not in tags:
                    self.problems.append(
                        Problem(f"has-tag 引用了未知标签 '{tag}' / has-tag refers to unknown tag '{tag}'",
                                sheet=src.sheet, row=src.row, column=src.column,
                                position=tag_positions(compiled.source, tag), code="unknown_tag")
                    )


def _by_name(items: list[Choice]) -> dict[str, Choice]:
    out: dict[str, Choice] = {}
    for c in items:
        out.setdefault(c.name, c)
    return out
