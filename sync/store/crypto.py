"""Profile files, key derivation and opening the encrypted SQLCipher connection.

A profile directory holds ``store.db`` (SQLCipher, WAL) and ``profile.json`` (plaintext): the KDF
name and parameters, the random salt, a key check value and the username (so a login screen can
list profiles). The 32-byte database key is Argon2id(password, salt); it is passed raw with
``PRAGMA key = "x'…'"`` so SQLCipher does not run its own PBKDF2 on top.

The key check is BLAKE2b(key, person="ybt-keycheck"); it lets a wrong password be told apart from
a damaged database file without touching the database. It gives an attacker nothing the encrypted
file does not (both need an Argon2id derivation per guess).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from sqlcipher3 import dbapi2 as sqlcipher

from sync.store.errors import ProfileError, StoreCorrupt, WrongPassword

DB_NAME = "store.db"
PROFILE_NAME = "profile.json"
#: Written before a password change rekeys the database, renamed over profile.json after it.
PENDING_NAME = "profile.json.new"
PROFILE_FORMAT = 1
#: Page cache per connection. Pages are decrypted when they enter the cache, so a cache that holds
#: the lists' working set (a supervisor's 100,000 persons is about 250 MB on disk) keeps scrolling
#: and searching from re-decrypting pages. Memory is only used as pages are touched.
CACHE_KIB = 256 * 1024


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters. The defaults take about 0.2 s on a laptop; tests pass cheaper ones."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4
    hash_len: int = 32


def derive_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    if not isinstance(password, str) or password == "":
        raise WrongPassword("密码不能为空 (the password must not be empty)")
    return hash_secret_raw(
        password.encode("utf-8"), salt, time_cost=params.time_cost, memory_cost=params.memory_cost,
        parallelism=params.parallelism, hash_len=params.hash_len, type=Type.ID,
    )


def key_check(key: bytes) -> str:
    return hashlib.blake2b(key, digest_size=16, person=b"ybt-keycheck").hexdigest()


def write_profile(profile_dir: Path, salt: bytes, params: KdfParams, key: bytes, username: str,
                  name: str = PROFILE_NAME) -> None:
    """Write profile.json atomically (temp file + fsync + rename)."""
    doc = {
        "format": PROFILE_FORMAT,
        "kdf": "argon2id",
        "kdf_params": asdict(params),
        "salt": base64.b64encode(salt).decode("ascii"),
        "key_check": key_check(key),
        "username": username,
        "db": DB_NAME,
    }
    path = profile_dir / name
    tmp = profile_dir / (name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_profile(profile_dir: Path, name: str = PROFILE_NAME) -> dict[str, Any]:
    path = profile_dir / name
    if not path.is_file():
        raise ProfileError(f"找不到用户资料文件 {path} (no profile here)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != PROFILE_FORMAT or doc.get("kdf") != "argon2id":
            raise ValueError("unsupported format or KDF")
        base64.b64decode(doc["salt"], validate=True)
        KdfParams(**doc["kdf_params"])
        str(doc["key_check"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ProfileError(f"用户资料文件 {path} 已损坏: {exc} (profile.json is damaged)") from exc
    return doc


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def unlock(profile_dir: Path, password: str, name: str = PROFILE_NAME) -> bytes:
    """Derive the key from the password and check it against profile.json; WrongPassword if it fails."""
    doc = read_profile(profile_dir, name)
    params = KdfParams(**doc["kdf_params"])
    key = derive_key(password, base64.b64decode(doc["salt"]), params)
    if not hmac.compare_digest(key_check(key), str(doc["key_check"])):
        raise WrongPassword()
    return key


def connect(db_path: Path, key: bytes, *, create: bool) -> sqlcipher.Connection:
    """Open the SQLCipher database with a raw key, in WAL mode, with manual transactions.

    ``isolation_level=None``: the driver never opens transactions on its own; the store issues
    ``BEGIN IMMEDIATE`` / ``COMMIT`` itself so one user action is exactly one transaction.
    """
    if not create and not db_path.is_file():
        raise ProfileError(f"找不到数据库文件 {db_path} (database file missing)")
    conn = sqlcipher.connect(str(db_path), isolation_level=None, check_same_thread=False, timeout=10.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            # The key check in profile.json already matched, so this is the file, not the password.
            raise StoreCorrupt(f"数据库文件 {db_path} 无法读取，可能已损坏: {exc} (database damaged)") from exc
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreCorrupt(f"无法启用 WAL 模式 ({mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    return conn
