"""``ybt template diff OLD.xlsx NEW.xlsx [--json]``: what changed between two template versions.

Offline: both workbooks are read here. Prints one readable sentence per change, grouped by kind
(exit 0, also when nothing changed), or with ``--json`` the :meth:`TemplateDiff.to_json` object.
A workbook that does not load prints its problems (exit 1); bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO


def register(sub: argparse._SubParsersAction[Any]) -> None:
    d = sub.add_parser(
        "diff",
        help="对比两个模板版本 / compare two template versions",
        description="对比两个模板工作簿：新增、删除、改名的字段，类型、选项、条件、标签和规则的变化 / "
        "compare two template workbooks: fields added, removed, renamed; types, choices, expressions, tags, rules",
    )
    d.add_argument("old", help="旧版本 / the old version (.xlsx)")
    d.add_argument("new", help="新版本 / the new version (.xlsx)")
    d.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    d.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    d.set_defaults(handler=run_diff)


def run_diff(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from forms.errors import TemplateError
    from forms.versions import diff
    from forms.versions.diff import KIND_NAMES_EN, KIND_NAMES_ZH, KINDS
    from forms.xlsform import load_template

    out = out or sys.stdout
    loaded = []
    for path in (args.old, args.new):
        try:
            loaded.append(load_template(path))
        except TemplateError as exc:
            errors = [p for p in exc.problems if p.severity != "warning"]
            if args.json:
                out.write(json.dumps({"ok": False, "path": str(path), "errors": [p.to_json() for p in errors]},
                                     ensure_ascii=False) + "\n")
            else:
                out.write(f"✗ {path}: {len(errors)} 个错误 / {len(errors)} error(s)\n")
                for p in errors:
                    out.write(f"  {p}\n")
            return 1
    result = diff(loaded[0], loaded[1])
    if args.json:
        out.write(json.dumps({"ok": True, **result.to_json()}, ensure_ascii=False) + "\n")
        return 0
    names = KIND_NAMES_EN if args.lang == "en" else KIND_NAMES_ZH
    out.write(f"{result.form_id} {result.old_version} → {result.new_version}: {result.summary(args.lang)}\n")
    for kind in KINDS:
        changes = result.of_kind(kind)
        if changes:
            out.write(f"\n{names[kind]}:\n")
            for c in changes:
                out.write(f"  - {c.text(args.lang)}\n")
    return 0
