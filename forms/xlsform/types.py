"""What a survey ``type`` cell means, decided with pyxform's own tables.

A type is supported when pyxform defines it exactly as one of our canonical types (so ``string``,
``int``, ``q date``, ``add integer prompt`` ... are accepted as pyxform accepts them). Everything
pyxform knows but 一表通 does not handle (photo, geopoint, audio, barcode, range, rank, osm,
select_one_from_file, select_one_external, loops, metadata such as start/deviceid ...) is
*unsupported*: rejected, or skipped with a warning on request. Anything else is an unknown type.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pyxform import aliases, constants
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.validators.pyxform.pyxform_reference import has_pyxform_reference
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_OSM, RE_SELECT

from forms.model import FieldType

_CANONICAL: dict[str, FieldType] = {
    "text": FieldType.TEXT,
    "integer": FieldType.INTEGER,
    "decimal": FieldType.DECIMAL,
    "date": FieldType.DATE,
    "dateTime": FieldType.DATETIME,
    "time": FieldType.TIME,
    "note": FieldType.NOTE,
    "calculate": FieldType.CALCULATE,
    "hidden": FieldType.HIDDEN,
    "acknowledge": FieldType.ACKNOWLEDGE,
}

#: Types pyxform passes through without a definition of its own.
_PYXFORM_PASSTHROUGH = frozenset({"include", "audit", "trigger"})

Kind = Literal["begin", "end", "field", "select", "setting", "unsupported", "unknown", "no_list"]


@dataclass(frozen=True)
class ParsedType:
    kind: Kind
    #: For begin/end: "group" | "repeat" | "loop"; for settings rows: the setting key.
    control: str = ""
    field_type: FieldType | None = None
    list_name: str = ""
    or_other: bool = False
    #: The type as the user should see it in messages (e.g. "photo", "select_one_from_file").
    display: str = ""


@cache
def _field_types() -> dict[str, FieldType]:
    out: dict[str, FieldType] = {}
    for name, definition in QUESTION_TYPE_DICT.items():
        matches = [c for c in _CANONICAL if definition == QUESTION_TYPE_DICT[c]]
        if not matches or name.lower().startswith("select"):
            continue
        # calculate and hidden share a definition: prefer the canonical named in the alias.
        named = [c for c in matches if c.lower() in name.lower()]
        out[name.lower()] = _CANONICAL[(named or matches)[0]]
    return out


@cache
def _known_lower() -> frozenset[str]:
    return frozenset(n.lower() for n in QUESTION_TYPE_DICT) | _PYXFORM_PASSTHROUGH


@cache
def _select_commands_lower() -> dict[str, str]:
    return {k.lower(): k for k in aliases.select}


def parse_type(text: str) -> ParsedType:
    """Classify a (whitespace-normalised) type cell."""
    t = " ".join(text.split())
    m = RE_END_CONTROL.search(t)
    if m:
        return ParsedType("end", control=aliases.control[m.group("type")], display=t)
    m = RE_BEGIN_CONTROL.search(t)
    if m:
        control = aliases.control[m.group("type")]
        if control == constants.LOOP:
            return ParsedType("unsupported", control="loop", display="begin loop")
        return ParsedType("begin", control=control, display=t)
    m = RE_SELECT.search(t)
    if m:
        command = m.group("select_command")
        list_name = m.group("list_name")
        select = aliases.select[command]
        _stem, ext = os.path.splitext(list_name)
        if command in aliases.select_from_file or ext in constants.EXTERNAL_INSTANCE_EXTENSIONS:
            return ParsedType("unsupported", display=command, list_name=list_name)
        if select not in (constants.SELECT_ONE, constants.SELECT_ALL_THAT_APPLY):
            return ParsedType("unsupported", display=command, list_name=list_name)
        if has_pyxform_reference(list_name):
            return ParsedType("unsupported", display=f"{command} ${{...}}", list_name=list_name)
        ft = FieldType.SELECT_ONE if select == constants.SELECT_ONE else FieldType.SELECT_MULTIPLE
        return ParsedType(
            "select", field_type=ft, list_name=list_name, or_other=m.group("specify_other") is not None, display=t
        )
    if RE_OSM.search(t):
        return ParsedType("unsupported", display="osm")
    lower = t.lower()
    if lower in _select_commands_lower():
        return ParsedType("no_list", display=t)
    setting = aliases.settings_header.get(lower.replace(" ", "_"))
    if isinstance(setting, str):
        return ParsedType("setting", control=setting, display=t)
    lower = aliases._type_alias_map.get(lower, lower)
    found = _field_types().get(lower)
    if found is not None:
        return ParsedType("field", field_type=found, display=t)
    if lower in _known_lower() or (lower.startswith(("begin ", "begin_")) and "loop" in lower):
        return ParsedType("unsupported", display=lower)
    return ParsedType("unknown", display=t)
