"""What the platform asks of an account before its data is shown: a new password (after an admin reset
it) and the acceptance of the current 保密协议. No Qt here: :func:`desktop.session.authenticate`
calls these, and they raise one of the two exceptions below for the login window to answer with a
dialog; after the user's answer the window logs in again.

The store key is derived from the password, so a password change is done on the platform *before* the
local store is created (first login) or, when a store made with the old password exists, the store
is re-keyed from the old password to the new one (:meth:`sync.store.Store.change_password`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.client.errors import AuthFailed, PermissionDenied, SyncError
from sync.client.http import ApiClient, RetryPolicy
from sync.store import Store, WrongPassword


class GateError(Exception):
    """Base: a question the login window must put to the user (shown in both languages)."""

    code = "gate"

    def __init__(self, client: ApiClient, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.client = client
        self.message_zh, self.message_en = message_zh, message_en

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh


class PasswordChangeNeeded(GateError):
    """The admin reset the password: choose a new one. ``store_dir`` is set when a local store made
    with the previous password exists (its password is then asked too, to re-key it)."""

    code = "password_change_required"

    def __init__(self, client: ApiClient, temporary: str, store_dir: Path | None = None) -> None:
        super().__init__(client, "管理员已重置您的密码，请设置新密码", "Your password was reset: choose a new one")
        self.temporary = temporary
        self.store_dir = store_dir


class LocalRekeyNeeded(GateError):
    """The platform takes the password but this laptop's store was made with an earlier one (the
    password was changed on another computer): the earlier one re-keys the store to ``password``."""

    code = "local_rekey"

    def __init__(self, client: ApiClient, password: str, store_dir: Path) -> None:
        super().__init__(client, "密码已在别处修改：请输入本机数据的原密码",
                         "The password was changed elsewhere: enter the previous password of this computer's data")
        self.password = password
        self.store_dir = store_dir


class AgreementNeeded(GateError):
    """The current 保密协议 is not accepted yet: ``agreement`` is ``GET /agreement``'s answer."""

    code = "agreement_required"

    def __init__(self, client: ApiClient, agreement: dict[str, Any]) -> None:
        super().__init__(client, "请阅读并同意保密协议", "Read and accept the confidentiality agreement")
        self.agreement = agreement


def after_login(client: ApiClient, password: str, store_dir: Path | None = None) -> None:
    """Right after an online login: raise a gate when the platform asks for one."""
    try:
        agreement = client.get("/agreement")
    except PermissionDenied as exc:
        if exc.code == "password_change_required":
            raise PasswordChangeNeeded(client, password, store_dir) from None
        raise
    if isinstance(agreement, dict) and agreement.get("required"):
        raise AgreementNeeded(client, agreement)


def check_agreement(client: ApiClient, relogin: Callable[[], object] | None = None) -> None:
    """At an offline-capable login: when the platform answers, ask for a new 保密协议 version;
    when it does not (offline), go on (the data on this laptop was pulled under an accepted one).
    Without a live session (tokens gone) ``relogin`` logs in with the password just typed first."""
    try:
        agreement = client.get("/agreement")
    except AuthFailed:
        if relogin is None:
            return
        try:
            relogin()
            agreement = client.get("/agreement")
        except SyncError:  # disabled, expired, reset: the sync says so
            return
    except SyncError:  # unreachable, or the platform refused: the sync will say so
        return
    if isinstance(agreement, dict) and agreement.get("required"):
        raise AgreementNeeded(client, agreement)


def reset_on_platform(server_url: str, username: str, password: str, device: str, store_dir: Path) -> None:
    """The local store refused the password: if the platform takes it and asks for a change, the
    admin reset it (raise :class:`PasswordChangeNeeded`); if it takes it plainly, it was changed on
    another computer (raise :class:`LocalRekeyNeeded`); otherwise return (the password is wrong)."""
    if not server_url:
        return
    client = ApiClient(server_url, device_id=device, retry=RetryPolicy(attempts=1), timeout=(4.0, 30.0))
    try:
        client.login(username, password)
        client.get("/agreement")
    except PermissionDenied as exc:
        if exc.code == "password_change_required":
            raise PasswordChangeNeeded(client, password, store_dir) from None
        return
    except SyncError:
        return
    raise LocalRekeyNeeded(client, password, store_dir)


def rekey_local(gate: LocalRekeyNeeded, local_old: str) -> None:
    """Re-key this laptop's store from its earlier password to the platform's current one."""
    try:
        store = Store.open(gate.store_dir, local_old)
    except WrongPassword:
        raise LocalPasswordWrong() from None
    try:
        store.change_password(local_old, gate.password)
    finally:
        store.close()


def change_password(gate: PasswordChangeNeeded, new: str, local_old: str = "") -> None:
    """Set the new password on the platform (and re-key the local store from ``local_old``).

    The local password is checked first, so a wrong one changes nothing anywhere."""
    store: Store | None = None
    if gate.store_dir is not None:
        try:
            store = Store.open(gate.store_dir, local_old)
        except WrongPassword:
            raise LocalPasswordWrong() from None
    try:
        gate.client.post("/auth/password", {"old_password": gate.temporary, "new_password": new})
        if store is not None:
            store.change_password(local_old, new)
    finally:
        if store is not None:
            store.close()


class LocalPasswordWrong(Exception):
    """The previous password given for this laptop's data does not open it."""


def accept(gate: AgreementNeeded, device_id: str) -> None:
    gate.client.post("/agreement/accept", {"version": gate.agreement["version"], "device_id": device_id})


def refuse(gate: GateError) -> None:
    """The user declined: end the platform session."""
    with contextlib.suppress(SyncError):
        gate.client.logout()
