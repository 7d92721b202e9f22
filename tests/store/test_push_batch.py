"""A batch of push results stored at once: same outcome as one by one, search and tags kept."""

from __future__ import annotations

from typing import Any

from sync.store import Store
from tests.store.conftest import house, person, pull
from tests.store.test_outbox import edit


def _world(store: Store) -> dict[str, Any]:
    h = house()
    p = person("张伟", h["id"], None, phone="13800000000")
    q = person("李娜", h["id"], None, phone="13900000000")
    pull(store, [h, p, q], "1")
    return {"house": h, "p": p["id"], "q": q["id"]}


def test_pending_leaves_out_a_travelling_batch(store: Store) -> None:
    w = _world(store)
    edit(store, w["p"], phone="1")
    first = store.outbox.submit([w["p"]])
    edit(store, w["q"], phone="2")
    second = store.outbox.submit([w["q"]])
    store.outbox.mark_sending([first])
    assert [s["id"] for s in store.outbox.pending(10, exclude=[first])] == [second]
    assert [s["id"] for s in store.outbox.pending(10)] == [first, second]


def test_one_batch_with_two_submissions_of_one_person_ends_at_the_later_revision(store: Store) -> None:
    w = _world(store)
    edit(store, w["p"], phone="13811112222")
    first = store.outbox.submit([w["p"]])
    store.outbox.mark_sending([first])
    edit(store, w["p"], phone="13822223333")
    second = store.outbox.submit([w["p"]])
    results = [{"id": first, "outcome": "accepted", "status": "applied", "revisions": {w["p"]: 2}},
               {"id": second, "outcome": "accepted", "status": "applied", "revisions": {w["p"]: 3}}]
    for _ in range(2):  # harmless to repeat
        assert store.outbox.record_results(results) == {"accepted": 2}
        ent = store.entities.get(w["p"])
        assert ent["status"] == "synced" and ent["rev"] == 3 and ent["base"]["data"]["phone"] == "13822223333"
        assert {store.outbox.submission(s)["state"] for s in (first, second)} == {"approved"}
    # the search index still finds the person by name and by the new phone (kept, not lost)
    assert [r["id"] for r in store.lists.persons(query="张伟").rows] == [w["p"]]
    assert [r["id"] for r in store.lists.persons(query="13822223333").rows] == [w["p"]]


def test_rejected_and_accepted_in_one_batch(store: Store) -> None:
    w = _world(store)
    edit(store, w["p"], phone="1")
    a = store.outbox.submit([w["p"]])
    edit(store, w["q"], phone="2")
    b = store.outbox.submit([w["q"]])
    store.outbox.mark_sending([a, b])
    counts = store.outbox.record_results([
        {"id": a, "outcome": "rejected", "issues": [{"entity_id": w["p"], "field": "phone", "message": "x"}]},
        {"id": b, "outcome": "accepted", "status": "applied", "revisions": {w["q"]: 2}},
        {"id": "no-such", "outcome": "accepted"}])
    assert counts == {"rejected": 1, "accepted": 1, "unknown": 1}
    assert store.entities.get(w["p"])["status"] == "rejected" and store.outbox.submission(a)["state"] == "rejected"
    assert store.entities.get(w["q"])["status"] == "synced" and store.outbox.submission(b)["state"] == "approved"
    assert store.outbox.pending() == []
