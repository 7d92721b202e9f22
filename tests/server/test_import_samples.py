"""The committed import samples are what ``python -m sync.server.demo_samples`` builds, and on the demo
platform they give the outcomes README's walk-through shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.server import demo_samples
from sync.server.config import ServerConfig
from tests.server.conftest import PASSWORD, Api
from tests.server.imports_live import apply, dry_run
from tests.server.live import fresh_database, prepare, start

SAMPLES = demo_samples.default_folder()


def _cells(path: Path) -> list[list[Any]]:
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_bytes().decode("gbk"))))
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


def test_the_committed_samples_are_what_the_script_builds(tmp_path: Path) -> None:
    for built in demo_samples.write_all(tmp_path):
        assert _cells(built) == _cells(SAMPLES / built.name), built.name


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    tmp = str(tmp_path_factory.mktemp("demo"))
    with fresh_database("sqlite", tmp) as url:
        prepare(url, demo_persons=demo_samples.DEMO_PERSONS, password=PASSWORD)
        server = start(ServerConfig(db_url=url, fast_password_hash=True))
        client = Api(server)
        try:
            yield client
        finally:
            client.http.close()
            server.stop()


def _errors(report: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(i["row"], i["column"], i["code"]) for i in report["issues"] if i["severity"] == "error"]


def test_the_ledger_sample_on_the_demo_platform(demo: Api) -> None:
    data = (SAMPLES / demo_samples.LEDGER).read_bytes()
    report = dry_run(demo, data, name=demo_samples.LEDGER)
    assert report["status"] == "checked", report
    assert report["header_row"] == 3 and report["rows"] == 62
    assert (report["unchanged"], report["updated"], report["created"], report["errors"]) == (50, 5, 3, 4), _errors(report)
    assert sorted(_errors(report)) == [(62, "公民身份号码", "id_as_number"), (63, "公民身份号码", "duplicate_in_file"),
                                       (64, "公民身份号码", "duplicate_in_file"), (65, "现住址", "unknown_address")]
    assert apply(demo, report["id"])["status"] == "applied"
    again = dry_run(demo, data, name=demo_samples.LEDGER)
    assert (again["unchanged"], again["updated"], again["created"]) == (58, 0, 0)


def test_the_dibao_sample_on_the_demo_platform(demo: Api) -> None:
    data = (SAMPLES / demo_samples.DIBAO).read_bytes()
    report = dry_run(demo, data, name=demo_samples.DIBAO, mode="return", source="民政", tag="低保对象",
                     as_of="2026-11-30")
    assert report["status"] == "checked" and report["errors"] == 0, _errors(report)
    rows = len(demo_samples.dibao_rows())
    assert report["rows"] == rows and report["tags_set"] == 5 and report["tags_removed"] == 6
    assert report["suggestions"] == rows // 15
    assert apply(demo, report["id"])["status"] == "applied"


def test_the_canlian_sample_offers_its_certificates_as_suggestions(demo: Api) -> None:
    data = (SAMPLES / demo_samples.CANLIAN).read_bytes()
    report = dry_run(demo, data, name=demo_samples.CANLIAN, mode="return", source="残联")
    assert report["status"] == "checked" and report["errors"] == 0, _errors(report)
    assert report["suggestions"] == 4 and report["unchanged"] == 20
