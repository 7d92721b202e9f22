"""Audit entries in words, for the CLI's table, the admin screen and the exported file (no Qt)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

#: The users' clock (bare dates in filters mean a day in China Standard Time, docs/protocol.md).
LOCAL = timezone(timedelta(hours=8))
#: detail keys shown first, in this order
FIRST = ("reason", "field", "fields", "status", "comment", "rows", "unmasked", "role")
#: the columns of the exported log
EXPORT_COLUMNS = ("id", "at", "actor_name", "action", "action_zh", "entity_id", "target", "detail", "origin",
                  "device_id", "ip", "area")


def local_time(at: str) -> str:
    """``2026-12-06T12:30:00Z`` -> ``2026-12-06 20:30:00`` (China Standard Time)."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S")


def detail_summary(detail: Any, limit: int = 120) -> str:
    """``reason=入户核对, field=id_number, …`` (the usual keys first), cut to ``limit`` characters."""
    if not isinstance(detail, Mapping) or not detail:
        return "" if detail in (None, {}) else str(detail)[:limit]
    keys = [k for k in FIRST if k in detail] + sorted(k for k in detail if k not in FIRST)
    parts = []
    for key in keys:
        value = detail[key]
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        parts.append(f"{key}={text}")
    joined = ", ".join(parts)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def subject(entry: Mapping[str, Any]) -> str:
    """What the entry is about: its target, else its entity id."""
    return str(entry.get("target") or entry.get("entity_id") or "")


def source(entry: Mapping[str, Any]) -> str:
    origin = "设备" if entry.get("origin") == "device" else "平台"
    device = entry.get("device_id") or ""
    return f"{origin} {device}".strip()


def export_row(entry: Mapping[str, Any]) -> list[str]:
    """One row of the exported log, in :data:`EXPORT_COLUMNS` order."""
    out = []
    for column in EXPORT_COLUMNS:
        value = entry.get(column)
        if column == "detail":
            out.append(json.dumps(value or {}, ensure_ascii=False, default=str))
        elif column == "at":
            out.append(local_time(str(value or "")))
        else:
            out.append("" if value is None else str(value))
    return out
