"""Domain functions: Chinese identity numbers, ages, tags, and aggregates over linked entities."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from forms import cn
from forms.errors import ExprError
from forms.expr.ast import Binary, Call, Literal, Ref, Unary, walk
from forms.expr.code import Code, number_fn, truthy_fn
from forms.expr.context import EntityLike, EvalContext
from forms.expr.dates import full_years
from forms.expr.registry import LINKED_ARG_FUNCTIONS, register, strict
from forms.expr.values import NAN, as_date, to_string
from forms.model import FieldType

# --- identity numbers and friends ---------------------------------------------------------------


def _id_valid(c: EvalContext, v: Any) -> bool:
    return cn.id_birthdate(to_string(v), c.today) is not None


def _id_birthdate(c: EvalContext, v: Any) -> Any:
    born = cn.id_birthdate(to_string(v), c.today)
    return "" if born is None else born


def _age(c: EvalContext, born: Any, asof: Any = None) -> Any:
    b = as_date(born)
    if b is None:
        return ""
    if asof is None:
        at = c.age_as_of if c.age_as_of is not None else c.today
    else:
        a = as_date(asof)
        if a is None:
            return ""
        at = a
    return full_years(b, at)


def _disability_part(index: int) -> Callable[[EvalContext, Any], str]:
    def part(c: EvalContext, v: Any) -> str:
        parsed = cn.disability_parse(to_string(v), c.today)
        if parsed is None:
            return ""
        return parsed.category if index == 0 else parsed.grade

    return part


strict("cn-id-valid", 1, 1, _id_valid, "bool", cost=4, needs_ctx=True)
strict("cn-id-birthdate", 1, 1, _id_birthdate, "any", cost=4, needs_ctx=True)
strict("cn-id-sex", 1, 1, lambda v: cn.id_sex(to_string(v)), "str", cost=4)
strict("age", 1, 2, _age, "any", cost=4, needs_ctx=True)
strict("cn-mobile-valid", 1, 1, lambda v: cn.mobile_valid(to_string(v)), "bool", cost=3)
strict("cn-uscc-valid", 1, 1, lambda v: cn.uscc_valid(to_string(v)), "bool", cost=4)
strict(
    "cn-disability-cert-valid",
    1,
    1,
    lambda c, v: cn.disability_parse(to_string(v), c.today) is not None,
    "bool",
    cost=4,
    needs_ctx=True,
)
strict("cn-disability-category", 1, 1, _disability_part(0), "str", cost=4, needs_ctx=True)
strict("cn-disability-grade", 1, 1, _disability_part(1), "str", cost=4, needs_ctx=True)


# --- tags and self ------------------------------------------------------------------------------


def _has_tag(c: EvalContext, tag: Any) -> bool:
    t = to_string(tag)
    if c.tags_in_force is not None:
        return bool(c.tags_in_force(t))
    e = c.entity
    return e is not None and t in e.tags


def _is_self(c: EvalContext) -> bool:
    outer = c.outer
    if outer is None:
        return True
    a, b = c.entity, outer.entity
    if a is None or b is None:
        return a is b
    return bool(a.id == b.id)


def _build_has_tag(comp: Any, node: Call) -> Any:
    """``has-tag(x)``; a quoted tag id is converted once. Its results change while a validator
    works out tags, so they are never cached (volatile)."""

    arg = comp.compile(node.args[0])
    if not arg.is_const:
        f = arg.fn
        return Code(lambda c: _has_tag(c, f(c)), "bool", volatile=True, cost=arg.cost + 2)
    tag = to_string(arg.const)

    def has_tag(c: EvalContext) -> bool:
        tags = c.tags_in_force
        if tags is not None:
            return bool(tags(tag))
        e = c.entity
        return e is not None and tag in e.tags

    return Code(has_tag, "bool", volatile=True, cost=2)


register("has-tag", 1, 1, _build_has_tag)
strict("is-self", 0, 0, _is_self, "bool", cost=1, needs_ctx=True)


# --- linked entities ----------------------------------------------------------------------------


_KIND_NAMES: dict[Any, str] = {}


def _kind(e: EntityLike) -> str:
    k = e.kind
    name = _KIND_NAMES.get(k)
    if name is None:
        name = _KIND_NAMES[k] = str(k)
    return name


def _with_self(found: Any, me: EntityLike) -> list[Any]:
    """The linked list with the record itself in its current version (added if it is active)."""
    out = list(found)
    for i, e in enumerate(out):
        if e.id == me.id:
            out[i] = me
            return out
    if getattr(me, "state", "active") == "active":
        out.append(me)
    return out


def linked(c: EvalContext, which: str) -> list[Any]:
    """The entities an aggregate runs over, for the record in context (see docs/architecture.md)."""
    g, e = c.graph, c.entity
    if g is None or e is None:
        return []
    kind = _kind(e)
    if which == "residents":
        house = e.id if kind == "house" else e.house_id
        found = list(g.residents(house)) if house else []
        return _with_self(found, e) if kind == "person" and house else found
    if which == "members":
        if kind == "house":
            return []
        household = e.id if kind == "household" else e.household_id
        found = list(g.members(household)) if household else []
        return _with_self(found, e) if kind == "person" and household else found
    house = e.id if kind == "house" else e.house_id
    found = list(g.households(house)) if house else []
    return _with_self(found, e) if kind == "household" and house else found


def _each(c: EvalContext, which: str, needs_tags: bool) -> Iterator[EvalContext]:
    """One context per linked entity. The same context object is reused (the argument is
    evaluated before the next one is made); each entity gets its own cache, and its tags are
    only worked out when the argument asks for them (has-tag)."""
    entities = linked(c, which)
    if not entities:
        return
    me = c.entity
    child = c.linked_context()
    tags_for = c.tags_for
    for e in entities:
        child.entity = e
        child.data = c.data if e is me else e.data  # the record itself: its answers as being evaluated
        child.memo = {}
        if needs_tags:
            if e is me and c.tags_in_force is not None:
                child.tags_in_force = c.tags_in_force  # the record's own tags, as being worked out
            elif tags_for is not None:
                child.tags_in_force = tags_for(e)
            else:
                child.tags_in_force = frozenset(e.tags).__contains__
        yield child


_LINK_KIND = {"residents": "person", "members": "person", "households": "household"}


#: Functions whose value depends only on their arguments and the as-of date.
_ENTITY_PURE = frozenset(
    {
        "if", "coalesce", "true", "false", "not", "boolean", "string", "number", "selected",
        "is-selected", "count-selected", "string-length", "substr", "concat", "contains", "starts-with",
        "ends-with", "regex", "int", "round", "floor", "ceiling", "abs", "today", "date", "format-date",
        "age", "cn-id-valid", "cn-id-birthdate", "cn-id-sex", "cn-mobile-valid",
    }
)  # fmt: skip


def _per_entity(arg: Any, scope: Any) -> bool:
    """Whether an aggregate's argument is a function of each linked record's stored answers
    alone: answered (not calculated) top-level fields of a known scope, through pure functions;
    no ``.``, no tags, no ``is-self()``. Such an aggregate has one value for a set of records."""
    if scope.permissive:
        return False
    for n in walk(arg):
        if isinstance(n, Call):
            if n.name not in _ENTITY_PURE:
                return False
        elif isinstance(n, Ref):
            spec = scope.lookup(n.name)
            if spec is None or spec[1] is not None or spec[0] in (FieldType.CALCULATE, FieldType.NOTE):
                return False
        elif not isinstance(n, Literal | Unary | Binary):
            return False
    return True


_MEANINGS: dict[tuple[Any, ...], int] = {}


def _meaning(node: Call, scope: Any) -> int:
    """What an aggregate computes (as a number): the same for the same text over fields of the
    same types, so a person template's rule and a household template's rule share their work."""
    refs = sorted({n.name for n in walk(node) if isinstance(n, Ref)})
    meaning = (node.key(), *((r, scope.lookup(r)) for r in refs))
    return _MEANINGS.setdefault(meaning, len(_MEANINGS) + 1)


def _shared(
    over: Callable[[EvalContext, list[Any]], Any], which: str, key: int
) -> Callable[[EvalContext], Any]:
    """``over`` the linked records computed once per run for the very same records (objects)."""

    def shared(c: EvalContext) -> Any:
        entities = linked(c, which)
        run = c.shared
        if run is None or not entities:
            return over(c, entities)
        ident = (key, *map(id, entities))
        hit = run.get(ident)
        if hit is not None:
            return hit[1]
        value = over(c, entities)
        run[ident] = (entities, value)  # keeps the objects, so their ids stay theirs
        return value

    return shared


def _loop(
    which: str, needs_tags: bool, t: Callable[[EvalContext], bool], mode: str
) -> Callable[[EvalContext, list[Any]], Any]:
    """count/all/any of ``t`` over the given linked entities, as one loop (see :func:`_each`)."""
    count, stop_on = mode == "count", mode == "any"

    def run(c: EvalContext, entities: list[Any]) -> Any:
        if not entities:
            return 0 if count else not stop_on
        me = c.entity
        data = c.data
        child = c.linked_context()
        tags_for = c.tags_for
        own_tags = c.tags_in_force
        n = 0
        for e in entities:
            child.entity = e
            child.data = data if e is me else e.data
            child.memo = {}
            if needs_tags:
                if e is me and own_tags is not None:
                    child.tags_in_force = own_tags
                elif tags_for is not None:
                    child.tags_in_force = tags_for(e)
                else:
                    child.tags_in_force = frozenset(e.tags).__contains__
            if t(child):
                if count:
                    n += 1
                elif stop_on:
                    return True
            elif not count and not stop_on:
                return False
        return n if count else not stop_on

    return run


def _numbers(values: Iterator[Any]) -> list[Any]:
    return [v for v in values if v == v]


def _aggregate_builder(which: str, mode: str) -> Callable[..., Any]:
    def build(comp: Any, node: Call) -> Any:

        kind = _LINK_KIND[which]
        sub = comp.for_scope(comp.scope.scope_for_linked(kind))
        arg = sub.compile(node.args[0]) if node.args else None
        tags = bool(node.args) and any(
            isinstance(n, Call) and n.name == "has-tag" for n in walk(node.args[0])
        )

        vol = arg.volatile if arg is not None else False
        if arg is None:
            return Code(lambda c: len(linked(c, which)), "num", cost=50, share=True)
        fn: Callable[[EvalContext], Any]
        if mode in ("count", "all", "any"):
            over = _loop(which, tags, truthy_fn(arg), mode)
            if not vol and _per_entity(node.args[0], sub.scope):
                fn = _shared(over, which, _meaning(node, sub.scope))
            else:
                fn = lambda c: over(c, linked(c, which))  # noqa: E731
            return Code(fn, "num" if mode == "count" else "bool", volatile=vol, cost=50, share=True)
        num = number_fn(arg)
        if mode == "sum":
            # as sum(): values that are not numbers (empty answers) are left out
            fn = lambda c: sum(_numbers(num(x) for x in _each(c, which, tags)))  # noqa: E731
            return Code(fn, "num", volatile=vol, cost=50, share=True)
        pick = min if mode == "min" else max

        def extreme(c: EvalContext) -> Any:
            vals = _numbers(num(x) for x in _each(c, which, tags))
            return pick(vals) if vals else NAN

        return Code(extreme, "num", volatile=vol, cost=50, share=True)

    return build


for _which in ("residents", "members", "households"):
    register(f"count-{_which}", 0, 1, _aggregate_builder(_which, "count"))
    register(f"all-{_which}", 1, 1, _aggregate_builder(_which, "all"))
    register(f"any-{_which}", 1, 1, _aggregate_builder(_which, "any"))
    LINKED_ARG_FUNCTIONS.update({f"count-{_which}", f"all-{_which}", f"any-{_which}"})
    if _which != "households":
        for _mode in ("sum", "min", "max"):
            register(f"{_mode}-{_which}", 1, 1, _aggregate_builder(_which, _mode))
            LINKED_ARG_FUNCTIONS.add(f"{_mode}-{_which}")


def _linked_field_builder(kind: str) -> Callable[..., Any]:
    """``household-field('name')`` / ``house-field('name')``: a field of the linked entity."""

    def build(comp: Any, node: Call) -> Any:
        from forms.expr.convert import converter

        arg = node.args[0]
        if not isinstance(arg, Literal) or not isinstance(arg.value, str):
            raise ExprError(
                f"{node.name}() takes a field name in quotes, like {node.name}('name')", arg.pos, "type"
            )
        name = arg.value.strip()
        if name.startswith("${") and name.endswith("}"):
            name = name[2:-1].strip()
        scope = comp.scope.linked_scope(kind)
        spec = None
        if scope is not None:
            spec = scope.lookup(name)
            if spec is None and not scope.permissive:
                raise ExprError(f"the {kind} has no field '{name}'", arg.pos, "unknown_field")
        conv, _ = converter(spec[0] if spec is not None else None)

        def value(c: EvalContext) -> Any:
            target = _linked_entity(c, kind)
            if target is None:
                return ""
            return conv(target.data.get(name, ""))

        return Code(value, "any", cost=3)

    return build


def _linked_entity(c: EvalContext, kind: str) -> Any:
    e, g = c.entity, c.graph
    if e is None:
        return None
    own = _kind(e)
    if own == kind:
        return e
    if g is None:
        return None
    if kind == "household":
        return g.get(e.household_id) if own == "person" and e.household_id else None
    if e.house_id:
        return g.get(e.house_id)
    if own == "person" and e.household_id:
        household = g.get(e.household_id)
        if household is not None and household.house_id:
            return g.get(household.house_id)
    return None


register("household-field", 1, 1, _linked_field_builder("household"))
register("house-field", 1, 1, _linked_field_builder("house"))

__all__ = ["linked"]
