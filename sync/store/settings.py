"""The profile's own facts: the signed-in user, the device id, the app's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.store.audit import Audit
from sync.store.db import StoreDb, locked


class Settings:
    """``store.settings``: the user record, the device id and key/value settings (meta rows)."""

    def __init__(self, db: StoreDb, audit: Audit) -> None:
        self._db = db
        self._audit = audit
        self._lock = db.lock

    @locked
    def user(self) -> dict[str, Any]:
        return dict(self._db.get_meta("user") or {})

    @locked
    def set_user(self, user: Mapping[str, Any]) -> None:
        with self._db.tx():
            self._db.set_meta("user", dict(user))
            self._audit.log("user_updated")
        self._db.username = str(user.get("username") or self._db.username)

    @locked
    def device_id(self) -> str:
        return str(self._db.get_meta("device_id") or "")

    @locked
    def get(self, key: str, default: Any = None) -> Any:
        return (self._db.get_meta("settings") or {}).get(key, default)

    @locked
    def set(self, key: str, value: Any) -> None:
        with self._db.tx():
            settings = self._db.get_meta("settings") or {}
            settings[key] = value
            self._db.set_meta("settings", settings)
