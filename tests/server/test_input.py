"""Bad input never yields a 500: malformed JSON, wrong types, unknown fields, huge bodies, bad cursors."""

from __future__ import annotations

import pytest

from tests.server.conftest import GRIDS, Api, Pool, submission, update


def _assert_error(r, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]


@pytest.mark.parametrize("raw", [b"{", b"[1,2", b"\xff\xfe", b'{"submissions": [}', b"null"])
def test_malformed_json(api: Api, raw: bytes) -> None:
    r = api.http.post("/submissions", content=raw,
                      headers={**api.headers("sup_qbm"), "Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert r.json()["code"] in ("bad_request", "validation_error")


def test_login_with_malformed_json_is_400(api: Api) -> None:
    r = api.http.post("/auth/login", content=b'{"username": ', headers={"Content-Type": "application/json"})
    _assert_error(r, 400, "bad_request")


@pytest.mark.parametrize("body", [
    {"submissions": "nope"},
    {"submissions": [{"id": 5, "patches": []}]},
    {"submissions": [{"id": "x", "patches": [{"entity_id": "e", "kind": "planet", "op": "update", "set": {}}]}]},
    {"submissions": [{"id": "x", "patches": [{"entity_id": "e", "kind": "person", "op": "update",
                                               "base_rev": "three", "set": {}}]}]},
    {"submissions": []},
    {},
])
def test_wrong_types_are_422_with_locations(api: Api, body: dict[str, object]) -> None:
    r = api.post("/submissions", "sup_qbm", json=body)
    _assert_error(r, 422, "validation_error")
    assert r.json()["details"]["errors"][0]["loc"]


def test_unknown_fields_are_refused(api: Api, pool: Pool) -> None:
    r = api.http.post("/auth/login", json={"username": "admin", "password": "x", "device_id": "d", "admin": True})
    _assert_error(r, 422, "validation_error")
    sub = submission(update(pool.peek(GRIDS[0]), 1, phone="1"))
    sub["sneaky"] = 1
    _assert_error(api.post("/submissions", "sup_qbm", json={"submissions": [sub]}), 422, "validation_error")
    patch = {**update(pool.peek(GRIDS[0]), 1), "rev": 9}
    _assert_error(api.post("/submissions", "sup_qbm", json={"submissions": [submission(patch)]}), 422,
                  "validation_error")


def test_huge_body_is_413(api: Api) -> None:
    big = b'{"submissions": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    r = api.http.post("/submissions", content=big,
                      headers={**api.headers("sup_qbm"), "Content-Type": "application/json"})
    _assert_error(r, 413, "payload_too_large")


def test_huge_chunked_body_is_413(api: Api) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"submissions": "'
        for _ in range(40):
            yield b"x" * (100 * 1024)
        yield b'"}'

    r = api.http.post("/submissions", content=chunks(),
                      headers={**api.headers("sup_qbm"), "Content-Type": "application/json"})
    _assert_error(r, 413, "payload_too_large")


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.!!", "9" * 40])
def test_bad_cursor_is_400(api: Api, cursor: str) -> None:
    r = api.get("/changes", "wg_qbm_1", params={"since": cursor})
    assert r.status_code in (400, 422)
    assert r.json()["code"] in ("bad_request", "validation_error")


@pytest.mark.parametrize("limit", ["0", "-5", "x", "100000"])
def test_bad_limit_is_422(api: Api, limit: str) -> None:
    _assert_error(api.get("/changes", "wg_qbm_1", params={"limit": limit}), 422, "validation_error")


def test_unknown_route_and_wrong_method(api: Api) -> None:
    _assert_error(api.get("/nothing/here", "admin"), 404, "not_found")
    _assert_error(api.http.delete("/auth/login"), 405, "method_not_allowed")


def test_template_upload_needs_multipart(api: Api) -> None:
    r = api.post("/templates", "admin", content=b"{}", headers={"Content-Type": "application/json"})
    _assert_error(r, 415, "unsupported_media_type")
    r = api.post("/templates", "admin", files={"other": ("a.xlsx", b"x")})
    _assert_error(r, 400, "bad_request")


def test_responses_are_gzip_compressed(api: Api) -> None:
    r = api.get("/changes", "admin", params={"limit": 200}, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == "gzip"


def test_nul_characters_are_refused_not_crashing(api: Api) -> None:
    r = api.http.post("/auth/login", json={"username": "a\u0000b", "password": "x", "device_id": "d"})
    _assert_error(r, 400, "bad_request")
    r = api.get("/changes", "wg_qbm_1", params={"since": "1\u0000"})
    _assert_error(r, 400, "bad_request")
    r = api.post("/users", "admin", json={"username": "nul_user", "display_name": "x\u0000", "role": "worker",
                                          "password": "longenough", "areas": [GRIDS[0]]})
    _assert_error(r, 400, "bad_request")


def test_out_of_range_numbers_are_4xx(api: Api, pool: Pool) -> None:
    r = api.post("/submissions", "sup_qbm", json={"submissions": [submission(update(pool.peek(GRIDS[0]), 2**40))]})
    _assert_error(r, 422, "validation_error")
    r = api.get("/review/queue", "sup_qbm", params={"offset": str(10**30)})
    _assert_error(r, 422, "validation_error")


def test_options_and_405_name_every_method_of_the_path(api: Api) -> None:
    # issue 13, finding 15: /templates has GET and POST; both are named
    r = api.http.options("/templates")
    assert r.status_code == 204
    assert {m.strip() for m in r.headers["Allow"].split(",")} == {"GET", "POST", "OPTIONS"}
    r = api.http.delete("/templates")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in r.headers["Allow"].split(",")}
    assert api.http.options("/no/such/path").status_code == 404
