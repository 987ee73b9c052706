"""An actuals table as read, before anything is looked up: one actual value a row, with its row number.

``perftrack.importers.actuals_table`` reads a CSV file or a workbook's first sheet into an
:class:`ActualsTable`; ``perftrack.store.actuals_import`` finds each row's project and indicator,
checks its value and writes all rows or none. Texts are as the cells hold them, stripped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ActualsRow:
    """One data row: its number in the file (a line of the CSV, a row of the sheet) and its cells.

    ``period`` is None when the table has no period column (the values are the year's).
    """

    number: int
    project: str
    indicator: str
    period: str | None
    value: str
    note: str
    percent: str
    year: str

    @property
    def blank(self) -> bool:
        """Neither a value, a share of the points nor a note: nothing to record."""
        return not (self.value or self.percent or self.note)


@dataclass(slots=True)
class ActualsTable:
    """The data rows under the header of the file at ``path``, blank lines left out."""

    path: Path
    rows: list[ActualsRow]
