"""What the editor needs from forms/ and the store, loaded once per login.

:class:`FormSession` holds the loaded templates (the ones synced from the platform; the default
templates of ``resources/`` until the first sync brings any), a :class:`forms.validate.Validator`,
and validates an entity being edited against the store's graph with the unsaved version laid over it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.graph import Entity, EntityGraph, entity_from_dict
from forms.model import Choice, EntityKind, Template
from forms.validate import Validator
from forms.validate.choices import allowed_choices
from forms.validate.findings import ValidationResult
from forms.validate.relevance import irrelevant
from sync.validation import store_templates


class OverlayGraph:
    """The store's graph, with entities being edited (not yet saved) in place of their stored copies."""

    def __init__(self, base: EntityGraph | None, overlay: Sequence[Entity]) -> None:
        self.base = base
        self.overlay = {e.id: e for e in overlay}

    def _swap(self, entities: Sequence[Entity]) -> list[Entity]:
        return [self.overlay.get(e.id, e) for e in entities]

    def get(self, entity_id: str) -> Entity | None:
        if entity_id in self.overlay:
            return self.overlay[entity_id]
        return self.base.get(entity_id) if self.base is not None else None

    def residents(self, house_id: str) -> Sequence[Entity]:
        found = self._swap(self.base.residents(house_id)) if self.base is not None else []
        return self._with_new(found, lambda e: e.kind is EntityKind.PERSON and e.house_id == house_id)

    def members(self, household_id: str) -> Sequence[Entity]:
        found = self._swap(self.base.members(household_id)) if self.base is not None else []
        return self._with_new(found, lambda e: e.kind is EntityKind.PERSON and e.household_id == household_id)

    def households(self, house_id: str) -> Sequence[Entity]:
        found = self._swap(self.base.households(house_id)) if self.base is not None else []
        return self._with_new(found, lambda e: e.kind is EntityKind.HOUSEHOLD and e.house_id == house_id)

    def _with_new(self, found: list[Entity], belongs: Any) -> list[Entity]:
        """Drop overlaid entities that moved away, add overlaid ones that moved in."""
        ids = {e.id for e in found}
        kept = [e for e in found if e.id not in self.overlay or belongs(e)]
        kept += [e for e in self.overlay.values() if e.id not in ids and belongs(e) and e.state == "active"]
        return kept


@dataclass
class Checked:
    result: ValidationResult
    irrelevant: frozenset[str]
    #: For fields with a choice_filter: the choices it lets through now.
    choices: Mapping[str, tuple[Choice, ...]]


class FormSession:
    def __init__(self, templates: Mapping[EntityKind, Template], *, store: Any = None,
                 today: date | None = None) -> None:
        self.templates = dict(templates)
        self.store = store
        self.validator = Validator(self.templates, today=today)
        self.today = today

    @classmethod
    def for_store(cls, store: Any, today: date | None = None) -> FormSession:
        return cls(store_templates(store), store=store, today=today)

    def template(self, kind: EntityKind | str) -> Template | None:
        return self.templates.get(EntityKind(kind))

    def graph(self, overlay: Sequence[Entity] = ()) -> OverlayGraph:
        base = self.store.graph() if self.store is not None else None
        return OverlayGraph(base, overlay)

    def check(self, entity: Entity, overlay: Sequence[Entity] = ()) -> Checked:
        """Validate ``entity`` (unsaved) with its links; also say which of its questions are hidden."""
        graph = self.graph([entity, *overlay])
        result = self.validator.validate(entity, graph)
        template = self.templates.get(entity.kind)
        hidden: frozenset[str] = frozenset()
        choices: Mapping[str, tuple[Choice, ...]] = {}
        if template is not None:
            in_force = set(result.tags)
            context = {"today": self.today, "graph": graph, "entity": entity,
                       "tags_in_force": in_force.__contains__}
            hidden = irrelevant(template, result.values, **context)
            choices = allowed_choices(template, result.values, **context)
        return Checked(result, hidden, choices)

    def check_stored(self, entity_id: str) -> ValidationResult | None:
        """Validate the stored version of a linked entity (the household or house of a person)."""
        if self.store is None:
            return None
        found = self.store.entities.find(entity_id)
        if found is None:
            return None
        entity = entity_from_dict(found)
        return self.validator.validate(entity, self.graph())
