"""How the review screens show a field and its values: template labels, choice labels, masking.

Field names come from the platform (``fields[].field``); the label is taken from the supervisor's own
templates (``FormSession``) in the current language, falling back to the platform's label and then the
name. ID numbers and phones are masked unless the record was revealed (a logged act, see
``desktop.masking``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.editor.field_widgets import display_text
from desktop.i18n import tr
from desktop.masking import ID_FIELDS, PHONE_FIELDS, mask_value
from forms.model import FieldType, Template

#: Pseudo-fields of the protocol (links, state, tags) and their labels (Chinese source text).
PSEUDO_LABELS = {"$state": "状态", "$house_id": "所属房屋", "$household_id": "所属户", "$grid": "网格",
                 "$tags": "标签"}
STATE_NAMES = {"active": "在住", "moved_out": "已迁出", "deceased": "已死亡"}
#: (op, kind) of a patch as the queue and panel say it.
CHANGE_NAMES = {("update", "person"): "修改人员", ("create", "person"): "新增人员",
                ("update", "house"): "修改房屋", ("create", "house"): "新增房屋",
                ("update", "household"): "修改户", ("create", "household"): "新增户"}
STATUS_NAMES = {"pending": "待审核", "returned": "已退回", "approved": "已通过", "all": "全部"}
EMPTY = "—"


def change_name(op: object, kind: object) -> str:
    """``修改人员`` etc. for a patch's op and kind (unknown ones as they came)."""
    source = CHANGE_NAMES.get((str(op), str(kind)))
    return tr(source) if source else f"{op} {kind}"


def _leaf(name: str) -> str:
    """``tenants[0].tenant_phone`` -> ``tenant_phone`` (labels and masking are per question)."""
    return name.rsplit(".", 1)[-1].split("[", 1)[0]


def field_label(template: Template | None, name: str, lang: str, fallback: str = "") -> str:
    if name in PSEUDO_LABELS:
        return tr(PSEUDO_LABELS[name])
    leaf = _leaf(name)
    if template is not None and leaf in template.fields:
        return template.field_label(leaf, lang)
    return fallback or name


def is_sensitive(name: str) -> bool:
    leaf = _leaf(name)
    return leaf in ID_FIELDS or leaf in PHONE_FIELDS


LINK_FIELDS = frozenset({"$house_id", "$household_id"})


def record_namer(store: Any) -> Callable[[str], str]:
    """An entity id -> the house's address or the household's number as the local store knows it."""
    def name(entity_id: str) -> str:
        try:
            found = store.entities.find(entity_id) if store is not None else None
        except Exception:  # a closed or busy store: the id is shown as it is
            found = None
        data = (found or {}).get("data") or {}
        return str(data.get("address") or data.get("household_no") or data.get("name") or entity_id)
    return name


def show_value(template: Template | None, name: str, value: Any, lang: str, revealed: bool,
               describe: Callable[[str], str] | None = None) -> str:
    """The text of ``value`` for field ``name``: choice labels, states, linked records, row counts, masks."""
    if value is None or value == "" or value == []:
        return EMPTY
    if name in LINK_FIELDS and describe is not None:
        return describe(str(value))
    if name == "$state":
        return tr(STATE_NAMES.get(str(value), str(value)))
    if name == "$tags" and isinstance(value, list):
        return "、".join(tag_label(template, str(v), lang) for v in value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return tr("{n} 行", n=len(value))
    leaf = _leaf(name)
    spec = template.fields.get(leaf) if template is not None else None
    if spec is not None and spec.choice_list and template is not None:
        if spec.type is FieldType.SELECT_MULTIPLE:
            parts = value if isinstance(value, list) else str(value).split()
            return "、".join(template.choice_label(spec.choice_list, str(p), lang) for p in parts)
        return template.choice_label(spec.choice_list, display_text(value), lang)
    text = display_text(value)
    return text if revealed else mask_value(leaf, text)


def tag_label(template: Template | None, tag: str, lang: str) -> str:
    if template is not None:
        found = template.tags.get(tag)
        if found is not None:
            return found.label(lang)
    return tag


def tag_namer(templates: dict[Any, Template], lang: Callable[[], str]) -> Callable[[str], str]:
    """A tag id -> its label in whichever template's catalogue has it (the id itself if none)."""
    def name(tag: str) -> str:
        for template in templates.values():
            found = template.tags.get(tag)
            if found is not None:
                return found.label(lang())
        return tag
    return name
