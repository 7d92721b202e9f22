"""What an expression is compiled against (:class:`Scope`) and evaluated in (:class:`EvalContext`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from forms.model import FieldType

if TYPE_CHECKING:
    from forms.model import Template


class EntityLike(Protocol):
    """The part of ``forms.graph.Entity`` expressions use."""

    id: str
    data: dict[str, Any]
    tags: list[str]
    house_id: str | None
    household_id: str | None
    state: str

    @property
    def kind(self) -> Any: ...


class GraphLike(Protocol):
    """The part of ``forms.graph.EntityGraph`` expressions use."""

    def get(self, entity_id: str) -> Any: ...

    def residents(self, house_id: str) -> Sequence[Any]: ...

    def members(self, household_id: str) -> Sequence[Any]: ...

    def households(self, house_id: str) -> Sequence[Any]: ...


FieldSpec = tuple[FieldType | str, str | None]

#: Kinds of linked scopes. EntityKind is a StrEnum, so its members work as keys too.
LINKED_KINDS = ("person", "house", "household")


class Scope:
    """What ``${name}`` may refer to when compiling.

    ``fields`` maps a field name to ``(FieldType, repeat name or None)`` (a bare FieldType means
    top level). ``repeats`` names the repeat groups (``count(${repeat})`` counts rows).
    ``linked`` holds scopes for linked entity kinds ("person", "house", "household"), used to
    check references inside aggregate arguments and ``household-field``/``house-field``; when a
    kind is absent those references are not checked. ``choice_lists`` maps a select field to its
    choice list name (for ``jr:choice-name``). A ``permissive`` scope accepts any name and types
    values by what they hold.

    A scope also shares work between expressions: identical costly subexpressions compiled
    against the same scope are compiled once and their value is cached per record.
    """

    def __init__(
        self,
        fields: Mapping[str, FieldSpec | FieldType | str] | None = None,
        *,
        repeats: Iterable[str] = (),
        linked: Mapping[str, Scope] | None = None,
        choice_lists: Mapping[str, str] | None = None,
        permissive: bool = False,
        kind: str | None = None,
    ) -> None:
        self.fields: dict[str, tuple[FieldType, str | None]] = {}
        for name, spec in (fields or {}).items():
            if isinstance(spec, tuple):
                ftype, repeat = spec
            else:
                ftype, repeat = spec, None
            if type(ftype) is FieldType:  # most often (a template's own): no enum lookup
                typed = ftype
            else:
                try:
                    typed = FieldType(ftype)
                except ValueError:  # a type this language has no special reading for: its text
                    typed = FieldType.TEXT
            self.fields[name] = (typed, repeat)
        self.repeats: frozenset[str] = frozenset(repeats) | frozenset(
            r for _, r in self.fields.values() if r is not None
        )
        self.linked: dict[str, Scope] = {str(k): v for k, v in (linked or {}).items()}
        self.choice_lists: dict[str, str] = dict(choice_lists or {})
        self.permissive = permissive
        self.kind = kind
        #: Shared compiled subexpressions, by canonical source (see ``Node.key``).
        self.interned: dict[str, Any] = {}  # source key -> forms.expr.code.Code
        self._unchecked: dict[str, Scope] = {}

    def lookup(self, name: str) -> tuple[FieldType, str | None] | None:
        return self.fields.get(name)

    def knows(self, name: str) -> bool:
        return self.permissive or name in self.fields or name in self.repeats

    def linked_scope(self, kind: str) -> Scope | None:
        return self.linked.get(kind)

    def scope_for_linked(self, kind: str) -> Scope:
        """The scope aggregate arguments over ``kind`` compile against: the linked scope when
        known, else a permissive one (references there are not checked)."""
        known = self.linked.get(kind)
        if known is not None:
            return known
        unchecked = self._unchecked.get(kind)
        if unchecked is None:
            unchecked = self._unchecked[kind] = Scope(permissive=True, kind=kind)
        return unchecked

    @classmethod
    def from_template(cls, template: Template, linked: Mapping[str, Scope] | None = None) -> Scope:
        """The scope of a loaded template: its fields, repeats and choice lists."""
        fields: dict[str, FieldSpec] = {}
        choice_lists: dict[str, str] = {}
        for name, f in template.fields.items():
            fields[name] = (f.type, f.repeat)
            if f.choice_list:
                choice_lists[name] = f.choice_list
        repeats = [g.name for g in template.groups.values() if g.is_repeat]
        return cls(
            fields, repeats=repeats, linked=linked, choice_lists=choice_lists, kind=str(template.entity)
        )

    @classmethod
    def permissive_for(cls, data: Mapping[str, Any]) -> Scope:
        """A scope accepting any name, typing the given data's values by their content."""
        from forms.expr.values import parse_date

        fields: dict[str, FieldSpec] = {}
        repeats: list[str] = []

        def infer(name: str, value: Any, repeat: str | None) -> None:
            if isinstance(value, bool):
                fields.setdefault(name, (FieldType.TEXT, repeat))
            elif isinstance(value, int):
                fields.setdefault(name, (FieldType.INTEGER, repeat))
            elif isinstance(value, float):
                fields.setdefault(name, (FieldType.DECIMAL, repeat))
            elif isinstance(value, str) and len(value) == 10 and parse_date(value) is not None:
                fields.setdefault(name, (FieldType.DATE, repeat))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                fields.setdefault(name, (FieldType.SELECT_MULTIPLE, repeat))  # ["a", "b"] is "a b"
            elif repeat is not None:
                fields.setdefault(name, (FieldType.TEXT, repeat))

        for name, value in data.items():
            if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
                repeats.append(name)
                for row in value:
                    for key, cell in row.items():
                        if key not in data:
                            infer(key, cell, name)
            else:
                infer(name, value, None)
        return cls(fields, repeats=repeats, permissive=True)


