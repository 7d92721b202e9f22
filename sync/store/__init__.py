"""The local store of the desktop app: one encrypted SQLite (SQLCipher) file per user profile.

API (synchronous; every method is one transaction at most; all errors are ``StoreError`` subclasses
with a readable Chinese + English message)::

    from sync.store import Store, WrongPassword, Page, AreaNode

    store = Store.create(profile_dir, password, {"username": "wg1", "display_name": "王芳",
                                                 "role": "worker", "areas": [...]})
    store = Store.open(profile_dir, password)     # WrongPassword / ProfileError / StoreCorrupt
    store.close()                                 # also a context manager
    other = store.sibling()                       # second connection to the same profile (other thread)
    store.change_password(old, new)               # re-encrypts; siblings must be closed (StoreError)

Threads: a Store may be shared between threads; each public method holds the store's lock, so calls
are serialized. A background thread that should not wait behind the GUI (the sync engine, the
revalidation pass) opens ``store.sibling()`` in that thread: WAL lets its writes and the GUI's reads
run side by side, and the GUI store's caches (list order, graph, grids) notice the other
connection's commits (``PRAGMA data_version``). Methods and attributes starting with ``_``, and
``q``/``q1``/``scalar``/``tx``/``conn``, are internal.

Layout: the ``Store`` (:mod:`sync.store.store`) owns the connection, lock and transaction helper
(:class:`sync.store.db.StoreDb`) and hands out one collaborator per job, each a class in its own
module that receives what it needs in its constructor and imports nothing above it::

    db ← audit ← settings                      db ← lists, library, validation_cache
    db ← entities ← edits, pull, graph, results ← outbox (also visits, audit)

Profile directory: ``store.db`` (+ ``-wal``/``-shm``) and plaintext ``profile.json`` (Argon2id salt
and parameters, a key check value, the username). The key is Argon2id(password) via argon2-cffi,
passed raw to SQLCipher. ``crypto.KdfParams`` may be passed as ``kdf=`` to ``create`` (tests use cheap
parameters).

Reading (dicts in the entity wire format of docs/architecture.md, plus ``status`` and ``base``)::

    store.entities.get(id) -> dict          # current local version; NotFound if unknown
    store.entities.find(id) -> dict | None
    store.entities.bundle(id) -> {"entity", "house", "household", "residents", "members", "households"}
    store.entities.residents(house_id) / .members(household_id) / .households(house_id) -> [dict]
    store.graph() -> forms.graph.EntityGraph over the local versions (cached; see sync.store.graph)
    store.lists.area_children(key | None) -> [AreaNode(key, name, level, parent, filters, has_children, houses)]
        None -> top areas; an area code -> its sub-areas, or for a grid its 小区; then 楼栋, 单元, 室.
        Pass node.key back to get its children; pass **node.filters to lists.persons / lists.houses.
    store.lists.persons(area=None, *, estate, building, unit, room, house_id, household_id, query, tags,
                       validation ('error'|'warning'|'ok'|'unchecked'), visit ('none'|'any'|result),
                       state ('active'|'moved_out'|'deceased'), status, sort=('name', 'asc'),
                       offset=0, limit=100) -> Page(rows, total)
    store.lists.houses(area=None, *, estate, building, unit, room, house_id, query, tags, validation,
                      visit, status, sort=('address', 'asc'), offset, limit) -> Page (rows + "residents")
    store.lists.households(house_id=None, area=None, offset, limit) -> Page
        rows: id, kind, name, sex, birth_date, id_number, phone, address, estate, building, unit,
        room, house_no, grid, house_id, household_id, state, status, tags (stored), tags_in_force
        (from the validation cache, else the stored tags), errors, warnings, vstate, visit_result,
        visit_date, updated_at. Sort keys: sync.store.lists.SORTS. 'address' is natural: grid, then
        estate, building, unit and room with numbers compared as numbers (101 < 201 < 1001, 2幢 < 10幢,
        numbers before letters: 1001 < B101), by the place_key column (sync.store.natural).
        ``query``: search-as-you-type over name, pinyin (full, initials; surnames read as surnames),
        ID-number tail (4-6), phone tail (4), whole ID/phone prefixes, and address substrings.
    store.lists.counts() -> {"person", "house", "household", "drafts", "outbox", "returned", "conflicts"}
    Lists: the first page of a name/address-sorted list comes straight from an index; other pages,
    searches and other sorts compute the list order once (cached until the next commit) and then
    fetch each page by primary key, so lazy models scroll at about 1 ms a page.

Entity ``status`` (local editing state): synced | draft | submitted | returned | conflict | rejected.
Entity ``state`` (life state): active | moved_out | deceased.

User actions (each one transaction, each audited)::

    store.edits.create(kind, template, grid, data, house_id=None, household_id=None, *, tags=(),
                        template_version=None, entity_id=None) -> id
    store.edits.save_draft(entity_id, data, tags=None, *, house_id=None, household_id=None,
                     template_version=None, reason=None) -> dict      # autosave; full data dict
    store.edits.move_person(person_id, house_id, household_id, reason=None)
    store.edits.set_state(entity_id, 'moved_out'|'deceased'|'active', date, reason=None)
    store.edits.revert(entity_id, fields=None) -> dict                     # back to the server version
    store.visits.record(house_id, date, result in VISIT_RESULTS, note='', person_ids=None) -> visit id
        queued for sync (sync_state pending); person_ids default: the house's active residents;
        InvalidInput for a bad result, a malformed or future date, an id that is no person
    store.visits.of_house(house_id) / .of_person(person_id) / .get(visit_id)   # newest first
    store.visits.verification(entity_id, today=None) -> {cycle, verified, visit_id, date}
    store.visits.due(grid=None, tag=None, today=None, *, kind=None, limit=100, offset=0) -> rows
    store.visits.due_count(grid=None, tag=None, today=None, *, kind=None) -> int
    store.visits.pending(limit, exclude) / mark_sending(ids) / record_results(results) / open_count()
    store.visits.cycle_kind() / set_cycle(kind) / cycle(today=None)   # the platform's visit_cycle
    store.validation.set(entity_id, result) / store.validation.set_many([(id, result), ...])
        result: a forms ValidationResult (findings, tags) or {"errors", "warnings", "tags", "findings"}
    store.validation.get(entity_id) -> dict | None;  store.validation.stale(limit) -> [id]
    store.audit.record(action, entity_id=None, field=None, reason=None, detail=None)   # reveal, export, …
    store.audit.entries(entity_id=None, limit=1000, offset=0) -> [dict]
    store.settings.user() / .set_user(dict) / .device_id() / .get(k, default) / .set(k, v)
    store.audit.log(...) is the same row written inside another collaborator's own transaction

Submissions (outbox)::

    store.outbox.submit(entity_ids=None, *, visit_id=None, note='', validation=None) -> submission id
        field-level patches of local vs base (wire format of docs/protocol.md), queued for push.
        With visit_id: the changed house/households/persons of the visited house; the visit goes
        into ``note`` (the protocol has no visit field). InvalidInput if nothing changed, or while
        an entity has unresolved conflicts.
    store.outbox.items() -> [dict]        # newest first; state: queued | sending | accepted (pending review)
                                    #   | approved (applied) | returned | conflict | rejected
    store.outbox.submission(id) -> dict
    store.outbox.returned() -> [dict]      # returned submissions with reviewer comments per field
    store.outbox.conflicts() -> [{"submission_id", "entity_id", "field", "base", "mine", "theirs", "theirs_rev"}]
    store.outbox.resolve_conflict(entity_id, choices: {field: 'mine'|'theirs'|{'value': v}}) -> dict

Sync engine (sync/client) side::

    store.pull.apply_changes(items, next_cursor, *, cursor="changes", reset=False, has_more=False)
        one pulled page (items as in docs/protocol.md GET /changes) and its cursor in ONE transaction.
        Entities pulled over local edits keep the edits (three-way rebase onto the new base).
    store.pull.cursor(name="changes") -> str | None
    store.outbox.pending(limit=50, exclude=()) -> [wire submission dicts]  # queued and unacknowledged
    store.outbox.mark_sending(ids)
    store.outbox.record_results(results)   # POST /submissions results; idempotent
    store.audit.pending(limit) / store.audit.mark_synced(ids)   # (no audit endpoint in protocol.md yet)
    store.pull.finish_bulk_load()        # a first full pull (into an empty store, has_more=True) drops
                                    # the random-key and list-filter indexes (schema.BULK_INDEXES)
                                    # and builds them at its last page; call this if such a pull is
                                    # cancelled (open and close also do it)
    A pulled page commits with synchronous=NORMAL (WAL; a power cut may undo the last pages and
    their cursor together, never half a page); user actions commit with FULL.
    store.library.templates() / .template(kind, version=None) / .tag_catalogue() / .codelist(name)
    store.library.assignments()
    store.outbox.open_count() -> int                  # queued + sending, for the push progress bar
    store.leftovers.for_entity(id, dismissed=False) -> [dict]   # values a newer template version has no field for
    store.leftovers.dismiss(leftover_id, reason=None)           # the worker dealt with it (audited; row kept)

A revoked device (``sync.client.revocation``): ``sync.store.wipe.wipe_store(store_dir, marker, note)``
deletes the closed store's whole directory (database, WAL, profile.json) and writes the JSON note
``marker``; ``read_marker`` / ``clear_marker`` for the login window.

May import: forms.model, forms.graph, forms.cn, forms.life_events, forms.visits, forms.versions, forms.xlsform. The
last two only move unsent work to a newer template version (sync.store.leftovers). Never the client, the server or the protocol:
the store keeps what the client hands it.
"""

from __future__ import annotations

from sync.store.crypto import KdfParams
from sync.store.errors import InvalidInput, NotFound, ProfileError, StoreCorrupt, StoreError, WrongPassword
from sync.store.lists import SORTS, AreaNode, Page
from sync.store.store import Store
from sync.store.visits import VISIT_RESULTS

__all__ = [
    "SORTS",
    "VISIT_RESULTS",
    "AreaNode",
    "InvalidInput",
    "KdfParams",
    "NotFound",
    "Page",
    "ProfileError",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "WrongPassword",
]
