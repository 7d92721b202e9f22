"""``ybt admin audit``: the platform's audit log, filtered, newest first, page by page or all of it.

``--json`` prints ``{"items": [entry, ...], "next_before": id | null}`` (the shape of ``GET /audit``;
with ``--all`` every page is fetched and ``next_before`` is null). ``--before ID`` continues a listing.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sync.client import audit_text
from sync.client.admin.connect import EXIT_OK, UsageError, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

PAGE = 500


def register(groups: argparse._SubParsersAction[Any]) -> None:
    p = groups.add_parser("audit", help="read the audit log / 查看审计日志")
    add_login(p)
    p.add_argument("--who", help="user name of the actor / 操作人用户名")
    p.add_argument("--action", help="action name, e.g. reveal, login_failed / 操作类型")
    p.add_argument("--since", help="from this ISO date or datetime (China Standard Time) / 起始日期")
    p.add_argument("--until", help="up to this ISO date (included) or datetime / 截止日期")
    p.add_argument("--entity", help="entity (or submission) id / 记录编号")
    p.add_argument("--origin", choices=("platform", "device"), help="where the entry was made / 来源")
    p.add_argument("--limit", type=int, default=50, help="entries per page, 1-500 (default 50)")
    p.add_argument("--before", type=int, help="entries older than this id (the next_before of a page)")
    p.add_argument("--all", action="store_true", help="every matching entry, page after page / 全部")
    p.set_defaults(handler=main)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    return {k: v for k, v in {"who": args.who, "action": args.action, "since": args.since, "until": args.until,
                              "entity_id": args.entity, "origin": args.origin}.items() if v}


def fetch(client: ApiClient, params: dict[str, Any], *, limit: int, before: int | None,
          every: bool) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    while True:
        query = {**params, "limit": PAGE if every else limit}
        if before is not None:
            query["before"] = before
        body = client.get("/audit", query)
        items += body["items"]
        before = body["next_before"]
        if not every or before is None:
            return {"items": items, "next_before": before}


def text(value: dict[str, Any]) -> str:
    rows = [(e["id"], audit_text.local_time(e["at"]), e["actor_name"], e.get("action_zh") or e["action"],
             audit_text.subject(e), audit_text.detail_summary(e.get("detail"), 60), audit_text.source(e))
            for e in value["items"]]
    out = table(rows, ("编号", "时间", "操作人", "操作", "对象", "详情", "来源"))
    more = value.get("next_before")
    return out + (f"\n… 更早的记录：--before {more} / older entries: --before {more}" if more else "")


def main(args: argparse.Namespace) -> int:
    def job(client: ApiClient) -> int:
        if not 1 <= args.limit <= PAGE:
            raise UsageError(f"--limit 须为 1-{PAGE} / --limit must be 1-{PAGE}")
        if args.action:
            known = {i["action"] for i in client.get("/audit/actions")["items"]}
            if args.action not in known:
                raise UsageError(f"未知的操作类型 {args.action}，可选：{', '.join(sorted(known))} / "
                                 f"unknown action {args.action}")
        emit(args, fetch(client, _params(args), limit=args.limit, before=args.before, every=args.all), text)
        return EXIT_OK

    return run(args, job)
