"""Micro-benchmark of the expression language: a person's tag conditions and field checks.

``python -m tests.bench expr [--n N]`` (or ``python -m tests.bench.expr``). Each synthetic person
gets what the validator does to it: the calculations (age, disability parts, residence status),
then 53 tag conditions and the survey's relevance/constraint expressions, all compiled against
one Scope (so shared subexpressions are computed once per person), then a house aggregate.
Reported: persons per second on one core (CPU time; ``_wall`` is wall-clock), expressions per
second, ns per expression; ``_unshared`` compiles every expression against its own Scope (no
shared subexpressions); ``inline_age_`` writes ``age(${birth_date})`` in each tag condition instead
of reading the ``${age}`` calculation, which is where sharing pays.
"""

from __future__ import annotations

import random
import time
from datetime import date
from typing import Any

from forms import cn
from forms.expr import Compiled, EvalContext, Scope, compile_expression
from forms.expr.values import to_string
from forms.model import FieldType as F

TODAY = date(2026, 11, 21)

FIELDS: dict[str, F] = {
    "population_type": F.SELECT_ONE,
    "name": F.TEXT,
    "id_type": F.SELECT_ONE,
    "id_number": F.TEXT,
    "sex": F.SELECT_ONE,
    "birth_date": F.DATE,
    "age": F.CALCULATE,
    "nationality": F.SELECT_ONE,
    "ethnicity": F.SELECT_ONE,
    "marital_status": F.SELECT_ONE,
    "political_status": F.SELECT_ONE,
    "phone": F.TEXT,
    "hukou_division": F.TEXT,
    "relation_to_head": F.SELECT_ONE,
    "living_here": F.SELECT_ONE,
    "hukou_here": F.SELECT_ONE,
    "residence_type": F.SELECT_ONE,
    "residence_status": F.CALCULATE,
    "residence_permit_no": F.TEXT,
    "disability_cert": F.TEXT,
    "disability_category": F.CALCULATE,
    "disability_grade": F.CALCULATE,
    "due_date": F.DATE,
    "delivery_date": F.DATE,
    "death_date": F.DATE,
    "moved_out_date": F.DATE,
    "arrival_date": F.DATE,
    "planned_departure_date": F.DATE,
}

CALCULATIONS = {
    "age": "if(${birth_date} = '', '', age(${birth_date}))",
    "residence_status": "if(${hukou_here} = 'yes' and ${living_here} = 'yes', '1', "
    "if(${living_here} = 'yes', '2', '3'))",
    "disability_category": "cn-disability-category(${disability_cert})",
    "disability_grade": "cn-disability-grade(${disability_cert})",
}

TAGS = [
    "${age} != '' and ${age} < 3",
    "${age} >= 3 and ${age} < 6",
    "${age} >= 6 and ${age} < 15",
    "${age} != '' and ${age} < 18",
    "${age} != '' and ${age} < 14",
    "${age} >= 16 and ${age} <= 59",
    "${sex} = '2' and ${age} >= 15 and ${age} <= 49",
    "${sex} = '1' and ${birth_date} != '' and int(format-date(today(), '%Y')) - int(format-date(${birth_date}, '%Y')) = 18",
    "${age} >= 60",
    "${age} >= 60 and ${age} <= 69",
    "${age} >= 70 and ${age} <= 79",
    "${age} >= 80 and ${age} <= 89",
    "${age} >= 90",
    "${age} >= 80",
    "${age} >= 100",
    "has-tag('老年人') and ${living_here} = 'yes' and count-residents(${living_here} = 'yes') = 1",
    "has-tag('老年人') and ${living_here} = 'yes' and not(any-residents(not(is-self()) and age(${birth_date}) < 60))",
    "${residence_status} = '1'",
    "${residence_status} = '2'",
    "${residence_status} = '3'",
    "${population_type} = '1'",
    "${population_type} = '2'",
    "${population_type} = '3'",
    "${population_type} = '4'",
    "${id_type} = '03' or ${id_type} = '04' or (${id_type} = '02' and (starts-with(${id_number}, '81') or "
    "starts-with(${id_number}, '82') or starts-with(${id_number}, '83')))",
    "${nationality} != '' and ${nationality} != 'CHN'",
    "${relation_to_head} = '21' or ${relation_to_head} = '31'",
    "household-field('household_type') = '2'",
    "${political_status} = '01'",
    "${political_status} = '02'",
    "${political_status} = '03'",
    "${political_status} != '' and number(${political_status}) >= 4 and number(${political_status}) <= 11",
    "${political_status} = '12'",
    "${disability_cert} != '' and cn-disability-cert-valid(${disability_cert})",
    "has-tag('残疾人') and (${disability_grade} = '1' or ${disability_grade} = '2')",
    "${age} = '' or ${age} >= 40",
    "${age} = '' or ${age} >= 3",
    "${age} = '' or ${age} >= 18",
    "${age} >= 60 or has-tag('残疾人') or (${age} != '' and ${age} < 16)",
    "${age} != '' and ${age} < 18",
    "${age} >= 6 and ${age} <= 25",
    "${age} >= 16",
    "${sex} = '2' and (${due_date} != '' or ${delivery_date} != '')",
    "${delivery_date} != '' and today() > ${delivery_date} + 42",
    "${residence_permit_no} != ''",
    "${age} != '' and ${age} < 16",
    "${marital_status} = '30'",
    "${marital_status} = '40' and ${age} >= 60",
    "${moved_out_date} != ''",
    "${death_date} != ''",
    "${ethnicity} != '01' and ${ethnicity} != ''",
    "selected('1 2', ${residence_type})",
    "${hukou_division} != '' and not(starts-with(${hukou_division}, '3301'))",
]

