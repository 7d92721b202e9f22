"""User-facing text: Chinese by default, English switchable at run time — translated the Qt way.

The source text in the code *is* the Chinese text: ``tr("登录")``. ``pyside6-lupdate`` extracts every
``tr()`` text of ``desktop/`` (and the table texts marked in ``desktop/i18n_marks.py``) into
``resources/i18n/yibiaotong_<lang>.ts``, which a translator edits in Qt Linguist; ``pyside6-lrelease``
compiles it to the ``.qm`` that a ``QTranslator`` loads here (``python -m desktop.i18n_catalogue
update`` runs both; ``check``, run by the tests, fails on any text without a finished translation).
A text the translator has not reached falls back to the Chinese.

Widgets that show text connect to :func:`notifier` ``.language_changed`` and re-set their text in a
``retranslate()`` method; :func:`set_language` emits it, so a switch takes effect at once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from desktop.qt import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
#: Shown in the language menu, each in its own language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
#: The translation context of the app's texts (lupdate's context for a bare ``tr()`` call).
CONTEXT = ""

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


@cache
def translator(language: str) -> QTranslator | None:
    """The compiled catalogue of ``language`` (None for Chinese, or when it cannot be read: the
    texts then stay in Chinese rather than the app stopping)."""
    if language == DEFAULT_LANGUAGE:
        return None
    loaded = QTranslator()
    if not loaded.load(str(CATALOGUE_DIR / f"yibiaotong_{language}.qm")):
        return None
    return loaded


@cache
def catalogue(language: str) -> dict[str, str]:
    """The finished translations of ``language`` as read from its ``.ts`` (for tests and tools)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    path = CATALOGUE_DIR / f"yibiaotong_{language}.ts"
    out: dict[str, str] = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return out
    for message in root.iter("message"):
        node = message.find("translation")
        if node is not None and node.text and node.get("type") not in ("unfinished", "vanished", "obsolete"):
            out[message.findtext("source") or ""] = node.text
    return out


@cache
def qt_translator(language: str) -> QTranslator | None:
    """Qt's own texts (the OK / Cancel / Yes / No of message boxes and dialogs) in ``language``, from the
    catalogues PySide6 ships; None for English (Qt's own language) or when none is found."""
    if language == "en":
        return None
    loaded = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return loaded if loaded.load(f"qtbase_{'zh_CN' if language == 'zh' else language}", folder) else None


def apply_qt_texts(language: str) -> None:
    """Install Qt's own catalogue of ``language`` on the application (and remove the others')."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for code in LANGUAGES:
        other = qt_translator(code)
        if other is not None and code != language:
            app.removeTranslator(other)
    found = qt_translator(language)
    if found is not None:
        app.installTranslator(found)


def translate(language: str, source: str) -> str:
    found = translator(language)
    if found is None:
        return source
    return found.translate(CONTEXT, source) or source


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
    apply_qt_texts(lang)
    n.language_changed.emit(lang)


def tr(source: str, /, **values: object) -> str:
    """``source`` (the Chinese text) in the current language, with ``{name}`` fields filled in."""
    translated = translate(language(), source)
    return translated.format(**values) if values else translated


def tr_in(lang: str, source: str, /, **values: object) -> str:
    """Like :func:`tr` but in a given language (for messages built for someone else, e.g. logs)."""
    translated = translate(normalise_language(lang), source)
    return translated.format(**values) if values else translated
