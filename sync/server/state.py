"""What every request handler reaches through ``request.app.state.ybt``: database, settings, secret."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.exc import SQLAlchemyError

from sync.server import migrate
from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import Database
from sync.server.ledger_exports import ExportJobs
from sync.server.metrics import Metrics
from sync.server.security import make_hasher
from sync.server.template_check import TemplateChecker
from sync.server.templates_cache import TemplateCache


@dataclass
class ServerState:
    config: ServerConfig
    db: Database
    secret: bytes
    hasher: PasswordHasher
    templates: TemplateCache = field(default_factory=TemplateCache)
    #: This process's request and sync counters (``GET /metrics``).
    metrics: Metrics = field(default_factory=Metrics)
    checker: TemplateChecker | None = None
    #: Export jobs of this process (``/exports``).
    exports: ExportJobs = field(default_factory=ExportJobs)
    #: At most ``max_concurrent_hashes`` password checks at once (Argon2id takes 64 MiB each).
    hash_slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self.hash_slots = threading.BoundedSemaphore(self.config.max_concurrent_hashes)

    def template_checker(self) -> TemplateChecker:
        """The child-process reader of uploaded workbooks (started at the first upload)."""
        if self.checker is None:
            self.checker = TemplateChecker(self.config.template_check_memory_bytes,
                                           self.config.template_check_seconds)
        return self.checker

    @classmethod
    def open(cls, config: ServerConfig) -> ServerState:
        db = Database.from_url(config.db_url)
        shown = db.engine.url.render_as_string(hide_password=True)
        try:
            revision = migrate.current_revision(db.engine)
        except SQLAlchemyError as exc:
            db.dispose()
            raise RuntimeError(f"cannot open database {shown}: {getattr(exc, 'orig', None) or exc}") from exc
        if revision != migrate.head_revision():
            db.dispose()
            raise RuntimeError(f"database {shown} is not initialised or not up to date: "
                               f"run `ybt server init --db {shown}` first")
        with db.read() as conn:
            secret = conn.execute(
                sa.select(t.server_settings.c.value).where(t.server_settings.c.key == "token_secret")
            ).scalar_one_or_none()
        if secret is None:
            raise RuntimeError(f"database {config.db_url} is not initialised: run `ybt server init` first")
        state = cls(config, db, bytes.fromhex(secret), make_hasher(config.fast_password_hash))
        state.warm_up()
        return state

    def warm_up(self) -> None:
        """Load the newest published templates now, not in the first submission's request."""
        from forms.errors import TemplateError

        tt = t.templates
        with self.db.read() as conn:
            rows = conn.execute(sa.select(tt.c.form_id, tt.c.version, tt.c.area, tt.c.xlsx)
                                .order_by(tt.c.published_at.desc())).all()
        seen: set[tuple[str, str]] = set()
        for row in rows:
            if (row.form_id, row.area) in seen:
                continue
            seen.add((row.form_id, row.area))
            try:
                self.templates.template(row.form_id, row.version, partial(bytes, row.xlsx), row.area)
            except TemplateError:
                continue  # it loaded when published; a newer forms release may refuse it: report on use
