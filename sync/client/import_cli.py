"""``ybt import``: load a district's ledger or a department's returned list into the platform.

    ybt import --server URL --user NAME FILE --kind person [--mode load|return] [--source NAME]
               [--tag TAG] [--mapping NAME] [--sheet NAME] [--apply] [--on-error skip|abort]
               [--incremental] [--report OUT.xlsx] [--json]

The file is uploaded and checked on the platform (a dry run: nothing is written); with ``--apply`` the
checked import is then written, all or nothing. ``--json`` prints one object: ``rows``, ``created``,
``updated``, ``unchanged``, ``errors``, ``warnings``, ``tags_set``, ``tags_removed``, ``applied``,
``issues`` (``row``, ``column``, ``value``, ``code``, ``severity``, ``message``) and the job's ``id``,
``status``, ``file``, ``sha256``, ``unmapped``. Exit 0 when applied or when a dry run found no errors, 1
when errors were found (or the platform refused), 2 on a usage or connection problem.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.client.admin.connect import EXIT_OK, EXIT_REFUSED, UsageError, add_login, emit, run, table

if TYPE_CHECKING:
    from sync.client.http import ApiClient

POLL_SECONDS = 0.5
#: the longest a job may show no progress before the command gives up (the job goes on on the platform)
STALL_SECONDS = 600.0
COUNTS = ("rows", "created", "updated", "unchanged", "errors", "warnings", "tags_set", "tags_removed")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("import", help="import a ledger or a returned list / 导入台账或回流数据")
    add_login(p)
    p.add_argument("file", metavar="FILE", type=Path, help=".xlsx, .xls or .csv")
    p.add_argument("--kind", required=True, choices=("person", "house", "household"))
    p.add_argument("--mode", choices=("load", "return"), default="load")
    p.add_argument("--source", default="", help="return mode: the department, e.g. 民政 / 来源部门")
    p.add_argument("--tag", default="", help="return mode: the tag every row carries / 每行带的回流标签")
    p.add_argument("--mapping", default="", help="a saved mapping's name / 已存的列映射")
    p.add_argument("--sheet", default="", help="the sheet to read (name or number) / 工作表")
    p.add_argument("--apply", action="store_true", help="write it (default: dry run) / 确认导入")
    p.add_argument("--on-error", choices=("skip", "abort"), default="skip",
                   help="rows with errors are left out, or stop the import / 有错误行时跳过或整批放弃")
    p.add_argument("--incremental", action="store_true", help="return mode: only add tags / 只增加标签")
    p.add_argument("--as-of", default="", help="return mode: the day the list describes / 数据截止日期 YYYY-MM-DD")
    p.add_argument("--report", type=Path, metavar="OUT.xlsx", help="the annotated copy of the file / 问题标注文件")
    p.set_defaults(handler=lambda a: run(a, lambda c: _import(a, c)))


def _fields(args: argparse.Namespace) -> dict[str, str]:
    fields = {"kind": args.kind, "mode": args.mode, "on_error": args.on_error}
    for name in ("source", "tag", "sheet", "as_of"):
        if getattr(args, name):
            fields[name] = getattr(args, name)
    if args.mapping:
        fields["mapping_name"] = args.mapping
    if args.incremental:
        fields["incremental"] = "true"
    return fields


def _wait(client: ApiClient, job_id: str, until: tuple[str, ...], quiet: bool) -> dict[str, Any]:
    last, moved = (-1, ""), time.monotonic()
    while True:
        body: dict[str, Any] = client.get(f"/imports/{job_id}", {"limit": 10_000})
        if body["status"] in until:
            if not quiet:
                print(file=sys.stderr)
            return body
        progress = body.get("progress") or {}
        now = (int(progress.get("rows") or 0), str(progress.get("phase") or ""))
        if now != last:
            last, moved = now, time.monotonic()
            if not quiet:
                print(f"\r{now[1] or body['status']} {now[0]} 行 rows", end="", file=sys.stderr, flush=True)
        elif time.monotonic() - moved > STALL_SECONDS:
            raise UsageError(f"导入任务 {job_id} 长时间无进展 / import {job_id} shows no progress")
        time.sleep(POLL_SECONDS)


def _import(args: argparse.Namespace, client: ApiClient) -> int:
    if args.mode == "return" and not args.source:
        raise UsageError("--mode return 需要 --source（来源部门） / --mode return needs --source")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取 {args.file}: {exc.strerror}") from exc
    quiet = bool(args.json) or not sys.stderr.isatty()
    started = client.upload("/imports", args.file.name, data, _fields(args))
    job = _wait(client, started["id"], ("checked", "failed", "cancelled"), quiet)
    if job["status"] == "checked" and args.apply:
        client.post(f"/imports/{job['id']}/apply", {})
        job = _wait(client, job["id"], ("applied", "failed", "cancelled"), quiet)
    if args.report and job.get("rows") is not None:
        args.report.write_bytes(client.download(f"/imports/{job['id']}/report.xlsx", {"lang": args.lang}))
    out = _result(job)
    emit(args, out, lambda r: _text(r, args))
    if job["status"] == "failed" and job.get("error") and not out["issues"]:
        print(job["error"]["message" if args.lang == "zh" else "message_en"], file=sys.stderr)
        return EXIT_REFUSED
    if out["applied"] or (out["errors"] == 0 and job["status"] == "checked"):
        return EXIT_OK
    return EXIT_REFUSED


def _result(job: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: int(job.get(k) or 0) for k in COUNTS}
    out["applied"] = bool(job.get("applied"))
    out["issues"] = [{k: i[k] for k in ("row", "column", "value", "code", "severity", "message")}
                     | {"message_en": i.get("message_en", "")} for i in job.get("issues") or []]
    out["suggestions"] = int(job.get("suggestions") or 0)
    for key in ("id", "status", "file", "sha256", "unmapped", "removed", "error"):
        out[key] = job.get(key)
    return out


def _text(r: dict[str, Any], args: argparse.Namespace) -> str:
    zh = args.lang == "zh"
    head = ("已导入 applied" if r["applied"] else "检查（未写入） dry run") + (
        f"：{r['rows']} 行 rows，新建 created {r['created']}，更新 updated {r['updated']}，未变 unchanged "
        f"{r['unchanged']}，错误 errors {r['errors']}，警告 warnings {r['warnings']}")
    lines = [head]
    if r["tags_set"] or r["tags_removed"] or r["suggestions"]:
        lines.append(f"标签 tags：设置 set {r['tags_set']}，移除 removed {r['tags_removed']}；"
                     f"待网格员核实的差异 values to verify {r['suggestions']}")
    if r.get("removed"):
        lines.append("不在本次名单、移除标签 removed (absent from this list): " + "、".join(
            f"{x['name']}（{x['tag']}{'，其他来源仍有 kept by another source' if x.get('tag_kept') else ''}）"
            for x in r["removed"]))
    if r.get("error"):
        lines.append(r["error"]["message" if zh else "message_en"])
    if r.get("unmapped"):
        lines.append("未对应的列 unmapped columns: " + "、".join(r["unmapped"]))
    if r["issues"]:
        lines.append(table([[i["row"], i["column"], i["value"], i["code"], i["message"] if zh else i["message_en"]]
                            for i in r["issues"]], ["行", "列", "值", "代码", "问题"]))
    if args.report:
        lines.append(f"问题标注文件 annotated copy: {args.report}")
    return "\n".join(lines)
