"""Synthetic demo districts: deterministic houses, households and persons for demos, tests and benchmarks.

Not domain: nothing in ``forms`` imports it. ``population`` generates the records, ``names`` holds the
word lists, ``tags`` the manual and returned tags, ``catalogue`` the district-sized tag catalogue.
May import: forms.
"""

from __future__ import annotations

from forms.synth.population import generate, id_check_char, scaled_catalogue

__all__ = ["generate", "id_check_char", "scaled_catalogue"]
