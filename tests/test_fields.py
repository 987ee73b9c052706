"""The indicator's user fields are one table (perftrack/domain/fields.py): every part that lists them
reads it, and each field is written, kept by a re-import, labelled in the history and shown."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from perftrack.domain import fields
from perftrack.domain.fields import FieldKind
from perftrack.paths import sample_files
from perftrack.store.convert import FIELD_LABELS
from perftrack.store.database import open_database
from perftrack.store.records import IndicatorRecord
from perftrack.store.schema import INDICATOR_USER_FIELDS, Indicator
from perftrack.ui import snapshots, workspace
from perftrack.ui.app import make_application
from perftrack.ui.snapshots import EditKey
from perftrack.ui.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

# A valid text for each kind, as a person would type it into the cell.
TYPED = {
    "rollup": "累加",
    "points": "10",
    "deviation_reason": "场地改造，延期",
    "measures": "下季度补齐",
    "deduction": "",  # needs its reason first; set below
    "deduction_reason": "指标设置偏低",
    "monitor_expected": "95",
    "monitor_chance": "有可能",
    "monitor_cause": "制度保障",
    "monitor_measure": "加快进度",
}


def test_every_part_that_lists_the_fields_reads_the_table() -> None:
    names = fields.names()
    assert set(TYPED) == set(names)  # this test types one of each
    assert names == INDICATOR_USER_FIELDS
    assert names == workspace.INDICATOR_FIELDS
    assert set(snapshots.TEXT_FIELDS) | set(snapshots.DECIMAL_FIELDS) == set(names) - {"rollup"}
    assert all(FIELD_LABELS[f.name] == f.label for f in fields.INDICATOR_FIELDS)
    columns = {c.key for c in inspect(Indicator).columns}
    assert set(names) <= columns  # a new field needs its column (and a migration)
    assert set(names) <= set(typing.get_type_hints(IndicatorRecord))
    assert {f.name for f in fields.INDICATOR_FIELDS if f.kind is FieldKind.CHOICE} == {
        "monitor_chance",
        "monitor_cause",
    }


def test_each_field_is_written_from_the_window_and_named_in_the_history(qtbot: object, tmp_path: Path) -> None:
    make_application()
    ws = Workspace(open_database(f"sqlite:///{(tmp_path / 'f.db').as_posix()}"))
    ws.import_files(sample_files())
    with ws.database.reading() as session:
        indicator = session.scalars(select(Indicator).where(Indicator.name == "后勤保障服务完成率")).first()
        assert indicator is not None
        pid, iid = indicator.project_id, indicator.id
    order = [n for n in fields.names() if n != "deduction"] + ["deduction"]  # the reason before the points
    typed = {**TYPED, "deduction": "1"}
    results = ws.apply([(EditKey(pid, iid, name), typed[name]) for name in order])
    assert results == [None] * len(order)
    view = ws.view(pid)
    assert view is not None
    row = view.row(iid)
    assert row is not None
    assert {name: row.fields[name] for name in (*snapshots.TEXT_FIELDS, *snapshots.DECIMAL_FIELDS)} == {
        name: typed[name] for name in (*snapshots.TEXT_FIELDS, *snapshots.DECIMAL_FIELDS)
    }
    with ws.database.reading() as session:
        stored = session.get(Indicator, iid)
        assert stored is not None and stored.rollup == "sum"
    labels = {c.summary for c in ws.changes(pid, iid)}
    for f in fields.INDICATOR_FIELDS:
        assert any(f.label in summary for summary in labels), f.name
    # A choice outside its list is refused with the field's label.
    [refused] = ws.apply([(EditKey(pid, iid, "monitor_cause"), "天气")])
    assert refused is not None and "偏差原因类型" in refused
    ws.close()
