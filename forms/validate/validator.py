"""The validation engine: one record (with its linked records) against its template.

``Validator`` prepares, once per template, a plan: field checks in survey order under the
relevance of their groups and repeats (groups without a ``relevant`` are flattened away), the
calculations in dependency order, the tag engine and the cross-record rules. ``validate`` runs it:

1. calculations, in ``template.calculation_order``; results go into ``result.values`` and are
   seen by every later expression;
2. lapsed tags (``expires``) are dropped, auto tags are computed (see ``forms.validate.tags``);
3. fields: answers to irrelevant questions (or inside irrelevant groups) are stale (a warning)
   and are not checked; otherwise required, type and format, choice, choice filter, constraint;
4. tag prerequisites, requirements, exclusions and required fields;
5. the rules sheet: every rule of the template, on each of its records; a rule's scope (record,
   household, house) says which linked records its aggregates look across (as the loader
   compiles them), so a household template's ``household`` rules run on each household;
6. ID numbers owned by another entity (through ``id_index``).

Tags are gathered by their scope from all the templates given (a household tag may sit in the
person catalogue). A :class:`Validator` is immutable after construction apart from bounded
caches (pure tag conditions and calculations by the values they read; answers found good by a
constraint on ``.`` alone, which are then passed over), and may be shared between threads; all
per-call state lives in a :class:`_Run`, including aggregates over linked records that several
records of a batch share (computed once for the very same linked records).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from forms.expr.context import EvalContext
from forms.expr.values import parse_date
from forms.graph import Entity, EntityGraph
from forms.model import EntityKind, RuleDef, Severity, Template
from forms.validate import findings as msg
from forms.validate.findings import ERROR, Finding, ValidationResult
from forms.validate.plan import Plan, build_plan
from forms.validate.tags import TagEngine

#: Fields holding an entity's own identity number, per kind: a number may belong to one entity.
DEFAULT_ID_FIELDS: Mapping[EntityKind, tuple[str, ...]] = {EntityKind.PERSON: ("id_number",)}
_KIND_ORDER = {EntityKind.PERSON: 0, EntityKind.HOUSEHOLD: 1, EntityKind.HOUSE: 2}


class IdIndex(Protocol):
    def owners(self, id_number: str) -> set[str]: ...


def normalise_id(value: str) -> str:
    return value.strip().upper()


class MemoryIdIndex:
    """An ``id_index`` over entities in memory (used by the command line and the bench)."""

    def __init__(
        self, entities: Iterable[Entity] = (), fields: Mapping[EntityKind, Sequence[str]] | None = None
    ) -> None:
        self._fields = fields if fields is not None else DEFAULT_ID_FIELDS
        self._owners: dict[str, set[str]] = {}
        for e in entities:
            self.add(e)

    def add(self, entity: Entity) -> None:
        for name in self._fields.get(entity.kind, ()):
            value = entity.data.get(name)
            if isinstance(value, str) and value.strip():
                self._owners.setdefault(normalise_id(value), set()).add(entity.id)

    def owners(self, id_number: str) -> set[str]:
        return self._owners.get(normalise_id(id_number), set())


class _Kind:
    """Everything prepared for one entity kind."""

    __slots__ = ("age_as_of", "choices", "id_fields", "kind", "plan", "rules", "tags", "template")

    def __init__(
        self,
        template: Template,
        tags: TagEngine,
        rules: list[tuple[RuleDef, Callable[[EvalContext], bool], str]],
        id_fields: list[tuple[str, msg.FieldText]],
        fixed_day: bool,
    ) -> None:
        self.template = template
        self.kind = template.entity
        self.plan: Plan = build_plan(template, fixed_day)
        self.tags = tags
        self.rules = rules
        self.id_fields = id_fields
        self.choices = template.choices
        as_of = template.settings.age_as_of.strip()
        self.age_as_of = parse_date(as_of) if as_of else None


class Validator:
    """Validates entities against the templates of their kinds (see the module docstring)."""

    def __init__(
        self,
        templates: Mapping[EntityKind, Template],
        *,
        today: date | None = None,
        id_index: IdIndex | None = None,
        id_fields: Mapping[EntityKind, Sequence[str]] = DEFAULT_ID_FIELDS,
    ) -> None:
        self.templates = dict(templates)
        self.today = today
        self.id_index = id_index
        self._kinds: dict[EntityKind, _Kind] = {}
        all_templates = list(self.templates.values())
        for kind, template in self.templates.items():
            tagdefs = [
                t for tpl in _own_first(template, all_templates) for t in tpl.tags.values() if t.scope == kind
            ]
            engine = TagEngine(kind, tagdefs, template.fields)
            # Every rule is evaluated on each record of its own template; its scope (record,
            # household, house) says which linked records its aggregates look across.
            rules = [(r, r.expression.truthy, rule_field(r, template)) for r in template.rules]
            ids = [
                (name, msg.FieldText.of(template.fields[name]))
                for name in id_fields.get(kind, ())
                if name in template.fields and template.fields[name].repeat is None
            ]
            self._kinds[kind] = _Kind(template, engine, rules, ids, today is not None)

    def tag_engine(self, kind: EntityKind) -> TagEngine | None:
        k = self._kinds.get(kind)
        return k.tags if k else None

    def validate(self, entity: Entity, graph: EntityGraph | None = None) -> ValidationResult:
        """Validate one entity; ``graph`` supplies its linked entities (None: no links)."""
        return _Run(self, graph).validate(entity)

    def validate_many(
        self, entities: Iterable[Entity], graph: EntityGraph | None = None
    ) -> list[ValidationResult]:
        """Validate a batch, sharing the cache of computed tags; results in input order.

        Persons are validated before households and houses, so aggregates over them reuse the
        tags already computed.
        """
        items = list(entities)
        run = _Run(self, graph)
        order = sorted(range(len(items)), key=lambda i: _KIND_ORDER.get(items[i].kind, 3))
        results: list[ValidationResult | None] = [None] * len(items)
        for i in order:
            results[i] = run.validate(items[i])
        return [r for r in results if r is not None]


def _own_first(template: Template, templates: list[Template]) -> list[Template]:
    return [template, *(t for t in templates if t is not template)]


def rule_field(rule: RuleDef, template: Template) -> str:
    """The field a rule's finding is about: the one its ``field`` column names, else the first
    top-level field of ``template`` (in survey order) the rule refers to, or ""."""
    if rule.field:
        return rule.field
    refs = rule.expression.refs
    for name, f in template.fields.items():
        if name in refs and f.repeat is None:
            return name
    return ""


#: What the first phase leaves for an entity: values (calculations filled in), tags in force,
#: what that phase found (rule, severity, field, (zh, en), kind) and the context it used.
_Pre = tuple[dict[str, Any], set[str], list[tuple[str, Any, str, tuple[str, str], str]], EvalContext]


class _Run:
    """The state of one ``validate`` or ``validate_many`` call.

    The first phase of validation (calculations and tags) is cached per entity id, so an entity
    whose tags an aggregate needed (``any-members(has-tag(...))``) is not computed twice when it
    is validated in the same batch.
    """

    __slots__ = ("graph", "now", "pre", "protos", "shared", "tags", "today", "v")

    def __init__(self, validator: Validator, graph: EntityGraph | None) -> None:
        self.v = validator
        self.graph = graph
        self.now = datetime.now()
        self.today = validator.today or self.now.date()
        #: First-phase results of entities not validated yet (computed for an aggregate).
        self.pre: dict[str, _Pre] = {}
        self.protos: dict[EntityKind, EvalContext] = {}
        #: Tags in force of entities already validated (kept small: no contexts, no values).
        self.tags: dict[str, Collection[str]] = {}
        #: Aggregates over the same linked records, computed once per run (see EvalContext.shared).
        self.shared: dict[Any, Any] = {}

    def first_phase(self, k: _Kind, entity: Entity) -> _Pre:
        pre = self.pre.get(entity.id)
        if pre is not None and pre[3].entity is entity:
            return pre
        values = k.plan.values_of(entity.data)
        in_force: set[str] = set()
        notes: list[tuple[str, Any, str, tuple[str, str], str]] = []
        proto = self.protos.get(k.kind)
        if proto is None:  # one context per kind and run; each record gets a cheap copy
            proto = self.protos[k.kind] = EvalContext(
                {},
                today=self.today,
                now=self.now,
                age_as_of=k.age_as_of,
                choices=k.choices,
                graph=self.graph,
                tags_for=self.tags_for,
            )
            proto.shared = self.shared
        ctx = proto.for_record(values, entity, in_force.__contains__)
        pre = (values, in_force, notes, ctx)
        self.pre[entity.id] = pre  # before computing, so a cycle of links sees a partial set

        def note(rule: str, severity: Any, path: str, text: tuple[str, str], what: str) -> None:
            notes.append((rule, severity, path, text, what))

        k.plan.calculate(values, ctx, note)
        k.tags.in_force(entity.tags, ctx, in_force, note)
        return pre

    def tags_for(self, entity: Any) -> Callable[[str], bool]:
        """has-tag for a linked entity: its tags in force, computed on first use, once per run."""
        tags = self.tags.get(entity.id)
        if tags is not None:
            return tags.__contains__
        pre = self.pre.get(entity.id)
        if pre is not None:
            return pre[1].__contains__

        def has_tag(tag: str) -> bool:
            k = self.v._kinds.get(entity.kind)
            if k is None:
                return tag in entity.tags
            done = self.tags.get(entity.id)
            if done is not None:
                return tag in done
            return tag in self.first_phase(k, entity)[1]

        return has_tag

    def validate(self, entity: Entity) -> ValidationResult:
        k = self.v._kinds.get(entity.kind)
        kind = entity.kind
        entity_id = entity.id
        if k is None:
            text = msg.no_template_text(kind)
            missing = Finding("template:missing", ERROR, entity_id, kind, "", text[0], text[1], "rule")
            return ValidationResult(list(entity.tags), [missing], dict(entity.data), False)
        # The first phase may already be done (an aggregate needed this entity's tags), but only
        # reuse it for this very object: the graph may hold an older version of an edited record.
        pre = self.first_phase(k, entity)
        self.pre.pop(entity_id, None)
        values, in_force, notes, ctx = pre
        self.tags[entity_id] = in_force
        findings = (
            [Finding(r, sev, entity_id, kind, path, t[0], t[1], what) for r, sev, path, t, what in notes]
            if notes
            else []
        )

        def report(rule: str, severity: Any, path: str, text: tuple[str, str], what: str) -> None:
            findings.append(Finding(rule, severity, entity_id, kind, path, text[0], text[1], what))

        k.plan.check(values, ctx, report)
        if k.tags.checks:
            k.tags.check(in_force, values, ctx, report)
        if k.rules:
            try:
                failed = [(rule, field) for rule, holds, field in k.rules if not holds(ctx)]
            except Exception:  # evaluate again rule by rule, reporting the faulty ones
                failed = []
                for rule, _holds, field in k.rules:
                    _check_rule(rule, field, ctx, report)
            for rule, field in failed:
                text = msg.rule_text(rule.id, rule.messages, rule.expression.source)
                report(rule.id, rule.severity, field, text, "rule")
        if k.id_fields and self.v.id_index is not None:
            _check_ids(k, entity, values, self.v.id_index, report)
        ok = True
        for f in findings:
            if f.severity is Severity.ERROR:
                ok = False
                break
        tags = k.tags.sort(in_force)
        # Kept for has-tag of later records: the result's list rather than the set, so that a
        # batch leaves fewer objects for the garbage collector to trace.
        self.tags[entity_id] = tags
        return ValidationResult(tags, findings, values, ok)


def _check_rule(rule: RuleDef, field: str, ctx: EvalContext, report: Any) -> None:
    try:
        holds = rule.expression.truthy(ctx)
    except Exception as e:  # reported, never raised
        report(
            rule.id, ERROR, field, msg.eval_failed_text(f"规则“{rule.id}”", f"Rule '{rule.id}'", e), "rule"
        )
        return
    if not holds:
        report(
            rule.id,
            rule.severity,
            field,
            msg.rule_text(rule.id, rule.messages, rule.expression.source),
            "rule",
        )


def _check_ids(k: _Kind, entity: Entity, values: Mapping[str, Any], index: IdIndex, report: Any) -> None:
    for name, text in k.id_fields:
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        owners = index.owners(normalise_id(value))
        if not owners or (len(owners) == 1 and entity.id in owners):
            continue
        report(f"{name}:duplicate", ERROR, name, msg.duplicate_id_text(text), "duplicate_id")


__all__ = ["DEFAULT_ID_FIELDS", "IdIndex", "MemoryIdIndex", "Validator", "normalise_id"]
