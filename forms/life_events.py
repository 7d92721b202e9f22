"""Life events of a person as the record must show them: moving out, dying, being born.

Pure domain. Each function says which fields of the person (``resources/templates/person``) an
event sets, so that the record the app leaves behind passes the template's own rules (a person who
moved out or died no longer lives at the address; a newborn carries the household's registration).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from forms.cn import id_birthdate, id_sex, normalize_id

#: The date and reason fields of each state.
STATE_FIELDS: dict[str, tuple[str, str | None]] = {
    "moved_out": ("moved_out_date", "moved_out_reason"),
    "deceased": ("death_date", None),
}
#: What else a state means for the record (rule ``moved_out_living_here``: a person with a
#: move-out date does not live here; the dead do not either).
STATE_IMPLIES: dict[str, dict[str, str]] = {
    "moved_out": {"living_here": "no"},
    "deceased": {"living_here": "no"},
}
#: Relation-to-head code of the head (GB/T 4761) and of a son / daughter of the head.
HEAD = "02"
SON, DAUGHTER, CHILD = "20", "30", ""
CITIZEN_ID = "01"
#: Fields a newborn takes over from the head of the household it is born into.
FROM_HEAD = ("population_type", "nationality", "hukou_division", "hukou_address", "hukou_no", "hukou_status",
             "hukou_here", "residence_type")


def state_values(state: str, when: str, reason: str | None = None) -> dict[str, str]:
    """The fields a change of state sets: its date, its reason, and what the state implies."""
    values: dict[str, str] = {}
    if state in STATE_FIELDS:
        date_field, reason_field = STATE_FIELDS[state]
        values[date_field] = when
        if reason_field and reason:
            values[reason_field] = reason
    values.update(STATE_IMPLIES.get(state, {}))
    return values


def id_facts(id_number: str, today: date | None = None) -> dict[str, str]:
    """Birth date and sex read from a valid citizen ID number (empty for anything else)."""
    born = id_birthdate(id_number, today or date.today())
    if born is None:
        return {}
    return {"birth_date": born.isoformat(), "sex": id_sex(id_number)}


def missing_from_id(data: Mapping[str, Any], today: date | None = None) -> dict[str, str]:
    """The facts a typed ID number gives that the record does not have yet (never overwrites)."""
    if str(data.get("id_type") or CITIZEN_ID) != CITIZEN_ID:
        return {}
    number = normalize_id(str(data.get("id_number") or ""))
    return {k: v for k, v in id_facts(number, today).items() if not str(data.get(k) or "").strip()}


def household_head(members: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The member recorded as head (与户主关系 02), if exactly one is."""
    heads = [m for m in members if str((m.get("data") or {}).get("relation_to_head") or "") == HEAD]
    return heads[0] if len(heads) == 1 else None


def child_relation(sex: str) -> str:
    """A child of the head: 子 for a boy, 女 for a girl, left for the worker when the sex is unknown."""
    return {"1": SON, "2": DAUGHTER}.get(sex, CHILD)


def newborn_values(members: Sequence[Mapping[str, Any]], born: str, sex: str = "",
                   mother_id: str | None = None) -> dict[str, str]:
    """A newborn's record from what the household already knows.

    From the head: the registration (户籍 address, 户号, division, status), population type, nationality
    and residence type, and the head's name and ID; from the mother (or else the head's spouse or the
    head), the ethnic group; the birth date and sex given; living here; relation 子/女 of the head.
    """
    data = {m["id"]: (m.get("data") or {}) for m in members if m.get("id")}
    head = household_head(members)
    head_data: Mapping[str, Any] = (head.get("data") or {}) if head else {}
    values: dict[str, str] = {"birth_date": born, "living_here": "yes", "id_type": CITIZEN_ID}
    if sex:
        values["sex"] = sex
    for name in FROM_HEAD:
        if str(head_data.get(name) or ""):
            values[name] = str(head_data[name])
    if head_data.get("name"):
        values["head_name"] = str(head_data["name"])
    if head_data.get("id_number"):
        values["head_id_number"] = str(head_data["id_number"])
    parent = data.get(mother_id or "") or next(
        (d for d in data.values() if str(d.get("relation_to_head") or "") in ("10", "11", "12")), None) or head_data
    if parent.get("ethnicity"):
        values["ethnicity"] = str(parent["ethnicity"])
    if not values.get("nationality") and parent.get("nationality"):
        values["nationality"] = str(parent["nationality"])
    relation = child_relation(sex) if head else ""
    if relation:
        values["relation_to_head"] = relation
    return values


def household_title(household: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> tuple[str, str, int]:
    """What names a household in a picker: its 户号, its head's name (or the recorded head name) and
    how many live in it."""
    hh = household.get("data") or {}
    head = household_head(members)
    name = str(((head or {}).get("data") or {}).get("name") or hh.get("head_name") or "")
    return str(hh.get("household_no") or ""), name, len(members)
