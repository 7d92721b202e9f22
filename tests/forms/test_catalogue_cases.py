"""Every tag and rule of the default catalogue against its table of cases (catalogue_cases.py):
the records where it holds and a near miss on each of its conditions. ``tests/mutate_catalogue.py``
shows the table notices any single changed condition."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest

from forms.expr import compile_expression
from forms.expr.context import EvalContext
from forms.validate import Validator
from resources import ROOT
from tests.forms.catalogue_cases import CASES, Case, catalogue_targets, make_validator, normalised, outcome
from tests.forms.test_default_tags import TODAY


@cache
def validator() -> Validator:
    return make_validator(ROOT / "templates")


def test_every_tag_and_rule_of_the_catalogue_has_cases_both_ways() -> None:
    targets = catalogue_targets(ROOT / "templates")
    by_target: dict[str, set[str]] = defaultdict(set)
    for c in CASES:
        by_target[c.target].add(c.expected.split()[0])
    assert not set(by_target) - set(targets), "cases for targets the catalogue does not have"
    missing = [t for t in targets if t not in by_target]
    assert not missing, f"no cases for {missing}"
    one_sided = {t: sorted(v) for t, v in by_target.items()
                 if not (v & {"on", "fires"} and (v & {"off", "quiet"} or any(
                     c.target == t and c.expected != "on" for c in CASES)))}
    assert not one_sided, f"cases only one way: {one_sided}"


def test_case_descriptions_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    assert outcome(case, validator()) == normalised(case.expected)


@pytest.mark.parametrize("expression", [
    "${a} < 3", "${a} <= 3", "${a} > 3", "${a} >= 60", "${a} < today()", "today() > ${a} + 42",
    "today() > ${a} + 5 * 365", "number(${a}) >= 4", "number(${a}) <= 11", "${a} < 5",
    "int(format-date(today(), '%Y')) - int(format-date(${a}, '%Y')) = 18", "cn-disability-cert-valid(${a})",
])
def test_an_empty_answer_compared_is_false(expression: str) -> None:
    # What makes the catalogue's `${x} != ''` guards redundant (the mutants dropping them survive
    # as equivalent, see tests/mutate_catalogue.py): an empty answer compared with a number or a
    # date is false whichever way round.
    assert compile_expression(expression).truthy(EvalContext({"a": ""}, today=TODAY)) is False


def test_the_mutation_tool_rewrites_expressions_faithfully() -> None:
    # tests/mutate_catalogue.py writes mutants as unparsed text: the unparsed catalogue must mean
    # the same as the original (the tool also reruns the table on it before mutating anything)
    import csv

    from forms.expr.parser import parse
    from tests.mutate_catalogue import mutants, unparse

    for entity in ("person", "house", "household"):
        for sheet, columns in (("tags", ("condition", "expires")), ("rules", ("expression",))):
            with open(ROOT / "templates" / entity / f"{sheet}.csv", encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    for column in columns:
                        if row[column].strip():
                            assert parse(unparse(parse(row[column]))).key() == parse(row[column]).key()
    got = dict((what, text) for what, text in mutants("${a} < 3 and ${b} = '02' and count-residents(${c} = 'yes') >= 1"))
    assert got["'<' -> '<='"] == "(((${a} <= 3) and (${b} = '02')) and (count-residents((${c} = 'yes')) >= 1))"
    assert got["3 -> 4"].startswith("(((${a} < 4)")
    assert got["'02' -> '01'"] and got["'02' -> '03'"]
    assert got["drop and operand (${b} = '02')"] == "((${a} < 3) and (count-residents((${c} = 'yes')) >= 1))"
    assert got["drop the filter of count-residents"].endswith("(count-residents() >= 1))")
    assert got["1 -> 0"] and got["'>=' -> '>'"] and got["'=' -> '!='"]
