"""``ybt`` sub-commands of the domain layer: template checks, expressions, validation."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Each module has ``register(subparsers)``.
MODULES = ("forms.template_cli", "forms.expr_cli", "forms.validate_cli")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    for name in MODULES:
        importlib.import_module(name).register(subparsers)
