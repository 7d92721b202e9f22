"""``python -m sync.client sync --server URL --user NAME --profile DIR``: the ``ybt sync`` command
without loading the rest of the ``ybt`` tree (templates, spreadsheets), for scripts and cron jobs."""

from __future__ import annotations

import argparse
import sys

from sync.client.cli import register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.client")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
