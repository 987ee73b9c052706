"""Scores the projects whose scores are not kept yet, in the idle moments after a database opens.

A database filled by another program, another user or an older version of perftrack can hold
thousands of projects whose scores were never kept (``perftrack.store.summaries``); the first
status filter or score sort would then score them all under a progress dialog. Instead, shortly
after the window shows, they are scored ten at a time, one step every few dozen milliseconds
(a step takes about 10 ms at city scale, so a keystroke or a click waits at most that long, and
the program uses about a third of one core meanwhile), and kept in the database: by the time
someone asks, the answer is there, in this session and the next. 5,000 projects take about 15 s. Small databases are
left alone, as scoring them when asked is instant anyway.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from perftrack.ui.long_work import LongWork
from perftrack.ui.workspace import Workspace

log = logging.getLogger(__name__)

START_DELAY_MS = 500  # after the window is shown and the first project drawn
PAUSE_MS = 250  # while a progress dialog runs its own work
STEP = 10  # projects scored in one step
GAP_MS = 20  # between two steps, for the user's events
WORTH_IT = 200  # fewer unscored projects than this are scored when asked, not beforehand


class BackgroundScoring(QObject):
    """Scores the workspace's unscored projects in small steps from the event loop."""

    finished = Signal()  # every project scored (or nothing worth doing)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._ws = workspace
        self._queue: list[int] | None = None  # None: not yet read which projects need scoring
        self.steps = 0  # steps that scored projects, since the workspace opened
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)
        workspace.projectsReset.connect(self.schedule)  # an import brings new projects

    def schedule(self, delay_ms: int | None = None) -> None:
        """Start (again) after ``delay_ms`` (default ``START_DELAY_MS``), looking afresh at which
        projects need scoring."""
        self._queue = None
        self._timer.start(START_DELAY_MS if delay_ms is None else delay_ms)

    def stop(self) -> None:
        self._timer.stop()
        self._queue = []

    @property
    def running(self) -> bool:
        return self._timer.isActive() or bool(self._queue)

    def _step(self) -> None:
        if LongWork.busy():  # a progress dialog is doing work of its own: do not interleave
            self._timer.start(PAUSE_MS)
            return
        try:
            if self._queue is None:
                ids = [row[0] for row in self._ws.project_index()]
                self._queue = self._ws.read_kept(ids)
                if len(self._queue) < WORTH_IT:
                    self._queue = []
            self._queue = self._ws.unscored(self._queue)  # a status filter may have scored them meanwhile
            if self._queue:
                chunk, self._queue = self._queue[:STEP], self._queue[STEP:]
                self._ws.summaries(chunk)
                self.steps += 1
        except Exception:  # background work never interrupts the user; the log keeps the cause
            log.exception("background scoring stopped")
            self._queue = []
        if self._queue:
            self._timer.start(GAP_MS)
        else:
            self.finished.emit()
