"""A logged-in worker: the unlocked local store, who they are, and (when online) the API client.

:func:`authenticate` is the login decision, run off the GUI thread:

- the profile already holds this user's store -> unlock it with the password (offline works; the key
  is derived from the password, so a wrong password cannot open it);
- no store yet -> the first login must be online: log in to the platform, then create the encrypted
  store with the same password, keep who the user is in its meta, and pull the user's data.

No Qt here; :mod:`desktop.login` runs it in the background and shows the errors it raises.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import account_gate
from sync.client.errors import SyncError
from sync.client.http import ApiClient, RetryPolicy
from sync.client.tokens import choose_token_store
from sync.store import Store, WrongPassword
from sync.store.crypto import PROFILE_NAME, KdfParams, unlock

#: Key derivation parameters for new stores (None: the store's defaults). Tests set cheaper ones.
KDF_PARAMS: KdfParams | None = None

#: Interactive login: try twice, then tell the worker (the sync retries longer in the background).
LOGIN_RETRY = RetryPolicy(attempts=2, base=0.2, cap=1.0)
LOGIN_TIMEOUT = (4.0, 30.0)


class LoginError(Exception):
    """Why logging in failed, for the user, in both languages."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh


@dataclass
class Session:
    profile_dir: Path
    store_dir: Path
    username: str
    user: dict[str, Any]
    server_url: str
    device_id: str
    store: Store
    client: ApiClient | None = None
    #: Opens another connection to the same store (for a worker thread).
    reopen: Callable[[], Store] = field(repr=False, default=lambda: None)  # type: ignore[assignment]
    #: Checks a password against the store key (for unlocking the auto-lock).
    verify: Callable[[str], bool] = field(repr=False, default=lambda _p: False)
    first_login: bool = False
    #: Logs in to the platform again with the password given at unlock (when the session started
    #: offline and the platform is back); returns the user. Raises the client's errors.
    relogin: Callable[[], dict[str, Any]] | None = field(repr=False, default=None)
    #: Something the main window should tell the worker after login (e.g. a first sync cut short).
    notice_zh: str = ""
    notice_en: str = ""

    @property
    def role(self) -> str:
        return str(self.user.get("role") or "worker")

    @property
    def display_name(self) -> str:
        return str(self.user.get("display_name") or self.username)

    def close(self) -> None:
        self.store.close()


class StoreMeta:
    """The store's settings as the key/value ``MetaStore`` the token fallback needs (encrypted at rest)."""

    PREFIX = "tokens:"

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_meta(self, key: str) -> str | None:
        value = self.store.settings.get(self.PREFIX + key)
        return value if isinstance(value, str) else None

    def set_meta(self, key: str, value: str) -> None:
        self.store.settings.set(self.PREFIX + key, value)

    def delete_meta(self, key: str) -> None:
        self.store.settings.set(self.PREFIX + key, None)


def safe_name(username: str) -> str:
    """A directory name for ``username`` (letters, digits, ``._-``; others hex-escaped)."""
    return re.sub(r"[^A-Za-z0-9._-]", lambda m: f"%{ord(m.group()):04x}", username) or "_"


def store_dir_for(profile_dir: Path, username: str) -> Path:
    return profile_dir / "users" / safe_name(username)


def device_id(profile_dir: Path) -> str:
    """A stable id of this installation (kept in the profile), sent with every login."""
    path = profile_dir / "device.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("device_id")
        if isinstance(value, str) and value:
            return value
    except (OSError, ValueError, AttributeError):
        pass
    value = f"desktop-{uuid.uuid4()}"
    profile_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"device_id": value}), encoding="utf-8")
    return value


def _wrong_password() -> LoginError:
    return LoginError("wrong_password", "密码不正确", "Wrong password")


def _from_sync_error(exc: SyncError) -> LoginError:
    return LoginError(exc.code, exc.message_zh, exc.message_en)


def authenticate(profile_dir: Path, server_url: str, username: str, password: str,
                 initial_sync: Callable[[Session], object] | None = None) -> Session:
    """Log in (offline if this profile already knows the user); raises :class:`LoginError`."""
    username = username.strip()
    if not username or not password:
        raise LoginError("missing", "请输入用户名和密码", "Enter the user name and password")
    store_dir = store_dir_for(profile_dir, username)
    dev = device_id(profile_dir)
    if (store_dir / PROFILE_NAME).exists():
        try:
            store = Store.open(store_dir, password)
        except WrongPassword:
            account_gate.reset_on_platform(server_url, username, password, dev, store_dir)
            raise _wrong_password() from None
        user = store.settings.user()
        server = str(user.get("server") or "")
        session = Session(profile_dir, store_dir, username, user, server_url or server, dev, store)
    else:
        if not server_url:
            raise LoginError("no_server", "首次登录需要联网：请填写平台服务器地址",
                             "The first login must be online: enter the platform server address")
        client = ApiClient(server_url, device_id=dev, retry=LOGIN_RETRY, timeout=LOGIN_TIMEOUT)
        try:
            user = client.login(username, password)
            account_gate.after_login(client, password)  # a reset password, the 保密协议: before the store
        except SyncError as exc:
            raise _from_sync_error(exc) from None
        record = {**user, "username": username, "server": server_url, "device_id": dev}
        store = Store.create(store_dir, password, record, kdf=KDF_PARAMS)
        user = store.settings.user()
        session = Session(profile_dir, store_dir, username, user, server_url, dev, store, client=client,
                          first_login=True)
    session.reopen = store.sibling
    session.verify = lambda candidate: _check(store_dir, candidate)
    if session.client is None and session.server_url:
        session.client = ApiClient(session.server_url, device_id=dev, retry=LOGIN_RETRY, timeout=LOGIN_TIMEOUT,
                                   username=username)
    if session.client is not None:
        tokens = choose_token_store(StoreMeta(session.store))
        previous = session.client.tokens
        session.client.tokens_store = tokens
        if previous is not None:
            tokens.save(previous)
        client = session.client
        session.relogin = lambda: client.login(username, password)
        if not session.first_login:
            try:
                account_gate.check_agreement(client, session.relogin)  # a new 保密协议 version asks again
            except account_gate.AgreementNeeded:
                session.close()
                raise
    if session.first_login and initial_sync is not None:
        try:
            initial_sync(session)
        except SyncError as exc:  # logged in all the same: the next sync continues the pull
            session.notice_zh = "首次同步未完成：" + exc.message_zh
            session.notice_en = "The first sync did not finish: " + exc.message_en
    return session


def _check(store_dir: Path, password: str) -> bool:
    """True when ``password`` derives this store's key (nothing is opened)."""
    try:
        unlock(store_dir, password)
    except WrongPassword:
        return False
    return True
