"""Account rules beyond the user row itself: generated and chosen passwords, the end date of
third-party accounts (an account past its last day stops by itself), disabling and enabling with a
reason, and the fields the admin sees about an account.

Every act writes its audit entry in the caller's transaction (:func:`sync.server.audit.record`).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from sync.protocol import utc_now
from sync.server import audit, repo_users
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.errors import ApiError
from sync.server.scope import Principal

#: ``disabled_reason`` written when the end date disabled an account by itself.
REASON_EXPIRED = "expired"
#: the reason an admin gives for a person who left (账号清查 lists these).
REASON_LEFT = "left"
#: letters and digits that cannot be mistaken for one another when read off a printed sheet
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
MIN_PASSWORD = 8


def generate_password(length: int = 12) -> str:
    """A temporary password for handing out (the user must change it at first login)."""
    while True:
        text = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return text


#: Argon2id for *generated* passwords only (12 random characters, about 70 bits, shown once and
#: replaced at the first login): their strength is the randomness, not the work factor, so a bulk
#: import of thousands of users does not spend half a second of CPU and 64 MiB on each.
GENERATED_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def hash_generated(password: str, hasher: PasswordHasher) -> str:
    """The hash of a generated password: with the cheaper of ``hasher`` and :data:`GENERATED_HASHER`."""
    cheaper = hasher if hasher.memory_cost <= GENERATED_HASHER.memory_cost else GENERATED_HASHER
    return cheaper.hash(password)


def hash_many(passwords: dict[str, str], hasher: PasswordHasher) -> dict[str, str]:
    """:func:`hash_generated` of many (a bulk import), on a few threads (Argon2 releases the GIL)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    names = list(passwords)
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        digests = list(pool.map(lambda n: hash_generated(passwords[n], hasher), names))
    return dict(zip(names, digests, strict=True))


def password_problem(username: str, password: str) -> tuple[str, str] | None:
    """(zh, en) of why a chosen password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 个字符", f"a password has at least {MIN_PASSWORD} characters"
    if password.strip().lower() == username.lower():
        return "密码不能与用户名相同", "the password must not be the user name"
    return None


def today() -> date:
    return utc_now().date()


def past_end(end_date: str | None, on: date | None = None) -> bool:
    """True when the account's last day (inclusive) is before ``on`` (today, UTC)."""
    if not end_date:
        return False
    try:
        last = date.fromisoformat(end_date)
    except ValueError:
        return False
    return last < (on or today())


def account_expired() -> ApiError:
    return ApiError(403, "account_expired", "账号已过使用期限，已停用，请联系管理员",
                    "the account is past its end date and disabled; ask your admin")


def password_change_required() -> ApiError:
    return ApiError(403, "password_change_required", "请先修改密码", "change your password first (POST /auth/password)")


def expire(w: Writer, user_id: str, username: str = "") -> bool:
    """Disable an account past its end date (once: True when this call did it), ending its sessions."""
    done = w.conn.execute(sa.update(t.users).where(t.users.c.id == user_id, t.users.c.active == sa.true())
                          .values(active=False, disabled_reason=REASON_EXPIRED)).rowcount
    if not done:
        return False
    repo_users.revoke_user_sessions(w, user_id)
    repo_users.touch_assignments(w, user_id)
    audit.record(w.conn, "user_disable", actor_name="system", target=username or user_id,
                 detail={"user_id": user_id, "reason": REASON_EXPIRED})
    return True


def set_active(w: Writer, principal: Principal, row: Any, active: bool, reason: str = "") -> bool:
    """Disable (with a reason) or enable an account; False when it already was so (no entry then)."""
    if bool(row.active) == active:
        return False
    values: dict[str, Any] = {"active": active, "disabled_reason": None if active else (reason or None)}
    repo_users.update_user(w, row.id, values)
    repo_users.touch_assignments(w, row.id)
    if not active:
        repo_users.revoke_user_sessions(w, row.id)
    audit.record(w.conn, "user_enable" if active else "user_disable", actor=principal, target=row.username,
                 detail={"user_id": row.id, **({} if active else {"reason": reason})})
    return True


def end_other_sessions(w: Writer, user_id: str, keep_session: str) -> None:
    w.conn.execute(sa.update(t.sessions).where(t.sessions.c.user_id == user_id, t.sessions.c.id != keep_session)
                   .values(revoked=True))


def expire_due(w: Writer, rows: list[Any]) -> set[str]:
    """Disable every active account among ``rows`` that is past its end date; their ids."""
    done = set()
    for row in rows:
        if row.active and past_end(row.end_date) and expire(w, row.id, row.username):
            done.add(row.id)
    return done
