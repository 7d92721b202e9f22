"""Entity records as the store keeps them: local version, server base, derived list columns, index.

A record is the local (possibly edited) version of an entity plus ``base``: the last version
pulled from (or accepted by) the server, or None for an entity created on this device and not
yet accepted. Everything shown in lists (name, address, …) is derived here from ``data`` (and,
for a person, from its house) so list queries never parse JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.store import textindex as ti
from sync.store.db import dumps, loads
from sync.store.errors import InvalidInput
from sync.store.natural import place_key

#: The order a batch is written and sent in: a house before its households, those before persons.
KIND_ORDER = {"house": 0, "household": 1, "person": 2}
KINDS = ("person", "house", "household")
STATES = ("active", "moved_out", "deceased")
LINK_KEYS = ("grid", "house_id", "household_id", "state", "template", "template_version")
HOUSE_COLUMNS = ("address", "estate", "building", "unit", "room", "house_no")
#: The place columns the natural address order (``place_key``) is made of, in order.
PLACE_PARTS = ("estate", "building", "unit", "room")


@dataclass
class Record:
    id: str
    kind: str
    template: str
    template_version: str = ""
    grid: str = ""
    house_id: str | None = None
    household_id: str | None = None
    state: str = "active"
    data: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    rev: int = 0
    status: str = "synced"
    base: dict[str, Any] | None = None
    updated_at: str = ""
    server_updated_at: str | None = None
    seq: int | None = None
    #: values of the indexed columns as stored (None for a record not read from the store)
    indexed: tuple[Any, ...] | None = None
    #: the data and tags JSON as stored (None for a record not read from the store)
    stored: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    def local_dict(self) -> dict[str, Any]:
        """The local version in the entity wire format (plus ``status`` and ``base``)."""
        return {
            "id": self.id, "kind": self.kind, "template": self.template,
            "template_version": self.template_version, "grid": self.grid,
            "house_id": self.house_id, "household_id": self.household_id,
            "data": dict(self.data), "tags": list(self.tags), "rev": self.rev, "state": self.state,
            "status": self.status, "updated_at": self.updated_at,
            "base": None if self.base is None else dict(self.base),
        }

    def differs_from_base(self) -> bool:
        if self.base is None:
            return True
        return bool(changed_fields(self.base.get("data") or {}, self.data)) or \
            set(self.base.get("tags") or []) != set(self.tags) or \
            any(self.base.get(k) != getattr(self, k) for k in ("house_id", "household_id", "state", "grid"))


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Field names whose value differs; missing and empty count as the same."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if is_empty(a) and is_empty(b):
            continue
        if a != b:
            out.append(key)
    return out


def parse_wire_entity(item: Any, where: str) -> dict[str, Any]:
    """Check one entity in the wire format; InvalidInput naming ``where`` and the problem."""
    if type(item) is not dict and not isinstance(item, Mapping):
        raise InvalidInput(f"{where}: 实体必须是对象 (entity must be an object)")
    ent = item
    eid = ent.get("id")
    if not isinstance(eid, str) or not eid:
        raise InvalidInput(f"{where}: 缺少实体 id (entity without id)")
    if ent.get("kind") not in KINDS:
        raise InvalidInput(f"{where} ({eid}): 未知实体类型 {ent.get('kind')!r} (unknown kind)")
    data = ent.get("data")
    if data is None:
        data = {}
    elif type(data) is not dict and not isinstance(data, Mapping):
        raise InvalidInput(f"{where} ({eid}): data 必须是对象 (data must be an object)")
    tags = ent.get("tags") or []
    if type(tags) is not list or any(type(t) is not str for t in tags):
        raise InvalidInput(f"{where} ({eid}): tags 必须是字符串列表 (tags must be a list of strings)")
    rev = ent.get("rev", 0)
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 0:
        raise InvalidInput(f"{where} ({eid}): rev 必须是非负整数 (rev must be a non-negative integer)")
    state = ent.get("state") or "active"
    if state not in STATES:
        raise InvalidInput(f"{where} ({eid}): 未知状态 {state!r} (unknown state)")
    return {
        "id": eid, "kind": ent["kind"], "template": str(ent.get("template") or ent["kind"]),
        "template_version": str(ent.get("template_version") or ""), "grid": str(ent.get("grid") or ""),
        "house_id": ent.get("house_id") or None, "household_id": ent.get("household_id") or None,
        "data": dict(data), "tags": list(tags), "rev": rev, "state": state,
        "updated_at": ent.get("updated_at"), "deleted": bool(ent.get("deleted", False)),
    }


#: Stored in entity_docs.base when the base equals the local version (saves repeating the data).
SAME_AS_LOCAL = "="


def record_from_row(row: Mapping[str, Any]) -> Record:
    """Build a Record from a joined entities + entity_docs row."""
    rec = _record_from_row(row)
    if row["base"] == SAME_AS_LOCAL:
        rec.base = base_of_local(rec)
    return rec


def base_of_local(rec: Record) -> dict[str, Any]:
    return {"id": rec.id, "kind": rec.kind, "template": rec.template, "template_version": rec.template_version,
            "grid": rec.grid, "house_id": rec.house_id, "household_id": rec.household_id,
            "data": dict(rec.data), "tags": list(rec.tags), "rev": rec.rev, "state": rec.state,
            "updated_at": rec.server_updated_at}


def _encode_base(rec: Record) -> str | None:
    if rec.base is None:
        return None
    if rec.base == base_of_local(rec):
        return SAME_AS_LOCAL
    return dumps(rec.base)


def _record_from_row(row: Mapping[str, Any]) -> Record:
    base = row["base"]
    return Record(
        id=row["id"], kind=row["kind"], template=row["template"], template_version=row["template_version"],
        grid=row["grid"], house_id=row["house_id"], household_id=row["household_id"], state=row["state"],
        data=loads(row["data"], {}), tags=loads(row["tags"], []), rev=row["rev"], status=row["status"],
        base=None if base == SAME_AS_LOCAL else loads(base), updated_at=row["updated_at"], server_updated_at=row["server_updated_at"],
        seq=row["seq"],
        indexed=tuple(row[c] for c in INDEXED_COLUMNS) if "sort_name" in row else None,
        stored=(row["data"], row["tags"]) if isinstance(row["data"], str) and isinstance(row["tags"], str) else None,
    )


def text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def house_columns(data: Mapping[str, Any]) -> dict[str, str]:
    parts = [text(data, k) for k in ("estate", "building", "unit", "room")]
    address = text(data, "address") or " ".join(p for p in parts if p)
    return {"address": address, "estate": parts[0], "building": parts[1], "unit": parts[2],
            "room": parts[3], "house_no": text(data, "house_no")}


def derived_columns(rec: Record, house: Mapping[str, str] | None) -> dict[str, str]:
    """List columns for a record; a person takes its place columns from its house."""
    d = rec.data
    if rec.kind == "person":
        cols = {"name": text(d, "name"), "sex": text(d, "sex"), "birth_date": text(d, "birth_date"),
                "id_number": text(d, "id_number").upper(), "phone": text(d, "phone")}
        place = dict(house) if house else dict.fromkeys(HOUSE_COLUMNS, "")
        cols.update({k: str(place.get(k) or "") for k in HOUSE_COLUMNS})
    elif rec.kind == "house":
        cols = {"name": text(d, "owner_name"), "sex": "", "birth_date": "",
                "id_number": text(d, "owner_id_number").upper(), "phone": text(d, "owner_phone")}
        cols.update(house_columns(d))
    else:
        cols = {"name": text(d, "household_no"), "sex": "", "birth_date": "", "id_number": "", "phone": ""}
        place = dict(house) if house else dict.fromkeys(HOUSE_COLUMNS, "")
        cols.update({k: str(place.get(k) or "") for k in HOUSE_COLUMNS})
        cols["house_no"] = text(d, "household_no")
    cols["sort_name"] = ti.sort_key(cols["name"])
    cols["place_key"] = place_key(cols[k] for k in PLACE_PARTS)
    return cols


def search_document(rec: Record, cols: Mapping[str, str]) -> tuple[str, str, str, str]:
    """The four search columns (see sync.store.textindex); names and addresses come from caches."""
    d = rec.data
    names = ti.name_field(cols["name"])
    if rec.kind == "person" and text(d, "former_name"):
        names = ti.join_fields(names, ti.name_field(text(d, "former_name")))
    nums = " ".join(ti.number_tokens(cols["id_number"], cols["phone"], cols["house_no"]))
    tails = " ".join(ti.id_tails(cols["id_number"]) + ti.phone_tails(cols["phone"]))
    addr = ti.bigram_field(cols["address"]) if cols["address"] else ""
    if rec.kind == "house" and cols["estate"] and cols["estate"] not in cols["address"]:
        addr = ti.join_fields(addr, ti.bigram_field(cols["estate"]))
    return (names, nums, tails, addr)


def apply_patch(base: Mapping[str, Any] | None, patch: Mapping[str, Any], rev: int) -> dict[str, Any]:
    """The server's version after it applied ``patch`` to ``base`` (for an accepted submission)."""
    out: dict[str, Any] = dict(base) if base else {
        "id": patch["entity_id"], "kind": patch["kind"], "template": patch.get("template") or patch["kind"],
        "template_version": patch.get("template_version") or "", "grid": patch.get("grid") or "",
        "house_id": None, "household_id": None, "data": {}, "tags": [], "state": "active", "updated_at": None}
    data = dict(out.get("data") or {})
    for key, value in (patch.get("set") or {}).items():
        if value is None or value == "":
            data.pop(key, None)
        else:
            data[key] = value
    tags = [t for t in out.get("tags") or [] if t not in set(patch.get("tags_remove") or [])]
    tags += [t for t in patch.get("tags_add") or [] if t not in tags]
    out.update(data=data, tags=tags, rev=rev)
    if patch.get("state"):
        out["state"] = patch["state"]
    for key in ("house_id", "household_id", "grid"):
        if patch.get(key) is not None:
            out[key] = patch[key] or (None if key != "grid" else "")
    return out


