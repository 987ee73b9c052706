"""The user's GUI settings (language, window geometry): an ini file in the data folder.

An ini file rather than the registry or a plist, so that a portable install, the tests
(each with its own ``PERFTRACK_DATA_DIR``) and a second user profile never share settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from perftrack.paths import data_dir

SETTINGS_FILE = "settings.ini"
LANGUAGE_KEY = "ui/language"
GEOMETRY_KEY = "ui/geometry"


def settings() -> QSettings:
    """The settings store; write with ``setValue`` (Qt saves it when the object goes away)."""
    return QSettings(str(data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)
