"""The sample database with a year of figures and the workbook made of it, shared by the export tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from perftrack.export.workbook import export_workbook, sheet_names
from perftrack.importers import read_declarations
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import Actual, BudgetExecution, Project
from perftrack.store.upsert import import_declarations

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
MONTHLY = "项目管理费"
BASE = "孵化基地运营及创业孵化服务支出"


FINANCE = "开展科技金融工作及服务"


FORMULA_NAME = "=SUM(A1:A9)项目"


REASON = "=受场地改造影响，后勤服务延期。"


def seed(path: Path) -> Database:
    """The 13 seed projects with actuals and spending recorded straight through the ORM."""
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="seed")
    with db.session() as session:
        projects = {p.name: p for p in session.scalars(select(Project))}
        base = projects[BASE]
        ind = {i.name: i for i in base.indicators}
        values = {
            ("后勤保障服务完成率", "Q1"): "80",
            ("后勤保障服务完成率", "Q2"): "95.00",
            ("设备质量达标率", "Q1"): "100",
            ("设备质量达标率", "Q2"): "100",
            ("完成及时性", "Q2"): "60",
        }
        for (name, period), value in values.items():
            session.add(Actual(indicator_id=ind[name].id, period=period, value=Decimal(value), unit="%"))
        session.add(Actual(indicator_id=ind["保障基地安全"].id, period="Q2", tier="achieved"))
        ind["完成及时性"].deviation_reason = REASON
        for period, amount in (("Q1", "1000000.00"), ("Q2", "1950000.00")):
            session.add(BudgetExecution(project_id=base.id, period=period, amount=Decimal(amount)))

        finance = projects[FINANCE]
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("Q3", "900000"), ("Q4", "1000000")):
            session.add(BudgetExecution(project_id=finance.id, period=period, amount=Decimal(amount)))
        for i in finance.indicators:
            if i.target_kind == "quantitative" and i.target_value is not None:
                session.add(Actual(indicator_id=i.id, period="YEAR", value=i.target_value, unit=i.target_unit))

        monthly = projects[MONTHLY]
        monthly.reporting = "monthly"
        for period, amount in (("M01", "100"), ("M02", "200"), ("M03", "300"), ("M04", "400")):
            session.add(BudgetExecution(project_id=monthly.id, period=period, amount=Decimal(amount)))
        projects["信息化建设项目"].name = FORMULA_NAME
    return db


def export_seed(folder: Path) -> tuple[Path, list[ProjectEvaluation]]:
    """The seed database in ``folder``, evaluated and exported to 自评.xlsx beside it."""
    db = seed(folder / "perftrack.db")
    try:
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    path = folder / "自评.xlsx"
    export_workbook(evaluations, path)
    return path, evaluations


def sheets_of(evaluations: list[ProjectEvaluation], name: str) -> tuple[str, str]:
    index = [ev.declaration.name for ev in evaluations].index(name)
    return sheet_names(evaluations)[index]


def find_row(ws: Worksheet, col: int, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)
