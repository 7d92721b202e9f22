"""The supervisor's screens: the review queue with the before/after panel, and the community dashboard.

``attach_review(window)`` adds them to a :class:`desktop.main_window.MainWindow` when the session's role
is ``supervisor`` or ``admin`` and returns the tools object (kept alive by the window as
``window.review_tools``); for a worker it adds nothing and returns None.
"""

from __future__ import annotations

from typing import Any

REVIEW_ROLES = frozenset({"supervisor", "admin"})


def attach_review(window: Any) -> object:
    if window.session.role not in REVIEW_ROLES:
        return None
    from desktop.review.tools import ReviewTools

    tools = ReviewTools(window)
    window.review_tools = tools
    return tools
