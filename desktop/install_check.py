"""``ybt selftest``: check an installed app end to end, without a person at the screen.

Starts the real app (Qt's offscreen platform when there is no display), logs in to a platform through
the real login window, opens the main window once the first pull is in, and prints one JSON object:
the records pulled, the Qt platform, whether a CJK font and the English catalogue were found, and
where the app keeps its files. Exit 0 when the pull brought records and the checks held, else 1.
The .deb's install test (``installer/test_deb.sh``) runs it in a fresh Debian system.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

PASSWORD_ENV = "YBT_PASSWORD"


def run_selftest(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        print(f"错误：请在 {PASSWORD_ENV} 中给出密码 / error: set the password in {PASSWORD_ENV}", file=sys.stderr)
        return 2
    report = check(args.server, args.user, password, Path(args.profile).expanduser(), args.timeout)
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report["ok"] else 1


def _wait(condition: Any, timeout: float) -> bool:
    from desktop.qt import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents()
        time.sleep(0.02)
    return True


def check(server: str, user: str, password: str, profile: Path, timeout: float) -> dict[str, Any]:
    from desktop import i18n
    from desktop.app import create_application, open_window
    from desktop.fonts import pick_family
    from desktop.login import LoginWindow
    from desktop.qt import QFontDatabase, QGuiApplication
    from desktop.session import Session
    from desktop.settings import AppSettings, ybt_home

    create_application(language="zh")
    report: dict[str, Any] = {"ok": False, "qt_platform": QGuiApplication.platformName(),
                              "home": str(ybt_home()), "profile": str(profile)}
    report["cjk_font"] = pick_family(QFontDatabase.families(), sys.platform)
    i18n.set_language("en")
    report["english_catalogue"] = i18n.tr("登录") != "登录"
    i18n.set_language("zh")
    login = LoginWindow(profile, server_url=server, settings=AppSettings())
    login.show()
    login.username.setText(user)
    login.password.setText(password)
    sessions: list[Session] = []
    login.logged_in.connect(sessions.append)
    started = time.monotonic()
    login.submit()
    if not _wait(lambda: bool(sessions) or bool(login.error.text()), timeout):
        report["error"] = "login timed out"
        return report
    if not sessions:
        report["error"] = login.error.text()
        return report
    session = sessions[0]
    login.close()
    window = open_window(session, AppSettings())
    window.show()
    settled = time.monotonic() + 1.0  # the window's start-up work (notices, lists) runs, as at a real start
    _wait(lambda: time.monotonic() > settled, 5)
    lists = session.store.lists
    report["persons"] = lists.persons(limit=1).total
    report["houses"] = lists.houses(limit=1).total
    report["login_and_pull_s"] = round(time.monotonic() - started, 2)
    report["ok"] = bool(report["persons"] and report["houses"] and report["cjk_font"]
                        and report["english_catalogue"])
    window.shutdown()
    window.close()
    session.close()
    return report


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("selftest", help="检查安装：登录并同步一次 (check an installation: log in and pull)",
                              description=__doc__)
    p.add_argument("--server", required=True, metavar="URL", help="平台服务器地址 / platform server URL")
    p.add_argument("--user", required=True, help="用户名 / user name (password in $YBT_PASSWORD)")
    p.add_argument("--profile", required=True, metavar="DIR", help="本机资料目录 / profile directory to create")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for login and pull")
    p.set_defaults(handler=run_selftest)
