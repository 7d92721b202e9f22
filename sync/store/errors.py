"""Errors raised by the local store. Every message is meant to be shown to the user as is."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class WrongPassword(StoreError):
    """The password does not unlock this profile. Nothing was changed on disk."""

    def __init__(self, message: str = "密码错误，无法解锁本机数据 (wrong password)") -> None:
        super().__init__(message)


class ProfileError(StoreError):
    """The profile directory is missing, incomplete, or its profile.json is unreadable."""


class StoreCorrupt(StoreError):
    """The password is right but the database file cannot be read (damaged or truncated)."""


class NotFound(StoreError, KeyError):
    """An entity, submission or other record named by id does not exist in this store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class InvalidInput(StoreError, ValueError):
    """A caller or the server passed something malformed; the message says where and what."""
