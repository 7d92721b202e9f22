"""Schema and its versioned migrations (sqlite-utils ``Migrations``).

Each migration is applied once, in order, in its own transaction, recorded in
``_sqlite_migrations``; ``PRAGMA user_version`` mirrors the number applied so a glance tells the
version. Never edit a released migration: add a new one. ``V1_SQL`` is the frozen first schema;
tests build a database from it alone and migrate it forward.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "ybt-store"

# Frozen: the schema as first released. Do not change; add a migration instead.
V1_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE areas (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, parent TEXT,
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX areas_parent ON areas(parent);
CREATE TABLE entities (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL DEFAULT '',
    grid TEXT NOT NULL DEFAULT '',
    house_id TEXT,
    household_id TEXT,
    state TEXT NOT NULL DEFAULT 'active',
    rev INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'synced',
    tags TEXT NOT NULL DEFAULT '[]',
    name TEXT NOT NULL DEFAULT '',
    sort_name TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    estate TEXT NOT NULL DEFAULT '',
    building TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    house_no TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    server_updated_at TEXT
);
CREATE INDEX entities_kind_name ON entities(kind, sort_name);
CREATE INDEX entities_kind_grid_name ON entities(kind, grid, sort_name);
CREATE INDEX entities_kind_place ON entities(kind, grid, estate, building, unit, room);
CREATE INDEX entities_house ON entities(house_id);
CREATE INDEX entities_household ON entities(household_id);
CREATE INDEX entities_kind_status ON entities(kind, status);
CREATE INDEX entities_kind_state ON entities(kind, state);
CREATE TABLE entity_docs (
    seq INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    base TEXT
);
CREATE TABLE entity_tags (
    tag TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (tag, seq)
) WITHOUT ROWID;
CREATE INDEX entity_tags_seq ON entity_tags(seq);
CREATE VIRTUAL TABLE search USING fts5(
    names, nums, tails, addr,
    content='', contentless_delete=1, prefix='1 2 3',
    tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    patches TEXT NOT NULL,
    base_revs TEXT NOT NULL,
    entity_ids TEXT NOT NULL,
    visit_id TEXT,
    validation TEXT NOT NULL DEFAULT '{}',
    last_result TEXT,
    comments TEXT NOT NULL DEFAULT '[]',
    issues TEXT NOT NULL DEFAULT '[]',
    superseded_by TEXT,
    decided_at TEXT,
    reviewer TEXT
);
CREATE INDEX submissions_state ON submissions(state, created_at);
CREATE TABLE submission_entities (
    submission_id TEXT NOT NULL, entity_id TEXT NOT NULL, PRIMARY KEY (submission_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX submission_entities_entity ON submission_entities(entity_id);
CREATE TABLE conflicts (
    submission_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    base TEXT,
    mine TEXT,
    theirs TEXT,
    theirs_rev INTEGER,
    resolved INTEGER NOT NULL DEFAULT 0,
    resolution TEXT,
    PRIMARY KEY (submission_id, entity_id, field)
);
CREATE INDEX conflicts_entity ON conflicts(entity_id, resolved);
CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE templates (
    kind TEXT NOT NULL, version TEXT NOT NULL, xlsx BLOB NOT NULL, published_at TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (kind, version)
);
CREATE TABLE tag_catalogue (
    tag TEXT PRIMARY KEY, label TEXT NOT NULL DEFAULT '', label_en TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '', sensitive TEXT NOT NULL DEFAULT '[]',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE codelists (name TEXT PRIMARY KEY, version TEXT NOT NULL DEFAULT '', items TEXT NOT NULL);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity_id TEXT,
    field TEXT,
    reason TEXT,
    detail TEXT,
    synced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_synced ON audit(synced, id);
CREATE INDEX audit_entity ON audit(entity_id);
"""

migrations = Migrations(MIGRATION_SET)


def _script(db: Database, sql: str) -> None:
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="v1_initial")
def v1_initial(db: Database) -> None:
    _script(db, V1_SQL)


