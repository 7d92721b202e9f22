"""What validation reports: :class:`Finding`, :class:`ValidationResult`, and the bilingual texts.

Messages come from the template (``required_message``, ``constraint_message``, the rules sheet's
``message``) in Chinese and English where it gives them; otherwise the functions below write them
from the field's labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.model import EntityKind, Field, Labels, Severity, TagDef

#: The kinds of finding, as in docs/architecture.md.
KINDS = ("required", "type", "choice", "constraint", "stale", "tag", "rule", "duplicate_id")

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one entity."""

    rule: str
    severity: Severity
    entity_id: str
    entity: EntityKind
    #: A field name, ``repeat[i].name`` inside a repeat (0-based i), or "" for the whole record.
    field: str
    message_zh: str
    message_en: str
    kind: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def message(self, language: str = "zh") -> str:
        return self.message_en if language == "en" else self.message_zh

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "kind": self.kind,
            "entity": self.entity.value,
            "entity_id": self.entity_id,
            "field": self.field,
            "message": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass(slots=True)
class ValidationResult:
    #: Every tag in force (auto, manual, returned), in catalogue order.
    tags: list[str]
    findings: list[Finding]
    #: The record's answers with calculations filled in (stored forms: ISO dates, choice names).
    values: dict[str, Any]
    ok: bool = field(default=True)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]


# -- labels --------------------------------------------------------------------------------------


def label_zh(labels: Labels, fallback: str) -> str:
    for key in ("zh", "", "default"):
        value = labels.get(key)
        if value:
            return value
    for value in labels.values():
        if value:
            return value
    return fallback


def label_en(labels: Labels, fallback: str) -> str:
    value = labels.get("en")
    if value:
        return value
    # No English label: the field name reads better in English text than a Chinese label.
    return fallback


def given(messages: Labels) -> tuple[str, str] | None:
    """The template's own (zh, en) message, or None when it gives none."""
    if not messages or not any(messages.values()):
        return None
    zh = label_zh(messages, "")
    en = messages.get("en") or zh
    return zh, en


@dataclass(frozen=True, slots=True)
class FieldText:
    """Labels of one field, resolved once per template."""

    name: str
    zh: str
    en: str

    @classmethod
    def of(cls, f: Field) -> FieldText:
        return cls(f.name, label_zh(f.labels, f.name), label_en(f.labels, f.name))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def required_text(t: FieldText, messages: Labels) -> tuple[str, str]:
    own = given(messages)
    if own:
        return own
    return f"「{t.zh}」为必填项", f"{_cap(t.en)} is required"


def constraint_text(t: FieldText, messages: Labels, source: str) -> tuple[str, str]:
    own = given(messages)
    if own:
        return own
    return (
        f"「{t.zh}」的值不符合要求（{source}）",
        f"{_cap(t.en)} does not meet the constraint ({source})",
    )


_TYPE_ZH = {
    "integer": "整数",
    "decimal": "数字",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "日期时间（YYYY-MM-DDTHH:MM:SS）",
    "time": "时间（HH:MM 或 HH:MM:SS）",
    "text": "文本",
    "list": "列表（重复组）",
}
_TYPE_EN = {
    "integer": "a whole number",
    "decimal": "a number",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time (YYYY-MM-DDTHH:MM:SS)",
    "time": "a time (HH:MM or HH:MM:SS)",
    "text": "text",
    "list": "a list of rows (repeat)",
}


