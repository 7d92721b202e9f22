"""The machinery of the catalogue case table (``tests/forms/catalogue_cases.py``): the templates and
validator, record builders, the table (``Case``, ``CASES``, ``T`` for a tag, ``R`` for a rule,
``ages`` for an age band) and running a case. See that module for what a case says."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from forms.graph import MemoryGraph
from forms.model import EntityKind, Template
from forms.validate import Validator
from forms.xlsform import load_template
from tests.forms.test_default_tags import (
    RENTAL,
    TODAY,
    World,
    id_for,
    migrant,
    person,
)

ENTITIES = ("person", "house", "household")


# ---- templates and the validator (a folder of built workbooks, the repository's by default) ----


def load_templates(folder: Path) -> dict[EntityKind, Template]:
    plain = {EntityKind(k): load_template(folder / f"{k}.xlsx") for k in ENTITIES}
    return {k: load_template(folder / f"{k.value}.xlsx", related=plain) for k in plain}


def make_validator(folder: Path) -> Validator:
    return Validator(load_templates(folder), today=TODAY)


def catalogue_targets(source: Path) -> list[str]:
    """Every tag (``tag:ID``) and rule (``rule:ENTITY:ID``) of the CSV sources under ``source``."""
    out: list[str] = []
    for entity in ENTITIES:
        with open(source / entity / "tags.csv", encoding="utf-8", newline="") as f:
            out += [f"tag:{row['tag']}" for row in csv.DictReader(f)]
        with open(source / entity / "rules.csv", encoding="utf-8", newline="") as f:
            out += [f"rule:{entity}:{row['rule']}" for row in csv.DictReader(f)]
    return out


# ---- records ------------------------------------------------------------------------------------


def bd(n: int, d: int = 0) -> date:
    """The birth date whose ``n``-th birthday is ``d`` days from the evaluation date: ``bd(60)`` is
    60 today, ``bd(60, 1)`` turns 60 tomorrow (59 today), ``bd(60, -1)`` turned 60 yesterday."""
    return date(TODAY.year - n, TODAY.month, TODAY.day) + timedelta(days=d)


_seq = iter(range(100, 10**6))


def p(n: int | None = 40, d: int = 0, sex: str = "1", **over: Any) -> dict[str, Any]:
    """A registered resident living here whose ID number matches ``bd(n, d)`` (``n`` None: no
    birth date at all); ``over`` as for :func:`person` (None removes a field)."""
    birth = bd(n if n is not None else 40, d)
    seq = next(_seq) % 99 + 1
    base = {"birth_date": birth.isoformat() if n is not None else None, "id_number": id_for(birth, sex, seq=seq)}
    return person(40, sex, **(base | over))


def mig(n: int = 30, **over: Any) -> dict[str, Any]:
    birth = bd(n)
    return migrant(n, **({"birth_date": birth.isoformat(), "id_number": id_for(birth, "1", seq=next(_seq) % 99 + 1)}
                         | over))


def cert(grade: str, category: str = "4", n: int = 40) -> str:
    return id_for(bd(n), "1", seq=7) + category + grade


def one(subject: dict[str, Any], tags: list[str] | None = None, **world: Any) -> World:
    """The person ``subject`` (with the tags set on it) alone in the house."""
    return World(persons=[subject], person_tags=[tags or []], **world)


def home(subject: dict[str, Any], *others: dict[str, Any], **world: Any) -> World:
    """The person ``subject`` in one house and household with ``others``."""
    return World(persons=[subject, *others], person_tags=[[] for _ in range(1 + len(others))], **world)


def hh(*members: dict[str, Any], **world: Any) -> World:
    """The household with ``members`` (a household subject)."""
    return World(subject="household", persons=list(members), person_tags=[[] for _ in members], **world)


def house(tags: list[str] | None = None, residents: list[dict[str, Any]] | None = None, households: int = 1,
          **fields: Any) -> World:
    """A house (the subject) with ``households`` households in it (1 = the default household)."""
    return World(subject="house", house=fields, persons=residents or [], house_tags=tags or [],
                 extra_households=households - 1)


def let(**over: Any) -> dict[str, Any]:
    """The fields of a house let as a whole, with one tenant."""
    return {"occupancy": "2", **RENTAL, **over}


def part(**over: Any) -> dict[str, Any]:
    return let(occupancy="3", **over)


def tenant(**over: Any) -> dict[str, Any]:
    return p(30, residence_type="2", relation_to_head="99", **over)


#: The age of the older person in the 空巢老人 cases.
ELDER = 70


def away(d: dict[str, Any]) -> dict[str, Any]:
    """Registered here but not living here."""
    return d | {"living_here": "no"} if "residence_type" not in d else {**d, "living_here": "no", "residence_type": ""}


def spouse(n: int = ELDER, d: int = 0) -> dict[str, Any]:
    """The head's wife."""
    return p(n, d, sex="2", relation_to_head="12")


