"""Every tag and rule of the default catalogue against its table of cases (catalogue_cases.py):
the records where it holds and a near miss on each of its conditions. ``tests/mutate_catalogue.py``
shows the table notices any single changed condition."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest

from forms.validate import Validator
from resources import ROOT
from tests.forms.catalogue_cases import CASES, Case, catalogue_targets, make_validator, normalised, outcome


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
