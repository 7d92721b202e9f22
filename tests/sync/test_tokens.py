"""Token storage: the keyring when usable without prompting, else an explicit fallback to the store."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null

from sync.client.errors import TokenStorageError
from sync.client.tokens import (
    KeyringTokens,
    MemoryTokens,
    StoreTokens,
    Tokens,
    choose_token_store,
    store_meta,
    usable_keyring,
)
from sync.store import Store
from tests.sync.memkeyring import MemoryKeyring
from tests.sync.support import CHEAP


class DictMeta:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_meta(self, key: str) -> str | None:
        return self.values.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.values[key] = value

    def delete_meta(self, key: str) -> None:
        self.values.pop(key, None)


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's plaintext file backend: must be refused."""


HANG = threading.Event()


class HangingKeyring(MemoryKeyring):
    """A backend whose first touch blocks (like one waiting on an unlock prompt) while HANG is set.

    keyring registers every backend subclass, so it must not hang outside its own test."""

    @property
    def priority(self) -> float:  # type: ignore[override]
        if HANG.is_set():
            time.sleep(10)
        return 1.0


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def sample(server: str = "http://a", user: str = "wg1") -> Tokens:
    return Tokens(server=server, username=user, access_token="acc", refresh_token="ref",
                  access_expires_at=time.time() + 900, user={"role": "worker"})


def test_a_usable_keyring_keeps_tokens_per_account() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = choose_token_store(DictMeta())
    assert isinstance(store, KeyringTokens)
    assert store.kind.startswith("keyring:") and "MemoryKeyring" in store.kind
    store.save(sample())
    store.save(sample(user="wg2"))
    loaded = store.load("http://a", "wg1")
    assert loaded is not None and loaded.refresh_token == "ref" and loaded.user == {"role": "worker"}
    store.clear("http://a", "wg1")
    assert store.load("http://a", "wg1") is None
    assert store.load("http://a", "wg2") is not None
    store.clear("http://a", "wg1")  # clearing twice is fine


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(),  # type: ignore[no-untyped-call]
                                     PlaintextKeyring()],
                         ids=["fail", "null", "plaintext"])
def test_unusable_backends_fall_back_to_the_store(backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)
    meta = DictMeta()
    store = choose_token_store(meta)
    assert isinstance(store, StoreTokens) and store.kind == "store"
    store.save(sample())
    assert any(key.startswith("auth.tokens:") for key in meta.values)
    loaded = store.load("http://a", "wg1")
    assert loaded is not None and loaded.access_token == "acc"
    store.clear("http://a", "wg1")
    assert meta.values == {}


def test_a_chainer_with_nothing_usable_is_unusable_and_one_with_a_member_uses_it() -> None:
    class Empty(chainer.ChainerBackend):
        backends = (fail.Keyring(), null.Keyring())  # type: ignore[no-untyped-call]

    keyring.set_keyring(Empty())  # type: ignore[no-untyped-call]
    assert usable_keyring() is None
    member = MemoryKeyring()

    class Full(chainer.ChainerBackend):
        backends = (null.Keyring(), member)  # type: ignore[no-untyped-call]

    keyring.set_keyring(Full())  # type: ignore[no-untyped-call]
    assert usable_keyring() is member


def test_a_blocking_backend_is_abandoned_within_the_time_limit() -> None:
    keyring.set_keyring(HangingKeyring())
    HANG.set()
    started = time.monotonic()
    try:
        store = choose_token_store(DictMeta(), timeout=0.5)
    finally:
        HANG.clear()
    assert isinstance(store, StoreTokens)
    assert time.monotonic() - started < 5


def test_without_any_fallback_tokens_stay_in_memory() -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    store = choose_token_store(None)
    assert isinstance(store, MemoryTokens) and store.kind == "memory"


def test_a_corrupt_stored_value_reads_as_no_tokens() -> None:
    meta = DictMeta()
    store = StoreTokens(meta)
    meta.set_meta("auth.tokens:http://a|wg1", "{not json")
    assert store.load("http://a", "wg1") is None


def test_the_encrypted_local_store_is_the_fallback(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    with Store.create(tmp_path / "p", "pw-12345678", {"username": "wg1"}, kdf=CHEAP) as store:
        tokens = choose_token_store(store_meta(store))
        assert tokens.kind == "store"
        tokens.save(sample())
    with Store.open(tmp_path / "p", "pw-12345678") as store:
        loaded = StoreTokens(store_meta(store)).load("http://a", "wg1")
        assert loaded is not None and loaded.refresh_token == "ref"
        StoreTokens(store_meta(store)).clear("http://a", "wg1")
        assert StoreTokens(store_meta(store)).load("http://a", "wg1") is None


class StuckKeyring(MemoryKeyring):
    """Usable when chosen, then blocks on every read (a backend that starts prompting later)."""

    def get_password(self, service: str, username: str) -> str | None:
        if HANG.is_set():
            time.sleep(10)
        return super().get_password(service, username)


def test_a_backend_that_blocks_later_fails_quickly_instead_of_hanging() -> None:
    backend = StuckKeyring()
    tokens = KeyringTokens(backend, timeout=0.3)
    tokens.save(sample())
    HANG.set()
    started = time.monotonic()
    try:
        with pytest.raises(TokenStorageError):
            tokens.load("http://a", "wg1")
    finally:
        HANG.clear()
    assert time.monotonic() - started < 5
