"""Three-way, per-field merge of a client's patch against the master record. Pure functions.

``base`` is the record at the client's ``base_rev``, ``theirs`` the current master record, ``mine``
the values the client changed. Per field: changed only by the client -> the client's value applies;
changed by both to the same value -> nothing to do; changed by both to different values -> conflict.
A field the client sent unchanged from its base never overrides the server. Tags merge as sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def normalize(value: Any) -> Any:
    """Empty values compare equal (None, "" and []); numbers compare by value."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def same(a: Any, b: Any) -> bool:
    return bool(normalize(a) == normalize(b))


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass
class MergeResult:
    #: Field -> value to write (only fields that actually change the master record).
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def merge_fields(base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> MergeResult:
    result = MergeResult()
    for name, value in mine.items():
        b, t = base.get(name), theirs.get(name)
        if same(value, t):
            continue  # already the server's value
        if same(b, t):
            result.apply[name] = value  # only the client changed it
        elif same(value, b):
            continue  # the client did not really change it; keep the server's newer value
        else:
            result.conflicts.append(FieldConflict(name, b, value, t))
    return result


def merge_tags(current: Iterable[str], add: Iterable[str], remove: Iterable[str]) -> list[str]:
    """Set semantics in a stable order: current tags minus ``remove``, then new ones from ``add``."""
    removed = set(remove)
    out = [tag for tag in current if tag not in removed]
    for tag in add:
        if tag not in out and tag not in removed:
            out.append(tag)
    return out


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for every field whose value differs, in a stable order."""
    names = list(before) + [n for n in after if n not in before]
    return [(n, before.get(n), after.get(n)) for n in names if not same(before.get(n), after.get(n))]
