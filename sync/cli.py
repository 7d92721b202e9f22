"""``ybt`` sub-commands of the sync layer: the platform server and headless sync."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Each module has ``register(subparsers)``.
MODULES = ("sync.server.cli", "sync.client.cli", "sync.client.admin", "sync.client.template_publish",
           "sync.client.import_cli", "sync.export_cli")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    for name in MODULES:
        importlib.import_module(name).register(subparsers)
