"""Wiping a user's local store when the platform revoked the device (a lost laptop: domain.md §6).

``wipe_store(store_dir, marker, note)`` deletes the whole store directory — the encrypted database, its
WAL and shared-memory files, ``profile.json`` (salt, key check) and anything else kept there, the token
fallback of the store's settings included — and then writes ``marker``: a small JSON file saying why
(``note``: who, the admin's reason, when), which the login window or the headless sync shows. The
store must be closed by its owner first (every connection to it). Nothing of the user's data is left.

``read_marker(marker)`` gives the note back (None when there is none or it is unreadable);
``clear_marker(marker)`` removes it once it has been shown.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from sync.store.errors import StoreError

MARKER_NAME = "device_revoked.json"


def wipe_store(store_dir: str | Path, marker: str | Path, note: dict[str, Any]) -> None:
    """Delete ``store_dir`` entirely, then leave ``marker`` with ``note`` (plus ``wiped_at``)."""
    store_dir, marker = Path(store_dir), Path(marker)
    for attempt in range(5):  # a file another process still holds may need a moment (Windows)
        shutil.rmtree(store_dir, ignore_errors=True)
        if not store_dir.exists():
            break
        time.sleep(0.2 * (attempt + 1))
    if store_dir.exists():
        raise StoreError(f"无法删除本地数据目录 {store_dir} (cannot delete the local store {store_dir})")
    marker.parent.mkdir(parents=True, exist_ok=True)
    body = {**note, "wiped_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    temp = marker.with_name(marker.name + ".tmp")
    temp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, marker)


def read_marker(marker: str | Path) -> dict[str, Any] | None:
    try:
        value = json.loads(Path(marker).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def clear_marker(marker: str | Path) -> None:
    Path(marker).unlink(missing_ok=True)
