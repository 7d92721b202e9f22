"""Area names by code from the local store (shared by the admin window and the supervisor's tools)."""

from __future__ import annotations

from typing import Any


def area_names(store: Any) -> dict[str, str]:
    try:
        return {str(a["code"]): str(a["name"]) for a in store.lists.areas()}
    except Exception:  # a store without areas yet: codes are shown as they are
        return {}
