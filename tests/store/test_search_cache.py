"""The search index caches name readings and address bigrams: a cached value never changes."""

from __future__ import annotations

from sync.store import Store
from tests.store.conftest import house, person, pull


def test_a_former_name_stays_with_its_own_person(store: Store) -> None:
    """One person's former name must not leak into another person of the same (Latin) name."""
    pull(store, [person("Anna Lee", former_name="Bella Lee"), person("Anna Lee")])
    found = store.lists.persons(query="bella").rows
    assert len(found) == 1 and found[0]["name"] == "Anna Lee"
    assert store.lists.persons(query="anna").total == 2


def test_residents_of_one_house_are_all_found_by_its_address(store: Store) -> None:
    h = house()
    pull(store, [h, person("张伟", h["id"]), person("李娜", h["id"]), person("王芳")])
    assert {r["name"] for r in store.lists.persons(query="清波门小区3幢").rows} == {"张伟", "李娜"}
