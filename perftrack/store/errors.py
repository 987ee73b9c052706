"""Errors the store reports to the user: messages in Chinese, naming the file or the text."""

from __future__ import annotations

from perftrack.domain.errors import UserError


class StoreError(UserError):
    """A problem with the database the user can act on (wrong file, newer schema, lookup failed)."""


class DamagedDatabase(StoreError):
    """The SQLite file failed its check on opening; ``path`` is the file (restore can still replace it),
    ``what`` the message without the command-line way back (the window offers its own)."""

    def __init__(self, message: str, path: str, what: str) -> None:
        super().__init__(message)
        self.path = path
        self.what = what


class NotADatabase(StoreError):
    """The file at ``path`` cannot be read as an SQLite database at all (another file, or its first
    page damaged): ``perftrack restore`` may still put a backup in its place, at the user's word."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class NotFound(StoreError):
    """No project or indicator matches the text the user gave."""


class Ambiguous(StoreError):
    """Several projects or indicators match the text the user gave."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates
