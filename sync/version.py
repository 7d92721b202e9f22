"""The app's version, the header that carries it on every request, and comparing versions.

Both sides import this (the client sends :data:`APP_VERSION` in :data:`CLIENT_HEADER`; the server
compares it with its ``min_client_version`` setting). A version is dotted numbers, ``"0.1.0"``;
missing trailing parts count as 0 (``"1.2" == "1.2.0"``).
"""

from __future__ import annotations

import re

#: The version of this app (kept equal to pyproject.toml's ``version``).
APP_VERSION = "0.1.0"
#: Request header with the app's version, sent by ``sync.client.http.ApiClient`` on every request.
CLIENT_HEADER = "X-YBT-Client"

_VERSION = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$")


def is_version(text: str) -> bool:
    return bool(_VERSION.match(text))


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.2.3"`` -> ``(1, 2, 3, 0)``; ValueError for anything that is not dotted numbers."""
    text = text.strip()
    if not is_version(text):
        raise ValueError(f"not a version: {text!r}")
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


def at_least(version: str, minimum: str) -> bool:
    """True when ``version`` is ``minimum`` or newer (both must be versions)."""
    return parse_version(version) >= parse_version(minimum)
