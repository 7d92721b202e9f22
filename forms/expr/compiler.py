"""Compile a syntax tree to closures specialised by node type and known argument types.

Each node becomes a :class:`Code`: a function ``ctx -> value`` plus what is known statically
about it (its kind, whether it is a constant, whether it depends on ``.``/the repeat row, and a
rough cost). Constant subtrees are folded. Costly subtrees are shared through the scope's intern
table and their value is cached per record in ``ctx.memo``, so ``age(${birth_date})`` used by
thirty tag conditions is computed once per person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.errors import ExprError
from forms.expr.ast import Binary, Call, Current, Literal, Node, Ref, Unary, walk
from forms.expr.code import MEMO_COST, NO_CONST, Code, constant, number_fn, truthy_fn
from forms.expr.context import EvalContext, Scope
from forms.expr.convert import ARITH, CMP, conv_str, converter, safe
from forms.expr.fused import current_number
from forms.expr.parser import parse
from forms.expr.registry import LINKED_ARG_FUNCTIONS
from forms.expr.shapes import (
    _chain,
    _current_vs_today,
    _day_cached,
    _dynamic_fn,
    _fused,
    _is_today,
    _memoized,
    _merge_one_of,
    _one_of,
    _per_day,
    _repeat_field_fn,
    _rows_fn,
)
from forms.expr.table import lookup
from forms.expr.values import (
    to_bool,
    to_number,
    to_string,
    values_equal,
)
from forms.model import FieldType

Fn = Callable[[EvalContext], Any]
#: Use the fused closures of ``forms.expr.fused`` (tests turn this off to compare both paths).
FUSE = True


class Compiler:
    """Compiles the nodes of one expression against one scope."""

    def __init__(self, text: str, scope: Scope) -> None:
        self.text = text
        self.scope = scope

    def for_scope(self, scope: Scope) -> Compiler:
        """A compiler of the same text for another scope (an aggregate's linked records)."""
        return Compiler(self.text, scope)

    # entry point for a subtree; handles folding, interning and caching
    def compile(self, node: Node) -> Code:
        if isinstance(node, Literal):
            return constant(node.value)
        if isinstance(node, Ref):
            return self.ref(node)
        if isinstance(node, Current):
            return Code(
                lambda c: c.current if c.current is not None else "",
                "any",
                volatile=True,
                cost=1,
                num=current_number,
            )
        key = node.key()
        cached: Code | None = self.scope.interned.get(key)
        if cached is not None:
            return cached
        code = (
            self.unary(node)
            if isinstance(node, Unary)
            else (
                self.binary(node) if isinstance(node, Binary) else self.call(node)  # type: ignore[arg-type]
            )
        )
        if not code.is_const and not code.volatile:
            if _per_day(node):
                code = _day_cached(code)
            elif code.share:
                code = _memoized(code)
        self.scope.interned[key] = code
        return code

    def ref(self, node: Ref) -> Code:
        name = node.name
        scope = self.scope
        spec = scope.lookup(name)
        if spec is None:
            if name in scope.repeats:
                return Code(_rows_fn(name), "list", cost=1)
            if not scope.permissive:
                raise ExprError(f"unknown field ${{{name}}}", node.pos, "unknown_field")
            return Code(_dynamic_fn(name), "any", volatile=True, cost=1)
        ftype, repeat = spec
        conv, kind = converter(ftype)
        if repeat is not None:
            return Code(_repeat_field_fn(name, repeat, conv), "any", volatile=True, cost=2)
        fusable = ftype not in (FieldType.DATETIME, FieldType.TIME)
        if conv is conv_str:

            def get_str(c: EvalContext) -> Any:
                v = c.data.get(name, "")
                return v if type(v) is str else conv_str(v)

            # A calculation is filled in while the record is being evaluated: never cache
            # subexpressions that read one (they are cheap; what they read is cached instead).
            volatile = ftype == FieldType.CALCULATE
            return Code(
                get_str, "str", volatile=volatile, cost=1, field=(name, conv, True) if fusable else None
            )

        def get(c: EvalContext) -> Any:
            return conv(c.data.get(name, ""))

        return Code(get, kind, cost=1, field=(name, conv, False) if fusable else None)

    def unary(self, node: Unary) -> Code:
        inner = self.compile(node.operand)
        if inner.is_const:
            return constant(safe(lambda x, _y: -x)(to_number(inner.const), 0))
        num = number_fn(inner)
        return Code(lambda c: -num(c), "num", volatile=inner.volatile, cost=inner.cost + 1)

    def binary(self, node: Binary) -> Code:
        op = node.op
        if op in ("and", "or"):
            return self._logic(node)
        if op in CMP and _is_today(node.right) and isinstance(node.left, Current):
            return _current_vs_today(op, self._binary(node))
        return self._binary(node)

    def _binary(self, node: Binary) -> Code:
        op = node.op
        left = self.compile(node.left)
        right = self.compile(node.right)
        volatile = left.volatile or right.volatile
        cost = left.cost + right.cost + 1
        fused = _fused(op, left, right) if FUSE else None
        if fused is not None:
            return Code(fused, "bool", volatile=volatile, cost=cost, one_of=_one_of(op, left, right))
        if op in ("=", "!="):
            code = self._equality(left, right, volatile, cost)
            if op == "!=":
                if code.is_const:
                    return constant(not code.const)
                eq = code.fn
                return Code(lambda c: not eq(c), "bool", volatile=volatile, cost=cost)
            return code
        if op in CMP:
            cmp = CMP[op]
            if left.is_const and right.is_const:
                return constant(cmp(to_number(left.const), to_number(right.const)))
            a, b = number_fn(left), number_fn(right)
            if right.is_const:
                k = to_number(right.const)
                if op == ">=":
                    return Code(lambda c: a(c) >= k, "bool", volatile=volatile, cost=cost)
                if op == "<":
                    return Code(lambda c: a(c) < k, "bool", volatile=volatile, cost=cost)
                if op == ">":
                    return Code(lambda c: a(c) > k, "bool", volatile=volatile, cost=cost)
                return Code(lambda c: a(c) <= k, "bool", volatile=volatile, cost=cost)
            return Code(lambda c: cmp(a(c), b(c)), "bool", volatile=volatile, cost=cost)
        arith = ARITH[op]
        if left.is_const and right.is_const:
            return constant(arith(to_number(left.const), to_number(right.const)))
        a, b = number_fn(left), number_fn(right)
        return Code(lambda c: arith(a(c), b(c)), "num", volatile=volatile, cost=cost)

    def _logic(self, node: Binary) -> Code:
        """``and``/``or`` chains as one closure over the operands' truth functions."""
        op = node.op
        operands: list[Node] = []
        stack: list[Node] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Binary) and n.op == op:
                stack.append(n.right)
                stack.append(n.left)
            else:
                operands.append(n)
        codes = [self.compile(n) for n in operands]
        decisive = op == "or"  # the operand value that settles the chain
        live: list[Code] = []
        for code in codes:
            if code.is_const:
                if to_bool(code.const) is decisive:
                    return constant(decisive)
                continue
            live.append(code)
        if not live:
            return constant(not decisive)
        if decisive and FUSE:
            live = _merge_one_of(live)
        volatile = any(c.volatile for c in live)
        cost = sum(c.cost for c in live) + len(live) - 1
        fns = [truthy_fn(c) for c in live]
        if len(fns) == 1:
            return Code(fns[0], "bool", volatile=volatile, cost=cost)
        return Code(_chain(fns, decisive), "bool", volatile=volatile, cost=cost)

    def _equality(self, left: Code, right: Code, volatile: bool, cost: int) -> Code:
        if left.is_const and right.is_const:
            return constant(values_equal(left.const, right.const))
        if left.is_const and not right.is_const:
            left, right = right, left
        a = left.fn
        if right.is_const:
            k = right.const
            tk = type(k)
            if tk is str:
                if left.kind == "str":
                    return Code(lambda c: a(c) == k, "bool", volatile=volatile, cost=cost)

                def eq_str(c: EvalContext) -> bool:
                    v = a(c)
                    return v == k if type(v) is str else values_equal(v, k)

                return Code(eq_str, "bool", volatile=volatile, cost=cost)
            if tk is int or tk is float:
                num = number_fn(left)
                if left.kind == "bool":
                    kb = to_bool(k)
                    return Code(lambda c: a(c) == kb, "bool", volatile=volatile, cost=cost)
                return Code(lambda c: abs(num(c) - k) < 1e-12, "bool", volatile=volatile, cost=cost)
            if tk is bool:
                t = truthy_fn(left)
                return Code(lambda c: t(c) == k, "bool", volatile=volatile, cost=cost)
        b = right.fn
        if left.kind == "str" and right.kind == "str":
            return Code(lambda c: a(c) == b(c), "bool", volatile=volatile, cost=cost)
        return Code(lambda c: values_equal(a(c), b(c)), "bool", volatile=volatile, cost=cost)

    def call(self, node: Call) -> Code:
        spec = lookup(node.name)
        if spec is None:
            raise ExprError(f"unknown function {node.name}()", node.pos, "unknown_function")
        n = len(node.args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise ExprError(f"{node.name}() {spec.arity_text()}, got {n}", node.pos, "arity")
        return spec.build(self, node)


class Compiled:
    """A compiled expression. ``evaluate(ctx)`` gives its value, ``truthy(ctx)`` its XPath boolean."""

    __slots__ = (
        "constant_value",
        "evaluate",
        "is_constant",
        "kind",
        "node",
        "refs",
        "scope",
        "source",
        "tag_refs",
        "truthy",
        "uses_current",
    )

    def __init__(
        self,
        source: str,
        node: Node,
        code: Code,
        refs: frozenset[str],
        tag_refs: frozenset[str],
        uses_current: bool,
        scope: Scope | None = None,
    ) -> None:
        self.scope = scope
        self.source = source
        self.node = node
        self.refs = refs
        self.tag_refs = tag_refs
        self.uses_current = uses_current
        self.kind = code.kind
        self.is_constant = code.is_const
        self.constant_value: Any = code.const if code.is_const else None
        self.evaluate: Fn = code.fn
        self.truthy: Callable[[EvalContext], bool] = truthy_fn(code)

    def __repr__(self) -> str:
        return f"Compiled({self.source!r})"

    def truthy_with_current_as(self, name: str) -> Callable[[EvalContext], bool] | None:
        """``truthy`` with ``.`` read as ``${name}`` (a top-level text field of the scope, whose
        reference reads its stored text as ``.`` does): subexpressions then share their cached
        values with the same ones written with ``${name}`` (``cn-id-valid(.)`` in a constraint
        and ``cn-id-valid(${id_number})`` in a rule). None when that does not apply."""
        scope = self.scope
        if scope is None or not self.uses_current:
            return None
        spec = scope.lookup(name)
        if spec is None or spec[1] is not None or converter(spec[0])[0] is not conv_str:
            return None
        node = _current_as(self.node, Ref(0, name))
        if node is None:
            return None
        try:
            return truthy_fn(Compiler(self.source, scope).compile(node))
        except Exception:  # not expected (the expression compiled with "."); keep the original
            return None


def _current_as(node: Node, ref: Ref) -> Node | None:
    """``node`` with every ``.`` replaced by ``ref``; None if a ``.`` sits inside an aggregate's
    argument (there it is about the linked record)."""
    if isinstance(node, Current):
        return ref
    if isinstance(node, Unary):
        inner = _current_as(node.operand, ref)
        return None if inner is None else Unary(node.pos, node.op, inner)
    if isinstance(node, Binary):
        left, right = _current_as(node.left, ref), _current_as(node.right, ref)
        if left is None or right is None:
            return None
        return Binary(node.pos, node.op, left, right, node.op_pos)
    if isinstance(node, Call):
        if node.name in LINKED_ARG_FUNCTIONS:
            return None if any(isinstance(n, Current) for n in walk(node)) else node
        args = [_current_as(a, ref) for a in node.args]
        if any(a is None for a in args):
            return None
        return Call(node.pos, node.name, tuple(a for a in args if a is not None))
    return node


def collect_refs(node: Node) -> tuple[frozenset[str], frozenset[str], bool]:
    """Field names referenced outside aggregate arguments, tag ids of literal has-tag calls, uses '.'."""
    refs: set[str] = set()
    tags: set[str] = set()
    uses_current = False
    stack: list[Node] = [node]
    linked: list[Node] = []  # inside an aggregate's arguments: only has-tag counts there
    for todo, outside in ((stack, True), (linked, False)):
        while todo:
            n = todo.pop()
            t = type(n)
            if t is Literal:
                continue
            if t is Ref:
                if outside:
                    refs.add(n.name)  # type: ignore[attr-defined]
            elif t is Binary:
                todo.append(n.left)  # type: ignore[attr-defined]
                todo.append(n.right)  # type: ignore[attr-defined]
            elif t is Call:
                name, args = n.name, n.args  # type: ignore[attr-defined]
                if name == "has-tag" and args and isinstance(args[0], Literal):
                    tags.add(to_string(args[0].value))
                (linked if name in LINKED_ARG_FUNCTIONS else todo).extend(args)
            elif t is Current:
                uses_current = uses_current or outside
            elif t is Unary:
                todo.append(n.operand)  # type: ignore[attr-defined]
            else:  # pragma: no cover - every node is one of the classes above
                raise TypeError(f"unexpected node {n!r}")
    return frozenset(refs), frozenset(tags), uses_current


def compile_expression(text: str, scope: Scope | None = None, *, parsed: dict[str, Node] | None = None) -> Compiled:
    """Parse and compile ``text`` against ``scope``. Raises only :class:`ExprError`.

    ``parsed`` keeps syntax trees by source text (a tree is immutable and knows no scope), so a
    caller compiling many expressions parses each distinct text once."""
    if scope is None:
        scope = Scope(permissive=True)
    try:
        if parsed is None:
            node = parse(text)
        else:
            known = parsed.get(text)
            node = parsed[text] = parse(text) if known is None else known
        code = Compiler(text, scope).compile(node)
        refs, tags, uses_current = collect_refs(node)
        return Compiled(text, node, code, refs, tags, uses_current, scope)
    except ExprError:
        raise
    except RecursionError:
        raise ExprError("the expression is nested too deeply", 0) from None
    except Exception as exc:  # a bug of ours must still reach the user as a located error
        raise ExprError(f"internal error while compiling: {exc!r}", 0) from exc


__all__ = [
    "MEMO_COST",
    "NO_CONST",
    "Code",
    "Compiled",
    "Compiler",
    "compile_expression",
    "constant",
    "number_fn",
    "truthy_fn",
    "walk",
]
