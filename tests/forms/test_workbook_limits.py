"""Reading is bounded before it starts (issue 13, finding 2): a workbook whose grid, unpacked size or
shared strings are past the limits is refused with a message naming the sheet and its last cell —
the reader never gets it (python-calamine builds a sheet's whole grid: one stray cell at XFD1048576
of a 22 KB file asks for 512 GB and aborts the process)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from forms.errors import TemplateError
from forms.xlsform import load_template
from forms.xlsform.workbook import MAX_SHEET_CELLS, WorkbookReadError, check_limits
from tests.forms.xlsform_builder import minimal_sheets, workbook

ROOT = Path(__file__).resolve().parents[2]


def _with_stray_cell(sheet: str = "survey", cell: tuple[int, int] = (1_048_576, 16_384)) -> bytes:
    """The minimal valid template with one more cell far away (openpyxl writes it as Excel does)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook(minimal_sheets())))
    wb[sheet].cell(row=cell[0], column=cell[1], value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename, src.read(info.filename)))
        for extra in set(replace) - set(src.namelist()):
            dst.writestr(extra, replace[extra])
    return out.getvalue()


def test_a_stray_cell_at_xfd1048576_is_refused_with_its_sheet_and_cell() -> None:
    data = _with_stray_cell()
    assert len(data) < 30_000
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(data, "stray.xlsx")
    problem = caught.value.problem
    assert problem.sheet == "survey" and problem.code == "too_large"
    assert "XFD1048576" in str(problem) and "stray.xlsx" in str(problem)


def test_load_template_reports_it_as_a_template_error_and_never_aborts(tmp_path: Path) -> None:
    # in a child process with a memory cap, so a regression fails this test instead of the whole run
    path = tmp_path / "stray.xlsx"
    path.write_bytes(_with_stray_cell())
    code = textwrap.dedent(f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
        from forms.errors import TemplateError
        from forms.xlsform import load_template
        try:
            load_template({str(path)!r})
        except TemplateError as exc:
            print(json.dumps([p.to_json() for p in exc.problems], ensure_ascii=False))
            sys.exit(0)
        sys.exit(3)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    [problem] = json.loads(done.stdout)
    assert problem["sheet"] == "survey" and "XFD1048576" in problem["message"]


def test_the_cli_says_so_too(tmp_path: Path) -> None:
    path = tmp_path / "stray.xlsx"
    path.write_bytes(_with_stray_cell())
    ybt = Path(sys.executable).with_name("ybt")  # the installed command, as a user runs it
    done = subprocess.run([str(ybt), "template", "check", str(path), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode != 0 and done.returncode > 0, done.stderr[-2000:]  # an answer, not a signal
    assert "XFD1048576" in done.stdout


def test_a_big_grid_in_another_sheet_is_named() -> None:
    data = _with_stray_cell("choices", (200_000, 100))
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(data, "t.xlsx")
    assert caught.value.problem.sheet == "choices" and "CV200000" in str(caught.value.problem)


def test_a_workbook_within_the_limits_loads() -> None:
    rows = MAX_SHEET_CELLS // 16_384 - 10
    data = _with_stray_cell("survey", (rows, 8))  # a tall but narrow grid well inside the limit
    check_limits(data, "ok.xlsx")
    try:
        load_template(data, filename="ok.xlsx")
    except TemplateError as exc:  # the stray "x" is a bad type, reported as such: the point is it was read
        assert all(p.code != "too_large" for p in exc.problems)


def test_huge_shared_strings_are_refused_before_reading() -> None:
    data = workbook(minimal_sheets())
    part = "xl/sharedStrings.xml"
    big = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
          + b"<si><t>" + b"a" * (65 * 2**20) + b"</t></si></sst>"
    bomb = _rezip(data, {part: big})
    assert len(bomb) < 1_000_000  # a small upload ...
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(bomb, "bomb.xlsx")
    assert "shared strings" in str(caught.value.problem)  # ... refused before anything unpacks it


def test_a_sheet_that_unpacks_past_its_declared_size_is_still_bounded() -> None:
    data = workbook(minimal_sheets())
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + row + b'<row r="900000"><c r="ZZ900000"><v>1</v></c></row></sheetData></worksheet>')
    bad = _rezip(data, {"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(bad, "t.xlsx")
    assert "ZZ900000" in str(caught.value.problem)


def test_shared_strings_that_lie_about_their_size_are_still_bounded() -> None:
    import struct

    data = workbook(minimal_sheets())
    part = "xl/sharedStrings.xml"
    big = b"<sst><si><t>" + b"a" * (65 * 2**20) + b"</t></si></sst>"
    bomb = _rezip(data, {part: big})
    # rewrite the declared uncompressed size of that entry (local header and central directory) to 1 KB
    raw = bytearray(bomb)
    name = part.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := raw.find(sig, at)) >= 0:
            name_len = struct.unpack_from("<H", raw, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = at + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(raw[start:start + name_len]) == name:
                struct.pack_into("<I", raw, at + size_at, 1024)
            at += 4
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(bytes(raw), "liar.xlsx")
    assert "shared strings" in str(caught.value.problem)


@pytest.mark.parametrize("prefixed", ["cells", "rows"])
def test_namespace_prefixed_cells_and_rows_are_measured_too(prefixed: str) -> None:
    # the scan takes a faster pattern when no ``:c`` / ``:row`` tag is in the text; a sheet written
    # with a prefix (``<x:c r="...">``) must still be measured
    data = _with_stray_cell()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        xml = zf.read(part)
    xml = xml.replace(b"xmlns=", b"xmlns:x=").replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
    if prefixed == "rows":  # the far cell names a near row: only its row tag says how far down it is
        assert b'<x:row r="1048576"' in xml
        xml = xml.replace(b'r="XFD1048576"', b'r="XFD2"')
    with pytest.raises(WorkbookReadError) as caught:
        check_limits(_rezip(data, {part: xml}), "prefixed.xlsx")
    assert caught.value.problem.code == "too_large"
