"""The first pull after a first login: the worker's areas, templates and records, before the main window.

A new profile is empty; the main window would show nothing until a sync. So the first (online)
login pulls everything in the user's scope at once, page by page (``GET /changes``), each page
stored with its cursor in one transaction (``store.apply_changes``), so an interrupted first pull
resumes where it stopped at the next sync. Later syncs are the sync screen's job (SyncEngine).
No Qt here: it runs inside the login's background task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sync.client import min_version

if TYPE_CHECKING:
    from desktop.session import Session

PAGE_LIMIT = 2000
MAX_PAGES = 10_000


def initial_sync(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Pull every change in scope into the new store; returns the number of items stored."""
    client = session.client
    if client is None:
        return 0
    store: Any = session.store
    stored = 0
    cursor = store.pull.cursor("changes")
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": PAGE_LIMIT}
        if cursor:
            params["since"] = cursor
        page = client.get("/changes", params=params)
        items = list(page.get("items") or [])
        has_more = bool(page.get("has_more"))
        cursor = str(page.get("next_cursor") or cursor or "")
        store.pull.apply_changes(items, cursor, reset=bool(page.get("reset")), has_more=has_more)
        settings = page.get("settings")
        if isinstance(settings, dict):  # an app older than the platform's minimum: the main window says so
            min_version.note(store.settings, client.app_version, settings)
        stored += len(items)
        if progress is not None:
            progress(stored)
        if not has_more:
            break
    return stored
