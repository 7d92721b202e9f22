"""Threads sharing a Store, a second connection writing at the same time, and the rebase rule."""

from __future__ import annotations

import threading
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.store import Store
from sync.store.pull import rebase
from sync.store.records import Record
from tests.bench.store_data import item, population
from tests.store.conftest import GRID


def test_shared_store_and_a_sibling_writing_at_once(store: Store) -> None:
    pid = store.edits.create("person", None, GRID, {"name": "张伟", "n": 0})
    errors: list[BaseException] = []
    ents = population(400, seed=5)

    def puller() -> None:
        other = store.sibling()
        try:
            for i in range(0, len(ents), 100):
                other.pull.apply_changes([item(e) for e in ents[i : i + 100]], str(i), has_more=i + 100 < len(ents))
        except BaseException as exc:
            errors.append(exc)
        finally:
            other.close()

    def reader() -> None:
        try:
            for _ in range(40):
                store.lists.persons(query="w", limit=20)
                store.lists.persons(offset=5, limit=20)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=puller), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for n in range(1, 41):  # the GUI thread keeps autosaving meanwhile
        store.edits.save_draft(pid, {"name": "张伟", "n": n})
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert store.entities.get(pid)["data"]["n"] == 40
    assert store.lists.persons().total == 1 + sum(1 for e in ents if e["kind"] == "person")
    assert store.pull.cursor() == str((len(ents) - 1) // 100 * 100)


values = st.one_of(st.none(), st.sampled_from(["", "a", "b", "c"]))
datas = st.dictionaries(st.sampled_from(["f1", "f2", "f3", "f4"]), values, max_size=4)


@settings(max_examples=300, deadline=None)
@given(old=datas, local=datas, new=datas, old_tags=st.sets(st.sampled_from("xyz")),
       local_tags=st.sets(st.sampled_from("xyz")), new_tags=st.sets(st.sampled_from("xyz")))
def test_rebase_keeps_every_local_edit_and_takes_every_other_server_change(
        old: dict[str, Any], local: dict[str, Any], new: dict[str, Any], old_tags: set[str],
        local_tags: set[str], new_tags: set[str]) -> None:
    rec = Record(id="p", kind="person", template="person", data=dict(local), tags=sorted(local_tags),
                 base={"data": dict(old), "tags": sorted(old_tags), "house_id": None, "household_id": None,
                       "state": "active", "grid": ""})
    incoming = {"data": dict(new), "tags": sorted(new_tags), "house_id": None, "household_id": None,
                "state": "active", "grid": ""}
    rebase(rec, incoming)

    def empty(v: Any) -> bool:
        return v is None or v == ""

    for key in set(old) | set(local) | set(new):
        edited = not (empty(local.get(key)) and empty(old.get(key))) and local.get(key) != old.get(key)
        got = rec.data.get(key)
        want = local.get(key) if edited else new.get(key)
        assert got == want or (empty(got) and empty(want)), (key, old, local, new, rec.data)
    added, removed = local_tags - old_tags, old_tags - local_tags
    assert set(rec.tags) == (new_tags - removed) | added
