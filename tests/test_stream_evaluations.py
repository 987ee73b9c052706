"""Evaluations streamed a batch at a time: the same as ``evaluate_all``, one session read per batch."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from perftrack.cli.common import chosen_evaluations, chosen_projects
from perftrack.store.database import Database
from perftrack.store.evaluation import chosen_ids, evaluate_all, stream_evaluations
from perftrack.store.schema import Project


def counting_reader(database: Database) -> tuple[Callable[[Callable[[Session], Any]], Any], list[int]]:
    reads: list[int] = []

    def read(fn: Callable[[Session], Any]) -> Any:
        reads.append(1)
        with database.reading() as session:
            return fn(session)

    return read, reads


def test_streamed_evaluations_equal_evaluate_all_in_batches(varied: Database) -> None:
    with varied.reading() as session:
        everyone = evaluate_all(session, as_of="Q2")
        ids = chosen_ids(session)
    assert ids == [ev.project_id for ev in everyone]
    read, reads = counting_reader(varied)
    streamed = stream_evaluations(read, ids, as_of="Q2", batch=4)
    first = next(streamed)
    assert len(reads) == 1  # nothing beyond the first batch is read before it is wanted
    assert [first, *streamed] == everyone
    assert len(reads) == 4  # 13 projects, 4 a batch


def test_streamed_evaluations_keep_the_order_given_and_skip_deleted_projects(varied: Database) -> None:
    with varied.reading() as session:
        ids = list(reversed(chosen_ids(session)))
    with varied.session() as session:
        session.execute(delete(Project).where(Project.id == ids[1]))
    read, _ = counting_reader(varied)
    streamed = [ev.project_id for ev in stream_evaluations(read, [*ids, ids[0]], batch=5)]
    assert streamed == [ids[0], *ids[2:]]


def test_chosen_ids_filter_by_ids_and_year(varied: Database) -> None:
    with varied.reading() as session:
        ids = list(session.scalars(select(Project.id)))
        assert chosen_ids(session, ids[:3]) == [ev.project_id for ev in evaluate_all(session, ids[:3])]
        assert chosen_ids(session, year=2024) == chosen_ids(session)
        assert chosen_ids(session, year=2030) == []


def _args(db_url: str, *projects: str, year: int | None = None, as_of: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(db=db_url, projects=list(projects), year=year, as_of=as_of)


@pytest.mark.parametrize("names", [(), ("运维", "金融"), ("金融", "运维")], ids=["all", "named", "named-reversed"])
def test_chosen_projects_stream_what_chosen_evaluations_returns(varied: Database, db_url: str, names) -> None:
    args = _args(db_url, *names, as_of="Q3")
    expected = chosen_evaluations(args, "导出")
    with chosen_projects(args, "导出") as chosen:
        assert len(chosen) == len(expected)
        assert list(chosen) == expected
        assert list(chosen) == expected  # each pass evaluates afresh


@pytest.mark.parametrize(
    ("projects", "year", "message"),
    [((), 2030, "数据库中没有2030年的项目可打印"), (("不存在的项目",), None, "没有找到")],
)
def test_chosen_projects_say_what_chosen_evaluations_says(
    varied: Database, db_url: str, projects: tuple[str, ...], year: int | None, message: str
) -> None:
    args = _args(db_url, *projects, year=year)
    with pytest.raises(Exception) as old:
        chosen_evaluations(args, "打印")
    with pytest.raises(Exception) as new, chosen_projects(args, "打印"):
        pass
    assert type(new.value) is type(old.value)
    assert str(new.value) == str(old.value)
    assert message in str(new.value)