#: Columns that some index of entities covers. Rewriting a row whose values of these are unchanged
#: with a SET list that leaves them out spares every index a delete and an insert. (vstale is set
#: either way: only the small partial index of stale rows follows it.)
INDEXED_COLUMNS = ("kind", "sort_name", "grid", "estate", "building", "unit", "room", "house_id",
                   "household_id", "status", "birth_date")
HouseLookup = Callable[[str], Mapping[str, str] | None]

ENTITY_COLUMNS = (
    "seq", "id", "kind", "template", "template_version", "grid", "house_id", "household_id", "state",
    "rev", "status", "tags", "name", "sort_name", "sex", "birth_date", "id_number", "phone", "address",
    "estate", "building", "unit", "room", "house_no", "updated_at", "server_updated_at", "vstale", "place_key",
)
#: Indexed columns that are a function of INDEXED_COLUMNS (place_key of estate … room): unchanged
#: when those are, so the plain rewrite leaves them out too.
DERIVED_INDEXED = ("place_key",)
_PLAIN_COLUMNS = tuple(c for c in ENTITY_COLUMNS
                       if c not in INDEXED_COLUMNS and c not in DERIVED_INDEXED and c not in ("seq", "id"))
_UPDATE_PLAIN = f"UPDATE entities SET {', '.join(f'{c} = ?' for c in _PLAIN_COLUMNS)} WHERE seq = ?"
_UPSERT = (
    f"INSERT INTO entities ({', '.join(ENTITY_COLUMNS)}) VALUES ({', '.join('?' * len(ENTITY_COLUMNS))}) "
    "ON CONFLICT(seq) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ENTITY_COLUMNS if c not in ("seq", "id"))
)


