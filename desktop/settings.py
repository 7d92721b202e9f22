"""Where the app keeps its files, and the few preferences a worker can change.

``ybt_home()`` is ``$YBT_HOME`` if set, else the per-user data directory
(``~/.local/share/yibiaotong`` on Linux, ``%APPDATA%\\yibiaotong`` on Windows). Preferences live in
``settings.json`` there: language, idle minutes before the auto-lock, minutes between background
syncs, the last server and user name.
A damaged settings file is replaced by defaults rather than stopping the app.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_IDLE_LOCK_MINUTES = 10


def ybt_home() -> Path:
    return data_home(sys.platform, os.environ, Path.home())


def data_home(platform: str, environ: Mapping[str, str], home: Path) -> Path:
    """Where the app keeps its files on ``platform`` (a ``sys.platform`` value): ``$YBT_HOME``, else the
    per-user data folder: ``%APPDATA%\\yibiaotong`` on Windows (roaming, as Qt's AppDataLocation),
    ``~/Library/Application Support/yibiaotong`` on macOS, ``$XDG_DATA_HOME/yibiaotong`` (default
    ``~/.local/share/yibiaotong``) elsewhere. Never the install folder (Program Files, /opt)."""
    env = environ.get("YBT_HOME")
    if env:
        return Path(env).expanduser()
    if platform == "win32":
        base = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "yibiaotong"


def default_profile_dir() -> Path:
    return ybt_home() / "profile"


DEFAULT_SYNC_MINUTES = 5


@dataclass
class AppSettings:
    language: str = "zh"
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    #: While online, sync in the background every so many minutes (0: only on reconnect and after
    #: each submit or visit).
    sync_interval_minutes: int = DEFAULT_SYNC_MINUTES
    server_url: str = ""
    last_username: str = ""
    #: Where ``save()`` writes (set by ``load``); not saved itself.
    _home: Path | None = field(default=None, repr=False, compare=False)

    @classmethod
    def path(cls, home: Path | None = None) -> Path:
        return (home or ybt_home()) / "settings.json"

    @classmethod
    def load(cls, home: Path | None = None) -> AppSettings:
        """The settings saved in ``home`` (default ``ybt_home()``); later ``save()`` writes back there."""
        loaded = cls._read(home)
        loaded._home = home
        return loaded

    @classmethod
    def _read(cls, home: Path | None) -> AppSettings:
        path = cls.path(home)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        kwargs: dict[str, object] = {}
        for name, value in raw.items():
            if name not in known or name.startswith("_"):
                continue
            default = getattr(cls(), name)
            if isinstance(default, int) and isinstance(value, int) and not isinstance(value, bool):
                kwargs[name] = max(0, value)
            elif isinstance(default, str) and isinstance(value, str):
                kwargs[name] = value
        return cls(**kwargs)  # type: ignore[arg-type]

    def save(self, home: Path | None = None) -> None:
        path = self.path(home or self._home)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        values = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        tmp.write_text(json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
