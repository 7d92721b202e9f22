"""The report as an annotated copy of the input workbook: the same sheets and rows, the imported sheet
with a 问题 (problems) column after its last column, each faulty cell filled (red: error, amber:
warning) and carrying a cell comment with the message, so the office fixes its own file and imports it
again.

Written in openpyxl's write-only mode, row by row: a 1,000,000-row file's report streams too. What
write-only mode cannot carry over is said here rather than faked: merged cells, column widths and
fonts of the original are not copied; values and row order are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from forms.ingest.issues import ERROR
from forms.ingest.read import Table, open_table
from forms.ingest.rows import RowIssue

PROBLEM_HEADER = "问题 / Problems"
_ERROR_FILL = "FFF4C7C3"
_WARNING_FILL = "FFFFE5B4"
_MAX_COMMENT = 1000


def _lines(issues: Iterable[RowIssue], lang: str) -> str:
    return "\n".join(f"[{i.code}] {i.message_en if lang == 'en' else i.message_zh}" for i in issues)


def write_report(source: Path, table: Table, issues_for: Callable[[int], Sequence[RowIssue]], out: Path,
                 lang: str = "zh") -> int:
    """Write the annotated copy of ``source`` (read as ``table``) to ``out``; returns the rows annotated.

    ``issues_for(row number)`` gives the problems of a row as Excel numbers it (empty: none).
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    fills = {ERROR: PatternFill("solid", start_color=_ERROR_FILL), "warning": PatternFill("solid", start_color=_WARNING_FILL)}
    book = openpyxl.Workbook(write_only=True)
    annotated = 0
    header_index = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    width = len(table.headers)
    for info in table.sheets:
        sheet = book.create_sheet(info.name[:31])
        if info.name != table.sheet:
            other = open_table(source, sheet=info.name, header_row=1) if source.suffix.lower() != ".csv" else None
            if other is not None:
                for _number, cells in other.all_rows():
                    sheet.append(list(cells))
            continue
        for number, cells in table.all_rows():
            row: list[Any] = [WriteOnlyCell(sheet, value=c) for c in list(cells)[:max(width, len(cells))]]
            row += [WriteOnlyCell(sheet, value=None) for _ in range(width - len(row))]
            if number == table.header_row:
                head = WriteOnlyCell(sheet, value=PROBLEM_HEADER)
                head.font = Font(bold=True, color="FFB00020")
                sheet.append([*row, head])
                continue
            found = issues_for(number) if number > table.header_row else ()
            if not found:
                sheet.append(row)
                continue
            annotated += 1
            for column, group in _by_column(found, header_index).items():
                if column is None or column >= len(row):
                    continue
                cell = row[column]
                worst = ERROR if any(i.severity == ERROR for i in group) else "warning"
                cell.fill = fills[worst]
                cell.comment = Comment(_lines(group, lang)[:_MAX_COMMENT], "一表通")
            summary = WriteOnlyCell(sheet, value=_lines(found, lang)[:32_000])
            sheet.append([*row, summary])
    book.save(out)
    return annotated


def _by_column(issues: Sequence[RowIssue], header_index: dict[str, int]) -> dict[int | None, list[RowIssue]]:
    out: dict[int | None, list[RowIssue]] = {}
    for issue in issues:
        out.setdefault(header_index.get(issue.column), []).append(issue)
    return out
