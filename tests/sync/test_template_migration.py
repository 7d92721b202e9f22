"""Nothing stranded: a device's unsent work made under template version 1 survives the publication of
version 2 (a field removed, a field renamed, a choice code removed), with its values where the rules
say: carried by field name, or kept beside the record and shown, never dropped. Real store, real
platform on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.client.engine import SyncEngine
from tests.sync.support import GRID1, ServerProcess, client, new_store, server_entities
from tests.template_versions import edited

STREET = "330102001"


def version2() -> bytes:
    return edited("person", "2026.2", remove=["former_name"], rename={"occupation": "job"},
                  remove_choices={"marital_status": ["40"]})


def pull_only(store: Any, api: Any) -> None:
    """One pull to the end, without pushing first (as a sync whose push could not run would)."""
    while True:
        page = api.changes(store.pull.cursor(), 500)
        store.pull.apply_changes(page["items"], page["next_cursor"], reset=page["reset"], has_more=page["has_more"])
        if not page["has_more"]:
            return


def test_a_draft_under_version_1_survives_version_2_with_its_values_where_the_rules_say(
        server: ServerProcess, tmp_path: Path) -> None:
    api = client(server.url, "wg_qbm_1")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    draft_id, queued_id = [p["id"] for p in store.lists.persons(limit=2).rows]
    draft = store.entities.get(draft_id)
    assert draft["template_version"] == "2026.1"
    store.edits.save_draft(draft_id, {**draft["data"], "former_name": "王小芳", "occupation": "教师",
                                      "marital_status": "40"})
    queued = store.entities.get(queued_id)
    store.edits.save_draft(queued_id, {**queued["data"], "occupation": "医生", "former_name": "李二"})
    sid = store.outbox.submit([queued_id])
    admin = client(server.url, "admin")
    published = admin.upload(f"/templates?area={STREET}", "person.xlsx", version2())
    assert published["version"] == "2026.2"

    pull_only(store, api)

    moved = store.entities.get(draft_id)
    assert moved["template_version"] == "2026.2" and moved["status"] == "draft"
    assert moved["data"]["job"] == "教师"                     # renamed: carried to the new name
    for gone in ("occupation", "former_name", "marital_status"):
        assert gone not in moved["data"]
    kept = {x["path"]: x for x in store.leftovers.for_entity(draft_id)}
    assert set(kept) == {"former_name", "marital_status"}
    assert kept["former_name"]["value"] == "王小芳" and kept["former_name"]["label"] == "曾用名"
    assert kept["marital_status"]["value"] == "40" and kept["marital_status"]["shown"] == "40 离婚"
    assert {x["reason"] for x in kept.values()} == {"field_removed", "choice_removed"}
    assert all(x["from_version"] == "2026.1" and x["to_version"] == "2026.2" for x in kept.values())
    # the still-queued submission now speaks version 2 too
    [patch] = store.outbox.submission(sid)["patches"]
    assert patch["template_version"] == "2026.2" and patch["set"] == {"job": "医生"}
    assert [x["path"] for x in store.leftovers.for_entity(queued_id)] == ["former_name"]

    # both reach the platform under version 2 and land by name
    store.outbox.submit([draft_id])
    summary = SyncEngine(store, api).run()
    assert summary.ok and summary.accepted == 2, summary.errors
    sup = client(server.url, "sup_qbm")
    for pending in sup.get("/review/queue")["items"]:
        assert sup.post(f"/review/{pending['submission_id']}/decision", {"decision": "approve"})["status"] == "approved"
    master = server_entities(server.db_url, GRID1)
    assert master[draft_id]["data"]["job"] == "教师" and master[queued_id]["data"]["job"] == "医生"
    assert master[draft_id]["template_version"] == "2026.2"
    # the kept values stay beside the record until the worker dismisses them, an audited act
    assert SyncEngine(store, api).run().ok
    assert len(store.leftovers.for_entity(draft_id)) == 2
    [first] = [x for x in store.leftovers.for_entity(draft_id) if x["path"] == "former_name"]
    store.leftovers.dismiss(first["id"], reason="已抄入备注")
    assert [x["path"] for x in store.leftovers.for_entity(draft_id)] == ["marital_status"]
    assert len(store.leftovers.for_entity(draft_id, dismissed=True)) == 2
    assert any(a["action"] == "leftover_dismiss" and a["entity_id"] == draft_id for a in store.audit.entries())


def test_a_record_edited_after_the_new_version_came_gets_back_what_the_platform_kept(
        server: ServerProcess, tmp_path: Path) -> None:
    """A record with no local work is not migrated on the device (the platform holds its values); edited
    later, it goes up under the version it was stored under, and the platform's leftovers come back."""
    api = client(server.url, "wg_qbm_1")
    sup = client(server.url, "sup_qbm")
    store = new_store(tmp_path / "p", api)
    assert SyncEngine(store, api).run().ok
    eid = store.lists.persons(limit=1).rows[0]["id"]
    store.edits.save_draft(eid, {**store.entities.get(eid)["data"], "former_name": "张老三"})
    sid = store.outbox.submit([eid])
    assert SyncEngine(store, api).run().ok
    assert sup.post(f"/review/{sid}/decision", {"decision": "approve"})["status"] == "approved"
    client(server.url, "admin").upload(f"/templates?area={STREET}", "person.xlsx", version2())
    assert SyncEngine(store, api).run().ok
    synced = store.entities.get(eid)
    assert synced["status"] == "synced" and synced["template_version"] == "2026.1"
    assert synced["data"]["former_name"] == "张老三" and not store.leftovers.for_entity(eid)

    store.edits.save_draft(eid, {**synced["data"], "occupation": "司机"})
    store.outbox.submit([eid])
    assert SyncEngine(store, api).run().ok
    [kept] = store.leftovers.for_entity(eid)
    assert (kept["path"], kept["value"], kept["from_version"]) == ("former_name", "张老三", "2026.1")
    for pending in sup.get("/review/queue")["items"]:
        sup.post(f"/review/{pending['submission_id']}/decision", {"decision": "approve"})
    master = server_entities(server.db_url, GRID1)[eid]
    assert master["template_version"] == "2026.2" and master["data"]["job"] == "司机"
    assert "former_name" not in master["data"]
