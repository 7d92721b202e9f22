"""``ybt server recount``: compare the dashboard's maintained counts with a full recount of the
entities, rebuild them, and refresh the planner's statistics (``ANALYZE``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_recount(sub: argparse._SubParsersAction[Any], default_db: str) -> None:
    recount = sub.add_parser("recount", help="rebuild the dashboard counts from the entities / 重新统计")
    recount.add_argument("--db", default=default_db, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    recount.add_argument("--check", action="store_true", help="only report differences (exit 1 if any)")
    recount.add_argument("--json", action="store_true", help="print one JSON object")
    recount.set_defaults(handler=cmd_recount)


def cmd_recount(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from sync.server import counts, migrate
    from sync.server.db import make_engine

    try:
        engine = make_engine(args.db)
        if migrate.current_revision(engine) != migrate.head_revision():
            print("错误：数据库未初始化或版本过旧，请先运行 ybt server init / error: run `ybt server init` first",
                  file=sys.stderr)
            return 1
        with engine.begin() as conn:
            drift = counts.drift(conn)
            rows = None if args.check else counts.rebuild(conn)
        if not args.check:
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        engine.dispose()
    except SQLAlchemyError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    found = [{"grid": g, "kind": k, "state": s, "maintained": kept, "recounted": real}
             for (g, k, s), (kept, real) in drift.items()]
    if args.json:
        print(json.dumps({"differences": found, "rebuilt_rows": rows}, ensure_ascii=False))
    else:
        print(f"计数差异 / differences: {len(found)}")
        for d in found[:50]:
            print(f"  {d['grid']} {d['kind']} {d['state']}: {d['maintained']} -> {d['recounted']}")
        if rows is not None:
            print(f"已重建 / rebuilt: {rows} rows")
    return 1 if args.check and found else 0
