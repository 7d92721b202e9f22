"""forms.graph.EntityGraph over the store's local versions, for validation and aggregates.

Lookups are cached; the cache is dropped whenever the store has written anything since (the
store's stamp moves on every commit, from this connection or another), so a graph object can be
kept and reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from forms.graph import Entity
from forms.model import EntityKind
from sync.store.db import StoreDb
from sync.store.entities import Entities

_CACHE_LIMIT = 4096


def _entity(d: dict[str, Any]) -> Entity:
    return Entity(id=d["id"], kind=EntityKind(d["kind"]), data=d["data"], tags=list(d["tags"]),
                  house_id=d["house_id"], household_id=d["household_id"], state=d["state"])


class StoreGraph:
    def __init__(self, db: StoreDb, entities: Entities) -> None:
        self._db = db
        self._entities = entities
        self._stamp: tuple[int, int] = (-1, -1)
        self._cache: dict[tuple[str, str], Any] = {}

    def _cached(self, key: tuple[str, str], load: Any) -> Any:
        stamp = self._db.stamp()
        if stamp != self._stamp:
            self._cache.clear()
            self._stamp = stamp
        if key not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = load()
        return self._cache[key]

    def get(self, entity_id: str) -> Entity | None:
        def load() -> Entity | None:
            d = self._entities.find(entity_id)
            return None if d is None else _entity(d)
        result: Entity | None = self._cached(("get", entity_id), load)
        return result

    def residents(self, house_id: str) -> Sequence[Entity]:
        result: tuple[Entity, ...] = self._cached(
            ("residents", house_id), lambda: tuple(_entity(d) for d in self._entities.residents(house_id)))
        return result

    def members(self, household_id: str) -> Sequence[Entity]:
        result: tuple[Entity, ...] = self._cached(
            ("members", household_id), lambda: tuple(_entity(d) for d in self._entities.members(household_id)))
        return result

    def households(self, house_id: str) -> Sequence[Entity]:
        result: tuple[Entity, ...] = self._cached(
            ("households", house_id), lambda: tuple(_entity(d) for d in self._entities.households(house_id)))
        return result
