"""Which column of an office's file is which field: by the field's name, by its label (either
language), by the synonyms offices use (``resources/ingest/synonyms.csv``), or by a saved mapping (one
per department's file layout) — the saved mapping first, then name, label and synonym. Fields whose
name starts with ``@`` are not template fields but what matching needs (``@address``: the standard
address as one text, ``@community``, ``@grid``).

Headers are compared as offices write them: a required mark (``*姓名``, ``姓名(必填)``), a note in
brackets (``出生日期（yyyy-mm-dd）``), spaces and line breaks inside merged header cells, full-width
characters. A column nothing matches is listed as unmapped — never dropped silently; two columns for
one field are a problem on the second; a required field without a column is reported before any row
is read (the caller decides when that is an error: a 数据回流 list carries only the fields it returns).

``find_header_row`` picks the header among the first rows of a sheet (title rows and merged group
headings above it are skipped).
"""

from __future__ import annotations

import csv
import importlib.resources
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from forms.ingest.issues import CellIssue, error, warning
from forms.model import DISPLAY_ONLY, Field, FieldType, Template

HEADER_SEARCH_ROWS = 30
#: Fields no file fills (computed or shown only).
_UNFILLED = DISPLAY_ONLY | {FieldType.CALCULATE, FieldType.ACKNOWLEDGE}

_MARKS = re.compile(r"^[*＊★※]+|[*＊★※]+$")
_REQUIRED_NOTE = re.compile(r"[(（\[【]\s*(?:必填|必输|选填|可选|required|optional)\s*[)）\]】]", re.IGNORECASE)
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_SPACE = re.compile(r"[\s\u00a0\u200b\u3000]+")


def clean_header(text: Any) -> str:
    """A header as compared: without required marks, spaces and line breaks, full-width folded."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = _SPACE.sub("", _REQUIRED_NOTE.sub("", value))
    return _MARKS.sub("", value).casefold()


def _without_note(text: str) -> str:
    return _BRACKETED.sub("", text)


def synonyms_file() -> Path:
    """``resources/ingest/synonyms.csv`` of the installed package."""
    return Path(str(importlib.resources.files("resources") / "ingest" / "synonyms.csv"))


@cache
def shipped_synonyms() -> dict[str, dict[str, str]]:
    """kind -> cleaned synonym -> field, from ``resources/ingest/synonyms.csv``."""
    out: dict[str, dict[str, str]] = {}
    with synonyms_file().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["kind"], {})[clean_header(row["synonym"])] = row["field"]
    return out


@dataclass(frozen=True)
class ColumnMatch:
    column: int
    header: str
    #: the field it fills (None: unmapped)
    field: str | None
    #: how it was matched: saved, name, label, synonym (empty when unmapped)
    how: str = ""


@dataclass(frozen=True)
class ColumnMapping:
    columns: tuple[ColumnMatch, ...]
    #: required fields (always required, no relevance) that no column fills
    missing_required: tuple[str, ...] = ()
    issues: tuple[tuple[int, CellIssue], ...] = field(default_factory=tuple)

    def field_of(self, column: int) -> str | None:
        for match in self.columns:
            if match.column == column:
                return match.field
        return None

    @property
    def mapped(self) -> dict[str, int]:
        """field -> column."""
        return {m.field: m.column for m in self.columns if m.field}

    @property
    def unmapped(self) -> tuple[ColumnMatch, ...]:
        return tuple(m for m in self.columns if m.field is None and m.header and m.how != "ignored")


def _fillable(template: Template) -> dict[str, Field]:
    return {n: f for n, f in template.fields.items() if f.type not in _UNFILLED}


def _always_required(f: Field) -> bool:
    return (f.required is not None and f.required.is_constant and bool(f.required.constant_value)
            and f.relevant is None and not f.path[:-1] and f.repeat is None)


def _index(template: Template, kind: str, synonyms: Mapping[str, Mapping[str, str]] | None) -> list[tuple[str, dict[str, str]]]:
    fields = _fillable(template)
    by_name = {clean_header(n): n for n in fields}
    by_label: dict[str, str] = {}
    for name, f in fields.items():
        for label in f.labels.values():
            by_label.setdefault(clean_header(label), name)
            by_label.setdefault(clean_header(_without_note(label)), name)
    table = (synonyms if synonyms is not None else shipped_synonyms()).get(kind, {})
    by_synonym = {k: v for k, v in table.items() if v.startswith("@") or v in fields}
    return [("name", by_name), ("label", by_label), ("synonym", by_synonym)]


def match_columns(headers: Sequence[Any], template: Template, kind: str | None = None, *,
                  saved: Mapping[str, str] | None = None,
                  synonyms: Mapping[str, Mapping[str, str]] | None = None) -> ColumnMapping:
    """Match each header to a field. ``saved``: header (as written) -> field, from a saved mapping
    (an empty field name there means "ignore this column" and keeps it out of the unmapped list)."""
    kind = kind or str(template.entity)
    index = _index(template, kind, synonyms)
    saved_clean = {clean_header(k): v for k, v in (saved or {}).items()}
    taken: dict[str, int] = {}
    matches: list[ColumnMatch] = []
    issues: list[tuple[int, CellIssue]] = []
    for column, raw in enumerate(headers):
        header = "" if raw is None else str(raw).strip()
        key = clean_header(raw)
        found: tuple[str | None, str] = (None, "")
        if key in saved_clean:
            found = (saved_clean[key] or None, "saved")
            if found[0] is None:
                matches.append(ColumnMatch(column, header, None, "ignored"))
                continue
        else:
            for how, table in index:
                name = table.get(key) or table.get(_without_note(key))
                if name:
                    found = (name, how)
                    break
        name, how = found
        if name and name in taken:
            issues.append((column, warning(
                "column_duplicate", f"“{header}”与第 {taken[name] + 1} 列都对应字段 {name}，只用第 {taken[name] + 1} 列",
                f"'{header}' and column {taken[name] + 1} both map to {name}; column {taken[name] + 1} is used")))
            name, how = None, ""
        if name:
            taken[name] = column
        matches.append(ColumnMatch(column, header, name, how))
    required = [n for n, f in _fillable(template).items() if _always_required(f) and n not in taken]
    return ColumnMapping(tuple(matches), tuple(required), tuple(issues))


def missing_required_issue(mapping: ColumnMapping, template: Template) -> CellIssue | None:
    """The error to report before any row is read when required fields have no column."""
    if not mapping.missing_required:
        return None
    zh = "、".join(template.fields[n].label("zh") or n for n in mapping.missing_required)
    en = ", ".join(template.fields[n].label("en") or n for n in mapping.missing_required)
    return error("required_column_missing", f"文件中没有这些必填字段的列：{zh}",
                 f"the file has no column for these required fields: {en}")


def find_header_row(rows: Sequence[Sequence[Any]], template: Template, kind: str | None = None, *,
                    synonyms: Mapping[str, Mapping[str, str]] | None = None) -> int | None:
    """The index of the row (among the first rows given) that matches the most fields, if at least two;
    title rows and merged group headings above the header match fewer."""
    best, best_count = None, 1
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = match_columns(row, template, kind, synonyms=synonyms)
        count = sum(1 for m in mapping.columns if m.field)
        if count > best_count:
            best, best_count = number, count
    return best
