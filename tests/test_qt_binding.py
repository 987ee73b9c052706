"""The Qt binding perftrack runs on keeps Python's reference counts right.

PySide6 6.12.0 releases one reference to ``None`` each time C++ calls a Python ``data()`` that
answers ``None`` (what every model does for a role it does not draw). Python 3.11's ``None``
is not immortal: after some tens of thousands of such calls — a few minutes of scrolling —
its count reaches zero and the program aborts ("Fatal Python error: none_dealloc"). The
benchmark's GUI step died that way at exit. pyproject.toml keeps PySide6 below 6.12; this
test fails (instead of crashing) on any binding that brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from perftrack.ui.app import make_application


class _Blank(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return None  # as every model answers a role it does not draw


def test_none_answered_to_cpp_is_not_released_twice() -> None:
    make_application()
    source = _Blank()
    proxy = QSortFilterProxyModel()  # C++ calling the Python data(), as a view does when it paints
    proxy.setSourceModel(source)
    index = proxy.index(1, 1)
    start = sys.getrefcount(None)
    for _ in range(50):  # 50,000 calls, checked as they go, stopping long before a crash
        for _ in range(1000):
            proxy.data(index, Qt.ItemDataRole.ToolTipRole)
        lost = start - sys.getrefcount(None)
        assert lost < 500, f"{lost} references to None lost in a few thousand data() calls: a binding bug"
