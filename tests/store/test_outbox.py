"""Submitting: field-level patches, the push results, conflicts, rejections and returned work."""

from __future__ import annotations

from typing import Any

import pytest

from sync.protocol import Patch, Submission
from sync.store import InvalidInput, Store
from tests.bench.store_data import entity
from tests.store.conftest import GRID, house, person, pull


@pytest.fixture
def world(store: Store) -> dict[str, Any]:
    h = house()
    hh = entity("household", GRID, {"household_no": "HH1"}, house_id=h["id"])
    p = person("张伟", h["id"], hh["id"], phone="13800000000", occupation="工人")
    pull(store, [h, hh, p], "1")
    return {"house": h, "household": hh, "person": p}


def edit(store: Store, eid: str, **changes: Any) -> None:
    data = dict(store.entities.get(eid)["data"])
    data.update(changes)
    store.edits.save_draft(eid, {k: v for k, v in data.items() if v is not None})


def test_submit_builds_field_level_patches_in_protocol_format(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="13911112222", occupation=None)
    store.edits.save_draft(pid, store.entities.get(pid)["data"], ["留守老人"])
    new = store.edits.create("person", None, GRID, {"name": "王小明", "sex": "1"}, house_id=world["house"]["id"])
    sid = store.outbox.submit([new, pid], note="走访 3 幢")
    [sub] = store.outbox.pending()
    assert sub["id"] == sid and sub["device_id"] == store.settings.device_id() and sub["note"] == "走访 3 幢"
    assert set(sub) <= set(Submission.__annotations__)
    update, create = sub["patches"]  # existing before new (same kind: by store order)
    assert update["op"] == "update" and update["base_rev"] == 1
    assert update["set"] == {"phone": "13911112222", "occupation": None}
    assert update["tags_add"] == ["留守老人"] and update["tags_remove"] == [] and update["state"] is None
    assert "house_id" not in update
    assert create["op"] == "create" and create["base_rev"] is None
    assert create["set"] == {"name": "王小明", "sex": "1"} and create["house_id"] == world["house"]["id"]
    for patch in sub["patches"]:
        assert set(patch) <= set(Patch.__annotations__)
    assert store.entities.get(pid)["status"] == "submitted"
    assert store.outbox.submission(sid)["state"] == "queued"


def test_houses_go_before_their_persons(store: Store) -> None:
    h = store.edits.create("house", None, GRID, {"address": "新房"})
    p = store.edits.create("person", None, GRID, {"name": "新人"}, house_id=h)
    store.outbox.submit([p, h])
    kinds = [x["kind"] for x in store.outbox.pending()[0]["patches"]]
    assert kinds == ["house", "person"]


def test_nothing_to_submit_is_a_clear_error(store: Store, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="没有需要提交"):
        store.outbox.submit([world["person"]["id"]])
    with pytest.raises(InvalidInput):
        store.outbox.submit([])
    assert store.outbox.items() == []


def test_applied_result_moves_the_base_and_is_idempotent(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="2")
    sid = store.outbox.submit([pid])
    store.outbox.mark_sending([sid])
    assert store.outbox.submission(sid)["attempts"] == 1
    assert [s["id"] for s in store.outbox.pending()] == [sid]  # unanswered: offered again
    result = {"id": sid, "outcome": "accepted", "status": "applied", "revisions": {pid: 2}}
    for _ in range(2):
        store.outbox.record_results([result])
        ent = store.entities.get(pid)
        assert ent["status"] == "synced" and ent["rev"] == 2 and ent["base"]["data"]["phone"] == "2"
        assert store.outbox.submission(sid)["state"] == "approved"
    assert store.outbox.pending() == []
    # a later pull of the same revision changes nothing
    pull(store, [{**world["person"], "rev": 2, "data": {**world["person"]["data"], "phone": "2"}}], "2")
    assert store.entities.get(pid)["status"] == "synced"


def test_created_entity_gets_a_base_when_applied(store: Store, world: dict[str, Any]) -> None:
    new = store.edits.create("person", None, GRID, {"name": "王小明"})
    sid = store.outbox.submit([new])
    store.outbox.record_results([{"id": sid, "outcome": "accepted", "status": "applied", "revisions": {new: 1}}])
    ent = store.entities.get(new)
    assert ent["status"] == "synced" and ent["base"]["data"] == {"name": "王小明"} and ent["rev"] == 1


