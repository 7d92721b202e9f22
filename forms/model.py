"""The template model: what a loaded XLSForm template is, independent of the workbook it came from.

A :class:`Template` is immutable once loaded. Expressions are held as compiled objects (see
``forms.expr``); the original text stays available as ``.source`` for display and for re-export.

The model sits below the expression language: ``forms.expr`` imports it (field types, the template
a scope is built from), never the other way. A template's expressions are typed here by what the
model promises of them, :class:`Compiled` (a protocol ``forms.expr.Compiled`` satisfies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

_T = TypeVar("_T")

#: Prefix of the references a choice_filter's bare names compile to (``${choice.<column>}``).
CHOICE_PREFIX = "choice."


class Compiled(Protocol):
    """A compiled expression as a template holds it (implemented by ``forms.expr.Compiled``)."""

    source: str
    refs: frozenset[str]
    tag_refs: frozenset[str]
    uses_current: bool
    is_constant: bool
    constant_value: Any
    kind: str
    node: Any  # forms.expr.ast.Node

    def evaluate(self, ctx: Any, /) -> Any: ...

    def truthy(self, ctx: Any, /) -> bool: ...

    def truthy_with_current_as(self, name: str) -> Callable[[Any], bool] | None: ...


class FieldType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    NOTE = "note"
    CALCULATE = "calculate"
    HIDDEN = "hidden"
    ACKNOWLEDGE = "acknowledge"


#: Types that hold no answer typed by the worker.
DISPLAY_ONLY = frozenset({FieldType.NOTE})
COMPUTED = frozenset({FieldType.CALCULATE})


class EntityKind(StrEnum):
    PERSON = "person"
    HOUSE = "house"
    HOUSEHOLD = "household"


class TagKind(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    RETURNED = "returned"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class RuleScope(StrEnum):
    RECORD = "record"
    HOUSEHOLD = "household"
    HOUSE = "house"


#: Labels and messages are keyed by language code: "zh" (default), "en", ... ``""`` is the
#: plain ``label`` column when the template names no language for it.
Labels = Mapping[str, str]


def pick_label(labels: Labels, language: str, fallback: str = "") -> str:
    """The label in ``language``, else the default column, else any, else ``fallback``."""
    if labels.get(language):
        return labels[language]
    for key in ("", "zh", "default"):
        if labels.get(key):
            return labels[key]
    for value in labels.values():
        if value:
            return value
    return fallback


@dataclass(frozen=True)
class Choice:
    name: str
    labels: Labels
    #: Other columns of the choices sheet (used by choice_filter expressions), name -> value.
    extra: Mapping[str, str] = field(default_factory=dict)
    row: int | None = None

    def label(self, language: str = "zh") -> str:
        return pick_label(self.labels, language, self.name)


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]
    by_name: Mapping[str, Choice]
    row: int | None = None

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[Choice]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


def assembled(cls: type[_T], values: dict[str, Any]) -> _T:
    """An instance of the frozen, slot-less dataclass ``cls`` holding ``values`` (one for each of
    its fields, none left to a default), equal to ``cls(**values)`` but made without its
    ``__init__``, which sets each field through ``object.__setattr__`` (for a :class:`Field`'s
    twenty, a few per cent of loading a large template). The instance stays frozen."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


@dataclass(frozen=True)
class Field:
    """One question (or calculate / note / hidden) of the survey sheet."""

    name: str
    type: FieldType
    labels: Labels = field(default_factory=dict)
    hints: Labels = field(default_factory=dict)
    required: Compiled | None = None  # "yes" compiles to a constant true expression
    required_messages: Labels = field(default_factory=dict)
    relevant: Compiled | None = None
    constraint: Compiled | None = None
    constraint_messages: Labels = field(default_factory=dict)
    calculation: Compiled | None = None
    default: str | None = None
    read_only: bool = False
    choice_list: str | None = None
    choice_filter: Compiled | None = None
    or_other: bool = False
    appearance: str = ""
    #: Names of the enclosing groups and repeats, outermost first.
    path: tuple[str, ...] = ()
    #: Name of the innermost enclosing repeat, or None at the top level.
    repeat: str | None = None
    row: int | None = None
    #: Extra survey columns kept verbatim (e.g. ``bind::…``, ``instance::…``).
    extra: Mapping[str, str] = field(default_factory=dict)

    def label(self, language: str = "zh") -> str:
        return pick_label(self.labels, language, self.name)

    @property
    def holds_answer(self) -> bool:
        return self.type not in DISPLAY_ONLY


