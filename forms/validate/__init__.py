"""Validating records against their templates: fields, calculations, tags, rules, relevance.

Owns ``validator`` (the :class:`Validator` entry point and ID-number indexes), ``plan`` (the order of
a template's checks), ``field`` and ``values`` (one answer's checks and typed values), ``calc``
(calculations), ``tags`` (auto, manual and returned tags), ``findings`` (what a check reports, with
its messages), ``relevance`` (what a screen shows) and ``choices`` (choice filters).

May import: forms.errors, forms.model, forms.graph, forms.cn, forms.expr. Never
``forms.xlsform``: a template reaches it already loaded.
"""

from __future__ import annotations

from forms.validate.findings import Finding, ValidationResult
from forms.validate.validator import IdIndex, MemoryIdIndex, Validator, normalise_id

__all__ = ["Finding", "IdIndex", "MemoryIdIndex", "ValidationResult", "Validator", "normalise_id"]
