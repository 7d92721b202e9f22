"""A submission id belongs to its author and its body (issue 13, finding 10): a retry gets its first
outcome; somebody else sending a known id learns nothing of it, and another body under a known id is
not answered as a silent duplicate."""

from __future__ import annotations

from tests.server.conftest import GRIDS, Api, Pool, submission, update


def _rev(api: Api, user: str, eid: str) -> int:
    return int(api.get(f"/entities/{eid}", user).json()["rev"])


def test_another_users_known_id_is_refused_without_its_result(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    first = submission(update(eid, _rev(api, "sup_qbm", eid), employer="甲公司"))
    [mine] = api.submit("sup_qbm", first)
    assert mine["outcome"] == "accepted"
    theirs = submission(update(eid, _rev(api, "wg_qbm_1", eid), employer="乙公司"), sid=first["id"])
    [res] = api.submit("wg_qbm_1", theirs)
    assert res["outcome"] == "rejected" and res["issues"][0]["kind"] == "id_taken"
    assert "original" not in res and "甲公司" not in str(res)
    assert api.get(f"/entities/{eid}", "sup_qbm").json()["data"]["employer"] == "甲公司"


def test_another_body_under_a_known_id_is_refused_and_a_true_retry_is_a_duplicate(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    sub = submission(update(eid, _rev(api, "sup_qbm", eid), employer="丙公司"))
    [first] = api.submit("sup_qbm", sub)
    [retry] = api.submit("sup_qbm", sub)
    assert retry["outcome"] == "duplicate" and retry["original"] == first
    changed = {**sub, "patches": [update(eid, first["revisions"][eid], employer="丁公司")]}
    [res] = api.submit("sup_qbm", changed)
    assert res["outcome"] == "rejected" and res["issues"][0]["kind"] == "id_reused"
    assert api.get(f"/entities/{eid}", "sup_qbm").json()["data"]["employer"] == "丙公司"
    # in one batch too
    results = api.submit("sup_qbm", sub, changed)
    assert [r["outcome"] for r in results] == ["duplicate", "rejected"]


def test_a_rejected_submission_retried_is_still_a_duplicate(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    sub = submission(update(eid, _rev(api, "sup_qbm", eid), no_such_field="x"))
    [first] = api.submit("sup_qbm", sub)
    assert first["outcome"] == "rejected"
    [again] = api.submit("sup_qbm", sub)
    assert again["outcome"] == "duplicate" and again["original"] == first
