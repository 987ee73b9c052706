"""ReportLab's reading of a TrueType font, kept on disk so that a report does not read it again.

Before a first page, ReportLab reads the whole font: every character's glyph and advance, every
glyph's metrics and place in the file. For WenQuanYi Micro Hei (49,531 glyphs) that is 0.13 s, a
quarter of what printing one project costs beyond scoring, spent again by every ``perftrack
report``; finding the face in a ``.ttc`` collection and its line gap with fontTools adds 0.04 s.
What ReportLab read depends on the file only, so it is kept in the cache folder
(``paths.cache_dir``) and read back in 0.01-0.02 s: one file per font face, named by the font
file's path and the face, then by its size and modification time and the ReportLab and perftrack
versions, so an updated font or program reads it afresh (and the file kept for the old one is
removed). The file holds the face's attributes as ReportLab left them; the font's own bytes are
read from the font file as before (subsetting copies glyphs out of them), and its table directory
with them, which must match the one kept: a font replaced by another of the same size and time is
read again.

Reading the cache trusts nothing: only plain values and ReportLab's name type are accepted, a
record must hold what ReportLab's reading sets, and a cache that is missing, damaged, stale or
of another version is ignored and written again. A cache that cannot be written (a read-only
folder) costs the time, nothing else. A font ReportLab refuses (PostScript outlines) is
remembered as refused; a file that cannot be read at the moment is not.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from perftrack import __version__ as PERFTRACK_VERSION

log = logging.getLogger(__name__)

# Raised when the layout of a cache file changes; old files are then ignored.
FORMAT = 2
# What is not kept: the font's bytes (read from the file again) and a function (made again).
_NOT_KEPT = frozenset({"_ttf_data", "_pdfScale"})
# What a face read from the cache must hold: ReportLab's reading sets them all.
_REQUIRED = frozenset(
    {"name", "unitsPerEm", "ascent", "descent", "bbox", "flags", "table", "tables", "numGlyphs"}
    | {"charToGlyph", "glyphToChar", "charWidths", "defaultWidth", "hmetrics", "glyphPos"}
)


@dataclass(frozen=True)
class Face:
    """A face as the report registers it: the ReportLab font, its face index and line gap (in em)."""

    font: TTFont
    index: int
    line_gap: float


class _Unpickler(pickle.Unpickler):
    """Builds plain values and ReportLab's name strings only; anything else in a file is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (TTFNameBytes.__module__, TTFNameBytes.__name__):
            return TTFNameBytes
        raise pickle.UnpicklingError(f"{module}.{name} 不是字体缓存中的数据")


class _ReadFace(TTFontFace):
    """ReportLab's face of a font file, its tables taken from ``state`` instead of read again, unless
    the file's table directory (read afresh: tags, checksums, places) differs from the one the state
    was read with: a font replaced by another of the same size and time is read again
    (``from_cache`` False)."""

    def __init__(self, filename: str, subfont_index: int, state: dict[str, Any]) -> None:
        self._state = state
        self.from_cache = False
        super().__init__(filename, subfontIndex=subfont_index)

    def extractInfo(self, charInfo: int = 1) -> None:  # ReportLab calls it while reading the file
        state = self.__dict__.pop("_state")
        if state["tables"] != self.tables:
            super().extractInfo(charInfo)
            return
        self.__dict__.update(state)
        per_em = self.unitsPerEm
        self._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x: x * (1000 / per_em))  # as ReportLab
        self.from_cache = True


class _Font(TTFont):
    """ReportLab's TrueType font around a face given to it (``TTFont.__init__`` reads its own)."""

    def __init__(self, name: str, face: TTFontFace) -> None:
        # What TTFont.__init__ sets, face aside (tests/test_font_cache.py compares the two).
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, pattern) for pattern in ttfonts.unShapedFontGlob)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cache_file(folder: Path, path: Path, family: str | None) -> Path:
    """The cache file of ``family``'s face in the font file at ``path`` (its first face when None):
    named by the face (``font-<face>-``), then by the file's size and time and the versions."""
    stat = path.stat()
    face = _digest(f"{path.resolve()}|{family}")
    version = _digest(f"{FORMAT}|{REPORTLAB_VERSION}|{PERFTRACK_VERSION}|{stat.st_size}|{stat.st_mtime_ns}")
    return folder / f"font-{face}-{version}.pickle"


def _read(file: Path) -> dict[str, Any] | None:
    try:
        data = file.read_bytes()
    except OSError:
        return None
    try:
        record = _Unpickler(io.BytesIO(data)).load()
    except Exception as exc:  # a damaged or foreign file: read the font instead
        log.info("font cache %s ignored: %s", file, exc)
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    if isinstance(record.get("refused"), str):
        return record
    state = record.get("state")
    shaped = (
        isinstance(record.get("index"), int)
        and isinstance(record.get("line_gap"), float)
        and isinstance(state, dict)
        and state.keys() >= _REQUIRED
    )
    return record if shaped else None


def _write(file: Path, record: dict[str, Any]) -> None:
    """Write ``record`` whole or not at all (another report may be reading the folder meanwhile),
    and remove what was kept of the same face before (an older font file, another ReportLab)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=file.stem, suffix=".tmp", dir=file.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(record, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, file)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    # Also what cannot be pickled (a later ReportLab keeping a function on the face): time lost only.
    except (OSError, pickle.PicklingError, AttributeError, TypeError) as exc:
        log.info("font cache %s not written: %s", file, exc)
        return
    face = file.name[: file.name.rindex("-") + 1]  # font-<face>-
    for old in file.parent.glob(f"{face}*.pickle"):
        if old != file:
            try:
                old.unlink()
            except OSError as exc:  # in use elsewhere (Windows): next time
                log.info("font cache %s not removed: %s", old, exc)


def load_face(
    name: str,
    path: Path,
    family: str | None,
    *,
    folder: Path | None,
    face_index: Callable[[Path, str], int],
    line_gap: Callable[[Path, int], float] | None = None,
) -> Face:
    """``family``'s face of the font file at ``path`` as ReportLab font ``name``, read once and then
    from the cache in ``folder`` (None: no cache). ``face_index(path, family)`` and ``line_gap(path,
    index)`` find what ReportLab does not (no ``line_gap``: 0). ReportLab's TTFError (a font it
    cannot embed) is raised as it comes, and remembered; OSError (a file that cannot be read now:
    missing, locked, not allowed) is raised and not remembered."""
    file = cache_file(folder, path, family) if folder is not None else None
    record = _read(file) if file is not None else None
    if record is not None:
        if "refused" in record:
            raise ttfonts.TTFError(record["refused"])
        face = _ReadFace(str(path), record["index"], record["state"])
        if face.from_cache:
            return Face(_Font(name, face), record["index"], record["line_gap"])
    with path.open("rb"):  # OSError here, never a TTFError to remember
        pass
    index = face_index(path, family) if family is not None else 0
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except ttfonts.TTFError as exc:
        # ReportLab says "Can't open file" for what the open above did not meet: not remembered.
        if file is not None and not str(exc).startswith("Can't open"):
            _write(file, {"format": FORMAT, "refused": str(exc)})
        raise
    gap = line_gap(path, index) if line_gap is not None else 0.0
    if file is not None:
        state = {k: v for k, v in vars(font.face).items() if k not in _NOT_KEPT}
        _write(file, {"format": FORMAT, "index": index, "line_gap": float(gap), "state": state})
    return Face(font, index, gap)