# (field, relevant, constraint) as in the default person survey
CHECKS = [
    ("name", "", "string-length(.) <= 50"),
    (
        "id_number",
        "",
        "if(${id_type} = '01' or ${id_type} = '02', cn-id-valid(.), string-length(.) >= 5 and string-length(.) <= 30)",
    ),
    ("birth_date", "", ". <= today()"),
    ("ethnicity", "${population_type} != '3'", ""),
    ("marital_status", "${age} = '' or ${age} >= 16", ""),
    ("phone", "", "cn-mobile-valid(.) or regex(., '^0[0-9]{2,3}-?[0-9]{7,8}$')"),
    ("hukou_division", "${population_type} = '1' or ${population_type} = '2'", "regex(., '^[1-9][0-9]{5}$')"),
    ("relation_to_head", "", ""),
    ("residence_type", "${living_here} = 'yes'", ""),
    ("disability_cert", "", "cn-disability-cert-valid(.)"),
    ("death_date", "", ". <= today() and (${birth_date} = '' or . >= ${birth_date})"),
    ("due_date", "${sex} = '2'", ""),
    ("delivery_date", "${sex} = '2'", ". <= today()"),
    ("planned_departure_date", "${population_type} = '3'", "${arrival_date} = '' or . >= ${arrival_date}"),
]


class _Entity:
    __slots__ = ("data", "house_id", "household_id", "id", "kind", "state", "tags")

    def __init__(
        self, eid: str, kind: str, data: dict[str, Any], house: str | None, household: str | None
    ) -> None:
        self.id, self.kind, self.data = eid, kind, data
        self.tags: list[str] = []
        self.house_id, self.household_id, self.state = house, household, "active"


class _Graph:
    def __init__(self, entities: list[_Entity]) -> None:
        self.by_id = {e.id: e for e in entities}
        self.res: dict[str, list[_Entity]] = {}
        self.mem: dict[str, list[_Entity]] = {}
        for e in entities:
            if e.kind == "person":
                self.res.setdefault(e.house_id or "", []).append(e)
                self.mem.setdefault(e.household_id or "", []).append(e)

    def get(self, eid: str) -> Any:
        return self.by_id.get(eid)

    def residents(self, house_id: str) -> list[_Entity]:
        return self.res.get(house_id, [])

    def members(self, household_id: str) -> list[_Entity]:
        return self.mem.get(household_id, [])

    def households(self, house_id: str) -> list[_Entity]:
        return []


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    born = date.fromordinal(date(1925, 1, 1).toordinal() + rng.randrange(365 * 100))
    sex = rng.choice("12")
    body = f"330102{born:%Y%m%d}{rng.randrange(100):02d}{rng.choice('13579' if sex == '1' else '02468')}"
    cert = (
        body + cn.check_char(body) + f"{rng.randint(1, 7)}{rng.randint(1, 4)}" if rng.random() < 0.05 else ""
    )
    return {
        "population_type": rng.choice("1112234"),
        "name": "张" + "伟芳娜秀英"[i % 5],
        "id_type": "01",
        "id_number": body + cn.check_char(body),
        "sex": sex,
        "birth_date": born.isoformat(),
        "nationality": "CHN",
        "ethnicity": rng.choice(["01", "01", "03"]),
        "marital_status": rng.choice(["10", "20", "30"]),
        "political_status": rng.choice(["13", "13", "01", "03"]),
        "phone": f"13{rng.randrange(10**9):09d}",
        "hukou_division": "330102",
        "relation_to_head": rng.choice(["02", "10", "20", "30"]),
        "living_here": "yes",
        "hukou_here": rng.choice(["yes", "no"]),
        "residence_type": "1",
        "disability_cert": cert,
    }


Checks = list[tuple[str, Compiled | None, Compiled | None]]