@dataclass(frozen=True)
class Group:
    """A group or a repeat, with its children in survey order."""

    name: str
    labels: Labels = field(default_factory=dict)
    relevant: Compiled | None = None
    is_repeat: bool = False
    repeat_count: Compiled | None = None
    appearance: str = ""
    children: tuple[Field | Group, ...] = ()
    path: tuple[str, ...] = ()
    row: int | None = None

    def label(self, language: str = "zh") -> str:
        return pick_label(self.labels, language, self.name)

    def walk(self) -> Iterator[Field | Group]:
        """Every descendant, depth first, in survey order."""
        for child in self.children:
            yield child
            if isinstance(child, Group):
                yield from child.walk()


@dataclass(frozen=True)
class TagDef:
    id: str
    labels: Labels
    scope: EntityKind
    kind: TagKind
    condition: Compiled | None = None
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()
    #: Roles that may see the tag; empty means everyone.
    sensitive: tuple[str, ...] = ()
    expires: Compiled | None = None
    row: int | None = None
    #: Visit plan: the entity is to be visited at least every this many days while the tag is in
    #: force (``visit_every`` column); None: only the base rule (once per verification cycle).
    visit_every: int | None = None

    def label(self, language: str = "zh") -> str:
        return pick_label(self.labels, language, self.id)

    def visible_to(self, role: str) -> bool:
        return not self.sensitive or role in self.sensitive


@dataclass(frozen=True)
class RuleDef:
    id: str
    scope: RuleScope
    expression: Compiled
    severity: Severity
    messages: Labels
    row: int | None = None
    #: The field the rule reports on (``field`` column): a top-level field of the rule's own
    #: template, or one of its top-level repeats; "" when the column is empty (the validator then
    #: reports on the first top-level field the expression refers to, in survey order).
    field: str = ""

    def message(self, language: str = "zh") -> str:
        return pick_label(self.messages, language, self.id)


@dataclass(frozen=True)
class Settings:
    form_id: str
    form_title: str = ""
    version: str = ""
    entity: EntityKind = EntityKind.PERSON
    approval_required: bool = True
    default_language: str = "zh"
    #: As-of date for one-argument ``age()``: an ISO date, or empty for today.
    age_as_of: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    settings: Settings
    root: Group
    #: Every field by name (names are unique across the form, as in XLSForm).
    fields: Mapping[str, Field]
    #: Every group and repeat by name.
    groups: Mapping[str, Group]
    choices: Mapping[str, ChoiceList]
    #: Tags in catalogue (sheet) order.
    tags: Mapping[str, TagDef]
    rules: tuple[RuleDef, ...]
    languages: tuple[str, ...] = ()
    #: Warnings from loading (e.g. unsupported fields skipped on request).
    warnings: tuple[object, ...] = ()
    #: The fields whose calculation must run, in dependency order.
    calculation_order: tuple[str, ...] = ()
    source_name: str = ""

    @property
    def entity(self) -> EntityKind:
        return self.settings.entity

    @property
    def form_id(self) -> str:
        return self.settings.form_id

    @property
    def version(self) -> str:
        return self.settings.version

    def repeats(self) -> list[Group]:
        return [g for g in self.groups.values() if g.is_repeat]

    def field_label(self, name: str, language: str = "zh") -> str:
        f = self.fields.get(name)
        return f.label(language) if f else name

    def choice_label(self, list_name: str, value: str, language: str = "zh") -> str:
        cl = self.choices.get(list_name)
        if cl is None:
            return value
        c = cl.by_name.get(value)
        return c.label(language) if c else value
