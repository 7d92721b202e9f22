"""The whole function table: importing this module registers every function of the language.

``functions`` (control, choices, text), ``functions_math`` (numbers, dates, trigonometry),
``functions_odk`` (uuid, once, digest, checklists) and ``domain`` (the Chinese identifiers, ages,
aggregates over linked records, tags) each register into ``registry``.
"""

from __future__ import annotations

from forms.expr import domain, functions, functions_math, functions_odk
from forms.expr.registry import FUNCTIONS, LINKED_ARG_FUNCTIONS, FuncSpec, lookup

#: The modules that registered their functions (imported for that effect).
MODULES = (functions, functions_math, functions_odk, domain)

__all__ = ["FUNCTIONS", "LINKED_ARG_FUNCTIONS", "MODULES", "FuncSpec", "lookup"]
