"""The account routers (accounts, 保密协议), included by the app in one line."""

from __future__ import annotations

from sync.server.routes import accounts, agreement

ROUTERS = (accounts.router, agreement.router)
