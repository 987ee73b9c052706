"""A machine without a Chinese font, for the tests that expect a clear message then."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable


class FontTrouble:
    """Warnings and font-manager log lines about missing glyphs or fonts, caught while a block runs."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def run(self, block: Callable[[], object]) -> None:
        handler = logging.Handler(logging.WARNING)
        handler.emit = lambda record: self.messages.append(record.getMessage())  # type: ignore[method-assign]
        logger = logging.getLogger("matplotlib.font_manager")
        logger.addHandler(handler)
        try:
            with warnings.catch_warnings(record=True) as records:
                warnings.simplefilter("always")
                block()
        finally:
            logger.removeHandler(handler)
        self.messages += [str(r.message) for r in records if "Glyph" in str(r.message) or "font" in str(r.message)]
