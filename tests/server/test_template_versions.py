"""Template versions on the platform: publish to an area, list every version with its state, withdraw
(never delete), and a submission made under an old version validated by it, then applied by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import make_engine
from tests.server.conftest import BACKENDS, GRIDS, PASSWORD, Api, Pool, submission, update
from tests.server.live import LiveServer, fresh_database, prepare, start
from tests.template_versions import edited

STREET, COMMUNITY, OTHER_COMMUNITY = "330102001", "330102001001", "330102001002"


@pytest.fixture(scope="module", params=BACKENDS)
def own_live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A platform of its own: these tests publish versions that would change every other test's forms."""
    with fresh_database(request.param, str(tmp_path_factory.mktemp("versions"))) as url:
        prepare(url, demo_persons=60, password=PASSWORD)
        server = start(ServerConfig(db_url=url, fast_password_hash=True, max_body_bytes=2 * 1024 * 1024))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def api(own_live: LiveServer) -> Iterator[Api]:
    client = Api(own_live)
    yield client
    client.http.close()


@pytest.fixture(scope="module")
def pool(own_live: LiveServer) -> Pool:
    return Pool(own_live.db_url)


def publish(api: Api, data: bytes, area: str | None = None, user: str = "admin") -> Any:
    params = {"area": area} if area else {}
    return api.post("/templates", user, params=params, files={"file": ("person.xlsx", data, "application/octet-stream")})


def audit_actions(live: LiveServer) -> list[tuple[str, str]]:
    engine = make_engine(live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log.c.action, t.audit_log.c.target).order_by(t.audit_log.c.id)).all()
    engine.dispose()
    return [(r.action, r.target) for r in rows]


def versions(api: Api, user: str = "admin") -> dict[tuple[str, str], dict[str, Any]]:
    items = api.get("/templates", user).json()["items"]
    return {(i["version"], i["area"]): i for i in items if i["form_id"] == "person"}


def test_publish_to_a_named_area_reaches_only_it_and_is_audited(api: Api, own_live: LiveServer) -> None:
    r = publish(api, edited("person", "2026.1c"), area=COMMUNITY)
    assert r.status_code == 201, r.text
    assert r.json()["area"] == COMMUNITY
    listed = versions(api)
    assert listed[("2026.1c", COMMUNITY)]["state"] == "in_force"
    assert listed[("2026.1", "")]["state"] == "in_force"  # the shipped default stays in force above
    assert ("template_publish", f"person@2026.1c@{COMMUNITY}") in audit_actions(own_live)
    # a worker of the community sees it, one of the other community does not
    assert any(v == "2026.1c" for v, _ in versions(api, "wg_qbm_1"))
    assert not any(v == "2026.1c" for v, _ in versions(api, "wg_ldl_1"))


def test_publish_to_an_area_outside_scope_or_unknown_is_refused(api: Api) -> None:
    r = publish(api, edited("person", "2026.1x"), area="330102002")
    assert r.status_code == 403 and "330102002" in r.json()["message"]
    r = publish(api, edited("person", "2026.1x"), area="3301020019")
    assert r.status_code == 422 and r.json()["code"] == "invalid_area" and "area" in r.json()["message"]
    r = publish(api, edited("person", "2026.1x"), area="abc")
    assert r.status_code == 422
    assert not any(v == "2026.1x" for v, _ in versions(api))


def test_withdrawn_version_is_no_longer_offered_but_kept(api: Api, own_live: LiveServer) -> None:
    r = api.post("/templates/person/2026.1c/withdraw", "admin")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "withdrawn" and r.json()["withdrawn_at"]
    listed = versions(api)
    assert listed[("2026.1c", COMMUNITY)]["state"] == "withdrawn"
    feed = [i for i in api.pull_all("wg_qbm_1", limit=5000) if i["id"] == f"person@2026.1c@{COMMUNITY}"]
    assert feed and all(i["deleted"] for i in feed)
    download = api.get("/templates/person/2026.1c/xlsx", "wg_qbm_1")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert ("template_withdraw", f"person@2026.1c@{COMMUNITY}") in audit_actions(own_live)
    again = api.post("/templates/person/2026.1c/withdraw", "admin")
    assert again.status_code == 409
    assert api.post("/templates/person/2026.1c/withdraw", "sup_qbm").status_code == 403
    assert api.post("/templates/person/9999.9/withdraw", "admin").status_code == 404
    # the shipped default is published above the admin's street: not theirs to withdraw
    assert api.post("/templates/person/2026.1/withdraw", "admin").status_code == 404


