from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.store import KdfParams, Store
from tests.bench.store_data import entity, item

CHEAP = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse 电池"
USER = {"username": "wg_qingbo_1_1", "display_name": "王芳", "role": "worker"}
GRID = "330102001001001"


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile: Path) -> Iterator[Store]:
    s = Store.create(profile, PASSWORD, USER, kdf=CHEAP)
    yield s
    s.close()


def house(address: str = "杭州市上城区清波街道清波门小区3幢2单元301室", **extra: Any) -> dict[str, Any]:
    data = {"house_no": "H000301", "estate": "清波门小区", "building": "3幢", "unit": "2单元", "room": "301",
            "address": address, "occupancy": "1", **extra}
    return entity("house", GRID, data)


def person(name: str, house_id: str | None = None, household_id: str | None = None, **data: Any) -> dict[str, Any]:
    return entity("person", GRID, {"name": name, **data}, house_id=house_id, household_id=household_id)


def pull(store: Store, entities: list[dict[str, Any]], cursor: str = "c1") -> dict[str, int]:
    return store.pull.apply_changes([item(e, i) for i, e in enumerate(entities)], cursor)
