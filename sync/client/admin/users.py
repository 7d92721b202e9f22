"""``ybt admin users …`` and ``ybt admin agreement …``: accounts, bulk import, 账号清查, 保密协议."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.client.admin.connect import EXIT_OK, EXIT_REFUSED, UsageError, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient


def register(groups: argparse._SubParsersAction[Any]) -> None:
    users = groups.add_parser("users", help="user accounts / 用户账号")
    sub = users.add_subparsers(dest="users_command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("list", help="users in your scope / 列出用户")
    add_login(p)
    p.set_defaults(handler=lambda a: run(a, lambda c: _list(a, c)))
    p = sub.add_parser("create", help="create a user; prints its first password once / 创建用户")
    add_login(p)
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name / 姓名")
    p.add_argument("--role", required=True, choices=("worker", "supervisor", "admin"))
    p.add_argument("--areas", required=True, help="area codes, comma separated / 区划代码，逗号分隔")
    p.add_argument("--end-date", help="last working day YYYY-MM-DD (third-party staff) / 结束日期")
    p.add_argument("--third-party", action="store_true", help="third-party staff / 第三方人员")
    p.set_defaults(handler=lambda a: run(a, lambda c: _create(a, c)))
    for name, text in (("disable", "disable a user / 停用"), ("enable", "enable a user / 启用"),
                       ("reset-password", "a temporary password, shown once / 重置密码")):
        p = sub.add_parser(name, help=text)
        add_login(p)
        p.add_argument("name", metavar="NAME", help="user name / 用户名")
        if name == "disable":
            p.add_argument("--reason", required=True, help="why (e.g. left) / 停用原因")
        p.set_defaults(handler=lambda a, act=name: run(a, lambda c: _act(a, c, act)))
    p = sub.add_parser("import", help="create users from an .xlsx / 批量导入")
    add_login(p)
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--dry-run", action="store_true", help="check only / 只检查不创建")
    p.add_argument("--passwords", type=Path, metavar="OUT.xlsx",
                   help="write the initial passwords to this workbook for handing out / 初始密码导出文件")
    p.set_defaults(handler=lambda a: run(a, lambda c: _import(a, c)))
    p = sub.add_parser("review", help="账号清查: idle and orphaned accounts")
    add_login(p)
    p.add_argument("--idle-days", type=int, default=90)
    p.set_defaults(handler=lambda a: run(a, lambda c: _review(a, c)))

    agreement = groups.add_parser("agreement", help="保密协议 / the confidentiality agreement")
    sub = agreement.add_subparsers(dest="agreement_command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("set", help="a new text (a new version) / 设置新版本")
    add_login(p)
    p.add_argument("file", metavar="FILE", nargs="?", type=Path, help="UTF-8 text file")
    p.add_argument("--text")
    p.set_defaults(handler=lambda a: run(a, lambda c: _agreement_set(a, c)))
    p = sub.add_parser("status", help="who has not accepted / 未签署名单")
    add_login(p)
    p.set_defaults(handler=lambda a: run(a, lambda c: _agreement_status(a, c)))


def _state(user: dict[str, Any]) -> str:
    return "启用 active" if user["active"] else f"停用 disabled ({user.get('disabled_reason') or '-'})"


def _list(args: argparse.Namespace, client: ApiClient) -> int:
    items = client.get("/users")["items"]
    emit(args, items, lambda v: table(
        [[u["username"], u["display_name"], u["role"], ",".join(u["areas"]), _state(u), u.get("end_date") or "",
          u.get("last_login_at") or "", u.get("last_sync_at") or ""] for u in v],
        ["用户名", "姓名", "角色", "区划", "状态", "结束日期", "最近登录", "最近同步"]))
    return EXIT_OK


def find_user(client: ApiClient, name: str) -> dict[str, Any]:
    for user in client.get("/users")["items"]:
        if user["username"].lower() == name.lower():
            return dict(user)
    raise UsageError(f"没有用户 {name}（或不在您的范围内） / no user {name} in your scope")


def _create(args: argparse.Namespace, client: ApiClient) -> int:
    body: dict[str, Any] = {"username": args.username, "display_name": args.name, "role": args.role,
                            "areas": [a for a in args.areas.replace(";", ",").split(",") if a.strip()],
                            "third_party": args.third_party}
    if args.end_date:
        body["end_date"] = args.end_date
    user = client.post("/users", body)
    emit(args, user, lambda u: f"已创建 created {u['username']}\n初始密码（只显示这一次）/ first password (shown once): "
                               f"{u['password']}")
    return EXIT_OK


def _act(args: argparse.Namespace, client: ApiClient, act: str) -> int:
    user = find_user(client, args.name)
    if act == "disable":
        result = client.post(f"/users/{user['id']}/disable", {"reason": args.reason})
        emit(args, result, lambda u: f"已停用 disabled {u['username']}")
    elif act == "enable":
        result = client.post(f"/users/{user['id']}/enable", {})
        emit(args, result, lambda u: f"已启用 enabled {u['username']}")
    else:
        result = client.post(f"/users/{user['id']}/reset-password", {})
        emit(args, result, lambda r: f"{r['user']['username']} 的临时密码（只显示这一次，登录后须修改）/ temporary "
                                     f"password (shown once, to be changed at login): {r['password']}")
    return EXIT_OK


def write_passwords(path: Path, users: list[dict[str, Any]]) -> None:
    """The handout workbook: one row per created user with the first password."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "初始密码"
    sheet.append(["用户名", "姓名", "角色", "区划代码", "初始密码（首次登录须修改）"])
    for u in users:
        sheet.append([u["username"], u["display_name"], u["role"], "、".join(u["areas"]), u["password"]])
    for column, width in zip("ABCDE", (18, 12, 12, 36, 26), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


def _import(args: argparse.Namespace, client: ApiClient) -> int:
    if not args.dry_run and not args.passwords and not args.json:
        raise UsageError("导入会生成初始密码且只返回一次：请用 --passwords OUT.xlsx 保存（或 --json） / "
                         "the initial passwords are returned once: save them with --passwords OUT.xlsx (or --json)")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取 {args.file}: {exc}") from exc
    path = "/users/import?dry_run=true" if args.dry_run else "/users/import"
    report = client.upload(path, args.file.name, data)
    users = report.get("users", [])
    if args.passwords and users:
        write_passwords(args.passwords, users)
    shown = report if args.json else {k: v for k, v in report.items() if k != "users"}
    emit(args, shown, lambda r: _import_text(r, args))
    return EXIT_REFUSED if report["bad_rows"] else EXIT_OK


def _import_text(report: dict[str, Any], args: argparse.Namespace) -> str:
    done = (f"检查 {report['rows']} 行：可创建 {report['would_create']}，有问题 {report['bad_rows']} 行 / checked"
            if report["dry_run"] else f"{report['rows']} 行：已创建 {report['created']}，有问题 {report['bad_rows']} 行 / rows")
    lines = [done]
    if report["problems"]:
        lines.append(table([[p["row"], p["column"], p["value"], p["message"] if args.lang == "zh" else p["message_en"]]
                            for p in report["problems"]], ["行", "列", "值", "问题"]))
    if args.passwords and report.get("created"):
        lines.append(f"初始密码已写入 passwords written to {args.passwords}")
    return "\n".join(lines)


def _review(args: argparse.Namespace, client: ApiClient) -> int:
    result = client.get("/users/review", {"idle_days": args.idle_days})
    emit(args, result, lambda r: "\n".join([
        f"{r['users']} 个用户，闲置天数 {r['idle_days']} / users, idle days: "
        + ", ".join(f"{k} {n}" for k, n in r["counts"].items()),
        table([[u["username"], u["display_name"], u["role"], _state(u), " ".join(u["findings"]),
                u.get("last_login_at") or ""] for u in r["items"]],
              ["用户名", "姓名", "角色", "状态", "发现", "最近登录"])]))
    return EXIT_OK


def _agreement_set(args: argparse.Namespace, client: ApiClient) -> int:
    if (args.file is None) == (args.text is None):
        raise UsageError("给出 FILE 或 --text 之一 / give FILE or --text")
    try:
        text = args.text if args.text is not None else args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取 {args.file}: {exc}") from exc
    result = client.post("/agreement", {"text": text})
    emit(args, result, lambda r: f"保密协议第 {r['version']} 版已生效 / agreement version {r['version']} set")
    return EXIT_OK


def _agreement_status(args: argparse.Namespace, client: ApiClient) -> int:
    result = client.get("/agreement/status")
    emit(args, result, lambda r: (f"第 {r['version']} 版：{r['accepted']}/{r['users']} 已签署 / accepted\n"
                                  if r["version"] else "未设置保密协议 / no agreement set\n")
         + table([[u["username"], u["display_name"], u["role"]] for u in r["pending"]], ["用户名", "姓名", "角色"]))
    return EXIT_OK
