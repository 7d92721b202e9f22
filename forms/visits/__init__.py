"""Visits (走访): verification cycles and visit plans, pure functions of dates and tags.

``forms.visits.plan``: the verification cycle a day falls in (month / quarter / half-year / year) and,
for one entity, the visit interval that applies (the shortest ``visit_every`` among its tags, over the
base rule "everyone once per cycle"), its due date and how many days it is overdue.

May import: nothing of ours. Not the template model, the loader or the validator: callers pass the
intervals of the tags (``{tag: days}``), read from a catalogue wherever they keep it.
"""

from __future__ import annotations

from forms.visits.plan import (
    COUNTING_RESULTS,
    CYCLES,
    DEFAULT_CYCLE,
    VISIT_RESULTS,
    Cycle,
    VisitDue,
    cycle_of,
    plan_visit,
)

__all__ = ["COUNTING_RESULTS", "CYCLES", "DEFAULT_CYCLE", "VISIT_RESULTS", "Cycle", "VisitDue", "cycle_of",
           "plan_visit"]
