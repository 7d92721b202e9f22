"""A client on a device of its own (revoking it leaves the other tests' devices alone)."""

from __future__ import annotations

import uuid

from sync.client.http import ApiClient
from sync.client.tokens import MemoryTokens
from tests.sync.support import FAST_RETRY, PASSWORD


def device_client(url: str, user: str) -> ApiClient:
    api = ApiClient(url, device_id=f"laptop-{uuid.uuid4()}", tokens=MemoryTokens(), username=user,
                    retry=FAST_RETRY, timeout=(2.0, 20.0))
    api.login(user, PASSWORD)
    return api
