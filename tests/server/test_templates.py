"""Template publishing: validated with forms.xlsform; errors name sheet, row and column; versions reach clients."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from sync.server.bootstrap import template_dir
from tests.server.conftest import GRIDS, OTHER_GRID, Api, Pool, submission, update


def workbook(version: str, *, approval: str = "yes", break_constraint: bool = False) -> bytes:
    wb = openpyxl.load_workbook(Path(template_dir()) / "person.xlsx")
    settings = wb["settings"]
    header = [c.value for c in settings[1]]
    settings.cell(row=2, column=header.index("version") + 1, value=version)
    settings.cell(row=2, column=header.index("approval_required") + 1, value=approval)
    if break_constraint:
        survey = wb["survey"]
        cols = [c.value for c in survey[1]]
        survey.cell(row=5, column=cols.index("constraint") + 1, value="${former_name} >> 3 and (")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(api: Api, user: str, data: bytes, name: str = "person.xlsx"):  # type: ignore[no-untyped-def]
    return api.post("/templates", user, files={"file": (name, data, "application/octet-stream")})


def test_broken_template_is_refused_with_sheet_row_and_column(api: Api) -> None:
    r = upload(api, "admin", workbook("2099.9", break_constraint=True))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "template_invalid"
    problem = body["details"]["problems"][0]
    assert problem["sheet"] == "survey" and problem["row"] == 5 and problem["column"] == "constraint"
    assert "2099.9" not in {t["version"] for t in api.get("/templates", "admin").json()["items"]}


def test_not_a_workbook_is_refused_cleanly(api: Api) -> None:
    r = upload(api, "admin", b"PK\x03\x04 this is not really a zip")
    assert r.status_code == 422 and r.json()["code"] == "template_invalid"
    assert r.json()["details"]["problems"]


def test_publish_new_version_reaches_workers_and_switches_approval(api: Api, pool: Pool) -> None:
    # published by the admin of the second street: it applies there only
    data = workbook("2026.5", approval="no")
    r = upload(api, "admin2", data)
    assert r.status_code == 201, r.text
    meta = r.json()
    assert meta["form_id"] == "person" and meta["version"] == "2026.5" and meta["approval_required"] is False
    assert meta["area"] == "330102002"
    assert upload(api, "admin2", data).status_code == 409
    listed = api.get("/templates", "wg_other").json()["items"]
    assert any(t["form_id"] == "person" and t["version"] == "2026.5" for t in listed)
    feed = api.pull_all("wg_other", limit=5000)
    keys = {(i["type"], i["id"]) for i in feed}
    key = "person@2026.5@330102002"  # a version is named within its area
    assert ("template", key) in keys and ("tag_catalogue", key) in keys
    tpl = next(i for i in feed if i["id"] == key and i["type"] == "template")
    assert tpl["data"]["xlsx_base64"]
    download = api.get("/templates/person/2026.5/xlsx", "wg_other")
    assert download.status_code == 200 and download.content == data
    # approval is no longer required there: a worker's edit applies at once, under the new version
    eid = pool.take(OTHER_GRID)
    rev = api.get(f"/entities/{eid}", "wg_other").json()["rev"]
    [res] = api.submit("wg_other", submission(update(eid, rev, phone="13312345678")))
    assert res["outcome"] == "accepted" and res["status"] == "applied", res
    assert api.get(f"/entities/{eid}", "wg_other").json()["template_version"] == "2026.5"
    # the other street's template does not reach street 1
    assert not any(t["version"] == "2026.5" for t in api.get("/templates", "admin").json()["items"])
    assert api.get("/templates/person/2026.5/xlsx", "wg_qbm_1").status_code == 404
    assert not any(i["id"].startswith("person@2026.5") for i in api.pull_all("wg_qbm_1", limit=5000))
    eid1 = pool.take(GRIDS[0])
    rev1 = api.get(f"/entities/{eid1}", "wg_qbm_1").json()["rev"]
    [res1] = api.submit("wg_qbm_1", submission(update(eid1, rev1, phone="13312345679")))
    assert res1["status"] == "pending_review"


def test_sibling_streets_each_name_their_own_versions(api: Api) -> None:
    # issue 13, finding 9: street 2 published person@2026.5 above; street 1 may too, its own
    ours = workbook("2026.5", approval="yes")
    r = upload(api, "admin", ours)
    assert r.status_code == 201, r.text
    assert r.json()["area"] == "330102001"
    assert api.get("/templates/person/2026.5/xlsx", "wg_qbm_1").content == ours      # each sees its own
    assert api.get("/templates/person/2026.5/xlsx", "wg_other").content != ours
    keys = {i["id"] for i in api.pull_all("wg_qbm_1", limit=5000) if i["type"] == "template"}
    assert "person@2026.5@330102001" in keys and "person@2026.5@330102002" not in keys
    # within one line of areas a version name is taken once: again here, or the defaults' (published
    # for everyone, above every street)
    assert upload(api, "admin", ours).status_code == 409
    assert upload(api, "admin", workbook("2026.1")).status_code == 409
