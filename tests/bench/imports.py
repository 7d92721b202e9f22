"""``python -m tests.bench imports [--n ROWS]``: a person ledger of ROWS rows × 30 columns (.xlsx; half
the district's own persons with a changed phone, half new persons placed by grid code) checked (dry
run) and applied through the API into a platform holding 1,000,000 persons (``YBT_BENCH_PLATFORM``
persons; the seed of :mod:`tests.bench.district_seed`, copied so that the apply does not change the
cache). The server runs in a process of its own; its peak memory is its VmHWM.

Beside the figures, the floors of the same run: reading the file with calamine alone (``open_table``
and every row), validating the same records alone (the person template's validator over the records
the rows make, no database), and the ratio of the whole to their sum. The issue's targets (dry run
≤ 20 s, apply ≤ 40 s at 100,000 rows) are printed beside them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from tests.bench.district_seed import ADMIN, PASSWORD, cached
from tests.server.live import free_port

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["序号", "姓名", "公民身份号码", "性别", "民族", "出生日期", "联系电话", "网格", "人口类型", "证件类型", "国籍",
          "户籍地行政区划代码", "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型", "曾用名", "籍贯", "婚姻状况",
          "政治面貌", "文化程度", "宗教信仰", "职业", "服务处所", "户号", "户主姓名", "户主公民身份号码", "迁入日期", "备注"]
FIELDS = [None, "name", "id_number", "sex", "ethnicity", "birth_date", "phone", None, "population_type", "id_type",
          "nationality", "hukou_division", "hukou_address", "hukou_here", "living_here", "relation_to_head",
          "residence_type", "former_name", "native_place", "marital_status", "political_status", "education",
          "religion", "occupation", "employer", "hukou_no", "head_name", "head_id_number", "move_in_date", None]
DRY_RUN_TARGET_S, APPLY_TARGET_S = 20.0, 40.0


def _id(first17: str) -> str:
    from forms.synth.population import id_check_char

    return first17 + id_check_char(first17)


def _person(k: int, region: str) -> dict[str, Any]:
    """A complete, valid person record (distinct ID numbers: region by thousand, birth day by k)."""
    sex = "1" if k % 2 else "2"
    birth = f"19{50 + k % 50:02d}{1 + k % 12:02d}{1 + k % 28:02d}"
    number = _id(f"{region}{k // 1000 % 100:02d}01{birth}{(k % 500) * 2 + (1 if sex == '1' else 0):03d}")
    return {"name": f"居民{region}{k}", "id_number": number, "sex": sex, "ethnicity": "01",
            "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", "phone": f"137{k:08d}", "population_type": "1",
            "id_type": "01", "nationality": "CHN", "hukou_division": "330102", "hukou_address": "某小区1幢1单元101室",
            "hukou_here": "yes", "living_here": "yes", "relation_to_head": "10", "residence_type": "1",
            "native_place": "浙江杭州", "marital_status": "20", "political_status": "13", "education": "14",
            "occupation": "职员", "employer": "某公司", "move_in_date": "2020-01-01"}


def build_file(db_path: Path, rows: int, out: Path) -> None:
    """The ledger; the district's persons it names are first made complete records in the copied
    platform (the district seed writes only name, sex and a placeholder ID number)."""
    import json

    from openpyxl import Workbook

    db = sqlite3.connect(db_path)
    half = rows // 2
    held = db.execute("SELECT id, grid, household_id FROM entities WHERE kind = 'person' ORDER BY id LIMIT ?",
                      (half,)).fetchall()
    records, heads = [], set()
    for k, (eid, grid, household) in enumerate(held):
        data = _person(k, "12")
        data["relation_to_head"] = "10" if household in heads else "02"  # 02 户主: one head per household
        heads.add(household)
        records.append((eid, grid, data))
    db.executemany("UPDATE entities SET id_number = ?, data = ? WHERE id = ?",
                   [(d["id_number"], json.dumps(d, ensure_ascii=False), eid) for eid, _g, d in records])
    db.commit()
    grids = [r[0] for r in db.execute("SELECT code FROM areas WHERE level = 'grid' ORDER BY code")]
    db.close()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("实有人口")
    sheet.append(["实有人口台账（基准测试）"])
    sheet.append(HEADER)
    n = 0
    for _eid, grid, data in records:
        n += 1
        cells = [data.get(f) if f else None for f in FIELDS]
        cells[0], cells[6], cells[7] = n, f"139{n:08d}", grid  # a changed phone: an update
        sheet.append(cells)
    for k in range(rows - len(records)):
        n += 1
        data = _person(k, "11")
        cells = [data.get(f) if f else None for f in FIELDS]
        cells[0], cells[7] = n, grids[k % len(grids)]
        sheet.append(cells)
    book.save(out)


def _floors(path: Path) -> dict[str, float]:
    from forms.graph import MemoryGraph, entity_from_dict
    from forms.ingest.columns import find_header_row, match_columns
    from forms.ingest.read import open_table
    from forms.ingest.rows import RowReader
    from forms.model import EntityKind
    from sync.server.templates_cache import TemplateCache
    from sync.validation import default_templates

    tpl = default_templates()[EntityKind.PERSON]
    t0 = time.perf_counter()
    table = open_table(path, guess_header=lambda rows: find_header_row(rows, tpl, "person"))
    cells = list(table.rows())
    read_s = time.perf_counter() - t0
    mapping = match_columns(table.headers, tpl, "person")
    reader = RowReader(tpl, mapping, table.headers)
    records = [reader.read(number, row) for number, row in cells]
    entities = [entity_from_dict({"id": f"p{r.number}", "kind": "person", "template": tpl.form_id,
                                  "template_version": tpl.version, "grid": "330102001001001", "data": r.values,
                                  "tags": [], "rev": 1, "state": "active"}) for r in records]
    validator = TemplateCache().validator({"person": tpl}, date.today())
    t0 = time.perf_counter()
    for i in range(0, len(entities), 500):
        part = entities[i:i + 500]
        validator.validate_many(part, MemoryGraph(part))
    validate_s = time.perf_counter() - t0
    return {"floor_calamine_read_s": round(read_s, 2), "floor_validate_s": round(validate_s, 2)}


def _hwm(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _poll(client: httpx.Client, headers: dict[str, str], job: str, done: tuple[str, ...],
          seen: list[int]) -> dict[str, Any]:
    while True:
        body: dict[str, Any] = client.get(f"/imports/{job}", headers=headers, params={"limit": 1}).json()
        seen.append(int(body["progress"]["rows"]))
        if body["status"] in done:
            return body
        time.sleep(0.5)


def run(n: int | None = None) -> dict[str, float | int | str]:
    rows = n or 100_000
    platform = int(os.environ.get("YBT_BENCH_PLATFORM", "1000000"))
    seeded_path, seeded = cached(platform)
    work = Path(tempfile.mkdtemp(prefix="ybt-bench-import-"))
    figures: dict[str, float | int | str] = {"platform_persons": int(seeded["persons"]), "rows": rows, "columns": 30}
    try:
        db_path = work / "platform.db"
        shutil.copyfile(seeded_path, db_path)
        file = work / "ledger.xlsx"
        t0 = time.perf_counter()
        build_file(db_path, rows, file)
        figures["file_build_s"] = round(time.perf_counter() - t0, 1)
        figures["file_mb"] = round(file.stat().st_size / 1e6, 1)
        port = free_port()
        code = f"from tests.bench.server import _serve; _serve({f'sqlite:///{db_path}'!r}, {port}, 1)"
        proc = subprocess.Popen([sys.executable, "-c", code])
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the benchmark server did not start")
                time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=600) as client:
                r = client.post("/auth/login", json={"username": ADMIN, "password": PASSWORD, "device_id": "bench"})
                r.raise_for_status()
                headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
                seen: list[int] = []
                t0 = time.perf_counter()
                r = client.post("/imports", headers=headers, files={"file": ("ledger.xlsx", file.read_bytes(), XLSX)},
                                data={"kind": "person"})
                r.raise_for_status()
                job = r.json()["id"]
                checked = _poll(client, headers, job, ("checked", "failed"), seen)
                figures["dry_run_s"] = round(time.perf_counter() - t0, 1)
                figures["dry_run_progress_polls"] = len(set(seen))
                if checked["status"] != "checked":
                    figures["dry_run_error"] = str(checked.get("error"))
                    return figures
                for key in ("created", "updated", "unchanged", "errors", "warnings"):
                    figures[f"dry_{key}"] = int(checked[key])
                page = client.get(f"/imports/{job}", headers=headers, params={"limit": 10_000}).json()["issues"]
                codes: dict[str, int] = {}
                for issue in page:
                    codes[issue["code"]] = codes.get(issue["code"], 0) + 1
                figures["dry_issue_codes"] = ", ".join(f"{c} {k}" for c, k in sorted(codes.items())) or "-"
                seen = []
                t0 = time.perf_counter()
                client.post(f"/imports/{job}/apply", headers=headers).raise_for_status()
                applied = _poll(client, headers, job, ("applied", "failed", "cancelled"), seen)
                figures["apply_s"] = round(time.perf_counter() - t0, 1)
                figures["apply_status"] = str(applied["status"])
                figures["apply_progress_polls"] = len(set(seen))
            figures["server_peak_mb"] = round(_hwm(proc.pid))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        figures.update(_floors(file))
        floor = float(figures["floor_calamine_read_s"]) + float(figures["floor_validate_s"])
        figures["ratio_dry_run_to_floors"] = round(float(figures["dry_run_s"]) / floor, 1) if floor else 0.0
        figures["target_dry_run_s"], figures["target_apply_s"] = DRY_RUN_TARGET_S, APPLY_TARGET_S
        figures["dry_run_within_target"] = "yes" if float(figures["dry_run_s"]) <= DRY_RUN_TARGET_S else "NO"
        figures["apply_within_target"] = "yes" if float(figures.get("apply_s", 1e9)) <= APPLY_TARGET_S else "NO"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open("/proc/loadavg") as load:
        figures["loadavg"] = " ".join(load.read().split()[:3])
    return figures
