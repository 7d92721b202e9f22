"""Request bodies of the account routes (users' passwords and states, 账号清查, 保密协议)."""

from __future__ import annotations

from pydantic import Field

from sync.server.models import Strict

Reason = Field(default="", max_length=500)


class PasswordChangeIn(Strict):
    old_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class DisableIn(Strict):
    reason: str = Reason


class BulkDisableIn(Strict):
    ids: list[str] = Field(min_length=1, max_length=5000)
    reason: str = Reason


class AgreementIn(Strict):
    text: str = Field(min_length=1, max_length=100_000)


class AcceptIn(Strict):
    version: int = Field(ge=1)
    device_id: str | None = Field(default=None, max_length=200)
