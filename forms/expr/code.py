"""A compiled node (:class:`Code`): its closure and what is known about it statically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms.expr.context import EvalContext
from forms.expr.fused import field_number
from forms.expr.values import to_bool, to_number

Fn = Callable[[EvalContext], Any]
NO_CONST: Any = object()
#: A call at least this costly is worth caching per record (``Code.share``).
MEMO_COST = 3


@dataclass(slots=True)
class Code:
    fn: Fn
    kind: str = "any"  # str num bool date datetime list any
    const: Any = NO_CONST
    volatile: bool = False  # depends on "." or the repeat row: never cached
    cost: int = 1
    #: For a plain top-level field reference: (name, converter, holds text); enables fused closures.
    field: Any = None
    #: Costly enough (a domain function, an aggregate, a regex ...) to cache per record.
    share: bool = False
    #: A faster ``number(...)`` of this value, when there is one.
    num: Fn | None = None
    #: For ``${text field} = 'constant'``: (field name, {constant}); ``or`` merges these.
    one_of: Any = None

    @property
    def is_const(self) -> bool:
        return self.const is not NO_CONST


_CONST_KINDS: dict[type, str] = {str: "str", int: "num", float: "num", bool: "bool"}


def constant(value: Any) -> Code:
    return Code(lambda _c: value, _CONST_KINDS.get(type(value), "any"), value, False, 0)


def truthy_fn(code: Code) -> Fn:
    fn = code.fn
    if code.is_const:
        b = to_bool(code.const)
        return lambda _c: b
    if code.kind == "bool":
        return fn
    if code.kind == "str":
        return lambda c: fn(c) != ""
    return lambda c: to_bool(fn(c))


def number_fn(code: Code) -> Fn:
    fn = code.fn
    if code.kind == "num":
        return fn
    if code.num is not None:
        return code.num
    if code.field is not None:
        name, conv, _text = code.field
        return field_number(name, conv)
    if code.is_const:
        n = to_number(code.const)
        return lambda _c: n
    return lambda c: to_number(fn(c))


__all__ = ["MEMO_COST", "NO_CONST", "Code", "constant", "number_fn", "truthy_fn"]
