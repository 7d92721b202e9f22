"""Back up and restore the platform's database, whole and consistent, while the server runs.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), page by page, consistent even
  while server processes write; the backup is itself a SQLite file. A restore copies it back with the
  same API, so the target must not be in use (stop the server first).
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot) and ``pg_restore --clean
  --if-exists --no-owner``; the PostgreSQL client binaries must match or be newer than the server.

A restore never writes over a platform's data silently: an existing target with tables is refused
unless ``replace=True``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sync.server.db import normalize_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: Pages copied per step of SQLite's online backup (writers get the lock between steps).
PAGES_PER_STEP = 4096


class BackupError(Exception):
    """Backup or restore could not be done; ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class BackupReport:
    kind: str  # "sqlite" or "postgresql"
    path: str
    bytes: int


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("内存数据库无法备份", "an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def libpq_url(url: str) -> str:
    """``postgresql+psycopg://u:p@h/db`` -> ``postgresql://u:p@h/db`` (what pg_dump understands)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise BackupError("不支持的数据库类型", f"unsupported database: {parsed.get_backend_name()}")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_tool(name: str) -> str:
    """The newest ``pg_dump`` / ``pg_restore`` (Debian keeps one per major version)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端",
                          f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败", f"{Path(args[0]).name} failed: {done.stderr.strip()}")


def backup(url: str, out: Path) -> BackupReport:
    """Write a consistent copy of the database at ``url`` to ``out`` (written beside, then renamed)."""
    out = out.expanduser()
    if out.exists() and out.is_dir():
        raise BackupError("输出路径是目录", f"--out is a directory: {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    source = _sqlite_path(url)
    try:
        if source is not None:
            if not source.is_file():
                raise BackupError("数据库文件不存在", f"no database file at {source}")
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
            finally:
                dst.close()
                src.close()
            kind = "sqlite"
        else:
            _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", f"--dbname={libpq_url(url)}"])
            kind = "postgresql"
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(kind, str(out), out.stat().st_size)


def backup_kind(path: Path) -> str:
    """``"sqlite"`` or ``"postgresql"`` from the file's first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError("无法读取备份文件", f"cannot read the backup {path}: {exc}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError("不是一表通的备份文件", f"{path} is neither a SQLite backup nor a pg_dump archive")


def _has_tables(url: str) -> bool:
    engine = sa.create_engine(normalize_url(url))
    try:
        return bool(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def restore(backup_file: Path, url: str, *, replace: bool = False) -> BackupReport:
    """Put ``backup_file`` back as the database at ``url``. Stop the server processes first."""
    backup_file = backup_file.expanduser()
    kind = backup_kind(backup_file)
    target = _sqlite_path(url)
    if (target is None) != (kind == "postgresql"):
        raise BackupError("备份与目标数据库类型不同",
                          f"the backup is a {kind} backup, the target is not a {kind} database")
    exists = target.is_file() and target.stat().st_size > 0 if target is not None else _has_tables(url)
    if exists and not replace:
        raise BackupError("目标数据库已有数据；确认覆盖请加 --replace",
                          "the target database already holds data: add --replace to overwrite it")
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=PAGES_PER_STEP)
        finally:
            dst.close()
            src.close()
    else:
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={libpq_url(url)}", str(backup_file)])
    return BackupReport(kind, str(backup_file), backup_file.stat().st_size)
