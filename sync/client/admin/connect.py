"""What every ``ybt admin`` command shares: the login options, logging in, printing, exit codes."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sync.client.errors import SyncError

if TYPE_CHECKING:
    from sync.client.http import ApiClient

PASSWORD_ENV = "YBT_PASSWORD"
EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or the connection (exit 2)."""


def add_login(p: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    p.add_argument("--server", required=True, help="platform URL, e.g. http://127.0.0.1:8765")
    p.add_argument("--user", required=True, help="admin user name / 管理员用户名")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    if json_output:
        p.add_argument("--json", action="store_true", help="print one JSON object or list")


def password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"需要密码（终端输入或环境变量 {PASSWORD_ENV}） / "
                         f"a password is needed (terminal prompt or {PASSWORD_ENV})")
    return getpass.getpass("密码 / password: ")


def connect(args: argparse.Namespace) -> ApiClient:
    """An API client logged in as ``--user`` (tokens kept in memory for this command only; requests is
    imported only when a command runs, so ``ybt --help`` stays light)."""
    from sync.client.http import ApiClient, RetryPolicy

    client = ApiClient(args.server, device_id="ybt-admin-cli", retry=RetryPolicy(attempts=3), timeout=(5.0, 120.0),
                       username=args.user)
    client.login(args.user, password())
    return client


def emit(args: argparse.Namespace, value: Any, text: Callable[[Any], str] | None = None) -> None:
    """Print ``value`` as JSON (``--json``) or as the readable ``text`` of it."""
    if getattr(args, "json", False) or text is None:
        print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
    else:
        print(text(value))


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """Rows as aligned columns (CJK characters count double, as a terminal shows them)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    cells = [[str(h) for h in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([*lines[:1], "  ".join("-" * w for w in widths), *lines[1:]])


def run(args: argparse.Namespace, job: Callable[[ApiClient], int]) -> int:
    """Log in and run ``job``; a refusal prints its message and exits 1, a connection problem exits 2."""
    from sync.client.errors import ProtocolError, ServerError, Unreachable

    lang = getattr(args, "lang", "zh")
    try:
        client = connect(args)
    except UsageError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SyncError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, Unreachable | ProtocolError) else EXIT_REFUSED
    try:
        return job(client)
    except UsageError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (Unreachable, ProtocolError) as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE
    except (ServerError, SyncError) as exc:
        print(exc.message(lang), file=sys.stderr)
        details = getattr(exc, "details", None)
        if getattr(args, "json", False) and details:
            print(json.dumps(details, ensure_ascii=False, indent=2), file=sys.stderr)
        return EXIT_REFUSED
