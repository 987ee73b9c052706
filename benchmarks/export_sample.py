"""How long the evaluation workbook takes for the 13 sample projects: prints the timings.

Usage: python benchmarks/export_sample.py [--runs 5] [--keep OUT.xlsx]
The sample forms are imported into a temporary SQLite file and given a full year of quarterly
actuals and spending, so every sheet and chart has data. Nothing here fails on time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from perftrack.export.workbook import export_workbook
from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import evaluate_all
from perftrack.store.schema import Actual, BudgetExecution, Project
from perftrack.store.upsert import import_declarations

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
TIERS = ("achieved", "partly", "not_achieved")


def sample_database(path: Path) -> Database:
    """The sample forms with made-up but plausible actuals for every quarter."""
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        import_declarations(session, read_declarations(sample_files()).declarations, source_label="sample")
    with db.session() as session:
        for number, project in enumerate(session.scalars(select(Project).order_by(Project.id))):
            total = project.annual_total or Decimal(0)
            for q, quarter in enumerate(QUARTERS):
                amount = (total * Decimal("0.22") + q * 1000 + number).quantize(Decimal("0.01"))
                session.add(BudgetExecution(project_id=project.id, period=quarter, amount=amount))
            for i, ind in enumerate(project.indicators):
                if ind.target_kind != "quantitative" or ind.target_value is None:
                    session.add(Actual(indicator_id=ind.id, period="Q4", tier=TIERS[i % 3]))
                    continue
                for quarter in QUARTERS:
                    share = Decimal("0.27") if ind.target_unit not in ("%", "秒", "小时", "个月") else Decimal(1)
                    value = (ind.target_value * share * (1 - Decimal(i % 4) / 20)).quantize(Decimal("0.01"))
                    session.add(Actual(indicator_id=ind.id, period=quarter, value=value, unit=ind.target_unit))
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also write the workbook here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = sample_database(Path(folder) / "sample.db")
        try:
            started = time.perf_counter()
            with db.session() as session:
                evaluations = evaluate_all(session)
            evaluated = time.perf_counter() - started
        finally:
            db.close()
        timings = []
        for run in range(args.runs):
            out = Path(folder) / f"run{run}.xlsx"
            started = time.perf_counter()
            export_workbook(evaluations, out)
            timings.append(time.perf_counter() - started)
        size = out.stat().st_size
        if args.keep:
            export_workbook(evaluations, args.keep)
    indicators = sum(len(ev.indicators) for ev in evaluations)
    print(f"{len(evaluations)} projects, {indicators} indicators, {2 + 2 * len(evaluations)} sheets, {size:,} bytes")
    print(f"evaluate_all: {evaluated:.3f} s")
    print(
        f"export_workbook over {args.runs} runs: best {min(timings):.3f} s, "
        f"median {statistics.median(timings):.3f} s, worst {max(timings):.3f} s"
    )


if __name__ == "__main__":
    main()
