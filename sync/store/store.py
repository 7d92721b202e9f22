"""The Store: the parts (core, edits, queries, pull, outbox, graph) put together. See the package doc."""

from __future__ import annotations

from sync.store.queries import QueriesMixin


class Store(QueriesMixin):
    """One user's encrypted local replica. Create with ``Store.create`` / ``Store.open``."""
