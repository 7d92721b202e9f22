"""What the app does when the platform says this device is revoked: forget the login, wipe the
user's local store, leave a note saying why, and tell the platform (when it can).

``wipe_local(client, close, store_dir, marker, revoked, username)`` does it all in order:

1. :func:`forget`: the refresh token is kept in memory (it proves the acknowledgement) and the saved
   tokens are forgotten (the OS keyring entry; a copy in the store's settings goes with the store) —
   while the store is still open;
2. ``close()`` closes every connection to the store (the caller owns them);
3. :func:`finish`: :func:`sync.store.wipe.wipe_store` deletes the store directory and writes the
   ``marker`` note, then ``POST /devices/wiped`` with the refresh token (best effort: offline, the
   platform keeps showing the device as revoked, not wiped).

The desktop runs step 1 and 2 on the GUI thread and step 3 in the background. Returns whether the
platform acknowledged. Errors of the token steps never stop the wipe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sync.client.errors import DeviceRevoked, SyncError
from sync.client.http import ApiClient
from sync.store.wipe import wipe_store


def forget(client: ApiClient | None) -> str | None:
    """Forget the saved tokens; returns the refresh token (for the acknowledgement), if there was one."""
    if client is None:
        return None
    tokens = client.tokens
    with contextlib.suppress(SyncError):
        client.forget_tokens()
    return tokens.refresh_token if tokens is not None else None


def finish(client: ApiClient | None, refresh: str | None, store_dir: Path, marker: Path, revoked: DeviceRevoked,
           username: str, device_id: str = "") -> bool:
    """Wipe the (closed) store, leave the note, acknowledge; True when the platform acknowledged."""
    note = {"username": username, "reason": revoked.reason, "push_first": revoked.push_first,
            "device_id": device_id or (client.device_id if client is not None else "")}
    wipe_store(store_dir, marker, note)
    if client is None or refresh is None:
        return False
    try:
        client.acknowledge_wipe(refresh)
    except SyncError:
        return False
    return True


def wipe_local(client: ApiClient | None, close: Callable[[], None], store_dir: Path, marker: Path,
               revoked: DeviceRevoked, username: str, device_id: str = "") -> bool:
    refresh = forget(client)
    close()
    return finish(client, refresh, store_dir, marker, revoked, username, device_id)
