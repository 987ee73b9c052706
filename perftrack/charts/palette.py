"""One status palette for the window, the charts and the printed report.

Plain data, no plotting library: the window imports it at start-up. Colours are never the only
signal — every status is also written out as its label.
"""

from __future__ import annotations

from perftrack.domain.attainment import Status

STATUS_COLORS: dict[Status, str] = {
    Status.ON_TRACK: "#2e7d32",
    Status.AT_RISK: "#ef8f00",
    Status.OFF_TRACK: "#c62828",
    Status.NO_ACTUAL: "#9e9e9e",
}
