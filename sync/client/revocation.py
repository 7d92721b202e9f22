"""What the app does when the platform says this device is revoked: forget the login, wipe the
user's local store, leave a note saying why, and tell the platform (when it can).

``wipe_local(client, close, store_dir, marker, revoked, username)``:

1. the refresh token is kept in memory (it proves the acknowledgement), and the saved tokens are
   forgotten (the OS keyring entry; a copy in the store's settings goes with the store);
2. ``close()`` closes every connection to the store (the caller owns them);
3. :func:`sync.store.wipe.wipe_store` deletes the store directory and writes the ``marker`` note;
4. ``POST /devices/wiped`` with the refresh token (best effort: offline, the platform simply keeps
   showing the device as revoked, not wiped).

Returns whether the platform acknowledged. Errors of steps 1 and 4 never stop the wipe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sync.client.errors import DeviceRevoked, SyncError
from sync.client.http import ApiClient
from sync.store.wipe import wipe_store


def wipe_local(client: ApiClient | None, close: Callable[[], None], store_dir: Path, marker: Path,
               revoked: DeviceRevoked, username: str, device_id: str = "") -> bool:
    refresh = None
    note: dict[str, object] = {"username": username, "reason": revoked.reason, "push_first": revoked.push_first,
                               "device_id": device_id or (client.device_id if client is not None else "")}
    if client is not None:
        tokens = client.tokens
        refresh = tokens.refresh_token if tokens is not None else None
        with contextlib.suppress(SyncError):
            client.forget_tokens()
    close()
    wipe_store(store_dir, marker, note)
    if client is None or refresh is None:
        return False
    try:
        client.acknowledge_wipe(refresh)
    except SyncError:
        return False
    return True