def test_pending_review_then_approved_by_review_and_pull(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="2")
    sid = store.outbox.submit([pid])
    store.outbox.record_results([{"id": sid, "outcome": "accepted", "status": "pending_review", "revisions": {}}])
    assert store.outbox.submission(sid)["state"] == "accepted"
    assert store.entities.get(pid)["status"] == "submitted"
    store.pull.apply_changes([
        {"seq": 5, "type": "review", "id": sid, "deleted": False,
         "data": {"submission_id": sid, "status": "approved", "decided_by": "sup", "decided_at": "2026-11-21T12:00:00Z",
                  "comment": "", "comments": [], "revisions": {pid: 2}}},
        {"seq": 6, "type": "entity", "id": pid, "deleted": False,
         "data": {**world["person"], "rev": 2, "data": {**world["person"]["data"], "phone": "2"}}},
    ], "6")
    assert store.outbox.submission(sid)["state"] == "approved"
    assert store.entities.get(pid)["status"] == "synced"


def test_duplicate_result_is_treated_as_the_original_outcome(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="2")
    sid = store.outbox.submit([pid])
    original = {"id": sid, "outcome": "accepted", "status": "applied", "revisions": {pid: 7}}
    store.outbox.record_results([{"id": sid, "outcome": "duplicate", "original": original}])
    assert store.entities.get(pid)["rev"] == 7 and store.outbox.submission(sid)["state"] == "approved"


def test_conflict_then_resolution_then_new_submission(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="139", occupation="教师")
    sid = store.outbox.submit([pid])
    conflict = {"id": sid, "outcome": "conflict", "conflicts": [
        {"entity_id": pid, "field": "phone", "base": "13800000000", "mine": "139", "theirs": "137",
         "theirs_rev": 5},
        {"entity_id": pid, "field": "occupation", "base": "工人", "mine": "教师", "theirs": "医生",
         "theirs_rev": 5}]}
    store.outbox.record_results([conflict])
    store.outbox.record_results([conflict])  # harmless twice
    assert store.outbox.submission(sid)["state"] == "conflict"
    assert store.entities.get(pid)["status"] == "conflict"
    rows = store.outbox.conflicts()
    assert [(r["field"], r["mine"], r["theirs"]) for r in rows] == [("occupation", "教师", "医生"),
                                                                      ("phone", "139", "137")]
    assert store.lists.counts()["conflicts"] == 1
    with pytest.raises(InvalidInput, match="冲突"):
        store.outbox.submit([pid])
    store.outbox.resolve_conflict(pid, {"phone": "theirs"})
    assert store.entities.get(pid)["status"] == "conflict"  # occupation still open
    with pytest.raises(InvalidInput):
        store.outbox.resolve_conflict(pid, {"phone": "mine"})  # already resolved
    out = store.outbox.resolve_conflict(pid, {"occupation": {"value": "退休教师"}})
    assert out["status"] == "draft" and out["data"]["phone"] == "137" and out["rev"] == 5
    sid2 = store.outbox.submit([pid])
    [patch] = store.outbox.submission(sid2)["patches"]
    assert patch["base_rev"] == 5 and patch["set"] == {"occupation": "退休教师"}
    assert store.outbox.submission(sid)["superseded_by"] == sid2


def test_rejected_goes_back_to_the_worker_with_issues(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, id_number="123")
    sid = store.outbox.submit([pid])
    issue = {"entity_id": pid, "field": "id_number", "rule": "id_number:constraint", "severity": "error",
             "kind": "constraint", "message": "身份证号码校验位错误", "message_en": "bad check digit"}
    store.outbox.record_results([{"id": sid, "outcome": "rejected", "issues": [issue]}])
    sub = store.outbox.submission(sid)
    assert sub["state"] == "rejected" and sub["issues"] == [issue]
    assert store.entities.get(pid)["status"] == "rejected"
    assert store.outbox.rejected_ids() == [sid]  # the worker's to fix
    edit(store, pid, id_number="11010519491231002X")
    sid2 = store.outbox.submit([pid])
    assert store.outbox.submission(sid2)["patches"][0]["set"] == {"id_number": "11010519491231002X"}
    assert store.outbox.submission(sid)["superseded_by"] == sid2
    assert store.outbox.rejected_ids() == []  # replaced by the fix


