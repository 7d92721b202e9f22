"""The platform's minimum app version, as the app learns it and remembers it.

The platform refuses pushes from apps older than its ``min_client_version`` (426 ``client_too_old``),
and also names the minimum in every ``GET /changes`` page's ``settings`` (and in ``GET /health``), so an
app with nothing to push learns it at its first pull after login, or at any sync. What was learnt is
kept in the store's settings (:data:`KEY`) so the notice is there after a restart, offline too, until
the platform lifts the minimum or the app is updated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sync.version import at_least, is_version

#: Store setting: the version the platform wants, or None.
KEY = "sync.update_required"


class SettingsStore(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


def too_old(app_version: str, minimum: object) -> bool:
    return isinstance(minimum, str) and is_version(minimum) and is_version(app_version) \
        and not at_least(app_version, minimum)


def note(settings: SettingsStore, app_version: str, announced: Mapping[str, Any]) -> str | None:
    """Take the minimum the platform announced (a page's ``settings`` or ``/health``): remember it and
    return it when this app is older, else forget any earlier one and return None."""
    minimum = announced.get("min_client_version")
    required = minimum if too_old(app_version, minimum) else None
    if settings.get(KEY) != required:
        settings.set(KEY, required)
    return required if isinstance(required, str) else None


def remembered(settings: SettingsStore, app_version: str) -> str | None:
    """The minimum learnt earlier, if this app is still older than it."""
    stored = settings.get(KEY)
    return stored if too_old(app_version, stored) else None