def _cold_caches() -> None:
    """Forget parsed strings and ID numbers, so that each timed run starts alike."""
    from forms.expr import values

    values._number_cache.clear()
    values._date_cache.clear()
    cn._PARSED.clear()


def _inline_age(text: str) -> str:
    """The condition as templates often write it: age(${birth_date}) instead of a calculate field."""
    return (
        text.replace("${age} != ''", "${birth_date} != ''")
        .replace("${age} = ''", "${birth_date} = ''")
        .replace("${age}", "age(${birth_date})")
    )


def _compile(
    shared: bool, inline: bool = False
) -> tuple[list[tuple[str, Compiled]], list[Compiled], Checks, Scope]:
    """The expressions against one Scope (shared subexpressions), or each against its own;
    ``inline`` writes age(${birth_date}) in every tag condition instead of reading ${age}."""
    one = Scope(FIELDS)

    def scope() -> Scope:
        return one if shared else Scope(FIELDS)

    calcs = [(name, compile_expression(text, scope())) for name, text in CALCULATIONS.items()]
    tags = [compile_expression(_inline_age(t) if inline else t, scope()) for t in TAGS]
    checks: Checks = [
        (f, compile_expression(r, scope()) if r else None, compile_expression(c, scope()) if c else None)
        for f, r, c in CHECKS
    ]
    return calcs, tags, checks, one


def _evaluate(
    people: list[_Entity],
    graph: _Graph,
    calcs: list[tuple[str, Compiled]],
    tags: list[Compiled],
    checks: Checks,
) -> tuple[float, float, int, int]:
    """(CPU seconds, wall seconds, expressions evaluated, tags in force) for all persons."""
    _cold_caches()
    evaluations = 0
    holds = 0
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    for e in people:
        values = dict(e.data)
        in_force: set[str] = set()
        ctx = EvalContext(values, today=TODAY, graph=graph, entity=e, tags_in_force=in_force.__contains__)
        for name, calc in calcs:
            values[name] = to_string(calc.evaluate(ctx))
        for f, relevant, constraint in checks:
            if relevant is not None:
                evaluations += 1
                if not relevant.truthy(ctx):
                    continue
            if constraint is not None:
                v = values.get(f, "")
                if v != "":
                    evaluations += 1
                    ctx.current = v
                    constraint.truthy(ctx)
        for i, tag in enumerate(tags):
            if tag.truthy(ctx):
                holds += 1
                in_force.add(TAGS_IDS[i])
        evaluations += len(calcs) + len(tags)
    wall = time.perf_counter() - t1
    # CPU time of this process: steadier than wall time on a machine busy with other work
    return max(time.process_time() - cpu1, 1e-9), wall, evaluations, holds


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or 20_000
    rng = random.Random(7)
    t0 = time.perf_counter()
    calcs, tags, checks, scope = _compile(shared=True)
    compile_s = time.perf_counter() - t0
    people = [_Entity(f"p{i}", "person", _person(rng, i), f"h{i // 3}", f"hh{i // 3}") for i in range(n)]
    graph = _Graph(people)
    cpu, wall, evaluations, holds = _evaluate(people, graph, calcs, tags, checks)
    cpu_unshared, _, _, holds_unshared = _evaluate(people, graph, *_compile(shared=False)[:3])
    assert holds_unshared == holds, "sharing subexpressions must not change results"
    cpu_inline, _, _, holds_inline = _evaluate(people, graph, *_compile(shared=True, inline=True)[:3])
    cpu_inline_unshared, _, _, _ = _evaluate(people, graph, *_compile(shared=False, inline=True)[:3])
    assert holds_inline == holds, "age(${birth_date}) and ${age} must give the same tags"
    return {
        "persons": n,
        "expressions_per_person": round(evaluations / n, 1),
        "persons_per_s": round(n / cpu),
        "persons_per_s_wall": round(n / wall),
        "persons_per_s_unshared": round(n / cpu_unshared),
        "inline_age_persons_per_s": round(n / cpu_inline),
        "inline_age_persons_per_s_unshared": round(n / cpu_inline_unshared),
        "expressions_per_s": round(evaluations / cpu),
        "ns_per_expression": round(cpu / evaluations * 1e9, 1),
        "compile_ms": round(compile_s * 1000, 2),
        "shared_subexpressions": len(scope.interned),
        "tags_in_force_per_person": round(holds / n, 2),
    }


TAGS_IDS = [
    "老年人" if t == "${age} >= 60" else ("残疾人" if "cn-disability-cert-valid" in t else f"t{i}")
    for i, t in enumerate(TAGS)
]


if __name__ == "__main__":
    import sys

    from tests.bench.__main__ import main

    raise SystemExit(main(["expr", *sys.argv[1:]]))
