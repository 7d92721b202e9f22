"""Where the login tokens live: the OS keyring when it can be used without blocking, else the local store.

``keyring`` has no backend on a headless Linux box, and some backends (Secret Service with a locked
collection, KWallet, libsecret) pop up an unlock prompt and block until someone answers. The sync
must never hang on that, so :func:`usable_keyring` decides *without calling anything that could
prompt* whether the active backend can be used:

- ``fail``, ``null``, a chainer with no usable member, and plaintext file backends are unusable;
- KWallet and libsecret are unusable (they can prompt and we cannot ask them not to);
- Secret Service is usable only when its default collection is already unlocked (asked over D-Bus
  without unlocking); the whole check runs in a worker thread with a time limit;
- Windows Credential Manager, the macOS Keychain and any other backend (e.g. an in-memory test
  backend set with ``keyring.set_keyring``) are usable.

:func:`choose_token_store` returns :class:`KeyringTokens` over the usable backend, or — explicitly —
:class:`StoreTokens` over the key/value table the caller provides (the encrypted local store's
``meta``). ``TokenStore.kind`` says which is in use so the UI can show it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, TypeVar, cast

import keyring
import keyring.backend
import keyring.errors
from keyring.backends.chainer import ChainerBackend

from sync.client.errors import TokenStorageError

_T = TypeVar("_T")
SERVICE = "yibiaotong"
#: Seconds allowed for probing a keyring backend before it is declared unusable.
PROBE_TIMEOUT = 3.0

_UNUSABLE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyring.backends.kwallet",
                     "keyring.backends.libsecret", "keyrings.alt.file")
_UNUSABLE_NAMES = ("plaintext", "fail", "null")


@dataclass
class Tokens:
    """What a login gives: tokens with their expiry (epoch seconds) and who logged in."""

    server: str
    username: str
    access_token: str
    refresh_token: str
    access_expires_at: float = 0.0
    refresh_expires_at: float = 0.0
    user: dict[str, Any] = field(default_factory=dict)

    def access_valid(self, margin: float = 30.0) -> bool:
        return bool(self.access_token) and (self.access_expires_at == 0.0
                                            or time.time() + margin < self.access_expires_at)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Tokens | None:
        try:
            raw = json.loads(text)
            return cls(
                server=str(raw["server"]), username=str(raw["username"]),
                access_token=str(raw["access_token"]), refresh_token=str(raw["refresh_token"]),
                access_expires_at=float(raw.get("access_expires_at") or 0.0),
                refresh_expires_at=float(raw.get("refresh_expires_at") or 0.0),
                user=dict(raw.get("user") or {}),
            )
        except (ValueError, KeyError, TypeError):
            return None


def account_key(server: str, username: str) -> str:
    return f"{server.rstrip('/')}|{username}"


class TokenStore(Protocol):
    """Keeps one account's tokens. ``kind`` is "keyring:<backend>" or "store"."""

    kind: str

    def load(self, server: str, username: str) -> Tokens | None: ...

    def save(self, tokens: Tokens) -> None: ...

    def clear(self, server: str, username: str) -> None: ...


class MetaStore(Protocol):
    """A small key/value table, e.g. the local store's ``meta`` table (encrypted at rest)."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def delete_meta(self, key: str) -> None: ...


class _SettingsMeta:
    """:class:`MetaStore` over the store's settings (``sync.store.Store.settings``: ``get`` / ``set``)."""

    def __init__(self, store: Any) -> None:
        self.settings = store.settings

    def get_meta(self, key: str) -> str | None:
        value = self.settings.get(key)
        return value if isinstance(value, str) else None

    def set_meta(self, key: str, value: str) -> None:
        self.settings.set(key, value)

    def delete_meta(self, key: str) -> None:
        self.settings.set(key, None)


def store_meta(store: Any) -> MetaStore:
    """The local store's encrypted settings as a token fallback (``StoreTokens(store_meta(store))``)."""
    return _SettingsMeta(store)


