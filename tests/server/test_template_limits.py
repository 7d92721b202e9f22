"""Hostile template uploads (issue 13, findings 2 and 3): refused with a located problem, read in a child
process with memory and time limits, never in the event loop, and the server keeps serving."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import openpyxl

from sync.server.bootstrap import template_dir
from sync.server.template_check import TemplateChecker
from tests.server.conftest import Api


def _person(version: str, *, stray: tuple[int, int] | None = None, extra_rows: int = 0) -> bytes:
    wb = openpyxl.load_workbook(Path(template_dir()) / "person.xlsx")
    settings = wb["settings"]
    header = [c.value for c in settings[1]]
    settings.cell(row=2, column=header.index("version") + 1, value=version)
    survey = wb["survey"]
    if stray is not None:
        survey.cell(row=stray[0], column=stray[1], value="x")
    if extra_rows:
        start = survey.max_row + 1
        for i in range(extra_rows):
            survey.cell(row=start + i, column=1, value="text")
            survey.cell(row=start + i, column=2, value=f"extra_{i}")
            survey.cell(row=start + i, column=3, value=f"附加 {i}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(api: Api, data: bytes) -> Any:
    return api.post("/templates", "admin", files={"file": ("person.xlsx", data, "application/octet-stream")})


def test_a_stray_cell_at_xfd1048576_is_422_and_the_server_lives(api: Api) -> None:
    data = _person("2099.1", stray=(1_048_576, 16_384))
    assert len(data) < 64_000
    r = _upload(api, data)
    assert r.status_code == 422, r.text
    [problem] = r.json()["details"]["problems"]
    assert problem["sheet"] == "survey" and problem["code"] == "too_large"
    assert "XFD1048576" in problem["message"]
    assert api.http.get("/health").json()["ok"] is True
    assert "2099.1" not in {t["version"] for t in api.get("/templates", "admin").json()["items"]}


def test_the_event_loop_serves_others_while_a_big_template_is_read(api: Api) -> None:
    state = api.live.server.config.app.state.ybt  # the in-process server's state
    data = _person("2099.2", extra_rows=20_000)
    answer: list[Any] = []
    upload = threading.Thread(target=lambda: answer.append(_upload(api, data)))
    upload.start()
    deadline = time.monotonic() + 60
    while state.template_checker().busy == 0 and upload.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert upload.is_alive(), "the upload finished before it could be watched"
    health = api.http.get("/health", timeout=30)     # sent while the workbook is being read
    assert health.status_code == 200
    assert upload.is_alive(), "/health was answered only after the upload: the event loop was blocked"
    upload.join(120)
    assert answer and answer[0].status_code in (201, 422), answer[0].text if answer else None


def test_a_child_out_of_memory_or_time_fails_the_upload_not_the_server() -> None:
    data = _person("2099.3")
    tight = TemplateChecker(memory_bytes=16 * 1024**2, seconds=60)   # far too little to import the reader
    try:
        [problem] = tight.check(data, "person.xlsx") or [{}]
        assert problem["code"] == "too_large"
    finally:
        tight.close()
    slow = TemplateChecker(memory_bytes=2 * 1024**3, seconds=0.05)    # far too little time to start
    try:
        [problem] = slow.check(data, "person.xlsx") or [{}]
        assert problem["code"] == "too_slow"
        slow.seconds = 120
        assert slow.check(data, "person.xlsx") is None                # a fresh child takes the next one
    finally:
        slow.close()
