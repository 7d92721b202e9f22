"""How a field's cells are read: by its type, and for text fields by what the template says of them
(a constraint calling ``cn-id-valid`` or ``cn-mobile-valid``, or the conventional names)."""

from __future__ import annotations

from enum import StrEnum

from forms.model import Field, FieldType


class ValueKind(StrEnum):
    TEXT = "text"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    CHOICES = "choices"


_ID_NAMES = ("id_number", "id_no", "idcard")
_PHONE_NAMES = ("phone", "mobile", "tel")


def value_kind(field: Field) -> ValueKind:
    if field.type is FieldType.SELECT_ONE:
        return ValueKind.CHOICE
    if field.type is FieldType.SELECT_MULTIPLE:
        return ValueKind.CHOICES
    if field.type is FieldType.INTEGER:
        return ValueKind.INTEGER
    if field.type is FieldType.DECIMAL:
        return ValueKind.DECIMAL
    if field.type in (FieldType.DATE, FieldType.DATETIME):
        return ValueKind.DATE
    constraint = field.constraint.source if field.constraint is not None else ""
    name = field.name.lower()
    if "cn-id-valid" in constraint or name.endswith(_ID_NAMES):
        return ValueKind.ID_NUMBER
    if "cn-mobile-valid" in constraint or any(part in name for part in _PHONE_NAMES):
        return ValueKind.PHONE
    return ValueKind.TEXT
