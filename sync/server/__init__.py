"""The district platform server: FastAPI over SQLAlchemy Core (SQLite by default, PostgreSQL in production).

``create_app(db_url)`` in :mod:`sync.server.app` builds the ASGI application; ``ybt server init|run``
(:mod:`sync.server.cli`) creates the database and runs it. The wire protocol is docs/protocol.md.

May import: forms, sync.protocol, sync.version. Never ``sync.client`` or ``sync.store`` (the device's store).
"""
