"""The one base of every error a user can fix, apart from bugs.

A ``UserError`` carries a message in the user's words (Chinese, naming the file, row or cell) and
is caught where the user acts: the command line prints it as one line with exit status 2, the
window shows it beside the cell or in a box. Anything else is a bug: the command line lets it
through as a traceback, and the window's crash dialog shows it and writes it to the log.

Several user errors keep ``ValueError`` (or ``RuntimeError``) as a second base so older callers
that catch those still work; the places the user acts catch ``UserError`` only.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix, said in their words."""
