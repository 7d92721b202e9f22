"""Schemathesis against /openapi.json of the live server: no input may produce a 5xx.

Bounded (a few examples per operation) so it runs in well under a minute. For a longer run:
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

from tests.server.conftest import Api
from tests.server.live import LiveServer

#: Examples per operation; raise with YBT_FUZZ_EXAMPLES for a longer hunt.
EXAMPLES = int(os.environ.get("YBT_FUZZ_EXAMPLES", "10"))


@pytest.mark.slow
@pytest.mark.parametrize("user", ["admin", "wg_qbm_1"])
def test_no_generated_request_causes_a_server_error(api: Api, live: LiveServer, user: str) -> None:
    spec = httpx.get(live.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(spec)
    headers = api.headers(user)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    failures: list[str] = []
    for operation in operations:
        if operation.path == "/api/v1/auth/login":
            continue  # generated logins would only exercise the login limit
        strategy = operation.as_strategy()

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def check(case: Any) -> None:
            response = case.call(base_url=live.url, headers=headers, timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")
            elif response.status_code >= 400:
                body = response.json()
                assert isinstance(body, dict) and {"code", "message", "details"} <= set(body), response.text

        check()
    assert not failures, "\n".join(failures[:20])
