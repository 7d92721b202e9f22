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
``q``/``q1``/``scalar``/``tx``, are internal.

Profile directory: ``store.db`` (+ ``-wal``/``-shm``) and plaintext ``profile.json`` (Argon2id salt
and parameters, a key check value, the username). The key is Argon2id(password) via argon2-cffi,
passed raw to SQLCipher. ``crypto.KdfParams`` may be passed as ``kdf=`` to ``create`` (tests use cheap
parameters).

Reading (dicts in the entity wire format of docs/architecture.md, plus ``status`` and ``base``)::

    store.get_entity(id) -> dict          # current local version; NotFound if unknown
    store.find_entity(id) -> dict | None
    store.entity_bundle(id) -> {"entity", "house", "household", "residents", "members", "households"}
    store.residents(house_id) / store.members(household_id) / store.households(house_id) -> [dict]
    store.graph() -> forms.graph.EntityGraph over the local versions (cached; see sync.store.graph)
    store.area_children(key | None) -> [AreaNode(key, name, level, parent, filters, has_children, houses)]
        None -> top areas; an area code -> its sub-areas, or for a grid its 小区; then 楼栋, 单元, 室.
        Pass node.key back to get its children; pass **node.filters to list_persons / list_houses.
    store.list_persons(area=None, *, estate, building, unit, room, house_id, household_id, query, tags,
                       validation ('error'|'warning'|'ok'|'unchecked'), visit ('none'|'any'|result),
                       state ('active'|'moved_out'|'deceased'), status, sort=('name', 'asc'),
                       offset=0, limit=100) -> Page(rows, total)
    store.list_houses(area=None, *, estate, building, unit, room, house_id, query, tags, validation,
                      visit, status, sort=('address', 'asc'), offset, limit) -> Page (rows + "residents")
    store.list_households(house_id=None, area=None, offset, limit) -> Page
        rows: id, kind, name, sex, birth_date, id_number, phone, address, estate, building, unit,
        room, house_no, grid, house_id, household_id, state, status, tags (stored), tags_in_force
        (from the validation cache, else the stored tags), errors, warnings, vstate, visit_result,
        visit_date, updated_at. Sort keys: sync.store.queries.SORTS.
        ``query``: search-as-you-type over name, pinyin (full, initials; surnames read as surnames),
        ID-number tail (4-6), phone tail (4), whole ID/phone prefixes, and address substrings.
    store.counts() -> {"person", "house", "household", "drafts", "outbox", "returned", "conflicts"}
    Lists: the first page of a name/address-sorted list comes straight from an index; other pages,
    searches and other sorts compute the list order once (cached until the next commit) and then
    fetch each page by primary key, so lazy models scroll at about 1 ms a page.

Entity ``status`` (local editing state): synced | draft | submitted | returned | conflict | rejected.
Entity ``state`` (life state): active | moved_out | deceased.

User actions (each one transaction, each audited)::

    store.create_entity(kind, template, grid, data, house_id=None, household_id=None, *, tags=(),
                        template_version=None, entity_id=None) -> id
    store.save_draft(entity_id, data, tags=None, *, house_id=None, household_id=None,
                     template_version=None, reason=None) -> dict      # autosave; full data dict
    store.move_person(person_id, house_id, household_id, reason=None)
    store.set_state(entity_id, 'moved_out'|'deceased'|'active', date, reason=None)
    store.revert(entity_id, fields=None) -> dict                     # back to the server version
    store.record_visit(house_id, date, result in VISIT_RESULTS, note='') -> visit id
    store.visits(house_id) / store.get_visit(visit_id)
    store.set_validation(entity_id, result) / store.set_validations([(id, result), ...])
        result: a forms ValidationResult (findings, tags) or {"errors", "warnings", "tags", "findings"}
    store.validation(entity_id) -> dict | None;  store.needs_validation(limit) -> [id]
    store.audit(action, entity_id=None, field=None, reason=None, detail=None)   # reveal, export, …
    store.audit_log(entity_id=None, limit=1000, offset=0) -> [dict]
    store.user() / set_user(dict) / device_id() / get_setting(k, default) / set_setting(k, v)

Submissions (outbox)::

    store.submit(entity_ids=None, *, visit_id=None, note='', validation=None) -> submission id
        field-level patches of local vs base (wire format of docs/protocol.md), queued for push.
        With visit_id: the changed house/households/persons of the visited house; the visit goes
        into ``note`` (the protocol has no visit field). InvalidInput if nothing changed, or while
        an entity has unresolved conflicts.
    store.outbox() -> [dict]        # newest first; state: queued | sending | accepted (pending review)
                                    #   | approved (applied) | returned | conflict | rejected
    store.submission(id) -> dict
    store.returned() -> [dict]      # returned submissions with reviewer comments per field
    store.conflicts() -> [{"submission_id", "entity_id", "field", "base", "mine", "theirs", "theirs_rev"}]
    store.resolve_conflict(entity_id, choices: {field: 'mine'|'theirs'|{'value': v}}) -> dict

Sync engine (sync/client) side::

    store.apply_changes(items, next_cursor, *, cursor="changes", reset=False, has_more=False)
        one pulled page (items as in docs/protocol.md GET /changes) and its cursor in ONE transaction.
        Entities pulled over local edits keep the edits (three-way rebase onto the new base).
    store.get_cursor(name="changes") -> str | None
    store.pending_submissions(limit=50) -> [wire submission dicts]     # queued and unacknowledged
    store.mark_sending(ids)
    store.record_results(results)   # POST /submissions results; idempotent
    store.pending_audit(limit) / store.mark_audit_synced(ids)   # (no audit endpoint in protocol.md yet)
    store.finish_bulk_load()        # a first full pull (into an empty store, has_more=True) drops
                                    # the random-key and list-filter indexes (schema.BULK_INDEXES)
                                    # and builds them at its last page; call this if such a pull is
                                    # cancelled (open and close also do it)
    A pulled page commits with synchronous=NORMAL (WAL; a power cut may undo the last pages and
    their cursor together, never half a page); user actions commit with FULL.
    store.templates() / store.template(kind, version=None) / store.tag_catalogue() / store.codelist(name)
"""

from __future__ import annotations

from sync.store.crypto import KdfParams
from sync.store.edits import VISIT_RESULTS
from sync.store.errors import InvalidInput, NotFound, ProfileError, StoreCorrupt, StoreError, WrongPassword
from sync.store.queries import SORTS, AreaNode, Page
from sync.store.store import Store

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
