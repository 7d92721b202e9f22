"""Visit plans: the cycle a day falls in, the interval that applies, due date and days overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.visits import cycle_of, plan_visit

INTERVALS = {"独居老人": 7, "高龄老人": 30, "空巢老人": 14, "百岁老人": 7}
TODAY = date(2026, 12, 4)  # in 2026-Q4 (2026-10-01 .. 2026-12-31)


@pytest.mark.parametrize(("kind", "label", "start", "end"), [
    ("month", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ("quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("half-year", "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_cycles_are_calendar_periods(kind: str, label: str, start: date, end: date) -> None:
    c = cycle_of(TODAY, kind)
    assert (c.label, c.start, c.end) == (label, start, end)
    assert c.next().start == date(2027, 1, 1)
    assert c.previous().end == start - timedelta(days=1)
    assert c.previous().end < start and c.previous().kind == kind


def test_february_and_an_unknown_cycle() -> None:
    assert cycle_of(date(2028, 2, 10), "month").end == date(2028, 2, 29)
    assert cycle_of(date(2026, 5, 1), "quarter").label == "2026-Q2"
    with pytest.raises(ValueError, match="fortnight"):
        cycle_of(TODAY, "fortnight")


def test_the_shortest_tag_interval_applies_and_names_its_tags() -> None:
    p = plan_visit(["老年人", "高龄老人", "独居老人", "百岁老人"], INTERVALS, date(2026, 11, 20), TODAY)
    assert p.interval_days == 7
    assert p.rule_tags == ("独居老人", "百岁老人")
    assert p.rule == "tag"
    assert p.due_date == date(2026, 11, 27)
    assert p.days_overdue == 7
    assert p.needs_visit


def test_a_tagged_person_seen_recently_is_not_due_yet() -> None:
    p = plan_visit(["独居老人"], INTERVALS, date(2026, 12, 1), TODAY)
    assert (p.due_date, p.days_overdue, p.needs_visit) == (date(2026, 12, 8), 0, False)


def test_a_tagged_person_never_visited_is_overdue_since_the_cycle_began() -> None:
    p = plan_visit(["独居老人"], INTERVALS, None, TODAY)
    assert (p.due_date, p.days_overdue, p.needs_visit) == (date(2026, 10, 1), 64, True)


def test_base_rule_once_per_cycle() -> None:
    never = plan_visit(["老年人"], INTERVALS, None, TODAY)
    assert (never.rule, never.interval_days, never.due_date, never.days_overdue, never.needs_visit) == (
        "cycle", None, date(2026, 12, 31), 0, True)
    this_cycle = plan_visit([], INTERVALS, date(2026, 10, 5), TODAY)
    assert (this_cycle.due_date, this_cycle.needs_visit) == (date(2027, 3, 31), False)
    last_cycle = plan_visit([], INTERVALS, date(2026, 8, 5), TODAY)
    assert (last_cycle.due_date, last_cycle.days_overdue, last_cycle.needs_visit) == (date(2026, 12, 31), 0, True)
    long_ago = plan_visit([], INTERVALS, date(2026, 1, 15), TODAY)  # Q2 and Q3 missed: overdue since June
    assert (long_ago.due_date, long_ago.days_overdue) == (date(2026, 6, 30), 157)


def test_the_cycle_setting_changes_the_base_rule() -> None:
    p = plan_visit([], INTERVALS, date(2026, 11, 20), TODAY, "month")
    assert (p.due_date, p.needs_visit, p.cycle.label) == (date(2026, 12, 31), True, "2026-12")
    y = plan_visit([], INTERVALS, date(2026, 2, 1), TODAY, "year")
    assert (y.due_date, y.needs_visit) == (date(2027, 12, 31), False)


def test_a_long_tag_interval_never_beats_the_cycle() -> None:
    p = plan_visit(["x"], {"x": 400}, date(2026, 10, 2), TODAY)
    assert (p.rule, p.due_date) == ("cycle", date(2027, 3, 31))


def test_the_shipped_catalogue_sets_intervals_for_those_who_need_frequent_visits() -> None:
    from forms.build_templates import templates_directory
    from forms.xlsform import load_template

    person = load_template(templates_directory() / "person.xlsx")
    every = {t.id: t.visit_every for t in person.tags.values() if t.visit_every}
    assert every["独居老人"] == 7 and every["高龄老人"] == 30 and every["空巢老人"] == 14
    assert "老年人" not in every  # the base rule (once per cycle) is enough for most


# -- properties -------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
TAGS = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 400), max_size=4)


@given(today=DAYS, back=st.one_of(st.none(), st.integers(0, 900)), intervals=TAGS,
       kind=st.sampled_from(["month", "quarter", "half-year", "year"]))
def test_plan_properties(today: date, back: int | None, intervals: dict[str, int], kind: str) -> None:
    last = None if back is None else today - timedelta(days=back)
    tags = list(intervals)
    plan = plan_visit(tags, intervals, last, today, kind)
    base = plan_visit([], intervals, last, today, kind)
    assert plan.days_overdue == max(0, (today - plan.due_date).days)
    assert plan.due_date <= base.due_date  # a tag never lets a visit wait longer than the cycle
    assert plan.cycle.contains(today)
    if intervals:
        assert plan.interval_days == min(intervals.values())
        assert set(plan.rule_tags) == {t for t, d in intervals.items() if d == plan.interval_days}
    else:
        assert plan.rule == "cycle" and plan.rule_tags == ()
    if last == today:  # seen today: nothing is due
        assert not plan.needs_visit and plan.days_overdue == 0
    if last is None or last < plan.cycle.start:  # not visited in this cycle: due now
        assert plan.needs_visit
