"""Entry point of the packaged app: ``ybt ARGS`` as on a checkout; with no arguments ``ybt app``
(what the menu entry and the Windows shortcut start)."""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    multiprocessing.freeze_support()  # uvicorn --workers spawns processes of this executable
    # Alembic imports the migration scripts from the install folder: write no __pycache__ there
    # (a root-owned folder, and `dpkg -r` must find only what it installed)
    sys.dont_write_bytecode = True
    from desktop.cli import main as ybt

    return ybt(sys.argv[1:] or ["app"])


if __name__ == "__main__":
    sys.exit(main())
