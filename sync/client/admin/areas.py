"""``ybt admin areas …``: the area tree: list, add, rename, move a grid, retire, hand a grid over.

The ``--json`` shapes are in docs/protocol.md ("Area tree").
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sync.client.admin.connect import EXIT_OK, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

LEVEL_ZH = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}


def register(groups: argparse._SubParsersAction[Any]) -> None:
    p = groups.add_parser("areas", help="the area tree and grid hand-over / 区划与网格")
    cmds = p.add_subparsers(dest="areas_cmd", metavar="COMMAND")
    cmds.required = True

    c = cmds.add_parser("list", help="the tree with counts and grid workers / 列出区划")
    add_login(c)
    c.add_argument("--retired", action="store_true", help="include retired areas / 含已撤销")
    c.set_defaults(handler=cmd_list)

    c = cmds.add_parser("add", help="add an area / 新增区划")
    add_login(c)
    c.add_argument("code")
    c.add_argument("name")
    c.add_argument("--level", required=True, choices=tuple(LEVEL_ZH))
    c.add_argument("--parent", help="the parent's code (not for a district)")
    c.set_defaults(handler=cmd_add)

    c = cmds.add_parser("rename", help="rename an area / 改名")
    add_login(c)
    c.add_argument("code")
    c.add_argument("name")
    c.set_defaults(handler=cmd_rename)

    c = cmds.add_parser("move", help="move a grid to another community (new code) / 移动网格")
    add_login(c)
    c.add_argument("code")
    c.add_argument("--to", required=True, dest="parent", help="the new community's code")
    c.set_defaults(handler=cmd_move)

    c = cmds.add_parser("retire", help="retire an area / 撤销区划")
    add_login(c)
    c.add_argument("code")
    c.add_argument("--move-to", help="a grid to move this grid's houses, households and persons to")
    c.set_defaults(handler=cmd_retire)

    c = cmds.add_parser("assign", help="hand a grid to another worker / 移交网格")
    add_login(c)
    c.add_argument("grid")
    c.add_argument("--worker", required=True, help="the worker's user name or id")
    c.set_defaults(handler=cmd_assign)


def _tree_text(items: list[dict[str, Any]]) -> str:
    depth = {"district": 0, "street": 1, "community": 2, "grid": 3}
    rows = []
    for a in items:
        workers = "、".join(f"{w['display_name']}({w['username']})" for w in a.get("workers") or [])
        rows.append(["  " * depth.get(a["level"], 0) + a["code"], a["name"], LEVEL_ZH.get(a["level"], a["level"]),
                     a["houses"], a["persons"], workers, "已撤销" if a.get("retired") else ""])
    return table(rows, ["代码 code", "名称 name", "级别", "房屋", "人口", "网格员 workers", ""])


def cmd_list(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        params: dict[str, Any] = {"counts": "true"}
        if args.retired:
            params["retired"] = "true"
        items = api.get("/areas", params)["items"]
        emit(args, items, _tree_text)
        return EXIT_OK

    return run(args, job)


def cmd_add(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        body = {"code": args.code, "name": args.name, "level": args.level, "parent": args.parent}
        area = api.post("/areas", body)
        emit(args, area, lambda a: f"已新增 {a['code']} {a['name']} / added")
        return EXIT_OK

    return run(args, job)


def cmd_rename(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        area = api.patch(f"/areas/{args.code}", {"name": args.name})
        emit(args, area, lambda a: f"已改名 {a['code']} {a['name']} / renamed")
        return EXIT_OK

    return run(args, job)


def _moved(counts: dict[str, int]) -> str:
    return (f"{counts.get('house', 0)} 处房屋、{counts.get('household', 0)} 户、{counts.get('person', 0)} 人、"
            f"{counts.get('visits', 0)} 次走访")


def cmd_move(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        result = api.post(f"/areas/{args.code}/move", {"parent": args.parent})
        emit(args, result, lambda r: f"{r['old_code']} → {r['area']['code']} {r['area']['name']}（移入 "
                                     f"{_moved(r['moved'])}；原代码已撤销） / moved")
        return EXIT_OK

    return run(args, job)


def cmd_retire(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        body = {"move_to": args.move_to} if args.move_to else {}
        result = api.post(f"/areas/{args.code}/retire", body)
        emit(args, result, lambda r: f"已撤销 {r['code']}" + (f"，{_moved(r['moved'])} 移至 {r['move_to']}"
                                                              if r["move_to"] else "") + " / retired")
        return EXIT_OK

    return run(args, job)


def cmd_assign(args: argparse.Namespace) -> int:
    def job(api: ApiClient) -> int:
        result = api.post(f"/areas/{args.grid}/assign", {"worker": args.worker})
        emit(args, result, lambda r: f"网格 {r['grid']} 已移交给 {r['worker']['display_name']}"
                                     f"({r['worker']['username']})" + (
                                         "，原网格员 " + "、".join(p["username"] for p in r["previous"])
                                         if r["previous"] else "") + " / reassigned")
        return EXIT_OK

    return run(args, job)
