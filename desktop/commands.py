"""``ybt app`` and ``ybt demo``: start the desktop app, alone or with a local demo platform.

Qt is imported only inside the handlers, so ``ybt`` keeps working on machines without Qt or a
display; when there is no display the commands say how to run anyway and exit with status 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

NO_DISPLAY_EXIT = 2


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """A message when Qt would have no screen to draw on (Linux without X11/Wayland), else None."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    if not plat.startswith("linux"):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY）。\n"
        "No graphical display is available (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
        "在无显示的机器上可以这样运行 / To run without a display:\n"
        "  QT_QPA_PLATFORM=offscreen ybt demo     (不显示窗口 / renders off screen)\n"
        "  xvfb-run ybt demo                      (虚拟显示 / virtual X display)\n"
        "或在桌面会话中运行 / or run it from a desktop session."
    )


def _refuse_without_display() -> int | None:
    problem = display_problem()
    if problem is None:
        return None
    print(problem, file=sys.stderr)
    return NO_DISPLAY_EXIT


def run_app_command(args: argparse.Namespace) -> int:
    refused = _refuse_without_display()
    if refused is not None:
        return refused
    from desktop.app import run_app
    from desktop.settings import default_profile_dir

    profile = Path(args.profile).expanduser() if args.profile else default_profile_dir()
    return run_app(profile_dir=profile, server_url=args.server, language=args.lang)


def _exit_on_sigterm() -> None:
    """Until the app's event loop takes over, SIGTERM unwinds like Ctrl+C (so ``finally`` stops the server)."""
    def leave(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, leave)


def run_demo_command(args: argparse.Namespace) -> int:
    refused = _refuse_without_display()
    if refused is not None:
        return refused
    _exit_on_sigterm()
    from desktop.app import run_app
    from desktop.demo_server import DemoServer, DemoServerError, print_accounts
    from desktop.settings import ybt_home

    home = Path(args.home).expanduser() if args.home else ybt_home() / "demo"
    server = DemoServer(home, port=args.port)
    try:
        server.prepare(out=sys.stdout)
        server.start()
    except DemoServerError as exc:
        print(str(exc), file=sys.stderr)
        server.stop()
        return 1
    try:
        print_accounts(server, out=sys.stdout)
        return run_app(profile_dir=home / "profile", server_url=server.url, language=args.lang,
                       demo_hint=True, settings_home=home)
    finally:
        server.stop()


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    app = subparsers.add_parser("app", help="打开一表通桌面应用 (open the desktop app)",
                                description="打开一表通桌面应用 / open the 一表通 desktop app")
    app.add_argument("--profile", metavar="DIR",
                     help="本机资料目录（加密数据库所在）/ profile directory holding the encrypted store")
    app.add_argument("--server", metavar="URL", help="平台服务器地址 / platform server URL")
    app.add_argument("--lang", choices=("zh", "en"), help="界面语言 / interface language (default zh)")
    app.set_defaults(handler=run_app_command)

    demo = subparsers.add_parser(
        "demo", help="本机演示：启动演示平台并打开应用 (local demo platform + app)",
        description="在本机用 SQLite 建立演示区的平台、在回环地址上启动它并打开应用 / "
                    "set up a demo platform on SQLite, start it on loopback and open the app")
    demo.add_argument("--home", metavar="DIR",
                      help="演示数据目录 / demo data directory (default $YBT_HOME/demo)")
    demo.add_argument("--port", type=int, default=0, help="平台端口 / server port (default: a free one)")
    demo.add_argument("--lang", choices=("zh", "en"), help="界面语言 / interface language (default zh)")
    demo.set_defaults(handler=run_demo_command)

    from desktop.install_check import register as register_selftest

    register_selftest(subparsers)
