"""``score --json`` written fast (cli/json_text.py, cli/score_output.score_json) is byte for byte the
standard library's indented JSON, and the year-end standing an evaluation reuses is the one
``attainment`` gives."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import perftrack.cli as cli
from perftrack.cli.common import stream_projects
from perftrack.cli.json_text import json_text
from perftrack.cli.score_output import format_score, score_json, score_to_dict
from perftrack.domain.periods import YEAR
from perftrack.store import Database
from perftrack.store.evaluation import evaluate_all
from perftrack.store.schema import Indicator
from perftrack.store.settings import set_indicator_field

# Texts a person or a form could write, and the characters JSON escapes.
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", '"引号"', "反斜杠\\", "换行\n制表\t", "\x00\x1f\x7f", "≥90.00(%)", "\u2028"]
)
SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=True) | TEXTS
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXTS | st.integers(0, 9) | st.booleans() | st.none(), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.sampled_from(["", "  ", "    "]))
def test_json_text_is_the_standard_librarys_indented_json(value: Any, pad: str) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    assert json_text(value, pad) == expected


def test_json_text_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        json_text({"a": [Decimal(1)]})


def _texts(database: Database, as_of: str | None = None) -> list[tuple[str, str]]:
    with database.reading() as session:
        evaluations = evaluate_all(session, as_of=as_of)
        return [
            (
                score_json(ev, "    "),
                json.dumps(score_to_dict(ev), ensure_ascii=False, indent=2).replace("\n", "\n    "),
            )
            for ev in evaluations
        ]


@pytest.mark.parametrize("as_of", [None, "Q2", "M03", YEAR])
def test_score_json_equals_json_dumps_of_score_to_dict(varied: Database, as_of: str | None) -> None:
    """Every project of the varied seed (tiers, shares, deductions, retired indicators, a unit that
    cannot convert, points, monthly reporting), at its own latest period and at set ones."""
    texts = _texts(varied, as_of)
    assert len(texts) == 13
    for fast, standard in texts:
        assert fast == standard


def test_texts_that_need_escaping_and_empty_tables(varied: Database) -> None:
    with varied.session() as session:
        indicators = list(session.scalars(select(Indicator).order_by(Indicator.id)))
        set_indicator_field(session, indicators[0], "deviation_reason", '含"引号"、反斜杠\\和\n换行\t制表')
        set_indicator_field(session, indicators[1], "measures", "\x01控制字符\u2028")
        for ind in indicators[0].project.indicators:
            ind.retired = True  # a project with no current indicator: "indicators": []
    for fast, standard in _texts(varied):
        assert fast == standard


def test_the_command_writes_what_stream_projects_writes(varied: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = varied.url
    assert cli.main(["score", "--json", "--db", url]) == 0
    written = capsys.readouterr().out
    with varied.reading() as session:
        rows = [score_to_dict(ev) for ev in evaluate_all(session)]
    expected = io.StringIO()
    with redirect_stdout(expected):
        stream_projects(rows, True, format_score)
    assert written == expected.getvalue()
    assert json.loads(written) == json.loads(json.dumps({"projects": rows}))


def test_the_command_writes_into_a_redirected_stdout_without_encoding(varied: Database) -> None:
    """A program calling main() with its output in a StringIO (which has no encoding and no buffer)."""
    into = io.StringIO()
    with redirect_stdout(into):
        assert cli.main(["score", "--json", "--db", varied.url]) == 0
    assert len(json.loads(into.getvalue())["projects"]) > 0


def test_the_year_end_standing_an_evaluation_reuses_is_attainments(
    varied: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the year end each indicator's standing is taken from its score; it equals what
    ``attainment(ind, YEAR)`` computes afresh (the evaluation with the reused standing taken away)."""
    import dataclasses

    import perftrack.store.evaluation as evaluation

    def evaluated() -> list[list[object]]:
        with varied.reading() as session:
            return [[ie.attainment for ie in ev.indicators] for ev in evaluation.evaluate_all(session, as_of=YEAR)]

    reused = evaluated()
    scored = evaluation.score_project

    def without_standing(*args: Any, **kwargs: Any) -> Any:
        score = scored(*args, **kwargs)
        return dataclasses.replace(score, indicators=[dataclasses.replace(s, standing=None) for s in score.indicators])

    monkeypatch.setattr(evaluation, "score_project", without_standing)
    afresh = evaluated()
    assert reused == afresh and sum(map(len, afresh)) > 100


SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


def test_the_json_made_by_worker_processes_is_the_same_bytes(tmp_path: Path) -> None:
    """A city's score --json is made by a process per core (Linux): the same output, in the same order."""
    db = tmp_path / "w.db"
    perftrack = str(Path(sys.executable).with_name("perftrack"))
    subprocess.run([perftrack, "import", str(SEED), "--db", str(db)], check=True, capture_output=True)
    subprocess.run([perftrack, "record", "孵化基地运营", "#1", "95%", "--period", "Q2", "--db", str(db)], check=True)
    outputs = {}
    for workers in ("0", "2", "3"):  # 0: in the command's own process
        done = subprocess.run(
            [perftrack, "score", "--json", "--db", str(db)],
            capture_output=True,
            env={**os.environ, "PERFTRACK_SCORE_WORKERS": workers},
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs[workers] = done.stdout
    assert outputs["2"] == outputs["0"] == outputs["3"]
    projects = json.loads(outputs["0"])["projects"]
    assert len(projects) == 13 and projects[0]["indicators"]
