"""``ybt validate``: validate records (JSON lines) against one or more templates.

Each input line is one record::

    {"id": "p1", "kind": "person", "house_id": "h1", "household_id": "f1",
     "data": {"name": "张伟", "members": [{"member_name": "…"}]}, "tags": ["留守老人"]}

``kind`` defaults to the entity of the first template. All records of the file form one graph
(so household and house aggregates see their persons) and one ID-number index (so a number
used twice in the file is reported). Malformed lines are reported with their line number and
the other lines are still validated.

Exit status: 0 every record valid, 1 an error finding or a malformed line, 2 a usage error
(a template or the records file cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from forms.errors import FormsError, TemplateError
from forms.graph import Entity, EntityFormatError, MemoryGraph, entity_from_dict
from forms.model import EntityKind, Template

if TYPE_CHECKING:
    from forms.validate.findings import ValidationResult


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "validate",
        help="校验记录 / validate records (JSON lines) against templates",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--template",
        action="append",
        required=True,
        metavar="PATH",
        help="template workbook (.xlsx); repeat for person, house and household templates",
    )
    p.add_argument("records", metavar="RECORDS.jsonl", help="records, one JSON object a line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print one JSON object a line")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="validate as of this date (default: today)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text report")
    p.set_defaults(handler=run)


class _UsageError(Exception):
    pass


def _load_templates(paths: list[str]) -> dict[EntityKind, Template]:
    from forms.xlsform import load_template

    templates: dict[EntityKind, Template] = {}
    for path in paths:
        if not Path(path).is_file():
            raise _UsageError(f"模板文件不存在 / template file not found: {path}")
        try:
            template = load_template(path)
        except TemplateError as e:
            lines = [f"模板无法加载 / template cannot be loaded: {path}"]
            lines += [f"  {p}" for p in e.problems] or [f"  {e}"]
            raise _UsageError("\n".join(lines)) from None
        except (FormsError, OSError) as e:
            raise _UsageError(f"模板无法加载 / template cannot be loaded: {path}: {e}") from None
        if template.entity in templates:
            raise _UsageError(
                f"两个模板的实体相同 / two templates for entity '{template.entity.value}': {path}"
            )
        templates[template.entity] = template
    return templates


def _parse_line(raw: bytes, default_kind: EntityKind, kinds: set[EntityKind]) -> Entity:
    """One input line as an entity; raises ValueError with a readable reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 text (byte {e.start + 1})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise ValueError(f"a record must be a JSON object, not {type(obj).__name__}")
    if "id" not in obj:
        raise ValueError('the record has no "id"')
    if "data" in obj and not isinstance(obj["data"], dict):
        raise ValueError('"data" must be an object')
    try:
        entity = entity_from_dict(obj, default_kind=default_kind)
    except EntityFormatError as e:
        raise ValueError(str(e)) from None
    if entity.kind not in kinds:
        raise ValueError(f"no template for kind '{entity.kind.value}'")
    return entity


def _read_records(
    stream: Any, default_kind: EntityKind, kinds: set[EntityKind]
) -> tuple[list[tuple[int, Entity]], list[tuple[int, str]]]:
    entities: list[tuple[int, Entity]] = []
    errors: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(stream, start=1):
        if raw.startswith(b"\xef\xbb\xbf") and number == 1:
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            entity = _parse_line(raw, default_kind, kinds)
        except ValueError as e:
            errors.append((number, str(e)))
            continue
        if entity.id in first_line:
            errors.append((number, f"duplicate id {entity.id!r} (first on line {first_line[entity.id]})"))
            continue
        first_line[entity.id] = number
        entities.append((number, entity))
    return entities, errors


def run(args: argparse.Namespace) -> int:
    from forms.validate import MemoryIdIndex, Validator  # the engine is heavy: only when validating

    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    try:
        templates = _load_templates(list(args.template))
        today = _parse_today(args.today)
        if args.records == "-":
            entities, errors = _read_records(sys.stdin.buffer, next(iter(templates)), set(templates))
        else:
            try:
                with open(args.records, "rb") as stream:
                    entities, errors = _read_records(stream, next(iter(templates)), set(templates))
            except OSError as e:
                raise _UsageError(
                    f"无法读取记录文件 / cannot read records: {args.records}: {e.strerror}"
                ) from None
    except _UsageError as e:
        print(str(e), file=err)
        return 2
    items = [e for _, e in entities]
    validator = Validator(templates, today=today, id_index=MemoryIdIndex(items))
    results = validator.validate_many(items, MemoryGraph(items))
    failed = bool(errors)
    outputs: list[tuple[int, str, bool]] = []  # (line, text, to stderr)
    for (line, entity), result in zip(entities, results, strict=True):
        failed = failed or not result.ok
        text = (
            json.dumps(_record_json(entity, result), ensure_ascii=False)
            if args.json
            else _record_text(line, entity, result, args.lang)
        )
        outputs.append((line, text, False))
    for line, message in errors:
        if args.json:
            outputs.append((line, json.dumps({"line": line, "error": message}, ensure_ascii=False), False))
        else:
            outputs.append((line, f"line {line}: {message}", True))
    outputs.sort(key=lambda o: o[0])
    for _, text, to_err in outputs:
        print(text, file=err if to_err else out)
    if not args.json:
        bad = sum(1 for r in results if not r.ok)
        print(
            f"{len(results)} 条记录，{bad} 条有错误，{len(errors)} 行无法读取 / "
            f"{len(results)} records, {bad} with errors, {len(errors)} malformed lines",
            file=out,
        )
    return 1 if failed else 0


def _parse_today(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _UsageError(f"--today 应为 YYYY-MM-DD / --today must be YYYY-MM-DD, not {text!r}") from None


def _record_json(entity: Entity, result: ValidationResult) -> dict[str, Any]:
    return {
        "id": entity.id,
        "kind": entity.kind.value,
        "ok": result.ok,
        "tags": result.tags,
        "issues": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "kind": f.kind,
                "field": f.field,
                "message": f.message_zh,
                "message_en": f.message_en,
            }
            for f in result.findings
        ],
    }


def _record_text(line: int, entity: Entity, result: ValidationResult, lang: str) -> str:
    mark = "✓" if result.ok else "✗"
    head = f"{mark} {entity.kind.value} {entity.id} (line {line})"
    if result.tags:
        head += "  [" + ", ".join(result.tags) + "]"
    lines = [head]
    for f in result.findings:
        where = f"{f.field}: " if f.field else ""
        lines.append(f"    {f.severity.value:<8}{where}{f.message(lang)}  ({f.rule})")
    return "\n".join(lines)
