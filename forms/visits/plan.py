"""Verification cycles and the visit plan of one entity.

The base rule: every house and person is visited (and seen) once per verification cycle, a platform
setting (``month`` | ``quarter`` | ``half-year`` | ``year``; calendar periods). A tag may ask for more:
its ``visit_every`` (days) in the tag catalogue, e.g. 独居老人 every 7 days. For an entity the
shortest interval among its tags applies.

Due date, from the last visit that counts (result 已核实 or 有变更, the person seen):

- base rule: never visited, or last visited before the current cycle -> the end of the cycle after
  the one of the last visit (never visited: the end of the current cycle); visited in the current
  cycle -> the end of the next cycle;
- tag rule: the last visit + the interval; never visited -> the start of the current cycle (a person
  who should be seen every week and never was is overdue since the cycle began);
- the earlier of the two is the due date; days overdue = today - due date when positive.

An entity *needs a visit* (is in the due list) when it was not visited in the current cycle, or its
tag interval has run out (due date <= today).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

VISIT_RESULTS = ("已核实", "有变更", "无人在家", "拒访")
#: Results of a visit in which the household was met: they count for the plan (无人在家 / 拒访 are attempts).
COUNTING_RESULTS = ("已核实", "有变更")
#: Cycle name -> months per cycle.
CYCLES = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
DEFAULT_CYCLE = "quarter"


@dataclass(frozen=True)
class Cycle:
    """A verification cycle: ``kind`` (a key of CYCLES), ``label`` (``2026-12``, ``2026-Q4``,
    ``2026-H2``, ``2026``) and its first and last day."""

    kind: str
    label: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Cycle:
        return cycle_of(self.start - timedelta(days=1), self.kind)

    def next(self) -> Cycle:
        return cycle_of(self.end + timedelta(days=1), self.kind)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def cycle_of(day: date, kind: str = DEFAULT_CYCLE) -> Cycle:
    """The cycle of ``kind`` that ``day`` falls in. ValueError for an unknown kind."""
    months = CYCLES.get(kind)
    if months is None:
        raise ValueError(f"unknown verification cycle {kind!r}; one of {', '.join(CYCLES)}")
    index = (day.month - 1) // months
    first_month = index * months + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + months
    end = (date(day.year + 1, 1, 1) if end_month > 12 else date(day.year, end_month, 1)) - timedelta(days=1)
    if kind == "month":
        label = f"{day.year}-{day.month:02d}"
    elif kind == "quarter":
        label = f"{day.year}-Q{index + 1}"
    elif kind == "half-year":
        label = f"{day.year}-H{index + 1}"
    else:
        label = str(day.year)
    return Cycle(kind, label, start, end)


@dataclass(frozen=True)
class VisitDue:
    """The plan of one entity on ``today``.

    ``interval_days``: the shortest tag interval (None: the base rule alone); ``rule_tags``: the tags
    that set it (all tags with that interval, sorted); ``rule``: ``tag`` or ``cycle`` (which one gives
    the due date); ``needs_visit``: whether it belongs in the due list.
    """

    interval_days: int | None
    rule_tags: tuple[str, ...]
    rule: str
    last_visit: date | None
    due_date: date
    days_overdue: int
    needs_visit: bool
    cycle: Cycle


def plan_visit(tags: Iterable[str], intervals: Mapping[str, int], last_visit: date | None, today: date,
               cycle: str | Cycle = DEFAULT_CYCLE) -> VisitDue:
    """The visit plan of an entity with ``tags`` (``intervals``: tag -> visit_every days, for the tags
    that have one), last visited (counting visits only) on ``last_visit``."""
    current = cycle if isinstance(cycle, Cycle) else cycle_of(today, cycle)
    if last_visit is not None and last_visit > today:  # a clock gone wrong somewhere: treat as today
        last_visit = today
    if last_visit is None:
        base_due = current.end
    elif last_visit >= current.start:
        base_due = current.next().end
    else:
        base_due = cycle_of(last_visit, current.kind).next().end
    own = {tag: intervals[tag] for tag in tags if tag in intervals}
    interval = min(own.values()) if own else None
    rule_tags = tuple(sorted(tag for tag, days in own.items() if days == interval))
    due, rule = base_due, "cycle"
    if interval is not None:
        tag_due = current.start if last_visit is None else last_visit + timedelta(days=interval)
        if tag_due <= base_due:
            due, rule = tag_due, "tag"
    visited_now = last_visit is not None and last_visit >= current.start
    needs = not visited_now or due <= today
    return VisitDue(interval, rule_tags, rule, last_visit, due, max(0, (today - due).days), needs, current)
