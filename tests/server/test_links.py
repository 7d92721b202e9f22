"""References between entities are authorized (issue 13, finding 5): every house or household a patch
links to must exist, be of that kind and lie in the caller's scope — for workers and supervisors, for
updates and creates — and the refusal says the same whether the target is missing or elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import GRIDS, OTHER_GRID, Api, Pool, new_id, submission, update


def _rev(api: Api, user: str, eid: str) -> int:
    r = api.get(f"/entities/{eid}", user)
    assert r.status_code == 200, r.text
    return int(r.json()["rev"])


def _link(eid: str, rev: int, **links: Any) -> dict[str, Any]:
    return {**update(eid, rev), **links}


def _refused(res: dict[str, Any], field: str) -> str:
    assert res["outcome"] == "rejected", res
    [found] = [i for i in res["issues"] if i["field"] == field]
    assert found["kind"] == "link"
    return str(found["message_en"] if "message_en" in found else found.get("message"))


@pytest.mark.parametrize("user,own,foreign", [
    ("wg_qbm_1", GRIDS[0], GRIDS[2]),          # a worker, a house of another community
    ("sup_qbm", GRIDS[0], GRIDS[2]),           # a supervisor (applied at once), the same
    ("admin", GRIDS[0], OTHER_GRID),           # a street's admin, a house of another street
])
def test_a_link_to_a_house_outside_the_scope_is_refused(api: Api, pool: Pool, user: str, own: str,
                                                        foreign: str) -> None:
    person = pool.take(own)
    house = pool.peek(foreign, "house")
    before = api.get(f"/entities/{person}", user).json()
    [res] = api.submit(user, submission(_link(person, before["rev"], house_id=house)))
    outside = _refused(res, "$house_id")
    after = api.get(f"/entities/{person}", user).json()
    assert after["house_id"] == before["house_id"] and after["rev"] == before["rev"]
    # the same answer for a house that does not exist: nothing to learn about other areas
    [res] = api.submit(user, submission(_link(person, before["rev"], house_id=new_id())))
    assert _refused(res, "$house_id") == outside


def test_a_link_to_the_wrong_kind_is_refused(api: Api, pool: Pool) -> None:
    person = pool.take(GRIDS[1])
    house = pool.peek(GRIDS[1], "house")
    other_person = pool.peek(GRIDS[1])
    rev = _rev(api, "sup_qbm", person)
    [res] = api.submit("sup_qbm", submission(_link(person, rev, household_id=house)))
    _refused(res, "$household_id")
    [res] = api.submit("sup_qbm", submission(_link(person, rev, house_id=other_person)))
    _refused(res, "$house_id")
    household = pool.peek(GRIDS[1], "household")
    [res] = api.submit("sup_qbm", submission(_link(house, _rev(api, "sup_qbm", house), kind="house",
                                                   household_id=household)))
    _refused(res, "$household_id")


def test_a_new_person_may_not_be_created_into_a_foreign_house(api: Api, pool: Pool) -> None:
    house = pool.peek(GRIDS[2], "house")
    patch = {"entity_id": new_id(), "kind": "person", "op": "create", "grid": GRIDS[0], "house_id": house,
             "set": {"name": "新来人"}}
    [res] = api.submit("wg_qbm_1", submission(patch))
    _refused(res, "$house_id")
    assert api.get(f"/entities/{patch['entity_id']}", "sup_qbm").status_code == 404


def test_links_within_the_scope_still_work(api: Api, pool: Pool) -> None:
    from forms.synth import generate

    grid = GRIDS[3]
    records = generate(3, seed=777, grids=[grid])
    patches = [{"entity_id": r["id"], "kind": r["kind"], "op": "create", "grid": grid,
                "house_id": r.get("house_id"), "household_id": r.get("household_id"), "set": r["data"]}
               for r in records]
    [res] = api.submit("sup_ldl", submission(*patches))   # links to records created in the same push
    assert res["outcome"] == "accepted", res
    person = next(r for r in records if r["kind"] == "person")
    other_house = pool.peek(grid, "house")
    [res] = api.submit("sup_ldl", submission(_link(person["id"], _rev(api, "sup_ldl", person["id"]),
                                                   house_id=other_house)))
    assert res["outcome"] == "accepted", res
    assert api.get(f"/entities/{person['id']}", "sup_ldl").json()["house_id"] == other_house


def test_a_number_in_use_gets_the_same_answer_whatever_its_area(api: Api, pool: Pool) -> None:
    # issue 13, finding 11: no oracle for ID numbers of other areas
    mine = pool.take(GRIDS[0])
    near = api.get(f"/entities/{pool.peek(GRIDS[0])}", "wg_qbm_1").json()["data"]["id_number"]
    far = api.get(f"/entities/{pool.peek(GRIDS[2])}", "sup_ldl").json()["data"]["id_number"]
    answers = []
    for number in (near, far):
        rev = _rev(api, "wg_qbm_1", mine)
        [res] = api.submit("wg_qbm_1", submission(update(mine, rev, id_number=number)))
        assert res["outcome"] == "rejected", res
        answers.append(sorted((i["field"], i["kind"], i["message"], i["message_en"]) for i in res["issues"]
                              if i["kind"] == "duplicate_id"))
    assert answers[0] and answers[0] == answers[1]
    assert not any(ch.isdigit() for _f, _k, _zh, en in answers[0] for ch in en)  # no count of others
