"""``ybt ledger check FILE [--json]``: load a ledger template (台账模板) offline and list its problems,
each located (sheet, row, column, position in the cell's text), checked against the shipped templates."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("ledger", help="台账模板 / ledger templates")
    sub = p.add_subparsers(dest="ledger_command")
    c = sub.add_parser("check", help="检查台账模板 / check a ledger template")
    c.add_argument("path", help="台账模板 .xlsx / ledger template workbook")
    c.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    c.set_defaults(handler=run_check)
    p.set_defaults(handler=lambda _args: (p.print_help(sys.stderr), 2)[1])


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from forms.ledger.check import default_scopes
    from forms.ledger.template import LedgerError, load_ledger

    out = out or sys.stdout
    try:
        ledger = load_ledger(args.path, default_scopes())
    except LedgerError as exc:
        if args.json:
            out.write(json.dumps({"ok": False, "path": str(args.path),
                                  "errors": [p.to_json() for p in exc.problems]}, ensure_ascii=False) + "\n")
        else:
            for p in exc.problems:
                out.write(f"错误 / error: {p}\n")
        return 1
    info = {"name": ledger.name, "entity": ledger.entity, "type": ledger.type, "split": ledger.split,
            "data_row": ledger.data_row, "columns": len(ledger.columns),
            "masked_columns": [c.letter for c in ledger.masked_columns]}
    if args.json:
        out.write(json.dumps({"ok": True, "path": str(args.path), **info}, ensure_ascii=False) + "\n")
    else:
        out.write(f"正确 / ok: {ledger.name} ({ledger.entity}, {len(ledger.columns)} 列 / columns, "
                  f"数据行 / data row {ledger.data_row})\n")
    return 0
