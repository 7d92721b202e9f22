"""Entities and the links between them (person -> house, person -> household, household -> house).

An :class:`Entity` is one record as the domain layer sees it: its answers, the manual and returned
tags set on it, and its links. An :class:`EntityGraph` answers the questions aggregates ask
("who lives in this house?", "who belongs to this household?"); the store, the server and the
command line each provide one. :class:`MemoryGraph` is the in-memory one, built from a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from forms.errors import FormsError
from forms.model import EntityKind

#: Entity states. Only active persons count as residents or members.
STATES = ("active", "moved_out", "deceased")


class EntityFormatError(FormsError, ValueError):
    """An entity in wire format is malformed. ``field`` names the offending key."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field


@dataclass(slots=True)
class Entity:
    id: str
    kind: EntityKind
    #: Answers as stored: choice names, ISO dates; a repeat name maps to a list of row dicts.
    data: dict[str, Any] = field(default_factory=dict)
    #: Manual and returned tags set on the entity (auto tags are computed, never stored).
    tags: list[str] = field(default_factory=list)
    house_id: str | None = None
    household_id: str | None = None
    state: str = "active"

    @property
    def active(self) -> bool:
        return self.state == "active"


class EntityGraph(Protocol):
    """What validation needs to know about the links between entities."""

    def get(self, entity_id: str) -> Entity | None: ...

    def residents(self, house_id: str) -> Sequence[Entity]:
        """Active persons whose house is ``house_id``."""
        ...

    def members(self, household_id: str) -> Sequence[Entity]:
        """Active persons whose household is ``household_id``."""
        ...

    def households(self, house_id: str) -> Sequence[Entity]:
        """Households whose house is ``house_id``."""
        ...


_EMPTY: tuple[Entity, ...] = ()


class MemoryGraph(EntityGraph):
    """An :class:`EntityGraph` over entities held in memory.

    Adding an entity with an id already present replaces it. Lookups return tuples that are
    cached until the graph changes, so aggregates evaluated for many records stay cheap.
    """

    __slots__ = ("_by_id", "_frozen", "_households", "_members", "_residents")

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._by_id: dict[str, Entity] = {}
        self._residents: dict[str, tuple[Entity, ...]] = {}
        self._members: dict[str, tuple[Entity, ...]] = {}
        self._households: dict[str, tuple[Entity, ...]] = {}
        self._frozen = False
        for entity in entities:
            self._by_id[entity.id] = entity

    # -- changes -----------------------------------------------------------------------------

    def add(self, entity: Entity) -> None:
        self._by_id[entity.id] = entity
        self._frozen = False

    def extend(self, entities: Iterable[Entity]) -> None:
        for entity in entities:
            self._by_id[entity.id] = entity
        self._frozen = False

    def remove(self, entity_id: str) -> Entity | None:
        entity = self._by_id.pop(entity_id, None)
        if entity is not None:
            self._frozen = False
        return entity

    def touch(self) -> None:
        """Call after changing an entity's links or state in place, so the indexes are rebuilt."""
        self._frozen = False

    # -- queries -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def __iter__(self) -> Any:
        return iter(self._by_id.values())

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def residents(self, house_id: str) -> Sequence[Entity]:
        if not self._frozen:
            self._index()
        return self._residents.get(house_id, _EMPTY)

    def members(self, household_id: str) -> Sequence[Entity]:
        if not self._frozen:
            self._index()
        return self._members.get(household_id, _EMPTY)

    def households(self, house_id: str) -> Sequence[Entity]:
        if not self._frozen:
            self._index()
        return self._households.get(house_id, _EMPTY)

    def _index(self) -> None:
        residents: dict[str, list[Entity]] = {}
        members: dict[str, list[Entity]] = {}
        households: dict[str, list[Entity]] = {}
        for e in self._by_id.values():
            if e.kind == EntityKind.PERSON:
                if e.state != "active":
                    continue
                if e.house_id:
                    residents.setdefault(e.house_id, []).append(e)
                if e.household_id:
                    members.setdefault(e.household_id, []).append(e)
            elif e.kind == EntityKind.HOUSEHOLD and e.house_id:
                households.setdefault(e.house_id, []).append(e)
        self._residents = {k: tuple(v) for k, v in residents.items()}
        self._members = {k: tuple(v) for k, v in members.items()}
        self._households = {k: tuple(v) for k, v in households.items()}
        self._frozen = True


# -- wire format -------------------------------------------------------------------------------

_KINDS = {k.value: k for k in EntityKind}


def _opt_str(d: Mapping[str, Any], key: str) -> str | None:
    value = d.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EntityFormatError(f"must be a string or null, not {type(value).__name__}", key)
    return value


def entity_from_dict(d: Mapping[str, Any], *, default_kind: EntityKind | str | None = None) -> Entity:
    """Build an :class:`Entity` from its wire form (see docs/architecture.md).

    Keys other than id, kind, data, tags, house_id, household_id and state are ignored.
    ``default_kind`` is used when the dict has no "kind". Raises :class:`EntityFormatError`
    naming the key at fault.
    """
    if not isinstance(d, Mapping):
        raise EntityFormatError(f"an entity must be a JSON object, not {type(d).__name__}")
    entity_id = d.get("id")
    if isinstance(entity_id, int) and not isinstance(entity_id, bool):
        entity_id = str(entity_id)
    if not isinstance(entity_id, str) or not entity_id:
        raise EntityFormatError("missing or not a non-empty string", "id")
    raw_kind = d.get("kind", default_kind)
    if raw_kind is None:
        raise EntityFormatError("missing", "kind")
    kind = _KINDS.get(str(raw_kind))
    if kind is None:
        raise EntityFormatError(f"unknown kind {raw_kind!r}; expected one of {', '.join(_KINDS)}", "kind")
    data = d.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise EntityFormatError(f"must be an object, not {type(data).__name__}", "data")
    raw_tags = d.get("tags", [])
    if raw_tags is None:
        raw_tags = []
    if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
        raise EntityFormatError("must be a list of tag ids (strings)", "tags")
    state = d.get("state", "active") or "active"
    if state not in STATES:
        raise EntityFormatError(f"unknown state {state!r}; expected one of {', '.join(STATES)}", "state")
    return Entity(
        id=entity_id,
        kind=kind,
        data=data,
        tags=list(raw_tags),
        house_id=_opt_str(d, "house_id"),
        household_id=_opt_str(d, "household_id"),
        state=state,
    )


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    """The wire-format keys this module owns (the store adds rev, grid, template, …)."""
    return {
        "id": entity.id,
        "kind": entity.kind.value,
        "house_id": entity.house_id,
        "household_id": entity.household_id,
        "data": entity.data,
        "tags": list(entity.tags),
        "state": entity.state,
    }
