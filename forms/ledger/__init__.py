"""Ledgers (台账) and summary tables (统计表): templates, rows, masking and writing.

May import: forms.errors, forms.expr, forms.model, forms.cn (and openpyxl / xlsxwriter for workbooks).
"""

from __future__ import annotations

from forms.ledger.export import Cancelled, ExportRequest, ExportResult, labels_for, run_export, scopes_for
from forms.ledger.placeholders import RecordView
from forms.ledger.rows import ExportRefused, Item, RowMaker
from forms.ledger.template import LedgerError, LedgerTemplate, load_ledger

__all__ = [
    "Cancelled",
    "ExportRefused",
    "ExportRequest",
    "ExportResult",
    "Item",
    "LedgerError",
    "LedgerTemplate",
    "RecordView",
    "RowMaker",
    "labels_for",
    "load_ledger",
    "run_export",
    "scopes_for",
]
