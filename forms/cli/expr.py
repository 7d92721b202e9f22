"""``ybt expr EXPRESSION [--data JSON] [--json]``: evaluate an expression, for admins writing templates.
``ybt expr --batch FILE.jsonl [--json]``: one ``{"expr": ..., "data": {...}}`` per line, one result per
line in the same order (an admin trying a rule on many records; how a conformance suite runs fast).
A line that is no such object, or whose expression does not compile, gets its error on its own
output line (``{"line": N, "error": ...}`` with ``--json``) and the others are still evaluated; the
exit status is 1 if any line failed; blank lines are skipped.

Fields in ``--data`` need not be declared: the scope accepts any name, and values shaped like
``YYYY-MM-DD`` are dates. A repeat is a list of row objects. With ``--json`` exactly one JSON
value is printed (integers without ``.0``, dates as ``"YYYY-MM-DD"``, NaN as ``null``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any, TextIO

from forms.errors import ExprError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "expr",
        help="计算一个表达式 / evaluate an expression",
        description="计算一个 XLSForm 表达式 / evaluate an XLSForm expression (see docs/expressions.md)",
    )
    p.add_argument("expression", nargs="?", help='the expression, e.g. "age(${birth_date}) >= 60"')
    p.add_argument("--batch", metavar="FILE.jsonl",
                   help='一行一个 {"expr", "data"}（- 为标准输入）/ one {"expr", "data"} per line (- for stdin)')
    p.add_argument(
        "--data", default="{}", help='the record as a JSON object, e.g. \'{"birth_date": "1950-03-01"}\''
    )
    p.add_argument(
        "--today", default=None, help="the date today() returns (YYYY-MM-DD); default: the real today"
    )
    p.add_argument("--json", action="store_true", help="print exactly one JSON value")
    p.set_defaults(handler=run)


def _fail(message: str, err: TextIO) -> int:
    err.write(message + "\n")
    return 1


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from forms.expr import EvalContext, Scope, compile_expression
    from forms.expr.values import plain
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        data = json.loads(args.data)
    except json.JSONDecodeError as exc:
        return _fail(
            f"--data 不是有效的 JSON / --data is not valid JSON: {exc.msg} (position {exc.pos})", err
        )
    if not isinstance(data, dict):
        return _fail("--data 必须是 JSON 对象 / --data must be a JSON object of field -> value", err)
    today: date | None = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            return _fail(
                f"--today 不是 YYYY-MM-DD 日期 / --today is not a YYYY-MM-DD date: {args.today}", err
            )
    if args.batch is not None:
        if args.expression is not None:
            return _fail("--batch 与表达式参数不能同时给出 / give either an expression or --batch", err)
        return run_batch(args.batch, today, bool(args.json), out, err)
    if args.expression is None:
        return _fail("需要一个表达式或 --batch FILE / an expression or --batch FILE is needed", err)
    text: str = args.expression
    try:
        compiled = compile_expression(text, Scope.permissive_for(data))
    except ExprError as exc:
        pos = exc.position if exc.position is not None else 0
        line = text.replace("\n", " ").replace("\t", " ")
        err.write(f"表达式错误 / expression error at position {pos}: {exc.message} [{exc.code}]\n")
        err.write(f"  {line}\n  {' ' * _width(line[:pos])}^\n")
        return 1
    now = datetime.now()
    ctx = EvalContext(data, today=today or now.date(), now=now)
    value = compiled.evaluate(ctx)
    if args.json:
        out.write(json.dumps(plain(value), ensure_ascii=False) + "\n")
    else:
        out.write(readable(value) + "\n")
    return 0


def run_batch(path: str, today: date | None, as_json: bool, out: TextIO, err: TextIO) -> int:
    from forms.expr import EvalContext, Scope, compile_expression
    from forms.expr.values import plain
    try:
        source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        return _fail(f"无法读取 / cannot read {path}: {exc.strerror or exc}", err)
    now = datetime.now()
    failed = 0
    cache: dict[str, Any] = {}
    with source:
        for number, raw in enumerate(source, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
                if not isinstance(item, dict) or not isinstance(item.get("expr"), str):
                    raise ValueError('a line is {"expr": "...", "data": {...}}')
                data = item.get("data") or {}
                if not isinstance(data, dict):
                    raise ValueError("data must be an object of field -> value")
                key = item["expr"]
                compiled = cache.get(key)
                if compiled is None or not compiled.scope_covers(data):
                    compiled = _Batched(compile_expression(key, Scope.permissive_for(data)), data)
                    if len(cache) < 10_000:
                        cache[key] = compiled
                value = compiled.code.evaluate(EvalContext(data, today=today or now.date(), now=now))
            except (ExprError, ValueError) as exc:
                failed += 1
                message = exc.message if isinstance(exc, ExprError) else str(exc)
                position = exc.position if isinstance(exc, ExprError) else None
                if as_json:
                    out.write(json.dumps({"line": number, "error": message, "position": position},
                                         ensure_ascii=False) + "\n")
                else:
                    where = f", position {position}" if position is not None else ""
                    out.write(f"第 {number} 行错误 / line {number}{where}: {message}\n")
                continue
            out.write((json.dumps(plain(value), ensure_ascii=False) if as_json else readable(value)) + "\n")
    return 1 if failed else 0


class _Batched:
    """A compiled expression with the field names and types its scope was built from."""

    __slots__ = ("code", "shape")

    def __init__(self, code: Any, data: dict[str, Any]) -> None:
        self.code = code
        self.shape = _shape(data)

    def scope_covers(self, data: dict[str, Any]) -> bool:
        return _shape(data) == self.shape


def _shape(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, type(v).__name__) for k, v in data.items()))


def readable(value: Any) -> str:
    """A value for people: text as is, numbers without a needless .0, dates YYYY-MM-DD."""
    from forms.expr.values import format_number, to_string

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list):
        return (
            "["
            + ", ".join(
                readable(v) if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False) for v in value
            )
            + "]"
        )
    if value == "":
        return '""  (空 / empty)'
    return to_string(value)


def _width(s: str) -> int:
    """Display columns of ``s``: CJK characters take two, so the caret lines up in a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
