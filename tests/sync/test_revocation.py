"""A revoked device at its next contact (real server on loopback, real encrypted store): it cannot
push and is wiped; with "push first" its outbox reaches the platform before the wipe. An app older than
the platform's minimum version pushes nothing, keeps its outbox, pulls, and pushes once updated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sync.client.engine import SyncEngine
from sync.client.errors import DeviceRevoked
from sync.client.http import ApiClient
from sync.client.revocation import wipe_local
from sync.store import Store
from sync.store.wipe import MARKER_NAME, read_marker
from tests.sync.revocation_support import device_client
from tests.sync.support import PASSWORD, ServerProcess, client, new_store, server_submission_count
from tests.sync.test_cli import ybt
from tests.sync.test_engine import edit_some

USER = "wg_qbm_2"


def revoke(admin: ApiClient, api: ApiClient, *, push_first: bool, reason: str = "笔记本丢失") -> dict[str, Any]:
    [device] = [d for d in admin.get("/devices", {"user": api.username})["items"] if d["device_id"] == api.device_id]
    assert device["state"] == "active" and device["app_version"] == "0.1.0"
    return dict(admin.post(f"/devices/{device['id']}/revoke", {"push_first": push_first, "reason": reason}))


def state_of(admin: ApiClient, api: ApiClient) -> str:
    [device] = [d for d in admin.get("/devices", {"user": api.username})["items"] if d["device_id"] == api.device_id]
    return str(device["state"])


def work_to_send(store: Any) -> tuple[str, str]:
    """One submission and one visit queued in the outbox."""
    [pid] = edit_some(store, 1, "employer", "区档案馆", offset=7)
    sid = store.outbox.submit([pid], note="走访")
    house = store.entities.get(pid)["house_id"]
    vid = store.visits.record(house, date.today(), "有变更", "换了工作")
    return sid, vid


def test_a_revoked_device_is_wiped_at_its_next_contact_and_cannot_push(shared_server: ServerProcess,
                                                                       tmp_path: Path) -> None:
    admin = client(shared_server.url, "admin")
    api = device_client(shared_server.url, USER)
    store_dir = tmp_path / "users" / USER
    store = new_store(store_dir, api)
    assert SyncEngine(store, api).run().ok
    sid, _vid = work_to_send(store)
    revoke(admin, api, push_first=False)
    summary = SyncEngine(store, api).run()
    assert isinstance(summary.revoked, DeviceRevoked) and summary.wipe and not summary.ok
    assert summary.revoked.reason == "笔记本丢失" and not summary.revoked.push_first
    assert summary.sent == 0 and server_submission_count(shared_server.db_url, [sid]) == 0
    assert wipe_local(api, store.close, store_dir, tmp_path / MARKER_NAME, summary.revoked, USER)
    assert not store_dir.exists()  # the encrypted store, its WAL and profile.json: all gone
    note = read_marker(tmp_path / MARKER_NAME)
    assert note is not None and note["reason"] == "笔记本丢失" and note["username"] == USER
    assert api.tokens is None
    assert state_of(admin, api) == "wiped"
    with pytest.raises(DeviceRevoked):
        api.login(USER, PASSWORD)  # the same user from the same device stays refused


def test_with_push_first_the_outbox_reaches_the_platform_before_the_wipe(shared_server: ServerProcess,
                                                                         tmp_path: Path) -> None:
    admin = client(shared_server.url, "admin")
    api = device_client(shared_server.url, USER)
    store_dir = tmp_path / "p"
    store = new_store(store_dir, api)
    assert SyncEngine(store, api).run().ok
    sid, vid = work_to_send(store)
    person = store.lists.persons(limit=1).rows[0]["id"]
    store.audit.record("reveal", person, field="id_number", reason="核对低保名单")  # made offline, never sent
    revoke(admin, api, push_first=True, reason="调岗")
    summary = SyncEngine(store, api).run()
    assert isinstance(summary.revoked, DeviceRevoked) and summary.revoked.push_first and summary.wipe
    assert summary.sent == 1 and summary.visits_sent == 1
    reveals = admin.get("/audit", {"action": "reveal", "entity_id": person})["items"]
    reasons = [r["detail"].get("reason") for r in reveals if r["origin"] == "device"]
    assert reasons.count("核对低保名单") == 1  # (other tests reveal this person on the shared platform too)
    assert server_submission_count(shared_server.db_url, [sid]) == 1
    assert admin.get("/visits", {"house_id": store.visits.get(vid)["house_id"]})["items"][0]["id"] == vid
    assert summary.received == 0  # nothing more is handed to a revoked device
    assert wipe_local(api, store.close, store_dir, tmp_path / MARKER_NAME, summary.revoked, USER)
    assert not store_dir.exists() and state_of(admin, api) == "wiped"


def test_the_headless_sync_of_a_revoked_device_wipes_the_profile_and_says_why(shared_server: ServerProcess,
                                                                             tmp_path: Path) -> None:
    admin = client(shared_server.url, "admin")
    profile = tmp_path / "wg"
    args = ("sync", "--server", shared_server.url, "--user", "wg_ldl_1", "--profile", str(profile))
    assert ybt(*args).returncode == 0
    with Store.open(profile, PASSWORD) as store:
        device_id = store.settings.device_id()
    [row] = [d for d in admin.get("/devices", {"user": "wg_ldl_1"})["items"] if d["device_id"] == device_id]
    admin.post(f"/devices/{row['id']}/revoke", {"push_first": False, "reason": "离职"})
    again = ybt(*args)
    assert again.returncode == 1
    assert "此设备已被管理员吊销，本地数据已清除：离职" in again.stderr
    assert [p.name for p in profile.iterdir()] == [MARKER_NAME]
    third = ybt(*args)  # the wiped profile keeps its device id: still refused
    assert third.returncode == 1 and "吊销" in third.stderr


@pytest.fixture
def minimum(shared_server: ServerProcess) -> Iterator[ApiClient]:
    admin = client(shared_server.url, "admin")
    yield admin
    admin.post("/settings", {"min_client_version": None})


def test_an_older_app_keeps_its_outbox_pulls_and_pushes_after_updating(shared_server: ServerProcess,
                                                                       tmp_path: Path, minimum: ApiClient) -> None:
    api = device_client(shared_server.url, "wg_ldl_2")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    sid, _vid = work_to_send(store)
    minimum.post("/settings", {"min_client_version": "0.2.0"})
    summary = SyncEngine(store, api).run()
    assert summary.too_old == "0.2.0" and not summary.ok
    assert "请更新一表通到 0.2.0 版本或更高版本后再同步" in summary.text()
    assert summary.sent == 0 and summary.visits_sent == 0 and summary.pages >= 1  # the pull went on
    assert server_submission_count(shared_server.db_url, [sid]) == 0
    assert store.outbox.open_count() == 1 and store.visits.open_count() == 1  # kept
    api.app_version = "0.2.0"  # the app was updated
    after = SyncEngine(store, api).run()
    assert after.ok, after.errors
    assert after.sent == 1 and after.visits_sent == 1 and after.too_old is None
    assert server_submission_count(shared_server.db_url, [sid]) == 1
    store.close()
