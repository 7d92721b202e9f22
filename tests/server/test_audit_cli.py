"""``ybt admin audit`` against the live platform: filters, pages, --all, --json, exit codes."""

from __future__ import annotations

import argparse
import json
import uuid

import pytest

from sync.cli import register
from tests.server.conftest import PASSWORD, Api
from tests.server.live import LiveServer
from tests.server.test_audit import device_entry, new_log, new_worker


def ybt(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    code = int(args.handler(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def login(live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    return ["--server", live.url, "--user", "admin"]


def test_the_cli_lists_filters_and_pages_the_log(api: Api, login: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    user = new_worker(api)
    entity = str(uuid.uuid4())
    batch = [device_entry(i, "reveal", entity) for i in range(1, 6)] + [device_entry(6, "export")]
    assert api.post("/audit", user, json={"log_id": new_log(), "entries": batch}).status_code == 200
    code, out, _ = ybt(capsys, "admin", "audit", *login, "--who", user, "--action", "reveal", "--limit", "2", "--json")
    assert code == 0
    page = json.loads(out)
    assert len(page["items"]) == 2 and page["next_before"] == page["items"][-1]["id"]
    assert {e["action"] for e in page["items"]} == {"reveal"}
    code, out, _ = ybt(capsys, "admin", "audit", *login, "--who", user, "--action", "reveal", "--limit", "2",
                       "--before", str(page["next_before"]), "--json")
    second = json.loads(out)["items"]
    assert len(second) == 2 and second[0]["id"] < page["items"][-1]["id"]
    code, out, _ = ybt(capsys, "admin", "audit", *login, "--entity", entity, "--all", "--limit", "1", "--json")
    everything = json.loads(out)
    assert len(everything["items"]) == 5 and everything["next_before"] is None
    code, out, _ = ybt(capsys, "admin", "audit", *login, "--who", user, "--since", "2026-12-01", "--until", "2026-12-01")
    assert code == 0
    assert out.count("查看完整信息") == 5 and out.count("导出") == 1 and "reason=核对身份" in out


def test_the_cli_refuses_bad_input_and_other_roles(login: list[str], live: LiveServer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ybt(capsys, "admin", "audit", *login, "--action", "steal")
    assert code == 2 and "steal" in err
    code, _, err = ybt(capsys, "admin", "audit", *login, "--since", "2026-13-01")
    assert code == 1 and "since" in err
    code, _, err = ybt(capsys, "admin", "audit", "--server", live.url, "--user", "wg_qbm_1")
    assert code == 1 and err
