"""A process killed with SIGKILL in the middle of a write leaves the last committed state intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sync.store import Store
from tests.store.conftest import CHEAP, PASSWORD, USER

ROOT = Path(__file__).resolve().parents[2]

CHILD_IN_TX = textwrap.dedent("""
    import sys, time
    from sync.store import Store
    from tests.bench.store_data import item, population
    s = Store.open(sys.argv[1], sys.argv[2])
    pid = sys.argv[3]
    with s.tx():
        s.conn.execute("UPDATE entity_docs SET data = '{\\"name\\": \\"half\\"}' WHERE seq = 1")
        s.audit.log("half-written")
        ents = population(3000, seed=99)
        s.pull._apply_entities([{"type": "entity", "id": e["id"], "deleted": False, "data": e} for e in
                           [__import__("sync.store.records", fromlist=["x"]).parse_wire_entity(e, "x")
                            for e in ents]], track=False)
        print("IN-TX", flush=True)
        time.sleep(120)
""")

CHILD_LOOP = textwrap.dedent("""
    import sys
    from sync.store import Store
    s = Store.open(sys.argv[1], sys.argv[2])
    pid = sys.argv[3]
    i = 0
    print("START", flush=True)
    while True:
        i += 1
        s.edits.save_draft(pid, {"name": "张伟", "counter": i}, reason=str(i))
""")


CHILD_PULL = textwrap.dedent("""
    import sys
    from sync.store import Store
    from tests.bench.store_data import entity, item
    s = Store.open(sys.argv[1], sys.argv[2])
    print("START", flush=True)
    page = 0
    while True:
        page += 1
        ents = [entity("person", "g1", {"name": f"人{page}-{i}"}) for i in range(200)]
        s.pull.apply_changes([item(e) for e in ents], str(page), has_more=True)
""")


def _spawn(code: str, profile: Path, pid: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, str(profile), PASSWORD, pid], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def _prepare(profile: Path) -> str:
    s = Store.create(profile, PASSWORD, USER, kdf=CHEAP)
    pid = s.edits.create("person", "person", "g1", {"name": "张伟", "counter": 0})
    s.close()
    return pid


def test_kill_inside_a_write_transaction_loses_only_that_transaction(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    pid = _prepare(profile)
    child = _spawn(CHILD_IN_TX, profile, pid)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "IN-TX", line
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with Store.open(profile, PASSWORD) as s:
        assert s.scalar("PRAGMA integrity_check") == "ok"
        assert s.entities.get(pid)["data"] == {"name": "张伟", "counter": 0}
        assert s.lists.counts()["person"] == 1
        assert not [a for a in s.audit.entries() if a["action"] == "half-written"]
        assert s.lists.persons(query="zw").total == 1


@pytest.mark.slow
def test_kill_during_a_stream_of_autosaves_keeps_a_consistent_last_save(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    pid = _prepare(profile)
    for delay in (0.3, 0.7):
        child = _spawn(CHILD_LOOP, profile, pid)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "START"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        with Store.open(profile, PASSWORD) as s:
            assert s.scalar("PRAGMA integrity_check") == "ok"
            counter = s.entities.get(pid)["data"]["counter"]
            edits = [a for a in s.audit.entries(pid, limit=100000) if a["action"] == "edit"]
            # the data and its audit row were committed together: the last edit is the stored counter
            assert counter >= 1
            assert edits[0]["reason"] == str(counter)


@pytest.mark.slow
def test_kill_during_pulls_never_separates_a_page_from_its_cursor(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    _prepare(profile)
    before = 0
    for delay in (0.4, 0.9):
        child = _spawn(CHILD_PULL, profile, "")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "START"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        with Store.open(profile, PASSWORD) as s:
            assert s.scalar("PRAGMA integrity_check") == "ok"
            pages = int(s.pull.cursor() or 0)
            # 1 person of _prepare; each stored page brought 200 and its cursor, never one without the other
            pulled = s.lists.counts()["person"] - 1
            assert pulled % 200 == 0 and pulled // 200 == before + pages  # each run numbers pages from 1
            assert s.lists.persons(query="ren").total == pulled
            before += pages
    assert before > 0
