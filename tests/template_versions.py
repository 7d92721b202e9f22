"""Test templates made by copying a shipped one (resources/templates) and editing it with openpyxl.

``edited("person", "2026.2", remove=["former_name"], rename={"occupation": "job"},
remove_choices={"marital_status": ["40"]}, add=[("text", "wechat", "微信号", "yes", "phone")])``
returns the .xlsx bytes of version 2026.2 of the person template with those edits.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "templates"

#: (type, name, label::zh, required ("yes" or ""), insert after this field name)
NewField = tuple[str, str, str, str, str]


def shipped_bytes(kind: str) -> bytes:
    return (SHIPPED / f"{kind}.xlsx").read_bytes()


def edited(kind: str, version: str, *, remove: Iterable[str] = (), rename: Mapping[str, str] | None = None,
           remove_choices: Mapping[str, Sequence[str]] | None = None, add: Iterable[NewField] = (),
           relabel: Mapping[str, str] | None = None, retype: Mapping[str, str] | None = None,
           sheets: Callable[[Any], None] | None = None) -> bytes:
    """``sheets``: a last edit of the openpyxl workbook (tags, rules …)."""
    wb = load_workbook(SHIPPED / f"{kind}.xlsx")
    settings = wb["settings"]
    head = [c.value for c in settings[1]]
    settings.cell(row=2, column=head.index("version") + 1, value=version)
    survey = wb["survey"]
    cols = {c.value: i for i, c in enumerate(survey[1])}
    gone = set(remove)
    # rows to delete, bottom up (a removed repeat or group takes its whole block)
    doomed: list[int] = []
    inside: str | None = None
    for r in range(2, survey.max_row + 1):
        typ = str(survey.cell(row=r, column=cols["type"] + 1).value or "")
        name = str(survey.cell(row=r, column=cols["name"] + 1).value or "")
        if inside is not None:
            doomed.append(r)
            if typ.replace(" ", "_") in ("end_repeat", "end_group") and name == inside:
                inside = None
            continue
        if name in gone:
            doomed.append(r)
            if typ.replace(" ", "_") in ("begin_repeat", "begin_group"):
                inside = name
    for name, new in (rename or {}).items():
        for r in range(2, survey.max_row + 1):
            if survey.cell(row=r, column=cols["name"] + 1).value == name:
                survey.cell(row=r, column=cols["name"] + 1, value=new)
    for name, label in (relabel or {}).items():
        for r in range(2, survey.max_row + 1):
            if survey.cell(row=r, column=cols["name"] + 1).value == name:
                survey.cell(row=r, column=cols["label::zh"] + 1, value=label)
    for name, typ in (retype or {}).items():
        for r in range(2, survey.max_row + 1):
            if survey.cell(row=r, column=cols["name"] + 1).value == name:
                survey.cell(row=r, column=cols["type"] + 1, value=typ)
    names = {str(survey.cell(row=r, column=cols["name"] + 1).value or "") for r in doomed}
    for r in reversed(doomed):
        survey.delete_rows(r)
    _forget_in_tags(wb["tags"], names | set(rename or {}), rename or {})
    for typ, name, label, required, after in add:
        for r in range(2, survey.max_row + 1):
            if survey.cell(row=r, column=cols["name"] + 1).value == after:
                survey.insert_rows(r + 1)
                survey.cell(row=r + 1, column=cols["type"] + 1, value=typ)
                survey.cell(row=r + 1, column=cols["name"] + 1, value=name)
                survey.cell(row=r + 1, column=cols["label::zh"] + 1, value=label)
                if required:
                    survey.cell(row=r + 1, column=cols["required"] + 1, value=required)
                break
        else:
            raise AssertionError(f"no field {after} to add {name} after")
    choices = wb["choices"]
    for list_name, codes in (remove_choices or {}).items():
        for r in range(choices.max_row, 1, -1):
            if choices.cell(row=r, column=1).value == list_name and str(choices.cell(row=r, column=2).value) in codes:
                choices.delete_rows(r)
    if sheets is not None:
        sheets(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _forget_in_tags(tags: object, names: set[str], rename: Mapping[str, str]) -> None:
    """Tags' ``required_fields`` without the removed fields (renamed ones under their new name)."""
    head = [c.value for c in tags[1]]  # type: ignore[index]
    col = head.index("required_fields") + 1
    for r in range(2, tags.max_row + 1):  # type: ignore[attr-defined]
        cell = tags.cell(row=r, column=col)  # type: ignore[attr-defined]
        if cell.value:
            kept = [rename.get(n, n) for n in str(cell.value).split() if n not in names or n in rename]
            cell.value = " ".join(kept) or None