def test_returned_work_carries_comments_and_resubmits(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="139")
    sid = store.outbox.submit([pid])
    store.outbox.record_results([{"id": sid, "outcome": "accepted", "status": "pending_review", "revisions": {}}])
    store.pull.apply_changes([{"seq": 7, "type": "review", "id": sid, "deleted": False, "data": {
        "submission_id": sid, "status": "returned", "decided_by": "sup", "decided_at": "2026-11-21T12:00:00Z",
        "comment": "请核实", "comments": [{"entity_id": pid, "field": "phone", "comment": "号码位数不对"}],
        "revisions": {}}}], "7")
    [ret] = store.outbox.returned()
    assert ret["id"] == sid and ret["comment"] == "请核实"
    assert ret["comments"] == [{"entity_id": pid, "field": "phone", "comment": "号码位数不对"}]
    assert ret["entities"] == [{"id": pid, "name": "张伟"}]
    assert store.entities.get(pid)["status"] == "returned"
    assert store.lists.persons(status="returned").total == 1
    edit(store, pid, phone="13912345678")
    assert store.entities.get(pid)["status"] == "returned"  # stays visible as returned until resubmitted
    sid2 = store.outbox.submit([pid])
    assert store.outbox.pending()[0]["resubmits"] == sid
    assert store.outbox.returned() == []
    assert store.entities.get(pid)["status"] == "submitted" and sid2


def test_editing_and_resubmitting_before_sending_replaces_the_queued_patch(store: Store,
                                                                           world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="1")
    first = store.outbox.submit([pid])
    edit(store, pid, phone="2")
    assert store.entities.get(pid)["status"] == "draft"
    second = store.outbox.submit([pid])
    ids = [s["id"] for s in store.outbox.pending()]
    assert ids == [second] and first not in [s["id"] for s in store.outbox.items()]
    assert store.outbox.pending()[0]["patches"][0]["set"] == {"phone": "2"}


def test_submitting_a_visit_takes_the_changed_records_of_the_house(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="2")
    other = store.edits.create("person", None, GRID, {"name": "李四"})  # elsewhere: not part of the visit
    vid = store.visits.record(world["house"]["id"], "2026-11-21", "有变更", "电话变了")
    sid = store.outbox.submit(visit_id=vid)
    sub = store.outbox.pending()[0]
    assert sub["id"] == sid and [p["entity_id"] for p in sub["patches"]] == [pid]
    assert "有变更" in sub["note"] and "电话变了" in sub["note"]
    assert store.visits.get(vid)["submission_id"] == sid
    assert store.entities.get(other)["status"] == "draft"


def test_results_for_unknown_or_malformed_submissions(store: Store) -> None:
    assert store.outbox.record_results([{"id": "nope", "outcome": "accepted", "status": "applied"}]) == {"unknown": 1}
    with pytest.raises(InvalidInput):
        store.outbox.record_results([{"outcome": "accepted"}])
    with pytest.raises(InvalidInput):
        store.outbox.record_results([{"id": "x", "outcome": "maybe"}])


def test_validation_summary_travels_with_the_submission(store: Store, world: dict[str, Any]) -> None:
    pid = world["person"]["id"]
    edit(store, pid, phone="2")
    store.validation.set(pid, {"errors": 0, "warnings": 2, "tags": []})
    store.outbox.submit([pid])
    assert store.outbox.pending()[0]["client_validation"] == {"ok": True, "errors": 0, "warnings": 2}


@pytest.mark.parametrize("same_page", [True, False])
def test_an_approved_edit_overtaken_by_a_newer_revision_is_not_kept_as_local(
        store: Store, world: dict[str, Any], same_page: bool) -> None:
    p = world["person"]
    edit(store, p["id"], occupation="护士")
    sid = store.outbox.submit([p["id"]])
    store.outbox.record_results([{"id": sid, "outcome": "accepted", "status": "pending_review", "revisions": {}}])
    review = {"seq": 8, "type": "review", "id": sid, "deleted": False, "data": {
        "submission_id": sid, "status": "approved", "decided_by": "sup", "decided_at": "2026-11-21T12:00:00Z",
        "comment": "", "comments": [], "revisions": {p["id"]: 2}}}
    newer = {"seq": 9, "type": "entity", "id": p["id"], "deleted": False,
             "data": {**p, "rev": 3, "data": {**p["data"], "occupation": "医生"}}}
    if same_page:  # the entity listed first: decisions are still applied first
        store.pull.apply_changes([newer, review], "9")
    else:
        store.pull.apply_changes([review], "8")
        assert store.entities.get(p["id"])["status"] == "synced"
        store.pull.apply_changes([newer], "9")
    local = store.entities.get(p["id"])
    assert local["data"]["occupation"] == "医生" and local["status"] == "synced" and local["rev"] == 3
