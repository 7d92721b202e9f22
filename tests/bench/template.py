"""Benchmark of the template loader: how long ``load_template`` takes.

``python -m tests.bench template [--n N]``: builds an .xlsx with N survey rows (text, integer,
select, calculate chains, groups and a repeat, each with a relevance and a constraint) and a tag
catalogue of N/10 auto tags, then loads it several times; also loads the default person template
when it is built. Reported: milliseconds per load and survey rows per second. Without ``--n`` it
does so at 1,000, 3,000 and 6,000 rows and times pyxform's own parse stage (``xls2json``) on the
same file in the same run, beside ours (``vs_pyxform`` = pyxform's time / ours: above 1 is faster).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from forms.xlsform import load_template
from tests.forms.xlsform_builder import workbook

REPO = Path(__file__).resolve().parents[2]


def synthetic(n: int) -> bytes:
    header = ["type", "name", "label::中文 (zh)", "label::English (en)", "relevant", "constraint", "calculation"]
    rows: list[list[Any]] = [header]
    prev = None
    for i in range(n):
        if i % 50 == 0:
            rows.append(["begin group", f"g{i}", f"分组{i}", f"Group {i}", None, None, None])
        kind = i % 4
        rel = f"${{{prev}}} != ''" if prev else None
        if kind == 0:
            rows.append(["text", f"f{i}", f"字段{i}", f"Field {i}", rel, "string-length(.) < 50", None])
        elif kind == 1:
            rows.append(["integer", f"f{i}", f"字段{i}", f"Field {i}", rel, ". >= 0 and . < 200", None])
        elif kind == 2:
            rows.append(["select_one yn", f"f{i}", f"字段{i}", f"Field {i}", rel, None, None])
        else:
            rows.append(["calculate", f"f{i}", None, None, None, None, f"if(${{f{i - 2}}} > 18, 'a', 'b')"])
        prev = f"f{i}"
        if i % 50 == 49:
            rows.append(["end group", None, None, None, None, None, None])
    if n % 50:
        rows.append(["end group", None, None, None, None, None, None])
    rows.append(["begin repeat", "kids", "子女", "Children", None, None, None])
    rows.append(["text", "kid_name", "姓名", "Name", None, None, None])
    rows.append(["end repeat", None, None, None, None, None, None])
    tags: list[list[Any]] = [["tag", "label::zh", "scope", "kind", "condition"]]
    for j in range(max(1, n // 10)):
        tags.append([f"t{j}", f"标签{j}", "person", "auto", f"${{f{(j * 4 + 1) % n}}} > {j % 90}"])
    return workbook(
        {
            "survey": rows,
            "choices": [["list_name", "name", "label"], ["yn", "yes", "是"], ["yn", "no", "否"]],
            "settings": [["form_id", "version", "entity"], ["bench", "1", "person"]],
            "tags": tags,
        }
    )


def _time(data: bytes | Path, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        load_template(data)
        best = min(best, time.perf_counter() - t0)
    return best


def _pyxform_time(data: bytes, repeats: int) -> float:
    import tempfile

    from pyxform.xls2json import parse_file_to_json

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            parse_file_to_json(f.name)
            best = min(best, time.perf_counter() - t0)
    return best


def _load_average() -> float:
    import os

    return round(os.getloadavg()[0], 2)


def run(n: int | None) -> dict[str, float | int | str]:
    if n is None:  # the side-by-side with pyxform at three sizes
        figures: dict[str, float | int | str] = {"load_average_1min": _load_average()}
        for size in (1000, 3000, 6000):
            data = synthetic(size)
            load_template(data)  # warm imports
            ours = _time(data, 3)
            theirs = _pyxform_time(data, 3)
            figures[f"load_ms_{size}"] = ours * 1000
            figures[f"pyxform_parse_ms_{size}"] = theirs * 1000
            figures[f"vs_pyxform_{size}"] = theirs / ours
        return figures
    data = synthetic(n)
    load_template(data)  # warm imports
    best = _time(data, 5)
    figures = {
        "survey_rows": n,
        "workbook_bytes": len(data),
        "load_ms": best * 1000,
        "rows_per_second": n / best,
    }
    person = REPO / "resources" / "templates" / "person.xlsx"
    if person.exists():
        figures["person_template_ms"] = _time(person, 5) * 1000
    return figures


if __name__ == "__main__":
    from tests.bench.__main__ import main

    raise SystemExit(main(["template"]))
