"""The session's platform client as the screens reach it: the client may come later (a session that
started offline gains one when the platform is back), and a call made while there is none raises
:class:`Offline`, which the screens put in words. The review and the admin calls build on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self


class Offline(Exception):
    """The session has no connection to the platform (logged in offline)."""


class PlatformApi:
    """``source``: the client, or a callable returning the current one (None while offline)."""

    def __init__(self, source: Any) -> None:
        self._source: Callable[[], Any] = source if callable(source) else (lambda: source)

    @classmethod
    def for_session(cls, session: Any) -> Self:
        return cls(lambda: session.client)

    @property
    def client(self) -> Any:
        return self._source()

    def _need(self) -> Any:
        client = self._source()
        if client is None:
            raise Offline()
        return client
