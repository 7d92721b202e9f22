"""``ybt template publish FILE --server URL --user NAME [--area CODE] [--json]``.

Checks the workbook here first (the same loader the platform runs: every problem with its sheet,
row, column and position, exit 1, nothing sent), then uploads it to ``POST /templates[?area=CODE]``
as the admin ``--user`` (password from ``YBT_PASSWORD`` or a prompt). Prints the published version
(``--json``: the platform's answer, see docs/protocol.md). Exit 0 published, 1 refused (by the check
or the platform: a version already published there, an area outside the admin's scope), 2 usage or
connection problem.

It joins the ``template`` command of ``forms.cli`` (network code lives in ``sync``, never in ``forms``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sync.client.admin.connect import EXIT_REFUSED, EXIT_USAGE, add_login, emit, run


def _template_subparsers(subparsers: argparse._SubParsersAction[Any]) -> argparse._SubParsersAction[Any] | None:
    parser = subparsers.choices.get("template")
    if parser is None:
        return None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    sub = _template_subparsers(subparsers)
    if sub is None:  # forms.cli registers ``template``; without it there is nothing to join
        return
    p = sub.add_parser("publish", help="发布模板到平台 / publish a template to the platform",
                       description="检查并发布模板工作簿到平台的一个区域 / check a template workbook and publish "
                       "it to an area of the platform")
    p.add_argument("path", help="模板文件 / the template workbook (.xlsx)")
    p.add_argument("--area", help="发布到的区域代码（默认：管理员的第一个区域）/ area code (default: the admin's first area)")
    add_login(p)
    p.set_defaults(handler=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    from forms.errors import TemplateError
    from forms.xlsform import load_template

    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"错误 / error: {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        load_template(data, filename=path.name)  # the platform would refuse it: say why here, send nothing
    except TemplateError as exc:
        errors = [p for p in exc.problems if p.severity != "warning"]
        if args.json:
            print(json.dumps({"ok": False, "path": str(path), "errors": [p.to_json() for p in errors]},
                             ensure_ascii=False, indent=2))
        else:
            print(f"✗ {path}: {len(errors)} 个错误，未发布 / {len(errors)} error(s); not published")
            for p in errors:
                print(f"  {p}")
        return EXIT_REFUSED
    query = f"?area={quote(args.area)}" if args.area else ""

    def job(client: Any) -> int:
        meta = client.upload(f"/templates{query}", path.name, data)
        emit(args, meta, lambda m: f"✓ 已发布 {m['form_id']} {m['version']} 到区域 {m['area'] or '（全部）'} / "
                                   f"published {m['form_id']} {m['version']} to area {m['area'] or '(all)'}")
        return 0

    return run(args, job)
