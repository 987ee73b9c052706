"""The interface language: Simplified Chinese by default, English on request, kept between runs.

The source texts are Chinese, so Chinese needs only Qt's own translation (for the buttons of
standard dialogs); English installs ``perftrack_en.qm``. Installing or removing a translator
makes Qt send ``QEvent.LanguageChange`` to every widget, and each widget re-translates itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from perftrack.ui.settings import LANGUAGE_KEY, settings

CHINESE = "zh_CN"
ENGLISH = "en"
DEFAULT_LANGUAGE = CHINESE
# Each language is offered under its own name, so a user who cannot read the current one finds theirs.
LANGUAGE_NAMES: dict[str, str] = {CHINESE: "简体中文", ENGLISH: "English"}
_LOCALES: dict[str, QLocale] = {
    CHINESE: QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China),
    ENGLISH: QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}

_installed: list[QTranslator] = []
_current = DEFAULT_LANGUAGE


def translations_dir() -> Path | None:
    """The folder holding perftrack_*.qm: resources/translations in a checkout, else beside a bundle."""
    package = Path(__file__).resolve().parent.parent
    frozen = Path(getattr(sys, "_MEIPASS", package))
    for folder in (
        package.parent / "resources" / "translations",
        package / "resources" / "translations",
        frozen / "resources" / "translations",
        Path(sys.prefix) / "resources" / "translations",
    ):
        if (folder / "perftrack_en.qm").is_file():
            return folder
    return None


def saved_language() -> str:
    """The language chosen last time, or the default."""
    value = settings().value(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGE_NAMES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language the interface shows now."""
    return _current


def locale_for(language: str) -> QLocale:
    """The locale that formats numbers, money and dates in a language."""
    return QLocale(_LOCALES[language])


def set_language(language: str, *, remember: bool = True) -> bool:
    """Switch the interface language at run time; False when its translation file is missing."""
    global _current
    if language not in LANGUAGE_NAMES:
        raise ValueError(f"unknown language {language!r}")
    app = QCoreApplication.instance()
    assert app is not None, "a QApplication must exist before choosing the language"
    translators = _load(language)
    if translators is None:
        return False
    QLocale.setDefault(locale_for(language))
    _current = language
    # Remove first: each removal and installation sends LanguageChange, the last one sees the new texts.
    removed = bool(_installed)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    for translator in translators:
        app.installTranslator(translator)
        _installed.append(translator)
    if not translators and not removed:
        # Nothing installed or removed (Chinese to Chinese): widgets still need to hear of it.
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    # The application posts LanguageChange to each window; deliver them now, so that the
    # whole interface has changed language when this returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    if remember:
        store = settings()
        store.setValue(LANGUAGE_KEY, language)
        store.sync()
    return True


def _load(language: str) -> list[QTranslator] | None:
    """The translators a language needs (Qt's own first), or None when ours cannot be read."""
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator()
    if qt_own.load(locale_for(language), "qtbase", "_", qt_dir):
        translators.append(qt_own)
    if language == CHINESE:
        return translators
    folder = translations_dir()
    ours = QTranslator()
    if folder is None or not ours.load(f"perftrack_{language}", str(folder)):
        return None
    translators.append(ours)
    return translators
