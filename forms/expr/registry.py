"""The function table's registry: what a function is (:class:`FuncSpec`), ``register`` and ``strict``.

``functions``, ``functions_math`` and ``domain`` register into it; ``table`` imports all three and is
what the compiler looks names up in. A builder receives the compiler through :class:`Builder`, the
part of it a function needs, so no function module imports the compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from forms.expr.ast import Call, Node
from forms.expr.code import MEMO_COST, NO_CONST, Code, constant

if TYPE_CHECKING:
    from forms.expr.context import EvalContext, Scope


class Compiler(Protocol):
    """What a function's builder may ask of the compiler (``forms.expr.compiler.Compiler``)."""

    text: str
    scope: Scope

    def compile(self, node: Node, /) -> Code: ...

    def for_scope(self, scope: Scope, /) -> Compiler:
        """A compiler of the same text for another scope (an aggregate's linked records)."""
        ...


Builder = Callable[[Compiler, Call], Code]


@dataclass(frozen=True)
class FuncSpec:
    name: str
    min_args: int
    max_args: int | None
    build: Builder
    summary: str = ""

    def arity_text(self) -> str:
        if self.max_args == self.min_args:
            n = self.min_args
            return f"takes {n} argument{'s' if n != 1 else ''}"
        if self.max_args is None:
            return f"takes at least {self.min_args} argument{'s' if self.min_args != 1 else ''}"
        return f"takes {self.min_args} to {self.max_args} arguments"


FUNCTIONS: dict[str, FuncSpec] = {}
#: Functions whose arguments are evaluated for linked entities, not for the record itself.
LINKED_ARG_FUNCTIONS: set[str] = set()


def register(name: str, min_args: int, max_args: int | None, build: Builder, summary: str = "") -> None:
    FUNCTIONS[name] = FuncSpec(name, min_args, max_args, build, summary)


def strict(
    name: str,
    min_args: int,
    max_args: int | None,
    impl: Callable[..., Any],
    kind: str = "any",
    *,
    cost: int = 1,
    needs_ctx: bool = False,
    foldable: bool = True,
    volatile: bool = False,
) -> None:
    """Register a function whose arguments are all evaluated first, then passed to ``impl``.

    ``needs_ctx`` passes the context first (``impl(ctx, *values)``); such calls are never folded.
    """

    def build(comp: Compiler, node: Call) -> Code:
        args = [comp.compile(a) for a in node.args]
        vol = volatile or any(a.volatile for a in args)
        total = cost + sum(a.cost for a in args)
        if foldable and not needs_ctx and all(a.is_const for a in args):
            try:
                return constant(impl(*[a.const for a in args]))
            except Exception:  # not foldable after all: evaluate at run time
                pass
        fns = [a.fn for a in args]
        n = len(fns)
        fn: Callable[[EvalContext], Any]
        if needs_ctx:
            if n == 0:
                fn = impl
            elif n == 1:
                f0 = fns[0]
                fn = lambda c: impl(c, f0(c))  # noqa: E731
            elif n == 2:
                f0, f1 = fns
                fn = lambda c: impl(c, f0(c), f1(c))  # noqa: E731
            else:
                fn = lambda c: impl(c, *[f(c) for f in fns])  # noqa: E731
        elif n == 0:
            fn = lambda _c: impl()  # noqa: E731
        elif n == 1:
            f0 = fns[0]
            fn = lambda c: impl(f0(c))  # noqa: E731
        elif n == 2:
            f0, f1 = fns
            fn = lambda c: impl(f0(c), f1(c))  # noqa: E731
        elif n == 3:
            f0, f1, f2 = fns
            fn = lambda c: impl(f0(c), f1(c), f2(c))  # noqa: E731
        else:
            fn = lambda c: impl(*[f(c) for f in fns])  # noqa: E731
        return Code(fn, kind, NO_CONST, vol, total, share=cost >= MEMO_COST)

    register(name, min_args, max_args, build)


def lookup(name: str) -> FuncSpec | None:
    """The registered function of that name (see ``table`` for the whole table)."""
    return FUNCTIONS.get(name)


__all__ = ["FUNCTIONS", "LINKED_ARG_FUNCTIONS", "Builder", "Compiler", "FuncSpec", "lookup", "register", "strict"]
