"""A file's row -> the values of one record, with each problem located as the report shows it: the
row number as Excel shows it, the column's header, the value as written, a stable code, a severity and
the message in both languages.

``RowReader(template, mapping, code_tables)`` reads rows one at a time (a 1,000,000-row file streams
through it); ``Duplicates`` finds a key (an ID number) written on two rows and reports it on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.ingest.columns import ColumnMapping
from forms.ingest.issues import ERROR, CellIssue, error
from forms.ingest.kinds import ValueKind, value_kind
from forms.ingest.values import normalise
from forms.model import Template


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str
    value: str
    code: str
    severity: str
    message_zh: str
    message_en: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code,
                "severity": self.severity, "message": self.message_zh, "message_en": self.message_en}


def located(row: int, column: str, raw: Any, issue: CellIssue) -> RowIssue:
    shown = "" if raw is None else (repr(raw) if isinstance(raw, float) else str(raw))
    return RowIssue(row, column, shown[:200], issue.code, issue.severity, issue.message_zh, issue.message_en)


@dataclass
class IngestRow:
    number: int
    #: field -> stored value (fields whose cell was empty are absent)
    values: dict[str, Any] = field(default_factory=dict)
    #: the matching columns (``@address``, ``@community``, ``@grid``) as written
    meta: dict[str, str] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)


class RowReader:
    """Normalises rows of one file by its column mapping. ``code_tables``: field -> old code -> code,
    for columns written in an old code list (e.g. ``{"education": legacy_education_map()}``)."""

    def __init__(self, template: Template, mapping: ColumnMapping, headers: Sequence[str],
                 code_tables: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.template = template
        self.headers = list(headers)
        self.columns: list[tuple[int, str, ValueKind | None]] = []
        for match in mapping.columns:
            if not match.field:
                continue
            f = template.fields.get(match.field)
            self.columns.append((match.column, match.field, value_kind(f) if f is not None else None))
        self.code_tables = dict(code_tables or {})

    def read(self, number: int, cells: Sequence[Any]) -> IngestRow:
        row = IngestRow(number)
        for column, name, kind in self.columns:
            raw = cells[column] if column < len(cells) else None
            header = self.headers[column] if column < len(self.headers) else name
            if kind is None:  # a matching column (@address …)
                if raw is not None and str(raw).strip():
                    row.meta[name] = str(raw).strip()
                continue
            f = self.template.fields[name]
            result = normalise(kind, raw, self.template.choices.get(f.choice_list or ""),
                               code_table=self.code_tables.get(name))
            row.issues.extend(located(number, header, raw, i) for i in result.issues)
            if result.value is not None:
                row.values[name] = result.value
        return row


class Duplicates:
    """Rows sharing a key: the second and later rows are errors at once; the first row's error is handed
    out by ``first_rows()`` after the pass (the file streams: it has been reported already)."""

    def __init__(self, column: str, code: str = "duplicate_in_file") -> None:
        self.column = column
        self.code = code
        self.seen: dict[str, int] = {}
        self.again: dict[str, list[int]] = {}

    def add(self, key: str | None, row: int) -> RowIssue | None:
        if not key:
            return None
        first = self.seen.setdefault(key, row)
        if first == row:
            return None
        self.again.setdefault(key, []).append(row)
        return self._issue(row, key, [first])

    def _issue(self, row: int, key: str, others: Iterable[int]) -> RowIssue:
        listed = "、".join(str(r) for r in others)
        return located(row, self.column, key, error(
            self.code, f"与第 {listed} 行是同一人（同一证件号码），一个人只能有一行",
            f"the same person (same document number) as row {listed.replace('、', ', ')}; one row per person"))

    def first_rows(self) -> list[RowIssue]:
        """The error for each key's first row, naming the later rows."""
        return [self._issue(self.seen[key], key, rows) for key, rows in self.again.items()]
