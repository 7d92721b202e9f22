"""``ybt sync``: headless sync of one user profile with the platform.

    ybt sync --server http://host:8765 --user wg_qingbo_1_1 --profile ~/ybt/wg1

The password comes from ``YBT_PASSWORD`` (automation) or a ``getpass`` prompt. The first run logs in
online and creates the encrypted profile store with that password; later runs unlock it with the
same password and reuse the saved tokens (the OS keyring when usable, else the store). Prints the
summary; exit 0 when everything was sent and received, 1 otherwise (the message says why).

A device the platform revoked is wiped (after pushing what it can, if the admin chose "push first"):
the profile directory is emptied but for ``device_revoked.json`` saying why; the message is printed
and the exit status is 1. An app older than the platform's minimum version pushes nothing, says
which version to install, pulls, and exits 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Any

PASSWORD_ENV = "YBT_PASSWORD"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("sync", help="headless sync with the platform / 与平台同步（无界面）")
    p.add_argument("--server", required=True, help="platform URL, e.g. http://127.0.0.1:8765")
    p.add_argument("--user", required=True, help="user name / 用户名")
    p.add_argument("--profile", required=True, help="profile directory (created on first login) / 用户资料目录")
    p.add_argument("--batch", type=int, default=200, help="submissions per push (1-200, default %(default)s)")
    p.add_argument("--page", type=int, default=1000, help="changes per pull page (1-5000, default %(default)s)")
    p.add_argument("--timeout", type=float, default=60.0, help="read timeout in seconds (default %(default)s)")
    p.add_argument("--retries", type=int, default=6, help="attempts per request (default %(default)s)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(handler=cmd_sync)


def _password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise SystemExit(f"错误：需要密码（终端输入或环境变量 {PASSWORD_ENV}） / "
                         f"error: a password is needed (terminal prompt or {PASSWORD_ENV})")
    return getpass.getpass("密码 / password: ")


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.client.engine import SyncEngine, SyncProgress
    from sync.client.errors import (  # requests and friends: only when syncing
        DeviceRevoked,
        LoginRequired,
        SyncError,
    )
    from sync.client.http import ApiClient, RetryPolicy
    from sync.client.revocation import wipe_local
    from sync.client.tokens import choose_token_store, store_meta
    from sync.store import Store, StoreError
    from sync.store.wipe import MARKER_NAME, read_marker

    if not 1 <= args.batch <= 200 or not 1 <= args.page <= 5000:
        return _fail("错误：--batch 须为 1-200，--page 须为 1-5000 / error: --batch 1-200, --page 1-5000")
    password = _password()
    profile = Path(args.profile).expanduser()
    retry = RetryPolicy(attempts=max(1, args.retries))
    timeout = (5.0, max(1.0, args.timeout))
    lang = args.lang
    store: Any = None
    try:
        if (profile / "profile.json").exists():
            store = Store.open(profile, password)
            owner = str(store.settings.user().get("username") or "")
            if owner and owner != args.user:
                return _fail(f"错误：资料目录属于用户 {owner} / error: this profile belongs to {owner}")
            tokens = choose_token_store(store_meta(store))
            client = ApiClient(args.server, device_id=store.settings.device_id() or str(uuid.uuid4()), tokens=tokens,
                               username=args.user, timeout=timeout, retry=retry)
            if client.tokens is None:
                store.settings.set_user({**store.settings.user(), **client.login(args.user, password)})
        else:
            note = read_marker(profile / MARKER_NAME) or {}  # a wiped profile keeps its device's id
            device_id = str(note.get("device_id") or uuid.uuid4())
            client = ApiClient(args.server, device_id=device_id, timeout=timeout, retry=retry)
            user = client.login(args.user, password)
            store = Store.create(profile, password, {**user, "username": args.user, "device_id": device_id})
            tokens = choose_token_store(store_meta(store))
            if client.tokens is not None:
                tokens.save(client.tokens)
            client.tokens_store = tokens
        if not args.quiet:
            where = {"zh": "登录凭据保存在", "en": "tokens kept in"}[lang]
            print(f"{where}: {client.tokens_store.kind}")

        def show(p: SyncProgress) -> None:
            if not args.quiet:
                print(p.message_en if lang == "en" else p.message_zh, flush=True)

        engine = SyncEngine(store, client, push_batch=args.batch, pull_page=args.page)
        summary = engine.run(show)
        if isinstance(summary.failure, LoginRequired):
            store.settings.set_user({**store.settings.user(), **client.login(args.user, password)})
            summary = engine.run(show)
        print(summary.text(lang))
        if summary.revoked is not None and summary.wipe:
            opened, store = store, None
            wipe_local(client, opened.close, profile, profile / MARKER_NAME, summary.revoked, args.user)
            return _fail(summary.revoked.wiped(lang))
        return 0 if summary.ok else 1
    except DeviceRevoked as exc:  # refused at login: nothing of this user may stay here
        if store is not None:
            opened, store = store, None
            wipe_local(None, opened.close, profile, profile / MARKER_NAME, exc, args.user,
                       str(opened.settings.device_id() or ""))
            return _fail(exc.wiped(lang))
        return _fail(exc.message(lang))
    except SyncError as exc:
        return _fail(exc.message(lang) + (f" ({exc.detail})" if exc.detail else ""))
    except StoreError as exc:
        return _fail(f"错误 / error: {exc}")
    except KeyboardInterrupt:
        return _fail("已中断 / interrupted")
    finally:
        if store is not None:
            store.close()
