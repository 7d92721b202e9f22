"""Where the app's open and save dialogs start: the user's documents folder (an office's files live
there), not the folder the app happened to be started from."""

from __future__ import annotations

from pathlib import Path

from desktop.qt import QStandardPaths


def start_dir(name: str = "") -> str:
    """The documents folder (the home folder when the system names none), with ``name`` in it if given."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return str(Path(base) / name) if name else base
