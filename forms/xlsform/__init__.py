"""Reading an XLSForm workbook into a :class:`forms.model.Template`.

Owns the pipeline's stages, a module each: ``workbook`` (cells of ``.xlsx``/``.xls`` through
python-calamine), ``columns`` (headers, aliases, languages), ``settings``, ``types`` (the type column),
``survey`` (rows to fields and groups), ``catalogue`` (the ``tags`` and ``rules`` sheets),
``expressions`` (compiling each expression in its scope, with its position), ``deps`` (dependency
order and cycles) and ``loader`` (the entry point that runs them and gathers every problem).

May import: forms.errors, forms.model, forms.expr. Nothing of ``forms.validate``: a loaded
template is checked here, records are checked there.
"""

from __future__ import annotations

from forms.xlsform.loader import load_template

__all__ = ["load_template"]
