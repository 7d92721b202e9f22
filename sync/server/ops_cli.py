"""``ybt server backup``, ``ybt server restore`` and ``ybt server migrate``: what a district's
operator runs (see docs/operations.md).

``--json`` shapes (one object on stdout):

- backup / restore: ``{"ok": true, "kind": "sqlite"|"postgresql", "file": PATH, "bytes": N}``
- migrate: ``{"ok": true, "from": REV|null, "to": REV, "head": REV, "changed": bool, "dry_run": bool}``
- any failure: ``{"ok": false, "error": EN, "error_zh": ZH}`` with exit status 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_ops(sub: argparse._SubParsersAction[Any], default_db: str) -> None:
    backup = sub.add_parser("backup", help="back up the platform database / 备份数据库")
    backup.add_argument("--db", default=default_db, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    backup.add_argument("--out", required=True, metavar="FILE", help="backup file to write")
    backup.add_argument("--json", action="store_true", help="print one JSON object")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="restore the platform database from a backup / 恢复数据库")
    restore.add_argument("--db", default=default_db, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE", help="backup file to read")
    restore.add_argument("--replace", action="store_true", help="overwrite a database that holds data")
    restore.add_argument("--json", action="store_true", help="print one JSON object")
    restore.set_defaults(handler=cmd_restore)

    migrate = sub.add_parser("migrate", help="upgrade the database schema / 升级数据库结构")
    migrate.add_argument("--db", default=default_db, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    migrate.add_argument("--to", default="head", metavar="REV", help="target revision (default: %(default)s)")
    migrate.add_argument("--dry-run", action="store_true", help="only say from which revision to which")
    migrate.add_argument("--json", action="store_true", help="print one JSON object")
    migrate.set_defaults(handler=cmd_migrate)


def _fail(args: argparse.Namespace, zh: str, en: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": en, "error_zh": zh}, ensure_ascii=False))
    else:
        print(f"错误：{zh} / error: {en}", file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from sync.server.backup import BackupError, backup

    try:
        report = backup(args.db, Path(args.out))
    except BackupError as exc:
        return _fail(args, exc.zh, exc.en)
    if args.json:
        print(json.dumps({"ok": True, "kind": report.kind, "file": report.path, "bytes": report.bytes}))
    else:
        print(f"已备份 / backed up ({report.kind}): {report.path} ({report.bytes} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sync.server.backup import BackupError, restore

    try:
        report = restore(Path(args.source), args.db, replace=args.replace)
    except BackupError as exc:
        return _fail(args, exc.zh, exc.en)
    if args.json:
        print(json.dumps({"ok": True, "kind": report.kind, "file": report.path, "bytes": report.bytes}))
    else:
        print(f"已恢复 / restored ({report.kind}) from {report.path}; 请运行 ybt server migrate / "
              "then run `ybt server migrate` if this app is newer than the backup")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from sync.server import migrate
    from sync.server.db import make_engine

    try:
        engine = make_engine(args.db)
        before = migrate.current_revision(engine)
        head = migrate.head_revision()
        target = head if args.to == "head" else args.to
        if not args.dry_run:
            if before is None:
                return _fail(args, "数据库尚未初始化，请运行 ybt server init",
                             "the database has no schema yet: run `ybt server init`")
            migrate.upgrade(engine, args.to)
        after = migrate.current_revision(engine) if not args.dry_run else target
        engine.dispose()
    except (CommandError, SQLAlchemyError) as exc:
        return _fail(args, "数据库升级失败，数据库保持原样", f"migration failed, the database is unchanged: {exc}")
    changed = before != after
    if args.json:
        print(json.dumps({"ok": True, "from": before, "to": after, "head": head, "changed": changed,
                          "dry_run": args.dry_run}))
    elif args.dry_run:
        print(f"将升级 / would upgrade: {before} -> {after} (head {head})")
    elif changed:
        print(f"已升级 / upgraded: {before} -> {after} (head {head})")
    else:
        print(f"已是最新 / already at {after} (head {head}), nothing to do")
    return 0
