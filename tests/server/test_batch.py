"""Push batches: each submission's outcome stays its own, in order, across the server's transactions."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import GRIDS, Api, Pool, new_id, submission, update


def current(api: Api, entity_id: str) -> dict[str, Any]:
    r = api.get(f"/entities/{entity_id}", "sup_qbm")
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_mixed_batch_gives_each_submission_its_own_outcome(api: Api, pool: Pool) -> None:
    good, clash, bad, later = (pool.take(GRIDS[0]) for _ in range(4))
    base = {eid: current(api, eid) for eid in (good, clash, bad, later)}
    api.submit("sup_qbm", submission(update(clash, base[clash]["rev"], employer="先到公司")))
    first = submission(update(good, base[good]["rev"], employer="第一次"))
    results = api.submit(
        "sup_qbm",
        first,
        submission(update(clash, base[clash]["rev"], employer="后到公司", phone="13700001111")),
        submission(update(bad, base[bad]["rev"], id_number="110105194912310021")),
        # sees the first submission of this batch: its base is the revision the first one wrote
        submission(update(good, base[good]["rev"] + 1, phone="13700002222")),
        first,  # the same id again in the same batch
        submission(update(later, base[later]["rev"], employer="最后一个")),
    )
    assert [r["outcome"] for r in results] == ["accepted", "conflict", "rejected", "accepted", "duplicate",
                                               "accepted"]
    assert results[4]["original"] == results[0]
    assert results[3]["revisions"] == {good: base[good]["rev"] + 2}
    now = {eid: current(api, eid) for eid in (good, clash, bad, later)}
    assert now[good]["data"]["employer"] == "第一次" and now[good]["data"]["phone"] == "13700002222"
    assert now[clash]["data"]["employer"] == "先到公司"
    assert now[clash]["data"].get("phone") == base[clash]["data"].get("phone")  # never half-applied
    assert now[bad]["rev"] == base[bad]["rev"]
    assert now[later]["rev"] == base[later]["rev"] + 1
    history = api.get(f"/entities/{good}/history", "sup_qbm").json()["items"]
    assert [(h["field"], h["submission_id"]) for h in history[-2:]] == [
        ("employer", first["id"]), ("phone", results[3]["id"])]


def test_a_full_batch_applies_in_order_and_the_feed_follows(api: Api, pool: Pool) -> None:
    people = [pool.take(GRIDS[1]) for _ in range(2)]
    revs = {eid: current(api, eid)["rev"] for eid in people}
    feed_before = api.pull_all("sup_qbm")
    subs, expected_rev = [], dict(revs)
    for k in range(150):  # more than one of the server's transactions
        eid = people[k % 2]
        subs.append(submission(update(eid, expected_rev[eid], employer=f"单位{k}")))
        expected_rev[eid] += 1
    subs.insert(120, subs[3])  # a repeat after the first transaction has committed
    results = api.submit("sup_qbm", *subs)
    assert [r["outcome"] for r in results].count("accepted") == 150
    assert results[120]["outcome"] == "duplicate" and results[120]["original"] == results[3]
    for eid in people:
        now = current(api, eid)
        assert now["rev"] == expected_rev[eid]
        assert now["data"]["employer"] == f"单位{148 if eid == people[0] else 149}"
    history = api.get(f"/entities/{people[0]}/history", "sup_qbm").json()["items"]
    assert [h["new"] for h in history if h["field"] == "employer"][-75:] == [f"单位{k}" for k in range(0, 150, 2)]
    feed = api.pull_all("sup_qbm")
    seqs = [item["seq"] for item in feed]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert max(seqs) > max(item["seq"] for item in feed_before)
    moved = [item for item in feed if item["id"] in people]
    assert {item["data"]["rev"] for item in moved} == {expected_rev[people[0]], expected_rev[people[1]]}


def test_a_new_id_submitted_twice_in_separate_batches_applies_once(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = current(api, eid)["rev"]
    sid = new_id()
    first = api.submit("sup_qbm", submission(update(eid, rev, employer="一次"), sid=sid),
                       submission(update(eid, rev + 1, phone="13800003333")))
    again = api.submit("sup_qbm", submission(update(eid, rev, employer="一次"), sid=sid))
    assert [r["outcome"] for r in first] == ["accepted", "accepted"]
    assert again[0]["outcome"] == "duplicate" and again[0]["original"] == first[0]
    assert current(api, eid)["rev"] == rev + 2
