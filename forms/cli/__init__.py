"""``ybt`` sub-commands of the domain layer: ``template check`` (``template``, with ``summary``),
``expr`` (``expr``) and ``validate`` (``validate``).

May import: forms.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Each module has ``register(subparsers)``.
MODULES = ("forms.cli.template", "forms.cli.expr", "forms.cli.validate", "forms.cli.ledger")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    for name in MODULES:
        importlib.import_module(name).register(subparsers)
