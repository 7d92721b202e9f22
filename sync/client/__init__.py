"""The sync client: HTTP client of the platform API, token storage, and the sync engine.

``ApiClient`` (:mod:`sync.client.http`) talks to ``/api/v1`` with timeouts, retries and token refresh;
``choose_token_store`` (:mod:`sync.client.tokens`) picks the OS keyring or the local store for tokens;
``SyncEngine`` (:mod:`sync.client.engine`) pushes the outbox and pulls changes into the local store.
Errors are the types of :mod:`sync.client.errors`. No Qt here: the desktop runs the engine in a
worker thread and passes ``progress`` and ``cancel``.

May import: forms, sync.protocol, sync.version, sync.store. Never ``sync.server``.
"""
