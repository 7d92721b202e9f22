"""The XLSForm expression language of 一表通: parse once, compile to closures, evaluate fast.

See docs/expressions.md for the language and docs/architecture.md for the contract.

May import: forms.errors, forms.model, forms.cn. Inside, the function modules register into
``registry`` and never import the compiler; ``table`` gathers them and the compiler looks names up there.
"""

from __future__ import annotations

from forms.errors import EvalError, ExprError
from forms.expr.ast import Node
from forms.expr.compiler import Compiled, compile_expression
from forms.expr.context import EntityLike, EvalContext, GraphLike, Scope
from forms.expr.parser import parse
from forms.expr.table import FUNCTIONS, lookup
from forms.expr.values import to_bool, to_number, to_string


def function_names() -> list[str]:
    """Every function name the language knows, sorted."""
    lookup("if")
    return sorted(FUNCTIONS)


__all__ = [
    "Compiled",
    "EntityLike",
    "EvalContext",
    "EvalError",
    "ExprError",
    "GraphLike",
    "Node",
    "Scope",
    "compile_expression",
    "function_names",
    "parse",
    "to_bool",
    "to_number",
    "to_string",
]
