"""The ``ybt`` command: one entry point for the app, the platform server, template checks and sync.

Each layer registers its own sub-commands (``forms.cli``, ``sync.cli``); Qt is imported only when
the ``app`` or ``demo`` command runs, so the server and the checks work on machines without Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

#: Modules that contribute sub-commands: each has ``register(subparsers) -> None``.
COMMAND_MODULES = ("forms.cli", "sync.cli", "desktop.commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ybt", description="一表通 (yibiaotong)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
