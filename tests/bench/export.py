"""Export benchmark: a 30-column person ledger to xlsx and csv, and a worker's export from the store.

``python -m tests.bench export [--n N] [--json]`` (default N = 1,000,000). Each figure is measured in a
child process of its own (so ``*_peak_mb`` is that export's peak resident memory alone):

- ``xlsx_s`` / ``xlsx_peak_mb``: N persons (documents decoded from JSON one at a time, as a store or the
  platform reads them) through a 30-column ledger laid out like the shipped ones (title, two header rows
  with merges, footer; labels for 8 choice fields, 2 masked columns, an ``age()`` expression, the linked
  house's address) into .xlsx with xlsxwriter in constant-memory mode;
- ``csv_s``: the same to csv (``csv_vs_xlsx`` their ratio);
- ``floor_xlsx_s``: the floor, the bare writer (xlsxwriter constant memory) writing the same N × 30 cells
  (one precomputed row) with no evaluation; ``floor_csv_s`` the same with ``csv.writer``;
- ``small_*``: the same at N/10 (100,000 by default); ``rustpy_small_s`` rustpy-xlsxwriter writing the
  N/10 rows as records (it takes the whole table in memory and keeps no template layout), when installed;
  ``openpyxl_write_only_small_s`` openpyxl's write-only mode writing N/10 rows of 30 cells;
- ``store_20k_s``: a worker's 20,000 persons exported from an encrypted store (实有人口总表, sorted,
  split by community) with ``store_20k_read_s`` the bare read of the same records. The store's
  validation cache (tags computed from fields) is what the desktop keeps current in the background after
  each sync; it is not brought up to date here (the ledger reads no tag).
- ``load_avg_1m`` before and after.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

COLUMNS = (
    ("序号", "${#}"), ("姓名", "${name}"), ("性别", "${sex}"), ("民族", "${ethnicity}"), ("出生日期", "${birth_date}"),
    ("年龄", "{{ age(${birth_date}) }}"), ("公民身份号码", "${id_number}"), ("人口类型", "${population_type}"),
    ("婚姻状况", "${marital_status}"), ("政治面貌", "${political_status}"), ("学历", "${education}"),
    ("宗教信仰", "${religion}"), ("职业", "${occupation}"), ("工作单位", "${employer}"), ("联系电话", "${phone}"),
    ("户籍地代码", "${hukou_division}"), ("户籍详址", "${hukou_address}"), ("户号", "${hukou_no}"),
    ("户主姓名", "${head_name}"), ("与户主关系", "${relation_to_head}"), ("居住类型", "${residence_type}"),
    ("入住日期", "${move_in_date}"), ("现住地址", "${house.address}"), ("籍贯", "${native_place}"),
    ("曾用名", "${former_name}"), ("证件类型", "${id_type}"), ("居住事由", "${residence_reason}"),
    ("居住证号", "${residence_permit_no}"), ("监护人", "${guardian_name}"), ("备注", ""),
)


def _ledger(path: Path) -> Path:
    from forms.ledger.build_defaults import Col, Spec, build

    cols = tuple(Col(h, v, 12, "基本情况" if 1 <= i <= 6 else "") for i, (h, v) in enumerate(COLUMNS))
    build(Spec(path.name, "实有人口登记表", "person", cols, sort="", split="none"), path)
    return path


def _documents(n: int) -> Iterator[tuple[str, str]]:
    """(person JSON, house JSON) n times: 1,000 distinct records varied like real ones, cycled (each is
    decoded afresh per row, as the store decodes its documents)."""
    made = list(_make(min(n, 1000)))
    for i in range(n):
        yield made[i % len(made)]


def _make(n: int) -> Iterator[tuple[str, str]]:
    from tests.bench.store_data import GIVEN, SURNAMES, id_number

    rng = random.Random(11)
    house = json.dumps({"address": "杭州市上城区清波街道清波门小区3幢2单元301室"}, ensure_ascii=False)
    for i in range(n):
        sex = "12"[i % 2]
        birth = f"{1930 + i % 90}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        doc = {"name": SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)],
               "sex": sex, "birth_date": birth, "id_number": id_number(rng, birth, sex), "ethnicity": "01",
               "population_type": "1", "marital_status": "20", "political_status": "13", "education": "21",
               "religion": "", "occupation": "职员", "employer": "杭州某某有限公司", "phone": f"138{i:08d}",
               "hukou_division": "330102", "hukou_address": "浙江省杭州市上城区清波街道", "hukou_no": f"HK{i:08d}",
               "head_name": "王建国", "relation_to_head": "02", "residence_type": "1", "move_in_date": "2015-06-01",
               "native_place": "浙江杭州", "former_name": "", "id_type": "1", "residence_reason": "",
               "residence_permit_no": "", "guardian_name": ""}
        yield json.dumps(doc, ensure_ascii=False), house


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, n: int, out_dir: str) -> dict[str, Any]:
    """One measurement, in this (child) process."""
    from forms.ledger import ExportRequest, Item, RecordView, load_ledger, run_export
    from forms.ledger.check import default_scopes, default_templates
    from forms.ledger.export import labels_for

    out = Path(out_dir)
    ledger_path = _ledger(out / "ledger.xlsx")
    ledger = load_ledger(ledger_path, default_scopes())
    labels = labels_for(default_templates())
    empty: frozenset[str] = frozenset()
    started = time.perf_counter()
    if name in ("xlsx", "csv"):
        items = (Item(RecordView(json.loads(d), empty, json.loads(h), None), "330102001001001", "330102001001")
                 for d, h in _documents(n))
        result = run_export(ExportRequest(ledger, out / f"bench.{name}", name, expected=n), items, labels)
        assert result.rows == n
    elif name in ("floor_xlsx", "floor_csv"):
        row: list[Any] = [1, "王伟芳", "男性", "汉族", "1950-01-01", 76, "330102********1234", "户籍", "已婚",
                          "群众", "大学本科毕业", "", "职员", "杭州某某有限公司", "138****5678", "330102",
                          "浙江省杭州市上城区清波街道", "HK00000001", "王建国", "户主", "自住", "2015-06-01",
                          "杭州市上城区清波街道清波门小区3幢2单元301室", "浙江杭州", "", "居民身份证", "", "", "", ""]
        if name == "floor_xlsx":
            import xlsxwriter

            book = xlsxwriter.Workbook(str(out / "floor.xlsx"), {"constant_memory": True})
            ws = book.add_worksheet()
            for r in range(n):
                for c, v in enumerate(row):
                    if isinstance(v, str):
                        ws.write_string(r, c, v)
                    else:
                        ws.write_number(r, c, v)
            book.close()
        else:
            import csv

            with open(out / "floor.csv", "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                for _ in range(n):
                    w.writerow(row)
    elif name == "openpyxl":
        import openpyxl

        row_o = [1, "王伟芳", "男性", "汉族", "1950-01-01", 76, "330102********1234"] + ["杭州市上城区清波街道"] * 23
        book_o = openpyxl.Workbook(write_only=True)
        ws_o = book_o.create_sheet()
        for _ in range(n):
            ws_o.append(row_o)
        book_o.save(str(out / "openpyxl.xlsx"))
    elif name == "rustpy":
        import rustpy_xlsxwriter

        keys = [h + str(i) for i, (h, _) in enumerate(COLUMNS)]
        records = [dict(zip(keys, [json.loads(d).get(k, "") for k in ("name",) * 30], strict=True))
                   for d, _ in _documents(n)]
        started = time.perf_counter()
        rustpy_xlsxwriter.write_worksheet(records, str(out / "rustpy.xlsx"), sheet_name="台账")
    else:
        raise SystemExit(f"unknown phase {name}")
    return {"s": time.perf_counter() - started, "peak_mb": _rss_mb()}


def _store_phase(n: int, out_dir: str) -> dict[str, Any]:
    from sync.client.export_local import export_from_store
    from sync.store import KdfParams, Store
    from tests.bench.store_data import item, population

    store = Store.create(Path(out_dir) / "profile", "pw", {"username": "wg", "role": "worker"},
                         kdf=KdfParams(time_cost=1, memory_cost=1024, parallelism=1))
    ents = population(n, grids=4)
    areas = [{"seq": 0, "type": "area", "id": "330102001001", "deleted": False,
              "data": {"code": "330102001001", "name": "清波门社区", "level": "community", "parent": None}}]
    areas += [{"seq": i, "type": "area", "id": f"330102001001{i:03d}", "deleted": False,
               "data": {"code": f"330102001001{i:03d}", "name": f"第{i}网格", "level": "grid", "parent": "330102001001"}}
              for i in range(1, 5)]
    store.pull.apply_changes(areas + [item(e, i + 10) for i, e in enumerate(ents)], "c1")
    started = time.perf_counter()
    read = sum(1 for _ in store.ledgers.records("person", store.ledgers.grids()))
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    # the desktop keeps the validation cache (auto tags) current in the background; 实有人口总表 reads
    # no tag, so the export is measured alone
    result = export_from_store(store, "实有人口总表", Path(out_dir) / "store.xlsx")
    s = time.perf_counter() - started
    store.close()
    assert read == n and result.rows == n, (read, result.rows)
    return {"s": s, "read_s": read_s, "peak_mb": _rss_mb(), "sheets": result.sheets}


def _child(name: str, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-m", "tests.bench.export", name, str(n), tmp],
                              capture_output=True, text=True, check=False, env=os.environ.copy())
        if proc.returncode != 0:
            raise RuntimeError(f"phase {name} failed: {proc.stderr[-2000:]}")
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(n: int | None) -> dict[str, float | int | str]:
    n = n or 1_000_000
    small = max(1, n // 10)
    figures: dict[str, float | int | str] = {"n": n, "columns": len(COLUMNS), "load_avg_1m_before": _load()}
    for prefix, size in (("small_", small), ("", n)):
        for name in ("floor_xlsx", "xlsx", "floor_csv", "csv"):
            got = _child(name, size)
            figures[f"{prefix}{name}_s"] = round(got["s"], 2)
            if name == "xlsx":
                figures[f"{prefix}xlsx_peak_mb"] = round(got["peak_mb"])
        figures[f"{prefix}csv_vs_xlsx"] = round(float(figures[f"{prefix}csv_s"]) / float(figures[f"{prefix}xlsx_s"]), 2)
    try:
        import rustpy_xlsxwriter  # noqa: F401

        figures["rustpy_small_s"] = round(_child("rustpy", small)["s"], 2)
        figures["openpyxl_write_only_small_s"] = round(_child("openpyxl", small)["s"], 2)
    except ImportError:
        figures["rustpy_small_s"] = "not installed"
    got = _child("store", 20_000)
    figures["store_20k_s"] = round(got["s"], 2)
    figures["store_20k_read_s"] = round(got["read_s"], 2)
    figures["load_avg_1m_after"] = _load()
    return figures


if __name__ == "__main__":
    which, size, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(json.dumps(_store_phase(size, where) if which == "store" else phase(which, size, where)))
