"""The name an evidence file is kept under: a plain file name, never a path, that fits every file system.

A file's name comes from the user's disk, where a Unix name may hold ``..\\``, a drive letter or
control characters: kept verbatim it would be a path on Windows (outside the evidence folder) or
garble a terminal. And a name of 253 bytes, legal where it came from, no longer fits once a
clash adds " (2)": most file systems allow 255 bytes (ext4) or 255 UTF-16 units (NTFS) a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Every file system perftrack meets stores a name of 255 bytes of UTF-8 (ext4's limit; NTFS allows
# 255 UTF-16 units, which 255 bytes never exceed).
MAX_NAME_BYTES = 255
# A "suffix" longer than this is not a file type: it stays part of the stem and may be shortened.
MAX_SUFFIX_BYTES = 16
FALLBACK_NAME = "证明材料"

# Path separators, Windows' reserved characters (":" makes a drive letter or a stream), controls.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
# Names Windows gives to devices, with any suffix ("NUL.txt" is the device NUL too).
_DEVICES = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")


def safe_name(name: str) -> str:
    """A plain file name for ``name``: no separator, drive, control or reserved character, no
    leading dot, no trailing dot or space, not a Windows device, at most 255 bytes."""
    plain = _UNSAFE.sub("_", name)
    plain = plain.strip(" ").lstrip(".").rstrip(". ")
    suffix = _suffix(plain)
    if not plain[: len(plain) - len(suffix)].strip("_ ."):  # nothing of the name was left
        plain = FALLBACK_NAME + suffix
    if _DEVICES.match(plain):
        plain = "_" + plain
    return numbered(plain, 1)


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    suffix = name[dot:]
    return suffix if len(suffix.encode()) <= MAX_SUFFIX_BYTES else ""


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` bytes of UTF-8, never inside a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: max(limit, 0)].decode(errors="ignore")


def numbered(name: str, number: int) -> str:
    """``name`` (number 1), or ``stem (number).suffix``, within 255 bytes: the stem gives way."""
    suffix = _suffix(name)
    stem = name[: len(name) - len(suffix)] if suffix else name
    tag = "" if number == 1 else f" ({number})"
    room = MAX_NAME_BYTES - len(tag.encode()) - len(suffix.encode())
    return _cut(stem, room).rstrip(". ") + tag + suffix


def free_name(name: str, taken: Callable[[str], bool]) -> str:
    """``name``, or ``name (2).ext``, ``name (3).ext`` … the first that ``taken`` says is free."""
    number = 1
    while taken(candidate := numbered(name, number)):
        number += 1
    return candidate


__all__ = ["MAX_NAME_BYTES", "free_name", "numbered", "safe_name"]
