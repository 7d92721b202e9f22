"""User-facing text: Chinese by default, English switchable at run time.

The source text in the code *is* the Chinese text: ``tr("登录")``. Other languages live in catalogue
files ``resources/i18n/<lang>/*.json`` (one file per part of the app, e.g. ``en/main.json``,
``en/editor.json``; all are merged) mapping the Chinese source to the translation, so a translator
edits a plain file and never the code. A missing entry falls back to the Chinese text (a test lists
every ``tr()`` literal that has no English entry, so none ship untranslated).

Widgets that show text connect to :func:`notifier` ``.language_changed`` and re-set their text in a
``retranslate()`` method; :func:`set_language` emits it, so a switch takes effect at once.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from desktop.qt import QObject, Signal

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
#: Shown in the language menu, each in its own language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The translation table for ``language`` (empty for Chinese, the source language)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    folder = CATALOGUE_DIR / language
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged catalogue must not stop the app: its texts stay in Chinese
        if isinstance(data, dict):
            merged.update({str(k): str(v) for k, v in data.items() if isinstance(v, str) and v})
    return merged


class LanguageNotifier(QObject):
    """Holds the current language and tells the widgets when it changes."""

    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = DEFAULT_LANGUAGE


_notifier: LanguageNotifier | None = None


def notifier() -> LanguageNotifier:
    global _notifier
    if _notifier is None:
        _notifier = LanguageNotifier()
    return _notifier


def language() -> str:
    return notifier().language


def normalise_language(value: str | None) -> str:
    """``zh``, ``zh_CN``, ``zh-Hans`` -> ``zh``; ``en_US`` -> ``en``; anything else -> Chinese."""
    if not value:
        return DEFAULT_LANGUAGE
    head = value.replace("-", "_").split("_")[0].lower()
    return head if head in LANGUAGES else DEFAULT_LANGUAGE


def set_language(value: str) -> None:
    """Switch the language of every open window (widgets listen to ``language_changed``)."""
    lang = normalise_language(value)
    n = notifier()
    if lang == n.language:
        return
    n.language = lang
    n.language_changed.emit(lang)


def tr(source: str, /, **values: object) -> str:
    """``source`` (the Chinese text) in the current language, with ``{name}`` fields filled in."""
    translated = catalogue(language()).get(source, source)
    return translated.format(**values) if values else translated


def tr_in(lang: str, source: str, /, **values: object) -> str:
    """Like :func:`tr` but in a given language (for messages built for someone else, e.g. logs)."""
    translated = catalogue(normalise_language(lang)).get(source, source)
    return translated.format(**values) if values else translated
