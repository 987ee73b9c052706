"""Indented JSON text, as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, made faster.

The standard library writes indented JSON with its pure-Python encoder (its C encoder ignores
``indent``). Here each dict or list is written by the C encoder in one call, with ",\\n" and the
indentation as its item separator; a non-empty container nested in it is written on its own and
put where a stand-in text held its place. The result is the same text, byte for byte
(tests/test_score_json.py compares them on varied values).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_CONTAINERS = (list, tuple, dict)
_encoders: dict[str, Callable[[Any, int], list[str]]] = {}


def _mark(n: int) -> str:
    """The stand-in for a nested container: lone surrogates, which no text read from a file or a
    database, nor anything written out as UTF-8, can hold."""
    return f"\udfff{n}\udfff"


def _unknown(value: object) -> object:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _flat(inner: str) -> Callable[[Any, int], list[str]]:
    """The C encoder writing items one a line at the indentation ``inner`` (the caller adds the line
    breaks inside the brackets)."""
    encoder = _encoders.get(inner)
    if encoder is None:
        make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
        encoder = _encoders[inner] = make(
            None, _unknown, json.encoder.encode_basestring, None, ": ", ",\n" + inner, False, False, True
        )
    return encoder


def json_text(value: Any, pad: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each line after the first indented by ``pad``."""
    if json.encoder.c_make_encoder is None:  # type: ignore[attr-defined]  # pragma: no cover - not CPython
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        nested = [key for key, item in value.items() if isinstance(item, _CONTAINERS) and item]
        if nested:
            marked = dict(value)
            for n, key in enumerate(nested):
                marked[key] = _mark(n)
            text = "".join(_flat(inner)(marked, 0))
            for n, key in enumerate(nested):
                text = text.replace(json.encoder.encode_basestring(_mark(n)), json_text(value[key], inner), 1)
        else:
            text = "".join(_flat(inner)(value, 0))
        return "{\n" + inner + text[1:-1] + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = pad + "  "
        if any(isinstance(item, _CONTAINERS) and item for item in value):
            return "[\n" + inner + (",\n" + inner).join([json_text(item, inner) for item in value]) + "\n" + pad + "]"
        return "[\n" + inner + "".join(_flat(inner)(value, 0))[1:-1] + "\n" + pad + "]"
    return "".join(_flat(pad)(value, 0))
