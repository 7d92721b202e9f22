"""The ``settings`` sheet: form id, title, version, default language and 一表通's extensions
(``entity``, ``approval_required``, ``age_as_of``)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pyxform import aliases

from forms.errors import Problem
from forms.model import EntityKind, Settings
from forms.xlsform.columns import settings_columns
from forms.xlsform.workbook import Workbook, language_code

SETTINGS = "settings"
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: 00:00:00)?$")


def parse_settings(
    wb: Workbook, source_name: str, today: dt.date | None, problems: list[Problem], warnings: list[Problem]
) -> tuple[Settings, bool]:
    """The settings sheet's first row: the template's identity and 一表通's extensions.

    Returns the settings and whether duplicate choice names are allowed (pyxform's
    ``allow_choice_duplicates``). Bad values become problems naming the cell.
    """
    sheet = wb.sheet(SETTINGS)
    values: dict[str, str] = {}
    row_no = 2
    cols = None
    if sheet is not None:
        cols = settings_columns(sheet, problems)
        if sheet.rows:
            row = sheet.rows[0]
            row_no = row.number
            values = {key: row.get(idx) for key, idx in cols.single.items() if row.get(idx)}
    sheet_name = sheet.name if sheet is not None else SETTINGS

    def bad(key: str, message: str) -> None:
        column = cols.header(key) if cols is not None else key
        problems.append(Problem(message, sheet=sheet_name, row=row_no, column=column, code="invalid_setting"))

    stem = Path(source_name).stem if source_name else ""
    form_id = values.pop("form_id", "") or stem or "data"
    entity = EntityKind.PERSON
    raw_entity = values.pop("entity", "")
    if raw_entity:
        try:
            entity = EntityKind(raw_entity.strip().lower())
        except ValueError:
            bad("entity", f"entity 须为 person | house | household，而不是 '{raw_entity}' / "
                f"entity must be person, house or household, not '{raw_entity}'")
    approval = True
    raw_approval = values.pop("approval_required", "")
    if raw_approval:
        flag = aliases.yes_no.get(raw_approval.strip())
        if flag is None:
            bad("approval_required", f"approval_required 须为 yes 或 no，而不是 '{raw_approval}' / "
                f"approval_required must be yes or no, not '{raw_approval}'")
        else:
            approval = bool(flag)
    age_as_of = values.pop("age_as_of", "").strip()
    if age_as_of:
        m = _ISO_DATE.match(age_as_of)
        parsed: dt.date | None = None
        if m:
            try:
                parsed = dt.date.fromisoformat(m.group(1))
            except ValueError:
                parsed = None
        if parsed is None:
            bad("age_as_of", f"age_as_of 须为日期 YYYY-MM-DD，而不是 '{age_as_of}' / "
                f"age_as_of must be a date YYYY-MM-DD, not '{age_as_of}'")
            age_as_of = ""
        else:
            age_as_of = parsed.isoformat()
            if today is not None and parsed > today:
                warnings.append(
                    Problem(
                        f"age_as_of {age_as_of} 晚于今天 / age_as_of {age_as_of} is in the future",
                        sheet=sheet_name, row=row_no, column=cols.header("age_as_of") if cols else "age_as_of",
                        code="age_as_of_future", severity="warning",
                    )
                )
    allow_dups = aliases.yes_no.get(values.pop("allow_choice_duplicates", "no").strip(), False)
    settings = Settings(
        form_id=form_id,
        form_title=values.pop("form_title", "") or form_id,
        version=values.pop("version", ""),
        entity=entity,
        approval_required=approval,
        default_language=language_code(values.pop("default_language", "")) or "zh",
        age_as_of=age_as_of,
        extra=values,
    )
    return settings, bool(allow_dups)