def write_records(conn: Any, records: Sequence[Record], house_of: HouseLookup,
                  extra_tags: Mapping[int, Iterable[str]] | None = None, *, stale: bool = True) -> None:
    """Write records (rows, documents, search index, tag index). Records without seq get new ones.

    Runs inside the caller's transaction. ``extra_tags`` maps seq -> tags in force from the
    validation cache, indexed together with the stored tags for tag filters. ``stale``: the local
    version changed, so its cached validation no longer holds (False for status-only writes).
    In a status-only write, a record read from the store whose data, tags and indexed columns are
    as stored (and whose house is not rewritten with other data) keeps its search and tag rows.
    """
    if not records:
        return
    encoded = {id(rec): (dumps(rec.data), dumps(rec.tags) if rec.tags else "[]") for rec in records}
    moved_houses = {rec.id for rec in records if rec.kind == "house" and rec.stored != encoded[id(rec)]}
    next_seq = (conn.execute("SELECT coalesce(max(seq), 0) FROM entities").fetchone()[0] or 0) + 1
    first_new = next_seq
    existing_rows: list[int] = []
    rows: list[tuple[Any, ...]] = []
    plain: list[tuple[Any, ...]] = []
    docs: list[tuple[Any, ...]] = []
    fts: list[tuple[Any, ...]] = []
    tag_rows: list[tuple[str, int]] = []
    for rec in records:
        if rec.seq is None:
            rec.seq = next_seq
            next_seq += 1
        house = house_of(rec.house_id) if rec.house_id and rec.kind != "house" else None
        cols = derived_columns(rec, house)
        data_json, tags_json = encoded[id(rec)]
        row = (
            rec.seq, rec.id, rec.kind, rec.template, rec.template_version, rec.grid, rec.house_id,
            rec.household_id, rec.state, rec.rev, rec.status, tags_json, cols["name"],
            cols["sort_name"], cols["sex"], cols["birth_date"], cols["id_number"], cols["phone"],
            cols["address"], cols["estate"], cols["building"], cols["unit"], cols["room"],
            cols["house_no"], rec.updated_at, rec.server_updated_at, 1 if stale or rec.seq >= first_new else 0,
            cols["place_key"],
        )
        values = dict(zip(ENTITY_COLUMNS, row, strict=True))
        indexed = tuple(values[c] for c in INDEXED_COLUMNS)
        if rec.indexed is not None and rec.indexed == indexed:
            plain.append((*(values[c] for c in _PLAIN_COLUMNS), rec.seq))
            same = (not stale and rec.stored == (data_json, tags_json) and rec.seq < first_new
                    and (rec.kind == "house" or rec.house_id not in moved_houses))
        else:
            rows.append(row)
            same = False
        docs.append((rec.seq, data_json, _encode_base(rec)))
        rec.indexed, rec.stored = indexed, (data_json, tags_json)  # what the store now holds
        if same:
            continue  # search document and tag rows are as stored
        existing_rows.append(rec.seq)
        fts.append((rec.seq, *search_document(rec, cols)))
        tags = set(rec.tags)
        if extra_tags and rec.seq in extra_tags:
            tags.update(extra_tags[rec.seq])
        tag_rows.extend((t, rec.seq) for t in sorted(tags))
    # FTS5 flushes its pending terms whenever a rowid is not above the last one: keep them ascending
    fts.sort(key=lambda row: int(row[0]))
    rows.sort(key=lambda row: int(row[0]))
    existing = sorted(seq for seq in existing_rows if seq < first_new)
    if existing:
        for i in range(0, len(existing), 500):
            chunk = existing[i : i + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM search WHERE rowid IN ({marks})", chunk)
            conn.execute(f"DELETE FROM entity_tags WHERE seq IN ({marks})", chunk)
    conn.executemany(_UPSERT, rows)
    plain.sort(key=lambda row: int(row[-1]))
    conn.executemany(_UPDATE_PLAIN, plain)
    conn.executemany("INSERT OR REPLACE INTO entity_docs (seq, data, base) VALUES (?, ?, ?)", docs)
    conn.executemany("INSERT INTO search (rowid, names, nums, tails, addr) VALUES (?, ?, ?, ?, ?)", fts)
    conn.executemany("INSERT OR IGNORE INTO entity_tags (tag, seq) VALUES (?, ?)", tag_rows)


def rebuild_search(conn: Any) -> None:
    """Refill the search index from the stored rows (used by migrations)."""
    houses: dict[str, dict[str, str]] = {}
    rows = conn.execute("SELECT e.seq, e.id, e.kind, e.house_id, d.data FROM entities e "
                        "JOIN entity_docs d ON d.seq = e.seq ORDER BY e.kind = 'house' DESC").fetchall()
    batch = []
    for seq, eid, kind, house_id, data in rows:
        rec = Record(id=eid, kind=kind, template=kind, data=loads(data, {}), house_id=house_id, seq=seq)
        if kind == "house":
            houses[eid] = house_columns(rec.data)
        cols = derived_columns(rec, houses.get(house_id or "") if kind != "house" else None)
        batch.append((seq, *search_document(rec, cols)))
    conn.executemany("INSERT INTO search (rowid, names, nums, tails, addr) VALUES (?, ?, ?, ?, ?)", batch)