def D(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def F(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()



# ---- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    target: str  # "tag:ID" or "rule:ENTITY:ID"
    what: str
    world: Callable[[], World]
    expected: str

    @property
    def id(self) -> str:
        return f"{self.target.split(':', 1)[1]}: {self.what}"


CASES: list[Case] = []


def T(tag: str, what: str, world: Callable[[], World], expected: str) -> None:
    CASES.append(Case(f"tag:{tag}", what, world, expected))


def R(entity: str, rule: str, what: str, world: Callable[[], World], expected: str) -> None:
    CASES.append(Case(f"rule:{entity}:{rule}", what, world, expected))


def ages(tag: str, lo: int | None, hi: int | None, sex: str = "1", blank: str | None = "off") -> None:
    """An auto tag for ``lo <= age <= hi`` (None: unbounded), each bound on both sides of the
    birthday, and a person without a birth date (``blank``: expected outcome, None to skip)."""
    if lo is not None:
        T(tag, f"{lo} today", lambda: one(p(lo, 0, sex)), "on")
        T(tag, f"{lo} tomorrow", lambda: one(p(lo, 1, sex)), "off")
    if hi is not None:
        T(tag, f"{hi + 1} tomorrow", lambda: one(p(hi + 1, 1, sex)), "on")
        T(tag, f"{hi + 1} today", lambda: one(p(hi + 1, 0, sex)), "off")
    if blank is not None:
        T(tag, "no birth date", lambda: one(p(None, sex=sex)), blank)


# ---- running a case -----------------------------------------------------------------------------


def outcome(case: Case, validator: Validator) -> str:
    """What the case's world gives, in the form of ``Case.expected``."""
    subject, entities = case.world().entities()
    result = validator.validate(subject, MemoryGraph(entities))
    kind, rest = case.target.split(":", 1)
    if kind == "rule":
        rule = rest.split(":", 1)[1]
        return "fires" if any(f.rule == rule for f in result.findings) else "quiet"
    prefix = f"tag:{rest}:"
    marks = []
    for f in result.findings:
        if f.rule.startswith(prefix):
            what = f.rule[len(prefix):]
            marks.append(f"!{what}:{f.field}" if what == "required_fields" else f"!{what}")
    return " ".join(["on" if rest in result.tags else "off", *sorted(marks)])


def normalised(expected: str) -> str:
    head, *marks = expected.split()
    return " ".join([head, *sorted(marks)])


def failures(validator: Validator, cases: list[Case] | None = None) -> list[tuple[Case, str]]:
    """The cases whose outcome differs from the expected one, with the outcome."""
    out = []
    for case in cases if cases is not None else CASES:
        try:
            got = outcome(case, validator)
        except Exception as e:  # a mutant may break evaluation
            got = f"raised {type(e).__name__}: {e}"
        if got != normalised(case.expected):
            out.append((case, got))
    return out

