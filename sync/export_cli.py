"""``ybt export --server URL --user NAME | --profile DIR, --ledger NAME_OR_FILE [--area CODE] [--format xlsx|csv]
[--unmasked --reason TEXT] --out FILE [--json]``: a ledger or summary table exported on the platform (a job,
``POST /exports``, polled, its file downloaded) or offline from a user's local store.

The password comes from ``YBT_PASSWORD`` or a prompt. With ``--json`` one object is printed:
``{"ok": true, "rows", "sheets", "masked", "file", "format", "ledger", "unmasked_columns"}``, or
``{"ok": false, "code", "message_zh", "message_en"}`` (exit 1). The export is written to the store's audit
log, which reaches the platform with the next ``ybt sync``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

FORMATS = ("xlsx", "csv")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("export", help="导出台账 / export a ledger")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", help="平台地址 / platform URL (export on the platform)")
    where.add_argument("--profile", help="用户资料目录（离线导出）/ profile directory (offline export)")
    p.add_argument("--user", help="用户名（--server 时必填）/ user name (with --server)")
    p.add_argument("--ledger", required=True, help="台账模板文件或内置名称 / ledger template file or shipped name")
    p.add_argument("--area", help="区划代码 / area code (default: all of yours)")
    p.add_argument("--format", choices=FORMATS, default=None, help="xlsx (default) or csv")
    p.add_argument("--unmasked", action="store_true", help="不脱敏（需有权限的角色和理由）/ unmasked (role and reason)")
    p.add_argument("--reason", default="", help="导出未脱敏数据的理由 / reason for an unmasked export")
    p.add_argument("--out", required=True, help="输出文件 / output file")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from forms.ledger import ExportRefused, LedgerError
    from sync.client.cli import _password
    from sync.client.export_local import export_from_store
    from sync.store import Store
    from sync.store.errors import StoreError

    fmt = args.format or ("csv" if str(args.out).lower().endswith(".csv") else "xlsx")
    if args.server:
        return _on_platform(args, fmt)
    try:
        store = Store.open(Path(args.profile).expanduser(), _password())
    except StoreError as exc:
        return _fail(args.json, "profile", str(exc), str(exc))
    try:
        result = export_from_store(store, args.ledger, args.out, fmt=fmt, area=args.area,
                                   unmasked=args.unmasked, reason=args.reason, refresh=refresh_tags)
    except ExportRefused as exc:
        return _fail(args.json, exc.code, exc.zh, exc.en)
    except LedgerError as exc:
        text = "; ".join(str(p) for p in exc.problems)
        return _fail(args.json, "invalid_ledger", f"台账模板有误：{text}", f"the ledger template is invalid: {text}")
    finally:
        store.close()
    if args.json:
        print(json.dumps({"ok": True, **result.to_json()}, ensure_ascii=False))
    else:
        print(f"已导出 {result.rows} 行，{result.sheets} 个工作表{'（已脱敏）' if result.masked else '（未脱敏）'}："
              f"{result.file} / exported {result.rows} rows on {result.sheets} sheet(s), "
              f"{'masked' if result.masked else 'unmasked'}")
    return 0


def refresh_tags(store: Any) -> None:
    """Validate the records whose cached validation is out of date (their auto tags), as the desktop does
    in the background after each sync: a profile synced headless has none yet."""
    from sync.validation import revalidate, validator_for

    if store.validation.stale(1):
        revalidate(store, validator_for(store))


def _on_platform(args: argparse.Namespace, fmt: str) -> int:
    import time

    from sync.client.admin.connect import UsageError, connect
    from sync.client.errors import SyncError

    if not args.user:
        return _fail(args.json, "usage", "--server 需要 --user", "--server needs --user")
    ledger = Path(args.ledger).stem if Path(args.ledger).suffix == ".xlsx" else args.ledger
    try:
        client = connect(args)
        job = client.post("/exports", {"ledger": ledger, "area": args.area, "format": fmt,
                                       "unmasked": bool(args.unmasked), "reason": args.reason})
        while job["status"] == "running":
            time.sleep(0.5)
            job = client.get(f"/exports/{job['id']}")
        if job["status"] != "done":
            err = job.get("error") or {}
            return _fail(args.json, str(err.get("code") or job["status"]), str(err.get("message") or "导出失败"),
                         str(err.get("message_en") or "the export failed"))
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(client.download(f"/exports/{job['id']}/file"))
    except UsageError as exc:
        return _fail(args.json, "usage", str(exc), str(exc))
    except SyncError as exc:
        return _fail(args.json, str(getattr(exc, "code", "refused")), exc.message("zh"), exc.message("en"))
    result = {**job["result"], "file": str(out), "job": job["id"]}
    if args.json:
        print(json.dumps({"ok": True, **result}, ensure_ascii=False))
    else:
        print(f"已导出 {result['rows']} 行：{out} / exported {result['rows']} rows "
              f"({'masked' if result['masked'] else 'unmasked'})")
    return 0


def _fail(as_json: bool, code: str, zh: str, en: str) -> int:
    if as_json:
        print(json.dumps({"ok": False, "code": code, "message_zh": zh, "message_en": en}, ensure_ascii=False))
    else:
        print(f"错误：{zh} / error: {en}", file=sys.stderr)
    return 1
