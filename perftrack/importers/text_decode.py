"""Reading a text file whose encoding nobody wrote down.

Forms reach users as UTF-8 (copied from a browser or a modern PDF tool) or as GBK/GB18030
(saved by older Windows programs). A wrong guess silently stores mojibake, so we only accept
a decoding that is strict and that yields text the importer recognises.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import NamedTuple

from perftrack.domain.errors import UserError

# GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
_CANDIDATES = ("utf-8", "gb18030")


class DecodeError(UserError, ValueError):
    """The file is not text we can read; the message names the file and says why."""


def read_text(path: Path, *, must_contain: tuple[str, ...] = ()) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file, or raise DecodeError with the reason.

    ``must_contain``: markers of which at least one must appear in the decoded text; a
    decoding that does not produce any of them is treated as a wrong guess.
    """
    decoded = decode_file(path, must_contain=must_contain)
    return decoded.text, decoded.encoding


class Decoded(NamedTuple):
    text: str
    encoding: str
    cut_character: bool = False  # UTF-8 whose last character was cut short: the file surely was cut


def decode_file(path: Path, *, must_contain: tuple[str, ...] = ()) -> Decoded:
    """:func:`read_text`, saying also whether the text's last character was cut short."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeError(f"{path}: 无法读取文件（{exc.strerror or exc}）") from exc
    if not data.strip():
        raise DecodeError(f"{path}: 文件是空的")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(*_checked(data.decode(enc).lstrip("\ufeff"), path, enc, must_contain))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{path}: 文件声明为 {enc} 编码，但第 {exc.start} 字节处无法解码") from exc
    if b"\x00" in data[:8192]:
        raise DecodeError(f"{path}: 这是二进制文件，不是文本（请导入申报表的文本、PDF、.xlsx 或 .docx 文件）")
    tried: list[str] = []
    for enc in _CANDIDATES:
        cut: str | None = None
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            cut = _cut_inside_a_character(data, exc) if enc == "utf-8" else None
            if cut is None:
                tried.append(enc)
                continue
            text = cut
        if not must_contain or any(m in text for m in must_contain):
            return Decoded(_normalise_newlines(text), enc, cut is not None)
        tried.append(enc)
    if must_contain:
        raise DecodeError(
            f"{path}: 没有找到申报表（已尝试 {'、'.join(_CANDIDATES)} 编码，均未读到“{must_contain[0]}”等字样）"
        )
    raise DecodeError(f"{path}: 无法识别文件编码（已尝试 {'、'.join(tried)}）")


def _cut_inside_a_character(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """UTF-8 whose only fault is its last character cut short (``head -c``, a download broken off):
    the text before it, which still ends "open" so the interpreter says the file was cut off."""
    if exc.reason != "unexpected end of data" or exc.start < len(data) - 3:
        return None
    try:
        return data[: exc.start].decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - the decoder reports the first fault
        return None


def _checked(text: str, path: Path, enc: str, must_contain: tuple[str, ...]) -> tuple[str, str]:
    if must_contain and not any(m in text for m in must_contain):
        raise DecodeError(f"{path}: 没有找到申报表（文件中没有“{must_contain[0]}”等字样）")
    return _normalise_newlines(text), enc


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
