"""Typing into widgets the way an input method does (Chinese must not go through keyClicks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.qt import QApplication, QInputMethodEvent, QTimer, QWidget


def commit_text(widget: QWidget, text: str) -> None:
    """Commit ``text`` as an input method would (appends at the cursor)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def column_values(model: Any, key: str, rows: int | None = None) -> list[str]:
    col = next(i for i, c in enumerate(model.columns) if c.key == key)
    n = model.rowCount() if rows is None else min(rows, model.rowCount())
    return [str(model.index(r, col).data()) for r in range(n)]


def when_modal(act: Callable[[QWidget], object], attempts: int = 200) -> None:
    """Run ``act(dialog)`` on the next modal dialog once it is open (call before opening it)."""
    def poll(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            act(dialog)
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(attempts))


def click(qtbot: Any, button: QWidget | None) -> None:
    """A left click on ``button`` as a person makes it (a disabled button does nothing)."""
    from desktop.qt import Qt

    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_ok(qtbot: Any, dialog: QWidget) -> None:
    """Click the dialog's OK (确定 / 提交) button."""
    from desktop.qt import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    assert box is not None, "the dialog has no button box"
    click(qtbot, box.button(QDialogButtonBox.StandardButton.Ok))


def close_window(window: Any) -> None:
    """Close a main window as the app does after its work (shut down first: with unsent work it would
    ask), then its session's store."""
    window.shutdown()
    window.close()
    window.deleteLater()
    window.session.close()
