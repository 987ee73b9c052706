"""How the GUI writes numbers, money, ratios, dates and status colours, in the current QLocale.

Values stay exact decimals until the last moment: Python formats the digits, the locale
supplies the separators. ``language.set_language`` sets the default locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap

from perftrack.charts.palette import STATUS_COLORS as STATUS_COLORS  # shared with the charts
from perftrack.domain.attainment import Status
from perftrack.domain.numbers import YUAN, format_money, in_money_unit
from perftrack.ui.labels import status_label as status_label  # the status word lives with the other labels

# Light tints for table backgrounds, readable under black text.
STATUS_TINTS: dict[Status, str] = {
    Status.ON_TRACK: "#e3f2e4",
    Status.AT_RISK: "#fff1d6",
    Status.OFF_TRACK: "#fbdcdc",
    Status.NO_ACTUAL: "#f1f1f1",
}
ERROR_TINT = "#ffb4b4"
# A value stored but looking like a slip (below zero, over 100 %): amber, with the reason in the tooltip.
WARNING_TINT = "#ffe08a"

_icons: dict[Status, QIcon] = {}


# The background of the cells staff type into.
EDITABLE_TINT = "#fffdf2"
# A number column's alignment, as data() answers TextAlignmentRole.
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_brushes: dict[tuple[str, bool], QBrush] = {}


def brush(color: str, darker: bool = False) -> QBrush:
    """A brush of this colour (darker, for text on a tint of it), made once: models answer
    BackgroundRole and ForegroundRole thousands of times a repaint."""
    made = _brushes.get((color, darker))
    if made is None:
        made = _brushes[color, darker] = QBrush(QColor(color).darker(130) if darker else QColor(color))
    return made


def status_icon(status: Status) -> QIcon:
    """A small filled square in the status colour."""
    icon = _icons.get(status)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(STATUS_COLORS[status]))
        icon = _icons[status] = QIcon(pixmap)
    return icon


def _localize(text: str) -> str:
    locale = QLocale()
    # Swap through a placeholder so a locale that uses "." for grouping stays correct.
    return text.replace(",", "\0").replace(".", locale.decimalPoint()).replace("\0", locale.groupSeparator())


def money(value: Decimal | None, empty: str = "—", unit: str = YUAN) -> str:
    """An amount (kept in 元) shown in ``unit`` with group separators and two decimals."""
    if value is None:
        return empty
    return _localize(format_money(value, unit))


def money_for_editing(text: str, unit: str) -> str:
    """A stored amount's text ("215457.60", in 元) as it is edited in ``unit``: "21.54576" in 万元.
    Text that is not a plain number is left as it is."""
    amount = _plain_number(text)
    if amount is None or unit == YUAN:
        return text
    return format(in_money_unit(amount, unit).normalize(), "f")


def typed_money(text: str, unit: str) -> str:
    """What the user typed into an amount cell shown in ``unit``: a plain number means that unit
    ("21.55" in a 万元 cell is 21.55万元); text naming its own unit ("3000元") is kept as typed."""
    if unit == YUAN or _plain_number(text) is None:
        return text
    return text.strip() + unit


def _plain_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def number(value: Decimal | None, empty: str = "") -> str:
    """A value as recorded: no trailing zeros beyond what was meant, group separators for large ones."""
    if value is None:
        return empty
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return _localize(format(normalized.quantize(Decimal(1)), ","))
    exponent = normalized.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 2
    return _localize(format(value, f",.{places}f"))


def percent(ratio: Decimal | None, empty: str = "") -> str:
    """A ratio (0.8619) as a percentage with two places (86.19%)."""
    if ratio is None:
        return empty
    return _localize(format(ratio * 100, ",.2f")) + "%"


def rate(value: Decimal | None, empty: str = "—") -> str:
    """A rate already in percent (86.19) written as 86.19%."""
    if value is None:
        return empty
    return _localize(format(value, ",.2f")) + "%"


def score(value: Decimal | None, empty: str = "") -> str:
    """A score or points with two places."""
    if value is None:
        return empty
    return _localize(format(value, ".2f"))


def _date_format() -> str:
    # The locale's short format, with the year in full: 2024/1/1 in Chinese, 1/1/2024 in US English.
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def date_text(value: dt.date | None, empty: str = "—") -> str:
    """A date written the way the current language writes it."""
    if value is None:
        return empty
    return QLocale().toString(QDate(value.year, value.month, value.day), _date_format())


def datetime_text(value: dt.datetime) -> str:
    """A local date and time (for the change history), minutes included."""
    local = value.astimezone()
    moment = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    time_format = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
    return QLocale().toString(moment, f"{_date_format()} {time_format}")


def arg(template: str, *values: object) -> str:
    """Fill %1, %2… of a translated template (the way Qt's QString.arg numbers its places)."""
    for number_, value in reversed(list(enumerate(values, start=1))):
        template = template.replace(f"%{number_}", str(value))
    return template
