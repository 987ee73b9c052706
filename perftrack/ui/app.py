"""Starting the desktop program: the QApplication, locale, error hook, the main window, ``--smoke``."""

from __future__ import annotations

import gc
import logging
import sys
import time
import traceback
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from perftrack.domain.errors import UserError
from perftrack.store.errors import DamagedDatabase, StoreError
from perftrack.ui.language import DEFAULT_LANGUAGE, saved_language, set_language

log = logging.getLogger("perftrack.ui")


_crash_boxes: list[QMessageBox] = []


def install_excepthook(parent: QWidget | None = None) -> None:
    """Log any uncaught exception and show it in a dialog instead of a console traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("uncaught exception\n%s", text)
        if isinstance(exc, KeyboardInterrupt):
            QApplication.quit()
            return
        message = str(exc) if isinstance(exc, UserError) else ""
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "perftrack",
            QApplication.translate("app", "操作未能完成。") + (f"\n{message}" if message else ""),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setInformativeText(QApplication.translate("app", "已保存的数据不受影响。详细信息可复制后发给维护人员。"))
        box.setDetailedText(text)
        # Without a parent nothing else holds the box: kept here until it is closed.
        _crash_boxes.append(box)
        box.finished.connect(lambda _result, box=box: _crash_boxes.remove(box))
        box.open()

    sys.excepthook = hook


class _FirstPaint(QObject):
    """Calls ``done`` once, after the watched widget's first paint event."""

    def __init__(self, widget: QWidget, done: object) -> None:
        super().__init__(widget)
        self._done = done
        self._fired = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._fired:
            self._fired = True
            # After this paint has been handled, not before it.
            QTimer.singleShot(0, self._done)  # type: ignore[arg-type]
        return False


def make_application() -> QApplication:
    """The QApplication, created once, in the language chosen last time (Simplified Chinese at first)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName("perftrack")
    app.setOrganizationName("perftrack")
    from perftrack.ui.about import app_icon

    app.setWindowIcon(app_icon())
    if not set_language(saved_language(), remember=False):
        set_language(DEFAULT_LANGUAGE, remember=False)
    return app


def run(url: str, *, smoke: bool = False) -> int:
    """Open the main window on ``url`` and run until it closes (``smoke``: until its first paint)."""
    from perftrack.ui.main_window import MainWindow

    started = time.perf_counter()
    app = make_application()
    logging.basicConfig(level=logging.WARNING)
    try:
        try:
            window = MainWindow(url)
        except DamagedDatabase as damaged:  # the way back offered before giving up
            from perftrack.ui.backups import offer_restore

            if not offer_restore(None, damaged, url):
                return 2
            window = MainWindow(url)
    except StoreError as exc:
        QMessageBox.critical(None, "perftrack", str(exc))
        return 2
    install_excepthook(window)
    if smoke:

        def done() -> None:
            print(f"first paint after {time.perf_counter() - started:.3f} s", flush=True)
            window.close()
            app.quit()

        _FirstPaint(window, done)
    window.show()
    # What start-up built (Qt wrappers, models, the ORM's mappers) lives as long as the window:
    # keep it out of the cycle collector, whose full passes otherwise cost ~35 ms in the middle
    # of an action at 5,000 projects (docs/benchmarks.md).
    gc.freeze()
    return app.exec()
