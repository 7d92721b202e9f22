"""Template versions: what changed between two versions of a template (:func:`diff`) and how a
record's values move from the old version to the new one (:func:`migrate`).

Pure domain: no Qt, no network, no database. May import: forms.model.
"""

from __future__ import annotations

from forms.versions.diff import Change, TemplateDiff, diff
from forms.versions.migrate import Leftover, Migration, migrate

__all__ = ["Change", "Leftover", "Migration", "TemplateDiff", "diff", "migrate"]
