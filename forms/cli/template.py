"""``ybt template check PATH [--json] [--skip-unsupported] [--related PATH ...]`` (and ``template diff``,
in ``forms.cli.template_diff``).

Loads a template workbook the way the platform and the desktop app do and prints either a
summary (exit 0) or every problem with its sheet, row, column and position (exit 1). A file that
is missing, unreadable or not a workbook is reported the same way (exit 1); bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from forms.cli.summary import format_summary, summarize
from forms.errors import Problem, TemplateError
from forms.model import EntityKind, Template


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("template", help="模板工具 / template tools", description="模板工具 / template tools")
    sub = p.add_subparsers(dest="template_command", metavar="SUBCOMMAND")
    p.set_defaults(handler=lambda _args: _usage(p))
    c = sub.add_parser(
        "check",
        help="检查模板工作簿 / check a template workbook",
        description="检查 XLSForm 模板（.xlsx/.xls）并列出所有问题 / check an XLSForm template and list every problem",
    )
    c.add_argument("path", help="模板文件 / the template workbook (.xlsx or .xls)")
    c.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    c.add_argument(
        "--skip-unsupported",
        action="store_true",
        help="跳过不支持的题型（逐个警告）/ leave out unsupported question types, with a warning each",
    )
    c.add_argument(
        "--related",
        action="append",
        default=[],
        metavar="PATH",
        help="其他实体的模板，用于检查聚合中的字段 / templates of the other entity kinds, to check aggregates",
    )
    c.set_defaults(handler=run_check)
    from forms.cli import template_diff

    template_diff.register(sub)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from forms.xlsform import load_template  # the reader is heavy: only when checking

    out = out or sys.stdout
    related: dict[EntityKind, Template] = {}
    for rel in args.related:
        try:
            t = load_template(rel)
        except TemplateError as exc:
            return _failure(out, args.json, [_in_file(p, rel) for p in exc.problems], [], args.path)
        related[t.entity] = t
    try:
        template = load_template(args.path, skip_unsupported=args.skip_unsupported, related=related)
    except TemplateError as exc:
        errors = [p for p in exc.problems if p.severity != "warning"]
        warnings = [p for p in exc.problems if p.severity == "warning"]
        return _failure(out, args.json, errors, warnings, args.path)
    info = summarize(template)
    warnings = [p for p in template.warnings if isinstance(p, Problem)]
    if args.json:
        payload = {"ok": True, "path": str(args.path), **info, "warnings": [w.to_json() for w in warnings]}
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        out.write(f"✓ {args.path}: 模板有效 / the template is valid\n")
        out.write(format_summary(info) + "\n")
        for w in warnings:
            out.write(f"  警告 / warning: {w}\n")
    return 0


def _in_file(problem: Problem, path: str) -> Problem:
    from dataclasses import replace

    return replace(problem, message=f"{Path(path).name}: {problem.message}")


def _failure(out: TextIO, as_json: bool, errors: list[Problem], warnings: list[Problem], path: str) -> int:
    if as_json:
        payload = {
            "ok": False,
            "path": str(path),
            "errors": [p.to_json() for p in errors],
            "warnings": [p.to_json() for p in warnings],
        }
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        out.write(f"✗ {path}: {len(errors)} 个错误 / {len(errors)} error(s)\n")
        for p in errors:
            out.write(f"  {p}\n")
        for p in warnings:
            out.write(f"  警告 / warning: {p}\n")
    return 1
