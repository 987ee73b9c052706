"""perftrack: fiscal project performance targets, actuals and the year-end self-evaluation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("perftrack")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
