"""``ybt server init`` and ``ybt server run``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_DB = "sqlite:///ybt-server.db"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    server = subparsers.add_parser("server", help="district platform server / 区级平台服务端")
    sub = server.add_subparsers(dest="server_command", required=True)

    init = sub.add_parser("init", help="create or upgrade the database / 初始化数据库")
    init.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    init.add_argument("--demo", action="store_true", help="seed the demo district (清波街道)")
    init.add_argument("--demo-password", default="demo1234", help="password of the demo users (default: %(default)s)")
    init.set_defaults(handler=cmd_init)

    run = sub.add_parser("run", help="serve the API / 启动服务")
    run.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL or SQLite file path (default: %(default)s)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--visit-cycle", choices=("month", "quarter", "half-year", "year"), default="quarter",
                     help="verification cycle: a 已核实 visit verifies for this period (default: %(default)s)")
    run.add_argument("--workers", type=int, default=1,
                     help="server processes sharing the database (PostgreSQL; default: %(default)s)")
    run.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                     help="address of a reverse proxy whose X-Forwarded-For is believed (repeatable; "
                          "the login limiter then sees the real client addresses)")
    run.add_argument("--metrics-allow", action="append", default=[], metavar="ADDR",
                     help="address besides loopback that may scrape /metrics (repeatable)")
    run.set_defaults(handler=cmd_run)

    from sync.server.recount_cli import add_recount

    add_recount(sub, DEFAULT_DB)

    from sync.server.ops_cli import add_ops

    add_ops(sub, DEFAULT_DB)


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from forms.errors import FormsError
    from sync.server.bootstrap import init_database
    from sync.server.db import Database, make_engine

    if args.demo and len(args.demo_password) < 8:
        print("错误：演示密码至少 8 位 / error: --demo-password needs at least 8 characters", file=sys.stderr)
        return 2
    try:
        engine = make_engine(args.db)
        report = init_database(engine)
        print(f"数据库已就绪 / database ready: {engine.url.render_as_string(hide_password=True)}")
        if report.codelists:
            print(f"代码表 / code lists: {report.codelists}")
        for key in report.templates:
            print(f"已发布模板 / published template: {key}")
        if args.demo:
            from sync.server.demo import seed_demo

            seed_demo(Database(engine), args.demo_password, report)
            print("演示用户 / demo users (username  role  area):")
            for username, role, area in report.users:
                print(f"  {username:<10} {role:<10} {area}")
            print(f"演示密码 / demo password: {args.demo_password}")
            if report.entities:
                counts = ", ".join(f"{k} {v}" for k, v in sorted(report.entities.items()))
                print(f"演示数据 / demo records: {counts}")
        engine.dispose()
    except (SQLAlchemyError, FormsError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from sync.server.app import create_app
    from sync.server.config import ServerConfig

    if args.workers < 1:
        print("错误 / error: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.workers > 1 and not args.db.startswith("postgresql"):
        print("错误：多个服务进程需要 PostgreSQL / error: --workers above 1 needs a PostgreSQL database",
              file=sys.stderr)
        return 2
    import ipaddress

    for address in (*args.trusted_proxy, *args.metrics_allow):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            print(f"错误：不是 IP 地址 / error: not an IP address: {address!r}", file=sys.stderr)
            return 2
    config = ServerConfig(db_url=args.db, visit_cycle=args.visit_cycle, trusted_proxies=tuple(args.trusted_proxy),
                          metrics_allow=tuple(args.metrics_allow))
    try:
        app = create_app(config)  # checks the database too
    except (RuntimeError, SQLAlchemyError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=False)
        return 0
    import os

    from sync.server.app import DB_URL_ENV, METRICS_ALLOW_ENV, TRUSTED_PROXIES_ENV, VISIT_CYCLE_ENV

    app.state.ybt.db.dispose()
    os.environ[DB_URL_ENV] = args.db
    os.environ[VISIT_CYCLE_ENV] = args.visit_cycle
    os.environ[TRUSTED_PROXIES_ENV] = ",".join(config.trusted_proxies)
    os.environ[METRICS_ALLOW_ENV] = ",".join(config.metrics_allow)
    uvicorn.run("sync.server.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", proxy_headers=False)
    return 0
