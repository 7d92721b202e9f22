"""``ybt admin devices list|revoke``: the devices users log in from, and revoking one.

    ybt admin devices list --server URL --user admin [--of NAME] [--state active|revoked|wiped] [--json]
    ybt admin devices revoke DEVICE --server URL --user admin --reason TEXT [--push-first] [--json]

``DEVICE`` is the ``id`` column of the list (the platform's id of the user + device pair).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sync.client.admin.connect import EXIT_OK, UsageError, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

STATE_ZH = {"active": "在用", "revoked": "已吊销", "wiped": "已清除"}


def register(groups: argparse._SubParsersAction[Any]) -> None:
    p = groups.add_parser("devices", help="devices users log in from; revoke one / 设备")
    jobs = p.add_subparsers(dest="devices_job", metavar="JOB")
    jobs.required = True
    listing = jobs.add_parser("list", help="the devices of the users in your scope / 列出设备")
    add_login(listing)
    listing.add_argument("--of", dest="of_user", metavar="NAME",
                         help="only devices whose user name, display name or device id contains NAME")
    listing.add_argument("--state", choices=("active", "revoked", "wiped"), help="only devices in this state")
    listing.set_defaults(handler=cmd_list)
    revoke = jobs.add_parser("revoke", help="revoke a device: its app wipes its local data / 吊销设备")
    add_login(revoke)
    revoke.add_argument("device", metavar="DEVICE", help="the id column of `devices list`")
    revoke.add_argument("--reason", required=True, help="why (shown to the device's user) / 原因")
    revoke.add_argument("--push-first", action="store_true",
                        help="let the app push its unsent work before it wipes / 先推送再清除")
    revoke.set_defaults(handler=cmd_revoke)


def _rows(items: list[dict[str, Any]], lang: str) -> str:
    def state(item: dict[str, Any]) -> str:
        return STATE_ZH.get(item["state"], item["state"]) if lang == "zh" else str(item["state"])

    header = (["id", "用户", "姓名", "设备", "首次", "最近", "版本", "状态"] if lang == "zh"
              else ["id", "user", "name", "device", "first seen", "last seen", "version", "state"])
    return table([[i["id"], i["username"], i["display_name"], i["device_id"], i["first_seen"], i["last_seen"],
                   i["app_version"] or "", state(i)] for i in items], header)


def cmd_list(args: argparse.Namespace) -> int:
    def job(client: ApiClient) -> int:
        params = {k: v for k, v in (("user", args.of_user), ("state", args.state), ("limit", 1000)) if v}
        body = client.get("/devices", params)
        emit(args, body["items"], lambda items: _rows(items, args.lang))
        return EXIT_OK

    return run(args, job)


def cmd_revoke(args: argparse.Namespace) -> int:
    def job(client: ApiClient) -> int:
        if not args.reason.strip():
            raise UsageError("--reason 不能为空 / --reason must not be blank")
        item = client.post(f"/devices/{quote(args.device, safe='')}/revoke",
                           {"push_first": bool(args.push_first), "reason": args.reason})
        done = ("已吊销设备 {device}（用户 {user}）" if args.lang == "zh" else "revoked device {device} of {user}")
        emit(args, item, lambda i: done.format(device=i["device_id"], user=i["username"]))
        return EXIT_OK

    return run(args, job)
