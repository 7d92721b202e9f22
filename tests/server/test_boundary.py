"""The input boundary (issue 13, findings 1, 6, 12, 13, 14): text that is not valid Unicode, NUL whatever
the content type, non-finite numbers and coerced types are refused at the door with a located 400/422,
nothing is stored, and what was stored before stays readable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.server.conftest import GRIDS, Api, Pool, submission, update


def _current(api: Api, user: str, eid: str) -> dict[str, Any]:
    r = api.get(f"/entities/{eid}", user)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _raw_post(api: Api, path: str, user: str | None, text: str, content_type: str = "application/json") -> Any:
    return api.post(path, user, content=text.encode("utf-8"), headers={"Content-Type": content_type})


def _assert_400(r: Any, words: str) -> None:
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == "bad_request"
    assert words in body["details"]["message_en"]


def _submission_text(eid: str, rev: int, raw_value: str) -> str:
    """A push whose one value is written as raw JSON (so it can hold what json.dumps would not write)."""
    sub = submission(update(eid, rev, occupation="PLACEHOLDER"))
    return json.dumps({"submissions": [sub]}).replace('"PLACEHOLDER"', raw_value)


def _push_is_refused(api: Api, pool: Pool, raw_value: str, words: str) -> None:
    """A push whose one value is ``raw_value`` is a 400 naming ``words``, and nothing is stored."""
    eid = pool.peek(GRIDS[0])
    before = _current(api, "sup_qbm", eid)
    r = _raw_post(api, "/submissions", "sup_qbm", _submission_text(eid, before["rev"], raw_value))
    _assert_400(r, words)
    assert _current(api, "sup_qbm", eid) == before


@pytest.mark.parametrize("raw_value", ['"\\ud83d"', '"a\\udc00b"', '"\\ude00\\ud83d"'])
def test_a_lone_surrogate_is_refused_and_the_grid_stays_readable(api: Api, pool: Pool, raw_value: str) -> None:
    _push_is_refused(api, pool, raw_value, "surrogate")
    assert api.get("/review/queue", "sup_qbm").status_code == 200
    assert api.get("/changes", "wg_qbm_1", params={"limit": 1000}).status_code == 200


def test_a_surrogate_pair_is_text_and_is_kept(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    before = _current(api, "sup_qbm", eid)
    r = _raw_post(api, "/submissions", "sup_qbm", _submission_text(eid, before["rev"], '"\\ud83d\\ude00 ok"'))
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["outcome"] == "accepted"
    assert _current(api, "sup_qbm", eid)["data"]["occupation"] == "\U0001F600 ok"


@pytest.mark.parametrize("path,text", [
    ("/auth/login", '{"username": "\\ud800", "password": "x", "device_id": "d"}'),
    ("/review/00000000-0000-0000-0000-000000000000/decision", '{"decision": "return", "comment": "\\udfff"}'),
])
def test_lone_surrogates_are_refused_on_every_route(api: Api, path: str, text: str) -> None:
    _assert_400(_raw_post(api, path, "sup_qbm" if "review" in path else None, text), "surrogate")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(api: Api, pool: Pool, number: str) -> None:
    _push_is_refused(api, pool, number, "NaN and Infinity")


def test_the_words_nan_and_infinity_in_text_are_fine(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    before = _current(api, "sup_qbm", eid)
    r = _raw_post(api, "/submissions", "sup_qbm", _submission_text(eid, before["rev"], '"NaN Infinity 工程师"'))
    assert r.status_code == 200, r.text
    assert _current(api, "sup_qbm", eid)["data"]["occupation"] == "NaN Infinity 工程师"


@pytest.mark.parametrize("content_type", ["application/JSON", "Application/Json; charset=utf-8", "text/plain", ""])
def test_nul_is_refused_whatever_the_content_type(api: Api, content_type: str) -> None:
    text = '{"username": "a\\u0000b", "password": "x", "device_id": "d"}'
    _assert_400(_raw_post(api, "/auth/login", None, text, content_type), "NUL")


def test_a_body_that_is_not_utf8_is_refused(api: Api) -> None:
    r = api.post("/auth/login", None, content=b'{"username": "\xc3(", "password": "x", "device_id": "d"}',
                 headers={"Content-Type": "application/json"})
    _assert_400(r, "not valid UTF-8")


@pytest.mark.parametrize("since", ["\u00b2", "1\u00b2", "\u0663", "5.\u00b2\u00b3"])
def test_a_cursor_of_unicode_digits_is_4xx_not_500(api: Api, since: str) -> None:
    r = api.get("/changes", "wg_qbm_1", params={"since": since})
    assert r.status_code in (400, 422), r.text
    assert r.json()["code"] in ("bad_request", "validation_error")


@pytest.mark.parametrize("base_rev", [True, "1", 1.0])
def test_base_rev_must_be_an_integer(api: Api, pool: Pool, base_rev: Any) -> None:
    patch = {**update(pool.peek(GRIDS[0]), 1), "base_rev": base_rev}
    r = api.post("/submissions", "sup_qbm", json={"submissions": [submission(patch)]})
    assert r.status_code == 422, r.text
    locs = [e["loc"] for e in r.json()["details"]["errors"]]
    assert any("base_rev" in map(str, loc) for loc in locs), locs


def test_a_number_is_not_a_string(api: Api) -> None:
    r = api.http.post("/auth/login", json={"username": 12345, "password": "x", "device_id": "d"})
    assert r.status_code == 422, r.text


# ---- finding 6: undeclared and unbounded input ---------------------------------------------------

def test_a_field_the_template_does_not_declare_is_refused(api: Api, pool: Pool) -> None:
    eid = pool.peek(GRIDS[1])
    before = _current(api, "sup_qbm", eid)
    extra = {f"junk_{i}": "x" for i in range(30)}
    [res] = api.submit("sup_qbm", submission(update(eid, before["rev"], occupation="教师", **extra)))
    assert res["outcome"] == "rejected", res
    assert {i["kind"] for i in res["issues"]} == {"unknown_field"}
    assert all(i["field"].startswith("junk_") for i in res["issues"])
    assert _current(api, "sup_qbm", eid) == before


@pytest.mark.parametrize("value,words", [
    ("x" * 10_001, "longer than 10000"),
    ({"nested": "object"}, "not dict"),
    ([1, 2], "repeat row is an object"),
    ([{"tenant_name": "y" * 10_001}], "longer than 10000"),
])
def test_values_past_the_stated_bounds_are_422_with_their_field(api: Api, pool: Pool, value: Any,
                                                                 words: str) -> None:
    eid = pool.peek(GRIDS[1])
    r = api.post("/submissions", "sup_qbm", json={"submissions": [submission(update(eid, 1, occupation=value))]})
    assert r.status_code == 422, r.text
    errors = r.json()["details"]["errors"]
    assert any(words in e["msg"] for e in errors), errors


def test_too_many_fields_in_one_patch_is_422(api: Api, pool: Pool) -> None:
    eid = pool.peek(GRIDS[1])
    many = {f"f{i}": "1" for i in range(1001)}
    r = api.post("/submissions", "sup_qbm", json={"submissions": [submission(update(eid, 1, **many))]})
    assert r.status_code == 422, r.text


def test_a_rejected_submission_keeps_what_it_touched_not_its_values(api: Api, pool: Pool) -> None:
    import sqlalchemy as sa

    from sync.server import tables as t
    from sync.server.db import make_engine

    eid = pool.peek(GRIDS[1])
    big = "巨" * 9_000
    sub = submission(update(eid, _current(api, "sup_qbm", eid)["rev"], occupation=big, junk_field="x"))
    [res] = api.submit("sup_qbm", sub)
    assert res["outcome"] == "rejected"
    engine = make_engine(api.live.db_url)
    try:
        with engine.connect() as conn:
            body = conn.execute(sa.select(t.submissions.c.body).where(t.submissions.c.id == sub["id"])).scalar_one()
    finally:
        engine.dispose()
    assert body["patches"][0]["set"] == {"occupation": None, "junk_field": None}
    assert big not in json.dumps(body, ensure_ascii=False)