@migrations(name="v2_validation_visits")
def v2_validation_visits(db: Database) -> None:
    """Validation cache and visits; their summaries mirrored on entities for fast list filters."""
    _script(db, """
        ALTER TABLE entities ADD COLUMN errors INTEGER;
        ALTER TABLE entities ADD COLUMN warnings INTEGER;
        ALTER TABLE entities ADD COLUMN vstate TEXT;
        ALTER TABLE entities ADD COLUMN visit_result TEXT;
        ALTER TABLE entities ADD COLUMN visit_date TEXT;
        CREATE INDEX entities_kind_vstate ON entities(kind, vstate);
        CREATE INDEX entities_kind_visit ON entities(kind, visit_result);
        CREATE TABLE validation (
            seq INTEGER PRIMARY KEY,
            entity_id TEXT NOT NULL UNIQUE,
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            findings TEXT NOT NULL DEFAULT '[]',
            template_version TEXT NOT NULL DEFAULT '',
            validated_at TEXT NOT NULL
        );
        CREATE TABLE visits (
            id TEXT PRIMARY KEY,
            house_id TEXT NOT NULL,
            date TEXT NOT NULL,
            result TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            user TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            submission_id TEXT
        );
        CREATE INDEX visits_house ON visits(house_id, date);
        CREATE TABLE reset_seen (id TEXT PRIMARY KEY) WITHOUT ROWID;
    """)


@migrations(name="v3_template_info")
def v3_template_info(db: Database) -> None:
    """Template metadata from the server (title, entity, approval_required, sha256, area, …)."""
    db.execute("ALTER TABLE templates ADD COLUMN info TEXT NOT NULL DEFAULT '{}'")


SEARCH_V4 = """
CREATE VIRTUAL TABLE search USING fts5(
    names, nums, tails, addr,
    content='', contentless_delete=1, prefix='1 2', detail=column,
    tokenize='unicode61 remove_diacritics 0'
)
"""


@migrations(name="v4_lean_search")
def v4_lean_search(db: Database) -> None:
    """A smaller search index (column detail, prefixes 1-2) rebuilt from the rows; one index fewer."""
    from sync.store.records import rebuild_search

    db.execute("DROP TABLE search")
    db.execute(SEARCH_V4)
    db.execute("DROP INDEX IF EXISTS entities_kind_state")
    rebuild_search(db.conn)


@migrations(name="v5_validation_stale_flag")
def v5_validation_stale_flag(db: Database) -> None:
    """Records changed since their last validation carry vstale = 1 (indexed), so finding the next
    batch to revalidate does not scan the whole table."""
    db.execute("ALTER TABLE entities ADD COLUMN vstale INTEGER NOT NULL DEFAULT 1")
    db.execute("UPDATE entities SET vstale = 0 WHERE seq IN (SELECT e.seq FROM entities e JOIN validation v "
               "ON v.seq = e.seq WHERE v.validated_at >= e.updated_at)")
    db.execute("CREATE INDEX entities_stale ON entities(seq) WHERE vstale = 1")


@migrations(name="v6_birth_date_index")
def v6_birth_date_index(db: Database) -> None:
    """Sorting by age is common (elderly, children): serve it from an index."""
    db.execute("CREATE INDEX IF NOT EXISTS entities_kind_birth ON entities(kind, birth_date)")


@migrations(name="v7_visit_sync")
def v7_visit_sync(db: Database) -> None:
    """Visits sync on their own: a sync state per visit (pending → sent → accepted | rejected, with
    the platform's message), the persons seen (a row each, for the due list), visits pulled from the
    platform (origin 'server'), the body as first sent (a retry sends the same), and the tags'
    visit intervals in the catalogue. Visits recorded before are queued, the house's residents as seen."""
    _script(db, """
        ALTER TABLE visits ADD COLUMN person_ids TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE visits ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'pending';
        ALTER TABLE visits ADD COLUMN sync_message TEXT NOT NULL DEFAULT '';
        ALTER TABLE visits ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE visits ADD COLUMN sent_at TEXT;
        ALTER TABLE visits ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';
        ALTER TABLE visits ADD COLUMN author TEXT NOT NULL DEFAULT '';
        ALTER TABLE visits ADD COLUMN grid TEXT NOT NULL DEFAULT '';
        ALTER TABLE visits ADD COLUMN body TEXT;
        CREATE INDEX visits_sync ON visits(sync_state, created_at);
        CREATE TABLE visit_persons (
            visit_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (visit_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX visit_persons_person ON visit_persons(person_id);
        INSERT INTO visit_persons (visit_id, person_id)
            SELECT v.id, e.id FROM visits v JOIN entities e ON e.house_id = v.house_id
            WHERE e.kind = 'person' AND e.state = 'active';
        UPDATE visits SET person_ids = coalesce((SELECT json_group_array(person_id) FROM visit_persons
            WHERE visit_id = visits.id), '[]');
        ALTER TABLE tag_catalogue ADD COLUMN visit_every INTEGER;
    """)


