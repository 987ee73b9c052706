"""Starting the desktop program: the QApplication, fonts, the main window, ``--smoke``."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QTreeWidget, QTreeWidgetItem

from perftrack.store.database import open_database
from perftrack.store.errors import StoreError
from perftrack.store.queries import list_projects


class MainWindow(QMainWindow):
    """A plain window listing the projects in the database (the full GUI replaces it)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("perftrack — 项目支出绩效跟踪"))
        self.resize(1100, 700)
        tree = QTreeWidget(self)
        tree.setHeaderLabels([self.tr("项目"), self.tr("实施单位"), self.tr("指标数")])
        db = open_database(url)
        try:
            with db.session() as session:
                for p in list_projects(session):
                    count = sum(1 for i in p.indicators if not i.retired)
                    QTreeWidgetItem(tree, [p.name, p.unit or "", str(count)])
        finally:
            db.close()
        tree.resizeColumnToContents(0)
        self.setCentralWidget(tree)
        self.statusBar().addWidget(QLabel(url))


def run(url: str, *, smoke: bool = False) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        window = MainWindow(url)
    except StoreError as exc:
        QMessageBox.critical(None, "perftrack", str(exc))
        return 2
    window.show()
    if smoke:
        def done() -> None:
            print(f"first paint after {time.perf_counter() - started:.3f} s")
            app.quit()

        QTimer.singleShot(0, done)
    return app.exec()
