"""Build template workbooks in memory for tests (no binary fixtures in the repository).

``workbook({"survey": [[header...], [row...], ...], "choices": [...]})`` returns .xlsx bytes.
``None`` cells stay empty. A ``minimal()`` helper gives a valid person template to break.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]


def workbook(sheets: Mapping[str, Rows]) -> bytes:
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        if first:
            ws = wb.active
            assert ws is not None
            ws.title = name
            first = False
        else:
            ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SURVEY_HEADER = ["type", "name", "label::中文 (zh)", "label::English (en)", "relevant", "constraint", "calculation", "required"]


def survey(*rows: Sequence[Any], header: Sequence[str] = SURVEY_HEADER) -> list[list[Any]]:
    return [list(header), *[list(r) for r in rows]]


def minimal_sheets() -> dict[str, list[list[Any]]]:
    """A small valid person template touching every feature."""
    return {
        "survey": survey(
            ["text", "name", "姓名", "Name", None, None, None, "yes"],
            ["date", "birth_date", "出生日期", "Date of birth", None, None, None, None],
            ["calculate", "age", None, None, None, None, "age(${birth_date})", None],
            ["select_one sex", "sex", "性别", "Sex", None, None, None, None],
            ["begin group", "contact", "联系方式", "Contact", "${age} >= 18", None, None, None],
            ["text", "phone", "电话", "Phone", None, "cn-mobile-valid(.)", None, None],
            ["end group", None, None, None, None, None, None, None],
            ["begin repeat", "children", "子女", "Children", None, None, None, None],
            ["text", "child_name", "姓名", "Name", None, None, None, None],
            ["end repeat", None, None, None, None, None, None, None],
            ["calculate", "is_senior", None, None, None, None, "if(${age} >= 60, 'yes', 'no')", None],
        ),
        "choices": [
            ["list_name", "name", "label::中文 (zh)", "label::English (en)"],
            ["sex", "1", "男", "Male"],
            ["sex", "2", "女", "Female"],
        ],
        "settings": [
            ["form_id", "form_title", "version", "entity", "approval_required", "age_as_of", "default_language"],
            ["person", "实有人口", "2026.1", "person", "no", "2026-01-01", "zh"],
        ],
        "tags": [
            ["tag", "label::zh", "scope", "kind", "condition", "requires", "excludes", "required_fields", "sensitive"],
            ["老年人", "老年人", "person", "auto", "${age} >= 60", None, None, None, None],
            ["高龄老人", "高龄老人", "person", "auto", "${age} >= 80 and has-tag('老年人')", "老年人", None, None, None],
            ["低保", "低保对象", "person", "returned", None, None, None, "phone", "supervisor admin"],
        ],
        "rules": [
            ["rule", "scope", "expression", "severity", "message::zh", "message::en"],
            ["adult_phone", "record", "${age} < 18 or ${phone} != ''", "warning", "成年人应有电话", "Adults need a phone"],
        ],
    }