@migrations(name="v8_place_key")
def v8_place_key(db: Database) -> None:
    """The address order is natural (101 < 201 < 1001, 2幢 < 10幢): a sort key of estate, building,
    unit and room (``sync.store.natural.place_key``) kept on every row, computed for the rows there,
    and an index on it for the first page of a list sorted by address."""
    from sync.store.natural import place_key

    db.execute("ALTER TABLE entities ADD COLUMN place_key TEXT NOT NULL DEFAULT ''")
    rows = db.conn.execute("SELECT seq, estate, building, unit, room FROM entities ORDER BY seq").fetchall()
    db.conn.executemany("UPDATE entities SET place_key = ? WHERE seq = ?",
                        [(place_key(str(p or "") for p in parts), seq) for seq, *parts in rows])
    db.execute(BULK_INDEXES["entities_kind_grid_place"])


@migrations(name="v9_template_leftovers")
def v9_template_leftovers(db: Database) -> None:
    """Values a newer template version has no place for, kept beside their record (never dropped):
    ``sync.store.leftovers``. Dismissing one is an explicit, audited act; the row stays, marked."""
    _script(db, """
    CREATE TABLE leftovers (
        id INTEGER PRIMARY KEY,
        entity_id TEXT NOT NULL,
        path TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        label_en TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL,
        shown TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        from_version TEXT NOT NULL DEFAULT '',
        to_version TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        dismissed_at TEXT
    );
    CREATE INDEX leftovers_entity ON leftovers(entity_id);
    """)

#: Indexes that a first full pull drops and builds once at its end: those with random keys
#: (building an index over sorted keys is far cheaper than inserting 100,000 random keys page by
#: page) and the list-filter indexes (one sort at the end costs less than an insert per row). The
#: partial index of stale rows stays: the revalidation pass polls it while a pull runs.
#: Keep in step with the migrations that define them.
BULK_INDEXES = {
    "entities_kind_place": "CREATE INDEX IF NOT EXISTS entities_kind_place ON entities(kind, grid, estate, building, unit, room)",
    "entities_kind_grid_place": "CREATE INDEX IF NOT EXISTS entities_kind_grid_place ON entities(kind, grid, place_key)",
    "entities_kind_status": "CREATE INDEX IF NOT EXISTS entities_kind_status ON entities(kind, status)",
    "entities_kind_vstate": "CREATE INDEX IF NOT EXISTS entities_kind_vstate ON entities(kind, vstate)",
    "entities_kind_visit": "CREATE INDEX IF NOT EXISTS entities_kind_visit ON entities(kind, visit_result)",
    "entities_kind_name": "CREATE INDEX IF NOT EXISTS entities_kind_name ON entities(kind, sort_name)",
    "entities_kind_grid_name": "CREATE INDEX IF NOT EXISTS entities_kind_grid_name ON entities(kind, grid, sort_name)",
    "entities_house": "CREATE INDEX IF NOT EXISTS entities_house ON entities(house_id)",
    "entities_household": "CREATE INDEX IF NOT EXISTS entities_household ON entities(household_id)",
    "entities_kind_birth": "CREATE INDEX IF NOT EXISTS entities_kind_birth ON entities(kind, birth_date)",
}


#: Names of all migrations in order; the schema version is the number applied.
def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


def migrate(db: Database, *, stop_before: str | None = None) -> int:
    """Apply pending migrations; returns the schema version (number of migrations applied)."""
    migrations.apply(db, stop_before=stop_before)
    version = len(migrations.applied(db))
    db.execute(f"PRAGMA user_version = {version}")
    return version


def schema_version(db: Database) -> int:
    return len(migrations.applied(db))
