"""The server's database schema (SQLAlchemy Core). Alembic migrations in ``migrations/`` create it."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Key/value settings of this installation (the token secret, the schema's district, ...).
server_settings = sa.Table(
    "server_settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: One row: the change sequence. Incremented under a row lock, so sequence order is commit order.
seq_counter = sa.Table(
    "seq_counter", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

areas = sa.Table(
    "areas", metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("parent", sa.String(32), nullable=True),
    #: a retired area keeps its code (history and audit name it) but holds nothing and is not offered
    sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    #: the last hand-over of a grid: {"from": [user ids], "to": user id, "at": ISO time} (push grace)
    sa.Column("handover", sa.JSON(none_as_null=True), nullable=True),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    #: set by an admin's password reset: the next login must choose a new password before anything else
    sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
    #: ISO day after which the account is disabled by itself (contractors, 第三方人员)
    sa.Column("end_date", sa.String(10), nullable=True),
    sa.Column("third_party", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("disabled_reason", sa.Text, nullable=True),
)

user_areas = sa.Table(
    "user_areas", metadata,
    sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("area_code", sa.String(32), sa.ForeignKey("areas.code"), primary_key=True),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("device_id", sa.String(200), nullable=False),
    sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)

#: Refresh tokens already rotated away: presenting one again means it was stolen or replayed, and ends
#: its session (RFC 9700 §4.14.2: reuse revokes the token family).
retired_refresh = sa.Table(
    "retired_refresh", metadata,
    sa.Column("refresh_hash", sa.String(64), primary_key=True),
    sa.Column("session_id", sa.String(36), sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_login_failures_key", "key", "failed_at"),
)

templates = sa.Table(
    "templates", metadata,
    # a version is named within its area: sibling streets may both publish person@2026.5
    sa.Column("form_id", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(64), primary_key=True),
    sa.Column("entity", sa.String(16), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("approval_required", sa.Boolean, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("xlsx", sa.LargeBinary, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("area", sa.String(32), primary_key=True),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_by", sa.String(36), nullable=True),
    #: a withdrawn version is no longer offered to devices; it is never deleted
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("withdrawn_by", sa.String(36), nullable=True),
)

codelists = sa.Table(
    "codelists", metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("items", sa.JSON, nullable=False),
)

entities = sa.Table(
    "entities", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("template", sa.String(100), nullable=False),
    sa.Column("template_version", sa.String(64), nullable=False),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Column("house_id", sa.String(36), nullable=True),
    sa.Column("household_id", sa.String(36), nullable=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("id_number", sa.String(64), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(36), nullable=True),
    sa.Index("ix_entities_grid", "grid", "kind"),
    sa.Index("ix_entities_house", "house_id"),
    sa.Index("ix_entities_household", "household_id"),
    sa.Index("ix_entities_id_number", "id_number"),
)

#: Every revision of every entity, so a three-way merge can find the version at ``base_rev``.
entity_versions = sa.Table(
    "entity_versions", metadata,
    sa.Column("entity_id", sa.String(36), primary_key=True),
    sa.Column("rev", sa.Integer, primary_key=True),
    sa.Column("snapshot", sa.JSON, nullable=False),
)

#: Tags in force per entity (auto tags as computed when saved, plus stored tags), for statistics.
entity_tags = sa.Table(
    "entity_tags", metadata,
    sa.Column("entity_id", sa.String(36), primary_key=True),
    sa.Column("tag", sa.String(100), primary_key=True),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Index("ix_entity_tags_grid", "grid", "tag"),
)

#: Returned tags' provenance (数据回流): the source, file and as-of day of each returned tag (migration 0006).
returned_tags = sa.Table(
    "returned_tags", metadata,
    sa.Column("entity_id", sa.String(36), primary_key=True),
    sa.Column("tag", sa.String(100), primary_key=True),
    sa.Column("source", sa.String(100), primary_key=True),
    sa.Column("file", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("as_of", sa.String(10), nullable=False),
    sa.Column("import_id", sa.String(36), nullable=False),
    sa.Column("importer_id", sa.String(36), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_returned_tags_source", "source", "tag"),
)

history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(36), nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("field", sa.String(200), nullable=False),
    sa.Column("old", sa.JSON, nullable=True),
    sa.Column("new", sa.JSON, nullable=True),
    sa.Column("submission_id", sa.String(36), nullable=True),
    sa.Column("author_id", sa.String(36), nullable=True),
    sa.Column("approved_by", sa.String(36), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_history_entity", "entity_id", "id"),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # the client UUID: a retry finds its first outcome
    sa.Column("author_id", sa.String(36), nullable=False),
    sa.Column("device_id", sa.String(200), nullable=True),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # applied|pending|approved|returned|conflict|rejected
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("resubmits", sa.String(36), nullable=True),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_by", sa.String(36), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision", sa.JSON, nullable=True),
    #: SHA-256 of the canonical body: the same id with another body is not a retry
    sa.Column("body_digest", sa.String(64), nullable=True),
    sa.Index("ix_submissions_queue", "status", "grid"),
    #: the review backlog and its oldest item per grid; returned work not yet resubmitted (migration 0005)
    sa.Index("ix_submissions_backlog", "status", "grid", "received_at"),
    sa.Index("ix_submissions_resubmits", "resubmits", sqlite_where=sa.text("resubmits IS NOT NULL"),
             postgresql_where=sa.text("resubmits IS NOT NULL")),
)

#: One row per replicated object: its latest change sequence number and the area that scopes it.
changelog = sa.Table(
    "changelog", metadata,
    sa.Column("type", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("area", sa.String(32), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Index("ix_changelog_area_seq", "area", "seq"),
)

#: Visits (走访): the client's UUID is the key; ``date`` is the ISO day of the visit (text, so that it
#: compares alike on SQLite and PostgreSQL); ``grid`` the house's grid when the visit was received.
visits = sa.Table(
    "visits", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("house_id", sa.String(36), nullable=False),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("result", sa.String(8), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("person_ids", sa.JSON, nullable=False),
    sa.Column("author_id", sa.String(36), nullable=False),
    sa.Column("device_id", sa.String(200), nullable=True),
    sa.Column("submission_id", sa.String(36), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    #: SHA-256 of the canonical body: the same id with another body is not a retry
    sa.Column("body_digest", sa.String(64), nullable=False),
    sa.Index("ix_visits_house", "house_id", "date"),
    sa.Index("ix_visits_grid", "grid", "date"),
    sa.Index("ix_visits_author", "author_id", "date"),
    #: the cycle's visited / verified houses per grid, read from the index alone (migration 0005)
    sa.Index("ix_visits_cycle", "grid", "date", "result", "house_id"),
)

#: The persons seen in a visit, with the visit's day and result (history per person, verification, overdue).
visit_persons = sa.Table(
    "visit_persons", metadata,
    sa.Column("visit_id", sa.String(36), sa.ForeignKey("visits.id"), primary_key=True),
    sa.Column("person_id", sa.String(36), primary_key=True),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("result", sa.String(8), nullable=False),
    sa.Index("ix_visit_persons_person", "person_id", "date"),
    sa.Index("ix_visit_persons_grid", "grid", "date"),
    sa.Index("ix_visit_persons_cycle", "grid", "date", "result", "person_id"),
)

#: The platform's audit log: append-only (no endpoint updates or deletes a row). ``origin`` is
#: ``platform`` for what the server did on a request, ``device`` for entries a desktop uploaded with its
#: sync; ``client_key`` (device id + the entry's local id) makes an upload idempotent.
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor_id", sa.String(36), nullable=True),
    sa.Column("actor_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.String(36), nullable=True),
    sa.Column("target", sa.String(200), nullable=True),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("device_id", sa.String(200), nullable=True),
    sa.Column("client_key", sa.String(300), nullable=True),
    sa.Column("ip", sa.String(64), nullable=True),
    #: the area the entry is about, for the admin's scope: the entity's grid, else the actor's first area
    sa.Column("area", sa.String(32), nullable=True),
    sa.UniqueConstraint("client_key", name="uq_audit_log_client_key"),
    # pages run newest first by (at, id): each filter's index ends in those two (sync/server/audit_query.py)
    sa.Index("ix_audit_log_actor", "actor_name", "at", "id"),
    sa.Index("ix_audit_log_action", "action", "at", "id"),
    sa.Index("ix_audit_log_entity", "entity_id", "at", "id"),
    sa.Index("ix_audit_log_at", "at", "id"),
)

#: Every (user, device) pair that logged in: first and last seen, app version; revocation.
devices = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("device_id", sa.String(200), nullable=False),
    sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("app_version", sa.String(64), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_by", sa.String(36), nullable=True),
    sa.Column("revoke_reason", sa.Text, nullable=True),
    #: the app pushes what it can before it wipes its store
    sa.Column("push_first", sa.Boolean, nullable=False),
    sa.Column("wiped_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("user_id", "device_id", name="uq_devices_user_device"),
    sa.Index("ix_devices_device", "device_id"),
)

#: The confidentiality agreement (保密协议), one row per version of its text.
agreements = sa.Table(
    "agreements", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("set_by", sa.String(36), nullable=True),
)

agreement_acceptances = sa.Table(
    "agreement_acceptances", metadata,
    sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("device_id", sa.String(200), nullable=True),
)


#: Entities per grid, kind and state, maintained in the transaction of every entity write
#: (:mod:`sync.server.counts`); ``ybt server recount`` rebuilds it from the entities.
area_counts = sa.Table(
    "area_counts", metadata,
    sa.Column("grid", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("state", sa.String(16), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)

#: Records whose latest submission the platform's rules rejected (error findings), until the record is
#: saved or accepted for review: the dashboard's "records with validation errors".
entity_issues = sa.Table(
    "entity_issues", metadata,
    sa.Column("entity_id", sa.String(36), primary_key=True),
    sa.Column("grid", sa.String(32), nullable=False),
    sa.Column("submission_id", sa.String(36), nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_entity_issues_grid", "grid"),
)

#: Ledger templates (台账模板), every published version kept (migration 0006).
ledgers = sa.Table(
    "ledgers", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("entity", sa.String(16), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("xlsx", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_by", sa.String(36), nullable=True),
)
