"""The tag engine: which tags are in force on a record, and whether the tags set on it may be.

For one entity kind the engine holds the catalogue's tags of that scope, in catalogue order:

* auto tags are computed from the record in dependency order (an auto tag whose condition uses
  ``has-tag('x')`` of another auto tag is computed after it);
* manual and returned tags are those set on the record; a tag set by hand that the catalogue
  does not know is an error, an auto tag set by hand is ignored with a warning;
* a tag whose ``expires`` holds lapses: it is reported and is not in force;
* for every tag in force: a manual/returned tag's ``condition`` (its prerequisite) must hold,
  the tags it ``requires`` must be in force, the tags it ``excludes`` must not, and its
  ``required_fields`` must be filled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.model import Compiled, EntityKind, Field, FieldType, TagDef, TagKind
from forms.validate import findings as msg
from forms.validate.findings import ERROR, WARNING, FieldText, TagText

if TYPE_CHECKING:
    from forms.expr import EvalContext

_NOT_A_VALUE = frozenset({FieldType.NOTE})

#: Adds a finding: (rule, severity, field, (zh, en), kind).
Report = Callable[[str, Any, str, tuple[str, str], str], None]


def is_filled(value: object) -> bool:
    """Whether a stored answer counts as given (None, "", blanks and [] do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    if isinstance(value, list | dict):
        return bool(value)
    return True


def auto_order(tags: Sequence[TagDef]) -> list[TagDef]:
    """Auto tags in an order where every ``has-tag`` dependency on another auto tag comes first.

    Ties keep catalogue order. A cycle (which the loader rejects) is broken in catalogue order.
    """
    autos = [t for t in tags if t.kind == TagKind.AUTO]
    ids = {t.id for t in autos}
    deps: dict[str, set[str]] = {}
    for t in autos:
        refs: set[str] = set()
        for c in (t.condition, t.expires):
            if c is not None:
                refs |= set(c.tag_refs) & ids
        refs.discard(t.id)
        deps[t.id] = refs
    ordered: list[TagDef] = []
    done: set[str] = set()
    visiting: set[str] = set()
    by_id = {t.id: t for t in autos}

    def visit(tag_id: str) -> None:
        if tag_id in done or tag_id in visiting:
            return
        visiting.add(tag_id)
        for dep in sorted(deps[tag_id], key=lambda d: index[d]):
            visit(dep)
        visiting.discard(tag_id)
        done.add(tag_id)
        ordered.append(by_id[tag_id])

    index = {t.id: i for i, t in enumerate(autos)}
    for t in autos:
        visit(t.id)
    return ordered


#: Functions whose value depends only on their arguments (and on the as-of date, which is part of
#: every cache key): a condition using only these and top-level fields is a function of those
#: fields' values.
PURE_FUNCTIONS = frozenset(
    [
        "if",
        "coalesce",
        "true",
        "false",
        "not",
        "boolean",
        "boolean-from-string",
        "string",
        "number",
        "selected",
        "is-selected",
        "count-selected",
        "selected-at",
        "jr:choice-name",
        "string-length",
        "substr",
        "substring-before",
        "substring-after",
        "concat",
        "join",
        "contains",
        "starts-with",
        "ends-with",
        "normalize-space",
        "translate",
        "uppercase",
        "lowercase",
        "regex",
        "int",
        "round",
        "floor",
        "ceiling",
        "abs",
        "pow",
        "sqrt",
        "min",
        "max",
        "today",
        "date",
        "date-time",
        "decimal-date-time",
        "format-date",
        "age",
        "cn-id-valid",
        "cn-id-birthdate",
        "cn-id-sex",
        "cn-mobile-valid",
        "cn-uscc-valid",
        "cn-disability-cert-valid",
        "cn-disability-category",
        "cn-disability-grade",
    ]
)
#: A group's cache is dropped and the group evaluated directly once it holds this many keys
#: (its fields take too many distinct values for a cache to pay).
CACHE_LIMIT = 4096


def is_pure(c: Compiled | None, top_level: Callable[[str], bool]) -> bool:
    """Whether ``c`` depends only on top-level fields' values and the as-of date."""
    if c is None:
        return True
    if c.tag_refs or c.uses_current or not all(top_level(r) for r in c.refs):
        return False
    from forms.expr.ast import Call, walk

    return all(n.name in PURE_FUNCTIONS for n in walk(c.node) if isinstance(n, Call))


#: A cache key that cannot be used: the answers hold a boolean (True == 1 would mix entries).
NO_KEY: Any = object()


def cache_key(data: Mapping[str, Any], single: str | None, refs: tuple[str, ...]) -> Any:
    """The values of ``refs`` in ``data`` as a cache key, or :data:`NO_KEY`."""
    if single is not None:
        key = data.get(single)
        return NO_KEY if type(key) is bool else key
    values = tuple([data.get(r) for r in refs])
    return NO_KEY if bool in map(type, values) else values


class _PureGroup:
    """Auto tags whose conditions read the same top-level fields and nothing else: which of them
    hold is cached by those fields' values."""

    __slots__ = ("cache", "enabled", "refs", "single", "tags")

    def __init__(self, refs: frozenset[str], tags: list[tuple[str, Compiled, Compiled | None]]) -> None:
        self.refs = tuple(sorted(refs))
        self.single = self.refs[0] if len(self.refs) == 1 else None
        self.tags = tuple((tag_id, cond.truthy, expires) for tag_id, cond, expires in tags)
        self.cache: dict[Any, tuple[str, ...]] = {}
        self.enabled = True

    def holding(self, ctx: EvalContext) -> tuple[str, ...]:
        if self.enabled:
            single = self.single
            if single is not None:
                key = ctx.data.get(single)
                if type(key) is bool:
                    return self._evaluate(ctx)
            else:
                key = cache_key(ctx.data, None, self.refs)
                if key is NO_KEY:
                    return self._evaluate(ctx)
            try:
                found = self.cache.get(key)
            except TypeError:  # an unhashable answer (a list): evaluate directly
                return self._evaluate(ctx)
            if found is not None:
                return found
            found = self._evaluate(ctx)
            if len(self.cache) >= CACHE_LIMIT:
                self.enabled = False
                self.cache = {}
            else:
                self.cache[key] = found
            return found
        return self._evaluate(ctx)

    def _evaluate(self, ctx: EvalContext) -> tuple[str, ...]:
        return tuple(
            tag_id
            for tag_id, holds, expires in self.tags
            if holds(ctx) and (expires is None or not expires.truthy(ctx))
        )


@dataclass(frozen=True, slots=True)
class _Check:
    """What to verify while a tag is in force."""

    tag: TagDef
    text: TagText
    condition: Compiled | None  # only for manual and returned tags
    requires: tuple[tuple[str, TagText], ...]
    excludes: tuple[tuple[str, TagText], ...]
    #: (field name, repeat name or None, labels)
    fields: tuple[tuple[str, str | None, FieldText], ...]


class TagEngine:
    """The tags of one entity kind, prepared once for many records."""

    def __init__(self, kind: EntityKind, tags: Iterable[TagDef], fields: Mapping[str, Field]):
        self.kind = kind
        self.tags: dict[str, TagDef] = {}
        for t in tags:
            self.tags.setdefault(t.id, t)
        self.order = {tag_id: i for i, tag_id in enumerate(self.tags)}
        self.texts = {t.id: TagText.of(t) for t in self.tags.values()}
        autos = auto_order(list(self.tags.values()))
        #: (id, condition, expires) of auto tags, in dependency order.
        self.autos: tuple[tuple[str, Compiled | None, Compiled | None], ...] = tuple(
            (t.id, t.condition, t.expires) for t in autos
        )
        self.auto_ids = frozenset(t.id for t in autos)

        # Fast path: pure auto tags grouped by the fields they read (cached by those fields'
        # values), then the others in dependency order (pure ones depend on no tag).
        def top_level(name: str) -> bool:
            f = fields.get(name)
            return f is not None and f.repeat is None and f.type not in _NOT_A_VALUE

        by_refs: dict[frozenset[str], list[tuple[str, Compiled, Compiled | None]]] = {}
        rest: list[tuple[str, Callable[[EvalContext], bool], Compiled | None]] = []
        for t in autos:
            if t.condition is None:
                continue
            if t.condition.refs and is_pure(t.condition, top_level) and is_pure(t.expires, top_level):
                refs = t.condition.refs | (t.expires.refs if t.expires is not None else frozenset())
                by_refs.setdefault(refs, []).append((t.id, t.condition, t.expires))
            else:
                rest.append((t.id, t.condition.truthy, t.expires))
        groups = [_PureGroup(refs, tags) for refs, tags in by_refs.items() if len(tags) > 1]
        singles = [
            (tag_id, c.truthy, e) for tags in by_refs.values() if len(tags) == 1 for tag_id, c, e in tags
        ]
        self._groups = tuple(groups)
        self._fast = tuple(singles + rest)
        self._groups_today: Any = None
        self._groups_as_of: Any = None
        self.settable = {t.id: t for t in self.tags.values() if t.kind != TagKind.AUTO}
        self.checks: dict[str, _Check] = {}
        for t in self.tags.values():
            check = self._check_for(t, fields)
            if check is not None:
                self.checks[t.id] = check

    def _text(self, tag_id: str) -> TagText:
        return self.texts.get(tag_id) or TagText(tag_id, tag_id, tag_id)

    def _check_for(self, t: TagDef, fields: Mapping[str, Field]) -> _Check | None:
        condition = t.condition if t.kind != TagKind.AUTO else None
        if condition is None and not (t.requires or t.excludes or t.required_fields):
            return None
        field_checks: list[tuple[str, str | None, FieldText]] = []
        for name in t.required_fields:
            f = fields.get(name)
            text = FieldText.of(f) if f is not None else FieldText(name, name, name)
            field_checks.append((name, f.repeat if f is not None else None, text))
        return _Check(
            tag=t,
            text=self._text(t.id),
            condition=condition,
            requires=tuple((r, self._text(r)) for r in t.requires),
            excludes=tuple((x, self._text(x)) for x in t.excludes),
            fields=tuple(field_checks),
        )

    def sort(self, tags: Iterable[str]) -> list[str]:
        order = self.order
        try:
            return sorted(tags, key=order.__getitem__)
        except KeyError:  # a tag outside the catalogue goes last
            return sorted(tags, key=lambda t: order.get(t, len(order)))

    def in_force(
        self,
        set_tags: Sequence[str],
        ctx: EvalContext,
        in_force: set[str],
        report: Report | None,
    ) -> None:
        """Fill ``in_force`` (which ``ctx.tags_in_force`` must consult) with the tags in force.

        With ``report`` None only the tags are computed (for linked entities); otherwise every
        problem with the tags set on the record is reported.
        """
        settable = self.settable
        expiring: list[tuple[str, Compiled]] = []
        for tag_id in set_tags:
            tag = settable.get(tag_id)
            if tag is None:
                if report is not None:
                    if tag_id in self.auto_ids:
                        text = msg.auto_tag_set_text(self._text(tag_id))
                        report(f"tag:{tag_id}:auto", WARNING, "", text, "tag")
                    else:
                        text = msg.unknown_tag_text(tag_id, self.kind)
                        report(f"tag:{tag_id}:unknown", ERROR, "", text, "tag")
                continue
            in_force.add(tag_id)
            if tag.expires is not None:
                expiring.append((tag_id, tag.expires))
        for tag_id, lapse in expiring:
            if self._holds(lapse, ctx, report, tag_id, "expires"):
                in_force.discard(tag_id)
                if report is not None:
                    text = msg.tag_expired_text(self._text(tag_id))
                    report(f"tag:{tag_id}:expired", WARNING, "", text, "tag")
        add = in_force.add
        try:
            if self._groups:
                if ctx.today != self._groups_today or ctx.age_as_of != self._groups_as_of:
                    self._reset_groups(ctx)
                for group in self._groups:
                    in_force.update(group.holding(ctx))
            for tag_id, holds, expires in self._fast:
                if holds(ctx) and (expires is None or not expires.truthy(ctx)):
                    add(tag_id)
        except Exception:  # redo tag by tag, reporting the faulty conditions
            in_force.difference_update(self.auto_ids)
            for tag_id, condition, expires in self.autos:
                if condition is None or not self._holds(condition, ctx, report, tag_id, "condition"):
                    continue
                if expires is not None and self._holds(expires, ctx, report, tag_id, "expires"):
                    continue
                add(tag_id)

    def _reset_groups(self, ctx: EvalContext) -> None:
        """The caches hold for one as-of date; start afresh when it changes."""
        for group in self._groups:
            group.cache = {}
            group.enabled = True
        self._groups_today = ctx.today
        self._groups_as_of = ctx.age_as_of

    def check(self, in_force: set[str], values: Mapping[str, Any], ctx: EvalContext, report: Report) -> None:
        """Report every broken prerequisite, requirement, exclusion and required field."""
        checks = self.checks
        if len(in_force) < len(checks):
            todo = [checks[t] for t in in_force if t in checks]
        else:
            todo = [c for t, c in checks.items() if t in in_force]
        if len(todo) > 1:
            order = self.order
            todo.sort(key=lambda c: order[c.tag.id])
        for c in todo:
            tag_id = c.tag.id
            if c.condition is not None and not self._holds(c.condition, ctx, report, tag_id, "condition"):
                text = msg.tag_condition_text(c.text, c.condition.source)
                report(f"tag:{tag_id}:condition", ERROR, "", text, "tag")
            for other, other_text in c.requires:
                if other not in in_force:
                    text = msg.tag_requires_text(c.text, other_text)
                    report(f"tag:{tag_id}:requires", ERROR, "", text, "tag")
            for other, other_text in c.excludes:
                if other in in_force:
                    text = msg.tag_excludes_text(c.text, other_text)
                    report(f"tag:{tag_id}:excludes", ERROR, "", text, "tag")
            for name, repeat, ftext in c.fields:
                for path in _missing(values, name, repeat):
                    text = msg.tag_field_text(c.text, ftext)
                    report(f"tag:{tag_id}:required_fields", ERROR, path, text, "tag")

    @staticmethod
    def _holds(c: Compiled, ctx: EvalContext, report: Report | None, tag_id: str, what: str) -> bool:
        try:
            return c.truthy(ctx)
        except Exception as e:  # an evaluation fault is reported, never raised
            if report is not None:
                text = msg.eval_failed_text(f"标签“{tag_id}”的{what}", f"The {what} of tag '{tag_id}'", e)
                report(f"tag:{tag_id}:{what}", ERROR, "", text, "tag")
            return False


def _missing(values: Mapping[str, Any], name: str, repeat: str | None) -> list[str]:
    """Paths of ``name`` left empty: the field itself, or each row of its repeat (and the repeat
    itself when it has no rows)."""
    if repeat is None:
        return [] if is_filled(values.get(name)) else [name]
    rows = values.get(repeat)
    if not isinstance(rows, list) or not rows:
        return [repeat]
    return [
        f"{repeat}[{i}].{name}"
        for i, row in enumerate(rows)
        if not (isinstance(row, dict) and is_filled(row.get(name)))
    ]
