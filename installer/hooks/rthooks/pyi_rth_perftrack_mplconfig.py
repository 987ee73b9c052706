"""Keep matplotlib's font cache between starts of the bundle (replaces PyInstaller's pyi_rth_mplconfig).

PyInstaller's own hook points MPLCONFIGDIR at a fresh temporary folder at every start, because a
one-file build unpacks to a new folder each time and a cached font path would point at a folder
that is gone. perftrack is built one-folder, so its paths are stable; and where they do go stale
(the bundle was moved or reinstalled elsewhere) matplotlib notices the missing file and rebuilds
the cache by itself. So the cache lives in the user's cache folder:
``platformdirs.user_cache_dir("perftrack")/matplotlib`` (``%LOCALAPPDATA%\\perftrack\\Cache\\matplotlib``
on Windows, ``~/.cache/perftrack/matplotlib`` on Linux). A MPLCONFIGDIR already set is respected;
a cache folder that cannot be written falls back to PyInstaller's temporary one.
"""


def _pyi_rthook() -> None:
    import atexit
    import os
    import shutil
    import tempfile

    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        from platformdirs import user_cache_dir

        folder = os.path.join(user_cache_dir("perftrack", appauthor=False), "matplotlib")
        os.makedirs(folder, exist_ok=True)
        # matplotlib itself falls back to a temporary folder, with a warning, when this one is read-only.
        if not os.access(folder, os.W_OK):
            raise OSError(f"{folder} is not writable")
    except Exception:  # any failure here must not stop the program; the old behaviour is the fallback
        folder = tempfile.mkdtemp(prefix="perftrack-mpl-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["MPLCONFIGDIR"] = folder


_pyi_rthook()
del _pyi_rthook