def test_a_submission_made_under_a_withdrawn_version_is_still_judged_by_it(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = api.get(f"/entities/{eid}", "wg_qbm_1").json()["rev"]
    patch = update(eid, rev, employer="区图书馆")
    patch["template_version"] = "2026.1c"  # withdrawn above; still on the platform
    [res] = api.submit("wg_qbm_1", submission(patch))
    assert res["outcome"] == "accepted", res
    assert res["made_under"] == {eid: "2026.1c"} and res["leftovers"] == {}


def version2() -> bytes:
    return edited("person", "2026.2", remove=["former_name"], rename={"occupation": "job"},
                  remove_choices={"marital_status": ["40"]}, add=[("text", "wechat", "微信号", "yes", "phone")])


def test_a_submission_made_under_the_old_version_is_validated_by_it_and_applied_by_name(
        api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = api.get(f"/entities/{eid}", "wg_qbm_1").json()["rev"]
    assert publish(api, version2()).status_code == 201
    assert versions(api)[("2026.2", STREET)]["state"] == "in_force"
    patch = update(eid, rev, former_name="王小芳", occupation="教师", marital_status="40")
    patch["template_version"] = "2026.1"
    [res] = api.submit("wg_qbm_1", submission(patch))
    # accepted although version 2026.2 requires wechat: it was made under 2026.1, which does not
    assert res["outcome"] == "accepted", res
    assert res["made_under"] == {eid: "2026.1"}
    kept = {x["path"]: x for x in res["leftovers"][eid]}
    assert kept["former_name"]["value"] == "王小芳" and kept["former_name"]["reason"] == "field_removed"
    assert kept["marital_status"]["value"] == "40" and kept["marital_status"]["reason"] == "choice_removed"
    # the reviewer sees which version it was made under, and what has no place in the new one
    detail = api.get(f"/review/{res['id']}", "sup_qbm").json()
    [change] = detail["changes"]
    assert change["template_version"] == "2026.1"
    assert {x["path"] for x in change["leftovers"]} >= {"former_name", "marital_status"}
    assert {f["field"]: f["after"] for f in change["fields"]}["job"] == "教师"
    assert api.post(f"/review/{res['id']}/decision", "sup_qbm", json={"decision": "approve"}).status_code == 200
    stored = api.get(f"/entities/{eid}", "wg_qbm_1").json()
    assert stored["template_version"] == "2026.2"
    assert stored["data"]["job"] == "教师"
    assert "former_name" not in stored["data"] and "occupation" not in stored["data"]
    assert stored["data"].get("marital_status") != "40"


def test_an_old_version_submission_breaking_that_versions_rule_is_rejected_naming_it(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = api.get(f"/entities/{eid}", "wg_qbm_1").json()["rev"]
    patch = update(eid, rev, name="王" * 60)  # person 2026.1: a name is at most 50 characters
    patch["template_version"] = "2026.1"
    [res] = api.submit("wg_qbm_1", submission(patch))
    assert res["outcome"] == "rejected", res
    [found] = [i for i in res["issues"] if i["field"] == "name"]
    assert found["message"].startswith("按模板 person 2026.1：")


def test_withdrawing_the_only_version_of_a_form_in_its_area_is_refused(api: Api) -> None:
    data = edited("person", "1.0")
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    wb["settings"].cell(row=2, column=1, value="person_extra")
    buf = io.BytesIO()
    wb.save(buf)
    r = publish(api, buf.getvalue(), area=OTHER_COMMUNITY)
    assert r.status_code == 201, r.text
    refused = api.post("/templates/person_extra/1.0/withdraw", "admin")
    assert refused.status_code == 409 and "其他有效版本" in refused.json()["message"]


def ybt(*argv: str) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "YBT_PASSWORD": PASSWORD})
    return done.returncode, done.stdout + done.stderr


def test_ybt_template_publish_checks_then_publishes_to_the_area(own_live: LiveServer, api: Api, tmp_path: Any) -> None:
    good = tmp_path / "person-2026.3.xlsx"
    good.write_bytes(edited("person", "2026.3"))
    login = ["--server", own_live.url, "--user", "admin"]
    code, out = ybt("template", "publish", str(good), *login, "--area", OTHER_COMMUNITY, "--json")
    assert code == 0, out
    assert '"area": "330102001002"' in out and '"version": "2026.3"' in out
    assert versions(api)[("2026.3", OTHER_COMMUNITY)]["state"] == "in_force"
    code, out = ybt("template", "publish", str(good), *login, "--area", OTHER_COMMUNITY)
    assert code == 1 and "已" in out  # already published there
    code, out = ybt("template", "publish", str(good), *login, "--area", "330102002")
    assert code == 1 and "管辖范围" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, out = ybt("template", "publish", str(bad), *login)
    assert code == 1 and "未发布" in out


def test_a_newer_version_above_supersedes_the_ones_below_it(api: Api) -> None:
    before = versions(api)
    assert before[("2026.3", OTHER_COMMUNITY)]["state"] == "in_force"
    assert publish(api, edited("person", "2026.4")).status_code == 201  # the whole street
    after = versions(api)
    assert after[("2026.4", STREET)]["state"] == "in_force"
    assert after[("2026.3", OTHER_COMMUNITY)]["state"] == "superseded"
    assert after[("2026.2", STREET)]["state"] == "superseded"
    assert after[("2026.1", "")]["state"] == "in_force"  # other streets still get the default
