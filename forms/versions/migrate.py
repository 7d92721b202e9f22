"""``migrate(values, old, new)``: a record's values moved from one template version to another.

By field name: a value whose field still exists (at the same level: top level or the same repeat)
carries over; a field the diff found certainly renamed carries over to its new name. Everything
else is a :class:`Leftover`, kept beside the record and shown to the worker, never dropped:

* ``field_removed``: its field is gone (or moved into or out of a repeat);
* ``choice_removed``: a select's code the old version offered and the new choice list no longer has
  (a select_multiple keeps the codes that still exist and leaves the others; a code the old version
  did not know either stays on the record, for the validator to report as before);
* ``type_changed``: the new type cannot hold the value (text ``"abc"`` into an integer);
* ``repeat_removed``: a whole repeat is gone (each row's values are leftovers).

Repeat rows carry field by field, row by row, with the same rules. A new required field is simply
empty: the validator reports it as any empty required field. Calculations are recomputed by whoever
uses the migrated values, so a calculate field's stored value carries like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.model import Field, FieldType, Template
from forms.versions.diff import TemplateDiff, diff

REASONS = {
    "field_removed": ("新版模板中已没有该字段", "the new version has no such field"),
    "choice_removed": ("新版模板的选项中已没有该代码", "the new version's choice list has no such code"),
    "type_changed": ("新版模板中该字段的类型容不下该值", "the field's new type cannot hold the value"),
    "repeat_removed": ("新版模板中已没有该重复组", "the new version has no such repeat"),
}


@dataclass(frozen=True)
class Leftover:
    """A value with no place in the new version: ``path`` (``name`` or ``repeat[i].name``, the old
    name), its old label, the value as stored and as shown (choice labels), and why."""

    path: str
    label: str
    label_en: str
    value: Any
    shown: str
    reason: str
    version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "label_en": self.label_en, "value": self.value,
                "shown": self.shown, "reason": self.reason, "version": self.version}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Leftover:
        return cls(str(d["path"]), str(d.get("label", "")), str(d.get("label_en", "")), d.get("value"),
                   str(d.get("shown", "")), str(d.get("reason", "field_removed")), str(d.get("version", "")))

    def reason_text(self, language: str = "zh") -> str:
        zh, en = REASONS.get(self.reason, (self.reason, self.reason))
        return en if language == "en" else zh


@dataclass(frozen=True)
class Migration:
    values: dict[str, Any]
    leftovers: tuple[Leftover, ...]

    @property
    def changed(self) -> bool:
        return bool(self.leftovers)


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, list) and not v)


def _shown(template: Template, f: Field | None, value: Any) -> str:
    if f is not None and f.choice_list:
        codes = value.split() if isinstance(value, str) else [str(x) for x in value] if isinstance(value, list) \
            else [str(value)]
        return "、".join(f"{c} {template.choice_label(f.choice_list, c)}".strip() for c in codes)
    return str(value)


def _fits(f: Field, value: Any) -> bool:
    """Whether ``value`` can be an answer of ``f``'s type (the validator judges the rest)."""
    if f.type is FieldType.INTEGER:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        return isinstance(value, str) and value.strip().lstrip("+-").isdigit()
    if f.type is FieldType.DECIMAL:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True
        try:
            Decimal(str(value).strip())
        except InvalidOperation:
            return False
        return True
    if f.type in (FieldType.TEXT, FieldType.HIDDEN, FieldType.CALCULATE, FieldType.NOTE):
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    return True


