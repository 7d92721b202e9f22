"""``ybt admin settings show|set``: the platform settings an admin may change.

    ybt admin settings show --server URL --user admin [--json]
    ybt admin settings set min_client_version 0.2.0 --server URL --user admin [--json]
    ybt admin settings set min_client_version none ...      # every version may push again

``min_client_version``: apps older than this are refused pushes (they keep their data and pull) until
they are updated.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sync.client.admin.connect import EXIT_OK, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

NAMES = ("min_client_version",)
UNSET = ("none", "null", "-", "")


def register(groups: argparse._SubParsersAction[Any]) -> None:
    p = groups.add_parser("settings", help="platform settings (minimum client version) / 平台设置")
    jobs = p.add_subparsers(dest="settings_job", metavar="JOB")
    jobs.required = True
    show = jobs.add_parser("show", help="print the settings / 查看设置")
    add_login(show)
    show.set_defaults(handler=cmd_show)
    put = jobs.add_parser("set", help="change a setting / 修改设置")
    add_login(put)
    put.add_argument("name", choices=NAMES)
    put.add_argument("value", help="the new value; `none` clears it")
    put.set_defaults(handler=cmd_set)


def _text(settings: dict[str, Any]) -> str:
    return table([[k, "" if v is None else v] for k, v in sorted(settings.items())], ["setting", "value"])


def cmd_show(args: argparse.Namespace) -> int:
    def job(client: ApiClient) -> int:
        emit(args, client.get("/settings"), _text)
        return EXIT_OK

    return run(args, job)


def cmd_set(args: argparse.Namespace) -> int:
    def job(client: ApiClient) -> int:
        value = None if args.value.strip().lower() in UNSET else args.value.strip()
        emit(args, client.post("/settings", {args.name: value}), _text)
        return EXIT_OK

    return run(args, job)
