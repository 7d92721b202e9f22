"""``ybt admin …``: the admin's jobs for scripting, each through the platform API (the app's admin
window calls the same endpoints).

Every sub-command logs in like ``ybt sync`` (``--server URL --user NAME``, the password from
``YBT_PASSWORD`` or a prompt), prints a readable table or, with ``--json``, one JSON object or list
(documented in docs/protocol.md), and exits 0 on success, 1 when the platform refused the act, 2 on a
usage or connection problem.

Each module in :data:`MODULES` adds its group with ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

MODULES: tuple[str, ...] = (
    "sync.client.admin.users",
    "sync.client.admin.areas",
    "sync.client.admin.devices",
    "sync.client.admin.settings",
    "sync.client.admin.audit",
    "sync.client.admin.dashboard",
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser("admin", help="the admin's jobs on the platform / 管理员操作")
    groups = p.add_subparsers(dest="admin_group", metavar="GROUP")
    groups.required = True
    for name in MODULES:
        importlib.import_module(name).register(groups)
