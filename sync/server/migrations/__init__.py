"""Alembic migrations of the server database (run by ``ybt server init`` through sync.server.migrate)."""
