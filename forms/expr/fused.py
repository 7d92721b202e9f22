"""Fused closures for the hottest shapes: a field compared with a constant, a field as a number.

``${age} >= 60`` is one closure doing one dict lookup, one cached string-to-number lookup and
one comparison, instead of a chain of closures. The results are exactly those of the generic
path (see ``compiler.Compiler.binary``); only field types whose stored strings convert to the
same number with or without the typed conversion take this path (not date-times).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from forms.expr.context import EvalContext
from forms.expr.values import _number_cache, _string_to_number, to_number, values_equal

Fn = Callable[[EvalContext], Any]
Conv = Callable[[Any], Any]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
#: The same comparison with its operands swapped (``60 <= ${age}`` is ``${age} >= 60``).
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def field_number(name: str, conv: Conv) -> Fn:
    """``number(${name})`` for a top-level field."""
    cache = _number_cache

    def num(c: EvalContext) -> Any:
        v = c.data.get(name, "")
        if type(v) is str:
            n = cache.get(v)
            return _string_to_number(v) if n is None else n
        return to_number(conv(v))

    return num


def current_number(c: EvalContext) -> Any:
    """``number(.)``."""
    v = c.current
    if type(v) is str:
        n = _number_cache.get(v)
        return _string_to_number(v) if n is None else n
    return to_number("" if v is None else v)


def field_compare(name: str, conv: Conv, op: str, k: float) -> Fn:
    """``${name} op k`` for a numeric constant ``k``."""
    cache = _number_cache
    cmp = _OPS[op]
    if op == ">=":

        def ge(c: EvalContext) -> bool:
            v = c.data.get(name, "")
            if type(v) is str:
                n = cache.get(v)
                if n is None:
                    n = _string_to_number(v)
                return n >= k
            return bool(to_number(conv(v)) >= k)

        return ge
    if op == "<":

        def lt(c: EvalContext) -> bool:
            v = c.data.get(name, "")
            if type(v) is str:
                n = cache.get(v)
                if n is None:
                    n = _string_to_number(v)
                return n < k
            return bool(to_number(conv(v)) < k)

        return lt

    def other(c: EvalContext) -> bool:
        v = c.data.get(name, "")
        if type(v) is str:
            n = cache.get(v)
            if n is None:
                n = _string_to_number(v)
            return cmp(n, k)
        return cmp(to_number(conv(v)), k)

    return other


def _is_empty(v: str) -> bool:
    return v == ""


def _is_blank(v: str) -> bool:
    return not v.strip()


def numeric_text(conv: Conv) -> bool:
    """True for the converters of integer and decimal fields (they read blank text as empty)."""
    return getattr(conv, "numeric", False) is True


def field_equals(name: str, conv: Conv, text_kind: bool, k: Any, negate: bool) -> Fn:
    """``${name} = k`` (or ``!=``) for a constant ``k``."""
    if type(k) is str and text_kind:
        # The field's value is its stored text: a plain string comparison is exact.
        if negate:

            def ne(c: EvalContext) -> bool:
                v = c.data.get(name, "")
                if type(v) is str:
                    return v != k
                return not values_equal(conv(v), k)

            return ne

        def eq(c: EvalContext) -> bool:
            v = c.data.get(name, "")
            if type(v) is str:
                return v == k
            return values_equal(conv(v), k)

        return eq
    if type(k) is str and k == "":
        # Empty test on a typed field: the conversion yields "" exactly for empty answers
        # (numbers also for blank text), so stored text is tested without converting it.
        blank = _is_blank if numeric_text(conv) else _is_empty

        def empty(c: EvalContext) -> bool:
            v = c.data.get(name, "")
            if type(v) is str:
                return blank(v)
            return bool(conv(v) == "")

        if negate:
            return lambda c: not empty(c)
        return empty
    if (type(k) is int or type(k) is float) and k == k:
        num = field_number(name, conv)
        if negate:
            return lambda c: not abs(num(c) - k) < 1e-12
        return lambda c: abs(num(c) - k) < 1e-12
    if negate:
        return lambda c: not values_equal(conv(c.data.get(name, "")), k)
    return lambda c: values_equal(conv(c.data.get(name, "")), k)