class EvalContext:
    """One record being evaluated. Cheap to create; make one per record (and per repeat row).

    ``memo`` caches per-record values of shared subexpressions: if ``data`` changes while the
    context is in use (e.g. a calculation is filled in), call :meth:`invalidate`.
    ``current`` is the value of ``.``; ``language`` picks labels for ``jr:choice-name``;
    ``tags_for(entity)`` returns the has-tag callable for a linked entity (defaults to its stored tags).
    """

    __slots__ = (
        "age_as_of",
        "choices",
        "current",
        "data",
        "entity",
        "graph",
        "language",
        "memo",
        "now",
        "outer",
        "repeat",
        "row",
        "row_index",
        "shared",
        "tags_for",
        "tags_in_force",
        "today",
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        row: Mapping[str, Any] | None = None,
        row_index: int | None = None,
        repeat: str | None = None,
        today: date | None = None,
        now: datetime | None = None,
        age_as_of: date | str | None = None,
        choices: Mapping[str, Any] | None = None,
        graph: GraphLike | None = None,
        entity: EntityLike | None = None,
        tags_in_force: Callable[[str], bool] | None = None,
        tags_for: Callable[[Any], Callable[[str], bool]] | None = None,
        memo: dict[Any, Any] | None = None,
        current: Any = "",
        language: str = "zh",
        outer: EvalContext | None = None,
    ) -> None:
        self.data: Mapping[str, Any] = data if data is not None else {}
        self.row = row
        self.row_index = row_index
        self.repeat = repeat
        # now() reads the clock itself when no time is given (reading it here costs every record)
        self.now = now
        self.today = today if today is not None else (now.date() if now is not None else date.today())
        if isinstance(age_as_of, str):
            from forms.expr.values import parse_date

            self.age_as_of: date | None = parse_date(age_as_of) if age_as_of.strip() else None
        else:
            self.age_as_of = age_as_of
        self.choices = choices if choices is not None else {}
        self.graph = graph
        self.entity = entity
        self.tags_in_force = tags_in_force
        self.tags_for = tags_for
        self.memo: dict[Any, Any] = memo if memo is not None else {}
        self.current = current
        self.language = language
        self.outer = outer
        #: Values shared by the records of one validation run (aggregates over the same linked
        #: records); None outside a run. Set by the validator on its prototype context.
        self.shared: dict[Any, Any] | None = None

    def invalidate(self) -> None:
        """Forget cached subexpression values (after ``data`` changed)."""
        self.memo.clear()

    def _copy(self) -> EvalContext:
        clone = object.__new__(EvalContext)
        clone.data = self.data
        clone.row = self.row
        clone.row_index = self.row_index
        clone.repeat = self.repeat
        clone.today = self.today
        clone.now = self.now
        clone.age_as_of = self.age_as_of
        clone.choices = self.choices
        clone.graph = self.graph
        clone.entity = self.entity
        clone.tags_in_force = self.tags_in_force
        clone.tags_for = self.tags_for
        clone.memo = self.memo
        clone.current = self.current
        clone.language = self.language
        clone.outer = self.outer
        clone.shared = self.shared
        return clone

    def for_row(self, row: Mapping[str, Any], index: int, repeat: str | None = None) -> EvalContext:
        """A context for one repeat row of this record (fresh cache, same record data)."""
        clone = self._copy()
        clone.row = row
        clone.row_index = index
        clone.repeat = repeat
        clone.memo = {}
        clone.current = ""
        return clone

    def for_record(
        self,
        data: Mapping[str, Any],
        entity: EntityLike | None = None,
        tags_in_force: Callable[[str], bool] | None = None,
    ) -> EvalContext:
        """A context for another record with this one's settings (today, choices, graph ...):
        cheaper than building one from scratch for every record of a batch."""
        clone = self._copy()
        clone.data = data
        clone.entity = entity
        clone.tags_in_force = tags_in_force
        clone.row = None
        clone.row_index = None
        clone.repeat = None
        clone.memo = {}
        clone.current = ""
        clone.outer = None
        return clone

    def linked_context(self) -> EvalContext:
        """A context for evaluating on behalf of this one, with no entity set yet (callers set
        ``entity``, ``data``, ``memo`` and, when needed, ``tags_in_force``)."""
        clone = self._copy()
        clone.row = None
        clone.row_index = None
        clone.repeat = None
        clone.tags_in_force = None
        clone.memo = {}
        clone.current = ""
        clone.outer = self
        return clone

    def for_entity(self, entity: EntityLike) -> EvalContext:
        """A context for a linked entity, evaluated on behalf of this one (aggregates)."""
        has_tag = self.tags_for(entity) if self.tags_for is not None else frozenset(entity.tags).__contains__
        clone = self.linked_context()
        clone.data = entity.data
        clone.entity = entity
        clone.tags_in_force = has_tag
        return clone

    def with_current(self, value: Any) -> EvalContext:
        """Set the value of ``.`` (returns self, for chaining)."""
        self.current = value
        return self
