"""Aggregates of the form ``any-residents(not(is-self()) and P)`` where ``P`` reads each linked
record's own answers alone: which linked records satisfy ``P`` is worked out once per run for a
set of records (a house's residents), and each record then leaves itself out (空巢老人)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.expr.ast import Binary, Call, Node
from forms.expr.context import EvalContext

#: (context, linked records) -> the aggregate's value, evaluated record by record.
Over = Callable[[EvalContext, list[Any]], Any]


def _is_not_self(n: Node) -> bool:
    return (
        isinstance(n, Call)
        and n.name == "not"
        and len(n.args) == 1
        and isinstance(n.args[0], Call)
        and n.args[0].name == "is-self"
        and not n.args[0].args
    )


def split_not_self(arg: Node) -> Node | None:
    """``P`` when ``arg`` is an ``and`` chain with exactly one ``not(is-self())`` operand and
    at least one other operand (the others joined again in their order); else None."""
    if not isinstance(arg, Binary) or arg.op != "and":
        return None
    operands: list[Node] = []
    stack: list[Node] = [arg]
    while stack:
        n = stack.pop()
        if isinstance(n, Binary) and n.op == "and":
            stack.append(n.right)
            stack.append(n.left)
        else:
            operands.append(n)
    rest = [n for n in operands if not _is_not_self(n)]
    if len(rest) != len(operands) - 1 or not rest:
        return None
    out = rest[0]
    for n in rest[1:]:
        out = Binary(out.pos, "and", out, n)
    return out


def _flags(c: EvalContext, entities: list[Any], p: Callable[[EvalContext], bool]) -> tuple[bool, ...]:
    """Whether ``P`` holds for each linked record (in its stored answers; the record in context
    with its answers as being evaluated, which are the same for the fields ``P`` reads)."""
    me = c.entity
    data = c.data
    child = c.linked_context()
    out: list[bool] = []
    for e in entities:
        child.entity = e
        child.data = data if e is me else e.data
        child.memo = {}
        out.append(bool(p(child)))
    return tuple(out)


def shared_but_self(
    which: str,
    p: Callable[[EvalContext], bool],
    key: int,
    mode: str,
    fallback: Over,
    linked: Callable[[EvalContext, str], list[Any]],
) -> Callable[[EvalContext], Any]:
    """count/all/any of ``not(is-self()) and P`` over the linked records, with ``P``'s values
    shared by every record of the run that has the very same linked records (objects). When
    ``P`` fails for any of them, ``fallback`` evaluates the aggregate as written (same faults)."""
    count, stop_on = mode == "count", mode == "any"

    def fn(c: EvalContext) -> Any:
        entities = linked(c, which)
        run = c.shared
        if run is None or not entities:
            return fallback(c, entities)
        ident = (key, *map(id, entities))
        hit = run.get(ident)
        if hit is None:
            try:
                flags = _flags(c, entities, p)
            except Exception:
                return fallback(c, entities)
            hit = run[ident] = (entities, flags)  # keeps the objects, so their ids stay theirs
        me_id = c.entity.id if c.entity is not None else None
        n = 0
        for e, holds in zip(entities, hit[1], strict=True):
            if holds and e.id != me_id:
                if count:
                    n += 1
                elif stop_on:
                    return True
            elif not count and not stop_on:
                return False
        return n if count else not stop_on

    return fn


__all__ = ["shared_but_self", "split_not_self"]
