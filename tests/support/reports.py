"""The sample database the report tests print, and reading a PDF back: shared by the report, dashboard,
printing and goal tests."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from perftrack.importers import read_declarations
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import Actual, BudgetExecution, Project
from perftrack.store.upsert import import_declarations

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
FINANCE = "开展科技金融工作及服务"
PRINTED = dt.date(2025, 1, 20)
REASON = "受宏观经济环境影响，合作银行放款节奏放缓，年度贷款额未达预期。"
MEASURE = "加强与合作银行沟通，优化科技金融产品设计。"


def seeded(path: Path) -> Database:
    """The 13 seed projects, with year-end figures for the finance project."""
    db = open_database(f"sqlite:///{path}")
    result = read_declarations([SEED])
    with db.session() as session:
        import_declarations(session, result.declarations, source_label="seed")
    with db.session() as session:
        project = session.scalars(select(Project).where(Project.name == FINANCE)).one()
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("Q3", "900000"), ("Q4", "1000000")):
            session.add(BudgetExecution(project_id=project.id, period=period, amount=Decimal(amount)))
        loan = next(i for i in project.indicators if i.name == "科技金融产品年贷款额")
        session.add(Actual(indicator_id=loan.id, period="YEAR", value=Decimal("44"), unit="亿元"))
        loan.deviation_reason = REASON
        loan.measures = MEASURE
        for ind in project.indicators:
            if ind is not loan and ind.target_kind == "quantitative" and ind.target_value is not None:
                session.add(Actual(indicator_id=ind.id, period="YEAR", value=ind.target_value, unit=ind.target_unit))
    return db


def evaluations_of(db: Database, **kw: object) -> list[ProjectEvaluation]:
    with db.session() as session:
        return evaluate_all(session, **kw)  # type: ignore[arg-type]


def pdf_text(path: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_printer(path: Path) -> QPrinter:
    """The program's A4 printer, printing to a PDF file at ``path``."""
    from PySide6.QtPrintSupport import QPrinter

    from perftrack.ui import printing

    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer
