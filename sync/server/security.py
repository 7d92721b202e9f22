"""Passwords (Argon2id) and tokens (HMAC-signed access tokens, random refresh tokens stored hashed)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: Production parameters are argon2-cffi's defaults (RFC 9106 low-memory profile).
_DEFAULT_HASHER = PasswordHasher()
#: A valid hash nobody knows the password of: login spends the same time for unknown users.
_DUMMY_HASH = _DEFAULT_HASHER.hash(secrets.token_hex(16))


def make_hasher(fast: bool = False) -> PasswordHasher:
    """``fast`` is for tests only: the same Argon2id, cheaper parameters."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    return _DEFAULT_HASHER


def hash_password(password: str, hasher: PasswordHasher = _DEFAULT_HASHER) -> str:
    return hasher.hash(password)


def verify_password(stored_hash: str | None, password: str, hasher: PasswordHasher = _DEFAULT_HASHER) -> bool:
    try:
        return hasher.verify(stored_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenError(Exception):
    def __init__(self, expired: bool = False) -> None:
        super().__init__("token expired" if expired else "invalid token")
        self.expired = expired


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    expires: int


def sign_access_token(secret: bytes, user_id: str, session_id: str, lifetime: int, now: float | None = None) -> tuple[str, int]:
    expires = int((now if now is not None else time.time()) + lifetime)
    payload = _b64(json.dumps({"typ": "access", "sub": user_id, "sid": session_id, "exp": expires},
                              separators=(",", ":")).encode())
    signature = _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())
    return f"{payload}.{signature}", expires


def verify_access_token(secret: bytes, token: str, now: float | None = None) -> AccessClaims:
    """Raises :class:`TokenError` for a forged, malformed or expired token."""
    try:
        payload, signature = token.split(".")
        expected = _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            raise TokenError()
        claims: Any = json.loads(_unb64(payload))
    except (ValueError, UnicodeError) as exc:
        raise TokenError() from exc
    if not isinstance(claims, dict) or claims.get("typ") != "access":
        raise TokenError()
    sub, sid, exp = claims.get("sub"), claims.get("sid"), claims.get("exp")
    if not isinstance(sub, str) or not isinstance(sid, str) or not isinstance(exp, int):
        raise TokenError()
    if exp <= (now if now is not None else time.time()):
        raise TokenError(expired=True)
    return AccessClaims(sub, sid, exp)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_hex(32)
