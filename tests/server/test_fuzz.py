"""Schemathesis against /openapi.json of the live server: no input may produce a 5xx.

Bounded (a few examples per operation) so it runs in well under a minute. A longer hunt, also with
deliberately invalid requests: ``YBT_FUZZ_EXAMPLES=60 YBT_FUZZ_MODE=negative pytest tests/server/test_fuzz.py``
(60 positive and 40 negative examples per operation found no 5xx on SQLite and PostgreSQL). Or by hand:
``ybt server init --db /tmp/fz.db --demo && ybt server run --db /tmp/fz.db`` and then
``schemathesis run http://127.0.0.1:8765/openapi.json -H "Authorization: Bearer $TOKEN" --max-examples 200``.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.server.conftest import Api
from tests.server.live import LiveServer

#: Examples per operation; raise with YBT_FUZZ_EXAMPLES for a longer hunt.
EXAMPLES = int(os.environ.get("YBT_FUZZ_EXAMPLES", "10"))
#: Checks left out, and why: a JSON schema cannot say "no NUL, no lone surrogate, a grid that exists,
#: a field the template declares", so schema-valid requests the server rightly refuses with 400/422
#: are not failures (positive_data_acceptance).
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]
#: "positive" (valid per the schema, the default) or "negative" (deliberately invalid) requests.
MODE = schemathesis.GenerationMode(os.environ.get("YBT_FUZZ_MODE", "positive"))
#: Operations authenticated by a token in the body, not the session's bearer token.
TOKEN_EXCHANGES = ("/api/v1/auth/refresh", "/api/v1/devices/wiped")


@pytest.mark.slow
@pytest.mark.parametrize("user", ["admin", "wg_qbm_1"])
def test_no_generated_request_causes_a_server_error(api: Api, live: LiveServer, user: str) -> None:
    spec = httpx.get(live.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(spec)
    # a session of its own: generated calls include /auth/logout, which must not end the shared one
    login = api.login(user, device="fuzz")
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    failures: list[str] = []
    statuses: list[int] = []
    for operation in operations:
        if operation.path in ("/api/v1/auth/login", "/api/v1/auth/logout"):
            continue  # logins would only exercise the login limit; a logout would end the session
        if (operation.method.upper(), operation.path) == ("POST", "/api/v1/agreement"):
            continue  # a 保密协议 set here would hold back every later test's resident data
        if (operation.method.upper(), operation.path) == ("POST", "/api/v1/settings"):
            continue  # a platform setting set here (min_client_version) would reach every later test's feed
        strategy = operation.as_strategy(generation_mode=MODE)

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def check(case: Any) -> None:
            response = case.call(base_url=live.url, headers=headers, timeout=30)
            if case.path not in TOKEN_EXCHANGES:  # (made-up tokens there answer 401 by design)
                statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")
                return
            if response.status_code >= 400:
                body = response.json()
                assert isinstance(body, dict) and {"code", "message", "details"} <= set(body), response.text
            try:  # every check of schemathesis: documented status, response schema, content type, ...
                case.validate_response(response, headers=headers, excluded_checks=EXCLUDED_CHECKS)
            except Exception as exc:  # schemathesis' FailureGroup: report it with the others
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{str(exc).splitlines()[0][:300]}")

        try:
            check()
        except Unsatisfiable:  # negative mode: an operation without inputs has nothing to break
            continue
    assert not failures, "\n".join(failures[:20])
    assert statuses.count(401) < len(statuses) // 10  # the session stayed valid: the API itself was exercised