class KeyringTokens:
    """Tokens as one JSON secret per account in a keyring backend already known to be usable.

    Every backend call runs in a worker thread with a time limit: should the backend start waiting
    on a prompt after all, the call fails with :class:`TokenStorageError` instead of hanging."""

    def __init__(self, backend: keyring.backend.KeyringBackend, *, timeout: float = PROBE_TIMEOUT) -> None:
        self.backend = backend
        self.timeout = timeout
        self.kind = f"keyring:{type(backend).__module__}.{type(backend).__name__}"

    def _call(self, fn: Callable[[], _T]) -> _T:
        box: list[Any] = []

        def work() -> None:
            try:
                box.append((True, fn()))
            except Exception as exc:
                box.append((False, exc))

        worker = threading.Thread(target=work, name="keyring-call", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if not box:
            raise TokenStorageError(f"keyring backend {self.kind} did not answer within {self.timeout:g} s")
        ok, value = box[0]
        if ok:
            return cast(_T, value)
        if isinstance(value, keyring.errors.PasswordDeleteError):
            raise value
        if isinstance(value, keyring.errors.KeyringError | OSError | RuntimeError):
            raise TokenStorageError(str(value)) from value
        raise value

    def load(self, server: str, username: str) -> Tokens | None:
        text = self._call(lambda: self.backend.get_password(SERVICE, account_key(server, username)))
        return Tokens.from_json(text) if text else None

    def save(self, tokens: Tokens) -> None:
        key, value = account_key(tokens.server, tokens.username), tokens.to_json()
        self._call(lambda: self.backend.set_password(SERVICE, key, value))

    def clear(self, server: str, username: str) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._call(lambda: self.backend.delete_password(SERVICE, account_key(server, username)))


class StoreTokens:
    """Tokens in the caller's key/value store (the encrypted local store), under ``auth.tokens:<account>``."""

    kind = "store"

    def __init__(self, meta: MetaStore) -> None:
        self.meta = meta

    @staticmethod
    def _key(server: str, username: str) -> str:
        return f"auth.tokens:{account_key(server, username)}"

    def load(self, server: str, username: str) -> Tokens | None:
        text = self.meta.get_meta(self._key(server, username))
        return Tokens.from_json(text) if text else None

    def save(self, tokens: Tokens) -> None:
        self.meta.set_meta(self._key(tokens.server, tokens.username), tokens.to_json())

    def clear(self, server: str, username: str) -> None:
        self.meta.delete_meta(self._key(server, username))


class MemoryTokens:
    """Tokens kept only for this process (``--no-save`` and one-shot runs)."""

    kind = "memory"

    def __init__(self) -> None:
        self._items: dict[str, Tokens] = {}

    def load(self, server: str, username: str) -> Tokens | None:
        return self._items.get(account_key(server, username))

    def save(self, tokens: Tokens) -> None:
        self._items[account_key(tokens.server, tokens.username)] = tokens

    def clear(self, server: str, username: str) -> None:
        self._items.pop(account_key(server, username), None)


def _secret_service_unlocked(backend: keyring.backend.KeyringBackend) -> bool:
    """True if Secret Service's collection is unlocked, asked without ever unlocking (no prompt)."""
    import secretstorage

    conn = secretstorage.dbus_init()
    try:
        path = getattr(backend, "preferred_collection", None)
        collection = (secretstorage.Collection(conn, path) if path
                      else secretstorage.get_default_collection(conn))
        return not collection.is_locked()
    finally:
        conn.close()


def _judge(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend | None:
    """The backend to use (a chainer's first usable member), or None; never calls a prompting method."""
    module = type(backend).__module__
    name = type(backend).__name__.lower()
    if module.startswith(_UNUSABLE_MODULES) or any(bad in name for bad in _UNUSABLE_NAMES):
        return None
    if isinstance(backend, ChainerBackend):
        for member in getattr(backend, "backends", []):
            chosen = _judge(member)
            if chosen is not None:
                return chosen
        return None
    if module == "keyring.backends.SecretService":
        try:
            return backend if _secret_service_unlocked(backend) else None
        except Exception:  # any D-Bus trouble means "do not use it"
            return None
    try:
        priority = float(backend.priority)
    except Exception:  # a backend whose priority raises is not viable
        return None
    return backend if priority > 0 else None


#: The system's own credential store per ``sys.platform``, used when keyring's discovery (entry
#: points, which a frozen app may lack) finds nothing usable: Windows Credential Manager, the macOS
#: Keychain. Linux has no single one: Secret Service is found by discovery, if unlocked.
PLATFORM_BACKENDS = {"win32": ("keyring.backends.Windows", "WinVaultKeyring"),
                     "darwin": ("keyring.backends.macOS", "Keyring")}


def platform_backend(platform: str) -> keyring.backend.KeyringBackend | None:
    """An instance of the system credential store for ``platform``, or None (none, or not loadable)."""
    spec = PLATFORM_BACKENDS.get(platform)
    if spec is None:
        return None
    try:
        module = importlib.import_module(spec[0])
        backend = getattr(module, spec[1])()
    except Exception:  # its module needs the OS it is made for
        return None
    return backend if isinstance(backend, keyring.backend.KeyringBackend) else None


def choose_backend(configured: keyring.backend.KeyringBackend, platform: str) -> keyring.backend.KeyringBackend | None:
    """The backend tokens go to: the configured one if usable, else the platform's own if usable."""
    chosen = _judge(configured)
    if chosen is not None:
        return chosen
    fallback = platform_backend(platform)
    return _judge(fallback) if fallback is not None else None


def usable_keyring(timeout: float = PROBE_TIMEOUT) -> keyring.backend.KeyringBackend | None:
    """The active keyring backend if it can be used without prompting or blocking, else None."""
    result: list[keyring.backend.KeyringBackend | None] = []

    def probe() -> None:
        try:
            result.append(choose_backend(keyring.get_keyring(), sys.platform))
        except Exception:  # a broken keyring configuration is "unusable"
            result.append(None)

    worker = threading.Thread(target=probe, name="keyring-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    return result[0] if result else None


def choose_token_store(fallback: MetaStore | None, *, timeout: float = PROBE_TIMEOUT) -> TokenStore:
    """:class:`KeyringTokens` if the keyring is usable, else :class:`StoreTokens` over ``fallback``
    (or :class:`MemoryTokens` when no fallback is given). Read ``.kind`` to report which is in use."""
    backend = usable_keyring(timeout)
    if backend is not None:
        return KeyringTokens(backend)
    if fallback is not None:
        return StoreTokens(fallback)
    return MemoryTokens()