class _Mover:
    def __init__(self, old: Template, new: Template, d: TemplateDiff) -> None:
        self.old, self.new, self.renames = old, new, d.renames
        self.leftovers: list[Leftover] = []
        self.old_repeats = {g.name for g in old.repeats()}
        self.new_repeats = {g.name for g in new.repeats()}

    def leave(self, path: str, f: Field | None, value: Any, reason: str) -> None:
        label = f.label("zh") if f else path
        label_en = f.label("en") if f else path
        self.leftovers.append(Leftover(path, label, label_en, value, _shown(self.old, f, value), reason,
                                       self.old.version))

    def level(self, values: Mapping[str, Any], repeat: str | None, prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            path = prefix + key
            if repeat is None and (key in self.old_repeats or key in self.new_repeats):
                rows = self.rows(key, value)
                if rows is not None:
                    out[key] = rows
                continue
            f_old = self.old.fields.get(key)
            target = self.renames.get(key, key)
            f_new = self.new.fields.get(target)
            if f_new is None and f_old is None:
                out[key] = value  # not a field of either version (kept as it was)
                continue
            if target != key and not _empty(values.get(target)):
                if not _empty(value) and value != values.get(target):
                    self.leave(path, f_old, value, "field_removed")  # the new name holds its own value
                continue
            if _empty(value):
                if f_new is not None and f_new.repeat == repeat:
                    out.setdefault(target, value)  # an empty answer never hides one carried over
                continue
            if f_new is None or f_new.repeat != repeat or (f_old is not None and f_old.repeat != repeat):
                self.leave(path, f_old, value, "field_removed")
                continue
            carried = self.value(path, f_old, f_new, value)
            if carried is not None:
                out[target] = carried
        return out

    def value(self, path: str, f_old: Field | None, f_new: Field, value: Any) -> Any:
        if f_new.type in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE) and f_new.choice_list:
            cl = self.new.choices.get(f_new.choice_list)
            if cl is None:
                return value
            known = set(cl.by_name) | ({"other"} if f_new.or_other else set())
            was = self._codes(f_old)
            if was is not None:  # a code the old version did not know either stays, for the validator to name
                known |= {c for c in self._split(value) if c not in was}
            if f_new.type is FieldType.SELECT_ONE:
                if str(value).strip() in known:
                    return value
                self.leave(path, f_old, value, "choice_removed")
                return None
            codes = self._split(value)
            kept = [c for c in codes if c in known]
            lost = [c for c in codes if c not in known]
            if lost:
                self.leave(path, f_old, " ".join(lost) if isinstance(value, str) else lost, "choice_removed")
            if not kept:
                return None
            return " ".join(kept) if isinstance(value, str) else kept
        if f_old is not None and f_old.type is not f_new.type and not _fits(f_new, value):
            self.leave(path, f_old, value, "type_changed")
            return None
        return value

    def _codes(self, f: Field | None) -> set[str] | None:
        """The codes ``f`` offered in the old version (None: not a select with a known list)."""
        if f is None or not f.choice_list or f.type not in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE):
            return None
        cl = self.old.choices.get(f.choice_list)
        return None if cl is None else set(cl.by_name) | ({"other"} if f.or_other else set())

    @staticmethod
    def _split(value: Any) -> list[str]:
        if isinstance(value, str):
            return value.split()
        if isinstance(value, list):
            return [str(x) for x in value]
        return [str(value)]

    def rows(self, name: str, rows: Any) -> list[Any] | None:
        """The rows of repeat ``name`` carried over, or None when the repeat is gone."""
        if not isinstance(rows, list):
            self.leave(name, None, rows, "field_removed")
            return None
        if name not in self.new_repeats:
            for i, row in enumerate(rows):
                if isinstance(row, Mapping):
                    for key, value in row.items():
                        if not _empty(value):
                            self.leave(f"{name}[{i}].{key}", self.old.fields.get(key), value, "repeat_removed")
            return None
        return [self.level(row, name, f"{name}[{i}].") if isinstance(row, Mapping) else row
                for i, row in enumerate(rows)]


def migrate(values: Mapping[str, Any], old: Template, new: Template,
            changes: TemplateDiff | None = None) -> Migration:
    """``values`` of a record made under ``old``, moved to ``new`` (see the module's rules)."""
    mover = _Mover(old, new, changes if changes is not None else diff(old, new))
    out = mover.level(values, None, "")
    return Migration(out, tuple(mover.leftovers))
