"""Build the default XLSForm templates from their readable sources.

Usage::

    python -m forms.build_templates            # write resources/templates/<entity>.xlsx
    python -m forms.build_templates --check    # exit 1 if a built workbook is out of date
    python -m forms.build_templates --out DIR  # write the workbooks to DIR instead

Sources: ``resources/templates/<entity>/{settings,survey,choices,tags,rules}.csv`` (UTF-8) and the
shared code lists ``resources/codelists/*.csv``. The ``choices`` sheet of a built workbook holds the
template's own lists followed by every code list its survey references (``select_one sex`` ...),
so the workbook is self-contained. The build is deterministic: the same sources give the same bytes
(fixed document dates, fixed zip timestamps), which is what ``--check`` compares.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forms.codelists import CodeListError, default_directory, load_code_list_files, read_csv_rows

ENTITIES = ("person", "house", "household")
SHEETS = ("survey", "choices", "settings", "tags", "rules")
#: Written into the workbook's properties and every zip entry, so builds are byte-identical.
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


class BuildError(Exception):
    """A template source is missing or inconsistent; the message names the file and row."""


@dataclass(frozen=True)
class SheetData:
    name: str
    header: list[str]
    rows: list[list[str]]


def templates_directory() -> Path:
    return default_directory().parent / "templates"


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise BuildError(f"{path}: source file not found")
    try:
        return read_csv_rows(path)
    except CodeListError as exc:
        raise BuildError(str(exc)) from exc


def referenced_lists(survey: list[dict[str, str]], survey_path: Path) -> list[str]:
    """Choice lists named in ``select_one`` / ``select_multiple`` types, in survey order."""
    names: list[str] = []
    for line_no, row in enumerate(survey, start=2):
        parts = row.get("type", "").split()
        if parts and parts[0] in ("select_one", "select_multiple"):
            if len(parts) < 2:
                raise BuildError(f"{survey_path}: row {line_no}: '{parts[0]}' names no choice list")
            if parts[1] not in names:
                names.append(parts[1])
    return names


def source_sheets(source_dir: Path, codelists_dir: Path | None = None) -> list[SheetData]:
    """The five sheets of one template, read from its source folder and the code lists."""
    sheets: dict[str, SheetData] = {}
    survey_header, survey = _read(source_dir / "survey.csv")
    for name in ("survey", "settings", "tags", "rules"):
        header, rows = (survey_header, survey) if name == "survey" else _read(source_dir / f"{name}.csv")
        sheets[name] = SheetData(name, header, [[r[h] for h in header] for r in rows])

    own_header, own_rows = _read(source_dir / "choices.csv")
    if own_header[:2] != ["list_name", "name"]:
        raise BuildError(f"{source_dir / 'choices.csv'}: the first columns must be 'list_name,name'")
    try:
        code_lists = load_code_list_files(str(codelists_dir) if codelists_dir else None)
    except CodeListError as exc:
        raise BuildError(str(exc)) from exc
    own_lists = {r["list_name"] for r in own_rows}
    needed = [n for n in referenced_lists(survey, source_dir / "survey.csv") if n not in own_lists]
    for n in needed:
        if n not in code_lists:
            raise BuildError(
                f"{source_dir / 'survey.csv'}: choice list '{n}' is neither in choices.csv nor a code list"
            )
    header = list(own_header)
    for n in needed:
        header.extend(c for c in code_lists[n].columns if c not in header)
    choice_rows = [[r.get(h, "") for h in header] for r in own_rows]
    for n in needed:
        for r in code_lists[n].rows:
            choice_rows.append([n if h == "list_name" else r.get(h, "") for h in header])
    sheets["choices"] = SheetData("choices", header, choice_rows)
    return [sheets[name] for name in SHEETS]


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed entry timestamps and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time into it
                content = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            dst.writestr(fixed, content)
    return out.getvalue()


def workbook_bytes(sheets: Sequence[SheetData]) -> bytes:
    """An .xlsx holding ``sheets`` as text cells, header row in bold and frozen."""
    wb = Workbook()
    for ws0 in list(wb.worksheets):
        wb.remove(ws0)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font = bold
        for row in sheet.rows:
            ws.append([v if v != "" else None for v in row])
        ws.freeze_panes = "A2"
        for i, h in enumerate(sheet.header, start=1):
            longest = max([len(h)] + [len(r[i - 1]) for r in sheet.rows[:200]])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    wb.properties.creator = "一表通 forms.build_templates"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = None
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue())


def build_bytes(source_dir: Path, codelists_dir: Path | None = None) -> bytes:
    return workbook_bytes(source_sheets(source_dir, codelists_dir))


def build_to(source_dir: Path, out_path: Path, codelists_dir: Path | None = None) -> Path:
    """Build the template in ``source_dir`` into ``out_path`` (written atomically)."""
    data = build_bytes(source_dir, codelists_dir)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out_path)
    return out_path


def sheet_contents(data: bytes) -> dict[str, list[list[str]]]:
    """Cell text of every sheet of a built workbook (for comparing content, not bytes)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    out: dict[str, list[list[str]]] = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        out[name] = [["" if v is None else str(v) for v in row] for row in rows]
    return out


def stale(entities: Sequence[str] = ENTITIES, root: Path | None = None) -> list[str]:
    """Messages for every built workbook that is missing or differs in content from its sources."""
    root = root or templates_directory()
    problems: list[str] = []
    for entity in entities:
        built = root / f"{entity}.xlsx"
        fresh = build_bytes(root / entity)
        if not built.is_file():
            problems.append(f"{built}: missing; run python -m forms.build_templates")
            continue
        current = built.read_bytes()
        if current != fresh and sheet_contents(current) != sheet_contents(fresh):
            problems.append(f"{built}: out of date with {root / entity}; run python -m forms.build_templates")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forms.build_templates", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a built workbook is out of date")
    parser.add_argument("--out", type=Path, help="write the workbooks to this folder")
    parser.add_argument("entities", nargs="*", metavar="ENTITY", help=f"one of {', '.join(ENTITIES)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [e for e in args.entities if e not in ENTITIES]
    if unknown:
        parser.error(f"unknown template {', '.join(unknown)}: choose from {', '.join(ENTITIES)}")
    entities = tuple(args.entities) or ENTITIES
    root = templates_directory()
    try:
        if args.check:
            problems = stale(entities, root)
            for p in problems:
                print(p, file=sys.stderr)
            if not problems:
                print(f"up to date: {', '.join(e + '.xlsx' for e in entities)}")
            return 1 if problems else 0
        for entity in entities:
            out = build_to(root / entity, (args.out or root) / f"{entity}.xlsx")
            print(f"wrote {out}")
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
