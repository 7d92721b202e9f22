"""The platform's minimum app version reaches an app that has nothing to push: in ``/health``, in every
``/changes`` page, at the first pull of a login and at each sync; it is remembered until lifted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from desktop.sync_bootstrap import initial_sync
from sync.client import min_version
from sync.client.engine import SyncEngine
from sync.client.http import ApiClient
from tests.sync.revocation_support import device_client
from tests.sync.support import ServerProcess, client, new_store


@pytest.fixture
def minimum(shared_server: ServerProcess) -> Iterator[ApiClient]:
    admin = client(shared_server.url, "admin")
    admin.post("/settings", {"min_client_version": "0.2.0"})
    yield admin
    admin.post("/settings", {"min_client_version": None})


def test_health_and_every_page_of_changes_name_the_minimum(shared_server: ServerProcess, minimum: ApiClient) -> None:
    health = requests.get(shared_server.url + "/api/v1/health", timeout=10).json()
    assert health["min_client_version"] == "0.2.0"
    page = client(shared_server.url, "wg_qbm_2").changes(None, 5)
    assert page["settings"]["min_client_version"] == "0.2.0"
    minimum.post("/settings", {"min_client_version": None})
    assert requests.get(shared_server.url + "/api/v1/health", timeout=10).json()["min_client_version"] is None
    assert "min_client_version" not in client(shared_server.url, "wg_qbm_2").changes(None, 5)["settings"]


def test_an_old_app_with_an_empty_outbox_is_told_to_update_and_forgets_when_lifted(
        shared_server: ServerProcess, tmp_path: Path, minimum: ApiClient) -> None:
    api = device_client(shared_server.url, "wg_qbm_2")
    store = new_store(tmp_path / "p", api)
    try:
        assert store.outbox.open_count() == 0
        summary = SyncEngine(store, api).run()
        assert summary.too_old == "0.2.0" and not summary.ok and summary.pages >= 1
        assert "请更新一表通到 0.2.0 版本或更高版本后再同步" in summary.text()
        assert "数据办" in summary.text()  # how to update
        assert min_version.remembered(store.settings, api.app_version) == "0.2.0"  # kept for the notice

        minimum.post("/settings", {"min_client_version": None})
        again = SyncEngine(store, api).run()
        assert again.ok and again.too_old is None
        assert store.settings.get(min_version.KEY) is None
    finally:
        store.close()


def test_an_updated_app_is_not_told_anything(shared_server: ServerProcess, tmp_path: Path,
                                             minimum: ApiClient) -> None:
    api = device_client(shared_server.url, "wg_qbm_2")
    api.app_version = "0.2.0"
    store = new_store(tmp_path / "p", api)
    try:
        summary = SyncEngine(store, api).run()
        assert summary.ok and summary.too_old is None
    finally:
        store.close()


def test_the_first_pull_of_a_login_remembers_the_minimum(shared_server: ServerProcess, tmp_path: Path,
                                                          minimum: ApiClient) -> None:
    api = device_client(shared_server.url, "wg_qbm_2")
    store = new_store(tmp_path / "p", api)
    login = SimpleNamespace(client=api, store=store)  # the part of a Session the first pull uses
    try:
        store.settings.set(min_version.KEY, None)
        assert initial_sync(login) > 0  # type: ignore[arg-type]
        assert store.settings.get(min_version.KEY) == "0.2.0"
    finally:
        store.close()
