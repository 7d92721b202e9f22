"""Push: idempotency, three-way merge and conflicts, server-side validation, approval and history."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import GRIDS, Api, Pool, new_id, submission, update


def current(api: Api, user: str, entity_id: str) -> dict[str, Any]:
    r = api.get(f"/entities/{entity_id}", user)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_supervisor_edit_applies_at_once_and_writes_history(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    before = current(api, "sup_qbm", eid)
    [res] = api.submit("sup_qbm", submission(update(eid, before["rev"], phone="13900001234")))
    assert res["outcome"] == "accepted" and res["status"] == "applied"
    assert res["revisions"] == {eid: before["rev"] + 1}
    after = current(api, "sup_qbm", eid)
    assert after["data"]["phone"] == "13900001234"
    history = api.get(f"/entities/{eid}/history", "sup_qbm").json()["items"]
    last = history[-1]
    assert last["field"] == "phone" and last["new"] == "13900001234"
    assert last["old"] == before["data"].get("phone")
    assert last["author"] == "sup_qbm" and last["approved_by"] == "sup_qbm"


def test_retry_returns_the_first_outcome_and_applies_once(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = current(api, "sup_qbm", eid)["rev"]
    sub = submission(update(eid, rev, employer="西湖茶厂"))
    [first] = api.submit("sup_qbm", sub)
    [again] = api.submit("sup_qbm", sub)
    assert first["outcome"] == "accepted"
    assert again["outcome"] == "duplicate"
    assert again["original"] == first
    assert current(api, "sup_qbm", eid)["rev"] == rev + 1
    # the same id twice inside one batch is also answered as a duplicate
    sub2 = submission(update(eid, rev + 1, employer="龙井茶社"))
    results = api.submit("sup_qbm", sub2, sub2)
    assert [r["outcome"] for r in results] == ["accepted", "duplicate"]
    assert current(api, "sup_qbm", eid)["rev"] == rev + 2


def test_field_changed_only_by_client_merges_over_a_newer_server_version(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    base = current(api, "sup_qbm", eid)
    api.submit("sup_qbm", submission(update(eid, base["rev"], employer="甲公司")))
    # a client still on the old base changes another field: it applies, the server's change stays
    [res] = api.submit("sup_qbm", submission(update(eid, base["rev"], phone="13700007777")))
    assert res["outcome"] == "accepted", res
    now = current(api, "sup_qbm", eid)
    assert now["data"]["employer"] == "甲公司" and now["data"]["phone"] == "13700007777"
    assert now["rev"] == base["rev"] + 2


def test_same_field_changed_on_both_sides_is_a_conflict_and_nothing_applies(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    base = current(api, "sup_qbm", eid)
    api.submit("sup_qbm", submission(update(eid, base["rev"], employer="甲公司")))
    [res] = api.submit("sup_qbm", submission(update(eid, base["rev"], employer="乙公司", phone="13600006666")))
    assert res["outcome"] == "conflict"
    [c] = res["conflicts"]
    assert c["entity_id"] == eid and c["field"] == "employer"
    assert c["base"] == base["data"].get("employer") and c["mine"] == "乙公司" and c["theirs"] == "甲公司"
    assert c["theirs_rev"] == base["rev"] + 1
    now = current(api, "sup_qbm", eid)
    assert now["data"]["employer"] == "甲公司"
    assert now["data"].get("phone") == base["data"].get("phone")  # never half-applied
    # both sides choosing the same value is not a conflict
    [same] = api.submit("sup_qbm", submission(update(eid, base["rev"], employer="甲公司")))
    assert same["outcome"] == "accepted"


def test_invalid_record_is_rejected_with_the_issues(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    base = current(api, "sup_qbm", eid)
    [res] = api.submit("sup_qbm", submission(update(eid, base["rev"], id_number="110105194912310021")))
    assert res["outcome"] == "rejected"
    assert any(i["field"] == "id_number" and i["severity"] == "error" for i in res["issues"]), res
    assert current(api, "sup_qbm", eid)["rev"] == base["rev"]


def test_unknown_entity_bad_base_rev_and_unknown_tag_are_rejected(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = current(api, "sup_qbm", eid)["rev"]
    results = api.submit(
        "sup_qbm",
        submission(update(new_id(), 1, phone="13500001111")),
        submission(update(eid, rev + 5, phone="13500001111")),
        submission({**update(eid, rev), "tags_add": ["没有这个标签"]}),
    )
    assert [r["outcome"] for r in results] == ["rejected"] * 3
    assert [r["issues"][0]["kind"] for r in results] == ["unknown_entity", "base_rev", "tag"]


def test_worker_submission_waits_for_review_then_approval_applies(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[1])
    base = current(api, "wg_qbm_2", eid)
    sub = submission({**update(eid, base["rev"], phone="13811112222"), "tags_add": ["志愿者"]})
    [res] = api.submit("wg_qbm_2", sub)
    assert res == {"id": sub["id"], "outcome": "accepted", "status": "pending_review", "revisions": {}}
    assert current(api, "wg_qbm_2", eid)["rev"] == base["rev"]  # not applied yet
    queue = api.get("/review/queue", "sup_qbm").json()
    assert sub["id"] in [i["submission_id"] for i in queue["items"]]
    detail = api.get(f"/review/{sub['id']}", "sup_qbm").json()
    [change] = detail["changes"]
    phone = [f for f in change["fields"] if f["field"] == "phone"]
    assert phone and phone[0]["after"] == "13811112222" and phone[0]["before"] == base["data"].get("phone")
    if "志愿者" not in base["tags"]:
        assert change["tags_gained"] == ["志愿者"]
    decided = api.post(f"/review/{sub['id']}/decision", "sup_qbm", json={"decision": "approve"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    now = current(api, "wg_qbm_2", eid)
    assert now["data"]["phone"] == "13811112222" and "志愿者" in now["tags"]
    history = api.get(f"/entities/{eid}/history", "wg_qbm_2").json()["items"]
    entry = next(h for h in history if h["field"] == "phone" and h["submission_id"] == sub["id"])
    assert entry["author"] == "wg_qbm_2" and entry["approved_by"] == "sup_qbm"
    # the decision reaches the worker through the pull feed
    reviews = [i for i in api.pull_all("wg_qbm_2") if i["type"] == "review" and i["id"] == sub["id"]]
    assert reviews and reviews[0]["data"]["status"] == "approved"
    again = api.post(f"/review/{sub['id']}/decision", "sup_qbm", json={"decision": "return"})
    assert again.status_code == 409


def test_return_with_field_comments_reaches_the_worker(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[1])
    base = current(api, "wg_qbm_2", eid)
    sub = submission(update(eid, base["rev"], phone="13822223333"))
    api.submit("wg_qbm_2", sub)
    body = {"decision": "return", "comment": "请核实",
            "comments": [{"entity_id": eid, "field": "phone", "comment": "号码不对"}]}
    r = api.post(f"/review/{sub['id']}/decision", "sup_qbm", json=body)
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert current(api, "wg_qbm_2", eid)["rev"] == base["rev"]
    item = next(i for i in api.pull_all("wg_qbm_2") if i["type"] == "review" and i["id"] == sub["id"])
    assert item["data"]["comments"] == [{"entity_id": eid, "field": "phone", "comment": "号码不对"}]


def test_approval_meets_a_conflicting_master_record(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[1])
    base = current(api, "wg_qbm_2", eid)
    sub = submission(update(eid, base["rev"], employer="丙公司"))
    api.submit("wg_qbm_2", sub)
    api.submit("sup_qbm", submission(update(eid, base["rev"], employer="丁公司")))
    r = api.post(f"/review/{sub['id']}/decision", "sup_qbm", json={"decision": "approve"})
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    assert r.json()["details"]["conflicts"][0]["field"] == "employer"
    detail = api.get(f"/review/{sub['id']}", "sup_qbm").json()
    assert any(f["conflict"] for f in detail["changes"][0]["fields"])


def test_create_house_household_and_persons_in_one_submission(api: Api) -> None:
    from forms.synth import generate

    grid = GRIDS[2]
    records = generate(4, seed=4242, grids=[grid])
    patches = [{"entity_id": r["id"], "kind": r["kind"], "op": "create", "grid": grid,
                "house_id": r.get("house_id"), "household_id": r.get("household_id"), "set": r["data"],
                "tags_add": [t for t in r["tags"] if t in ("志愿者", "留守老人", "离退休人员", "在校学生")]}
               for r in records]
    [res] = api.submit("sup_ldl", submission(*patches))
    assert res["outcome"] == "accepted", res
    assert res["status"] == "applied"
    assert set(res["revisions"]) == {r["id"] for r in records}
    house = next(r for r in records if r["kind"] == "house")
    assert current(api, "sup_ldl", house["id"])["grid"] == grid
    assert current(api, "wg_ldl_1", house["id"])["rev"] == 1
    # creating an existing id again is refused, and a create outside the caller's grids too
    [dup] = api.submit("sup_ldl", submission(patches[0]))
    assert dup["outcome"] == "rejected" and dup["issues"][0]["kind"] == "exists"
    [outside] = api.submit("wg_ldl_1", submission({**patches[0], "entity_id": new_id(), "grid": GRIDS[3]}))
    assert outside["outcome"] == "rejected" and outside["issues"][0]["kind"] == "scope"
    # a house without its required fields is rejected with the fields named
    [bad] = api.submit("sup_ldl", submission({"entity_id": new_id(), "kind": "house", "op": "create",
                                              "grid": grid, "set": {"address": "某处"}}))
    assert bad["outcome"] == "rejected"
    assert {"building_area", "room_count"} <= {i["field"] for i in bad["issues"]}


def test_concurrent_edits_of_one_record_all_merge_and_retries_apply_once(api: Api, pool: Pool) -> None:
    import threading

    eid = pool.take(GRIDS[2])
    base = current(api, "sup_ldl", eid)
    fields = {"employer": "并发甲", "phone": "13600000001", "former_name": "并发曾用名"}
    same = submission(update(eid, base["rev"], hukou_no="H0000001"))
    results: list[dict[str, Any]] = []

    def send(sub: dict[str, Any]) -> None:
        results.extend(api.submit("sup_ldl", sub))

    subs = [submission(update(eid, base["rev"], **{k: v})) for k, v in fields.items()] + [same] * 4
    threads = [threading.Thread(target=send, args=(s,)) for s in subs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    outcomes = sorted(r["outcome"] for r in results)
    assert outcomes.count("duplicate") == 3 and outcomes.count("accepted") == len(fields) + 1, results
    now = current(api, "sup_ldl", eid)
    assert now["rev"] == base["rev"] + len(fields) + 1
    for k, v in {**fields, "hukou_no": "H0000001"}.items():
        assert now["data"][k] == v


def test_a_patch_that_changes_nothing_writes_no_revision(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    base = current(api, "sup_qbm", eid)
    [res] = api.submit("sup_qbm", submission(update(eid, base["rev"], name=base["data"]["name"])))
    assert res["outcome"] == "accepted" and res["revisions"] == {eid: base["rev"]}
    assert current(api, "sup_qbm", eid)["rev"] == base["rev"]
