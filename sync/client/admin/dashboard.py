"""``ybt admin dashboard [--area CODE] [--stale-days N]``: the coverage of an area by child area, as
``GET /dashboard`` gives it (docs/protocol.md, "District dashboard"); ``--json`` prints that object."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sync.client.admin.connect import EXIT_OK, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

HEADER = ("代码 code", "名称 name", "人口 persons", "房屋 houses", "已走访 visited", "已核实 verified", "核实率 %",
          "已核实人员 persons verified", "有错误 invalid", "待审核 backlog", "最久(天) oldest", "退回未改 returned",
          "网格员 workers", "未同步 stale")


def register(groups: argparse._SubParsersAction[Any]) -> None:
    p = groups.add_parser("dashboard", help="coverage by child area / 覆盖与进度统计")
    add_login(p)
    p.add_argument("--area", default=None, help="area code (default: your own area)")
    p.add_argument("--stale-days", type=int, default=3, help="a worker is late after this many days (default: 3)")
    p.set_defaults(handler=lambda args: run(args, lambda client: _show(args, client)))


def _share(row: dict[str, Any]) -> str:
    houses = int(row.get("houses") or 0)
    return f"{int(row.get('houses_verified') or 0) * 100 // houses}%" if houses else "—"


def _line(row: dict[str, Any]) -> list[Any]:
    return [row.get("username") or row.get("code"), row.get("name"), row.get("persons"), row.get("houses"),
            row.get("houses_visited"), row.get("houses_verified"), _share(row), row.get("persons_verified"),
            row.get("invalid"), row.get("backlog"), row.get("backlog_age_days"), row.get("returned"),
            row.get("workers"), row.get("workers_stale")]


def _text(body: dict[str, Any]) -> str:
    area = body.get("area") or {}
    cycle = body.get("cycle") or {}
    totals = {**(body.get("totals") or {}), "code": area.get("code"), "name": "合计 total"}
    lines = [f"{area.get('name', '')}（{area.get('code', '')}） 周期 cycle {cycle.get('label', '')}",
             table([*(_line(r) for r in body.get("rows") or []), _line(totals)], HEADER)]
    late = body.get("stale_workers") or []
    lines.append(f"\n未同步超过 {body.get('stale_days')} 天的网格员 / workers not synced for over "
                 f"{body.get('stale_days')} days: {body.get('stale_total', len(late))}")
    if late:
        lines.append(table([[w.get("username"), w.get("display_name"), "、".join(w.get("grids") or []),
                             w.get("last_sync_at") or "从未 never", w.get("days")] for w in late],
                           ("账号 user", "姓名 name", "网格 grids", "最近同步 last sync", "天 days")))
    return "\n".join(lines)


def _show(args: argparse.Namespace, client: ApiClient) -> int:
    params: dict[str, Any] = {"stale_days": args.stale_days}
    if args.area:
        params["area"] = args.area
    emit(args, client.get("/dashboard", params), _text)
    return EXIT_OK
