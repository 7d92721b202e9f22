"""The Store: the parts (core, edits, queries, pull, outbox, graph) put together. See the package doc."""

from __future__ import annotations

from sync.store.graph import StoreGraph
from sync.store.outbox import OutboxMixin


class Store(OutboxMixin):
    """One user's encrypted local replica. Create with ``Store.create`` / ``Store.open``."""

    def graph(self) -> StoreGraph:
        """A forms.graph.EntityGraph over the local versions, cached until the store changes."""
        return StoreGraph(self)