def shown(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_text(t: FieldText, expected: str, value: object) -> tuple[str, str]:
    v = shown(value)
    return (
        f"「{t.zh}」应为{_TYPE_ZH[expected]}，实际为“{v}”",
        f"{_cap(t.en)} must be {_TYPE_EN[expected]}, not '{v}'",
    )


def choice_text(t: FieldText, value: str) -> tuple[str, str]:
    v = shown(value)
    return (
        f"「{t.zh}」的值“{v}”不是有效选项",
        f"{_cap(t.en)}: '{v}' is not one of the choices",
    )


def choice_filter_text(t: FieldText, value: str) -> tuple[str, str]:
    v = shown(value)
    return (
        f"「{t.zh}」的值“{v}”在当前条件下不可选",
        f"{_cap(t.en)}: '{v}' is not allowed given the other answers",
    )


def single_choice_text(t: FieldText) -> tuple[str, str]:
    return (
        f"「{t.zh}」只能选择一项",
        f"{_cap(t.en)} takes a single choice",
    )


def stale_text(t: FieldText) -> tuple[str, str]:
    return (
        f"「{t.zh}」在当前情况下不适用，已填写的值将不被采用",
        f"{_cap(t.en)} does not apply here; its answer is stale and will not be used",
    )


def eval_failed_text(what_zh: str, what_en: str, error: object) -> tuple[str, str]:
    return (f"{what_zh}无法计算：{error}", f"{what_en} could not be evaluated: {error}")


# -- tags ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagText:
    id: str
    zh: str
    en: str

    @classmethod
    def of(cls, tag: TagDef) -> TagText:
        return cls(tag.id, label_zh(tag.labels, tag.id), label_en(tag.labels, tag.id))


def unknown_tag_text(tag_id: str, kind: EntityKind) -> tuple[str, str]:
    return (
        f"标签“{tag_id}”不在{_KIND_ZH[kind]}标签目录中",
        f"Tag '{tag_id}' is not in the {kind.value} tag catalogue",
    )


def auto_tag_set_text(t: TagText) -> tuple[str, str]:
    return (
        f"标签“{t.zh}”由系统自动计算，不能手工设置；已忽略",
        f"Tag '{t.en}' is computed automatically and cannot be set by hand; ignored",
    )


def tag_condition_text(t: TagText, source: str) -> tuple[str, str]:
    return (
        f"标签“{t.zh}”的前提条件不满足（{source}）",
        f"The prerequisite of tag '{t.en}' does not hold ({source})",
    )


def tag_requires_text(t: TagText, other: TagText) -> tuple[str, str]:
    return (
        f"标签“{t.zh}”要求同时具有标签“{other.zh}”",
        f"Tag '{t.en}' requires tag '{other.en}'",
    )


def tag_excludes_text(t: TagText, other: TagText) -> tuple[str, str]:
    return (
        f"标签“{t.zh}”与标签“{other.zh}”不能同时存在",
        f"Tag '{t.en}' cannot be combined with tag '{other.en}'",
    )


def tag_field_text(t: TagText, f: FieldText) -> tuple[str, str]:
    return (
        f"具有标签“{t.zh}”时「{f.zh}」为必填项",
        f"{_cap(f.en)} is required while tag '{t.en}' is set",
    )


def tag_expired_text(t: TagText) -> tuple[str, str]:
    return (
        f"标签“{t.zh}”已到期失效，请核实后移除",
        f"Tag '{t.en}' has expired; check and remove it",
    )


# -- records -------------------------------------------------------------------------------------

_KIND_ZH: Mapping[EntityKind, str] = {
    EntityKind.PERSON: "人口",
    EntityKind.HOUSE: "房屋",
    EntityKind.HOUSEHOLD: "户",
}


def kind_zh(kind: EntityKind) -> str:
    return _KIND_ZH[kind]


def rule_text(rule_id: str, messages: Labels, source: str) -> tuple[str, str]:
    own = given(messages)
    if own:
        return own
    return (f"规则“{rule_id}”不满足（{source}）", f"Rule '{rule_id}' does not hold ({source})")


def duplicate_id_text(t: FieldText) -> tuple[str, str]:
    """The same words however many records, and wherever they are: the message must not tell a worker
    how many people of other areas hold a number (nor which)."""
    return (
        f"「{t.zh}」已被其他记录使用",
        f"{_cap(t.en)} is already used by another record",
    )


def no_template_text(kind: EntityKind) -> tuple[str, str]:
    return (
        f"没有{_KIND_ZH[kind]}模板，无法校验此记录",
        f"No {kind.value} template is loaded; the record cannot be validated",
    )
