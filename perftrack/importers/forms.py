"""The interpreter: a table of cells (from any reader) → declarations and the problems found.

One table may hold many forms. Each begins with its title (财政项目支出绩效目标申报表,
项目支出绩效目标表, …审批表, 部门预算项目支出绩效自评表, …; see :data:`.vocabulary.TITLES`) or, where
the title was lost, with its 项目名称. The title says what kind of sheet it is: a declaration, a
self-evaluation (read as its declaration plus the year's actual values), a monitoring sheet (its
declaration plus the actuals of its period), or a sheet perftrack does not import (a department's
whole-expenditure targets, an evaluation framework), which is named and skipped.

A form is its header (fields, funds, goals: :mod:`.header_fields`) and its indicator table. The
table is read by the stream reader of the national template (:mod:`.indicator_table`) when the
text is the seed's family (tab rows or one cell a line) and the table has only the template's
columns; otherwise by its columns (:mod:`.column_table`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from perftrack.domain.levels import parent_of
from perftrack.domain.model import Declaration, ImportResult, Problem, ReportedActual, Severity, SourceRef
from perftrack.domain.targets import parse_target
from perftrack.importers import column_table as columns_mod
from perftrack.importers.cells import Cell, Layout, Row, Table, paragraphs
from perftrack.importers.funds import amount_and_unit, funds_problems, resolve_funds
from perftrack.importers.header_fields import GOAL_FIELDS, Header, HeaderReader, single_line
from perftrack.importers.indicator_table import IndicatorMaker, TableReader
from perftrack.importers.labels import Kind, classify, column_of, compact, is_level
from perftrack.importers.text_layouts import NO_WRAP, is_tabbed
from perftrack.importers.text_layouts import wrap_width as text_wrap_width
from perftrack.importers.vocabulary import (
    FURNITURE,
    HINT_CELL,
    KIND_NAMES,
    MONEY_UNITS,
    NAME_NUMBERING,
    PLACEHOLDER_NAME,
    TABLE_ENDERS,
    TABLE_START_ROLES,
    TITLE_MAX_CHARS,
    TITLES,
    Field,
    Role,
    SheetKind,
)

_PAREN_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年度?\s*[)）]|(?<!\d)(\d{4})\s*年度\s*[)）]")
_YEAR_WORD = re.compile(r"(?<![\d-])(\d{4})\s*年度")
_LEADING_YEAR = re.compile(r"^\D{0,40}?(?<![\d-])(20\d{2})\s*年(?!\d)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_PERIOD_SPLIT = re.compile(r"\s*(?:[-~–—至到]+|－)\s*")
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>|</?p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{1,40}>")
_GOAL_PREFIX = re.compile(r"^(项目总体目标|项目总目标|总体目标|年度总体目标|年度目标)\s*[:：]\s*")
_AMOUNT_THEN_LABEL = re.compile(r"^(?P<amount>[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元)?)\s+(?P<label>\S.*)$")
# "2.2022年…绩效目标表": an item of a list of attachments, not a title
_LIST_ITEM = re.compile(r"^(?:附件\d*[:：])?\d{1,2}[.、．](?=\D|(?:19|20)\d{2}年)")
_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-~至到]\s*(\d{1,2})\s*月")

TITLE = "绩效目标申报表"  # the national template's title, as older callers look for it


@dataclass(slots=True)
class _Form:
    start: int  # index of its first row
    end: int
    kind: SheetKind
    title: Row | None


# -- the whole table ------------------------------------------------------------------------------


def read_table(table: Table, result: ImportResult | None = None) -> ImportResult:
    """Read every form in a table; problems name the file and the line or cell."""
    result = result or ImportResult()
    file = table.file
    if table.run_together is not None:
        result.problems.append(_run_together(table))
        return result
    forms = _find_forms(table.rows)
    if not forms:
        result.problems.append(_no_form(table))
        return result
    wrap_width = text_wrap_width([r.text for r in table.rows]) if table.layout is Layout.LINES else NO_WRAP
    skipped: list[Problem] = []
    for form in forms:
        rows = table.rows[form.start : form.end]
        if form.kind in (SheetKind.DEPARTMENT_WHOLE, SheetKind.FRAMEWORK):
            skipped.append(_not_a_project_form(form, file))
            continue
        reader = FormReader(rows, table, form, wrap_width, result.problems)
        decl = reader.read()
        if decl is not None:
            result.declarations.append(decl)
    if skipped:
        # alone in the file, such a sheet is refused; beside project forms it is only skipped
        severity = Severity.WARNING if result.declarations else Severity.ERROR
        result.problems.extend(replace(p, severity=severity) for p in skipped)
    return result


def title_kind(text: str) -> SheetKind | None:
    c = compact(text)
    if not c or len(c) > TITLE_MAX_CHARS or "汇总" in c or _LIST_ITEM.match(c):
        return None
    return next((kind for kind, pattern in TITLES if pattern.search(c)), None)


def _kind_anywhere(rows: list[Row]) -> SheetKind | None:
    """The kind of sheet a text names anywhere, even inside a long line (for refusals)."""
    for kind, pattern in TITLES:
        if any(pattern.search(compact(r.text)) for r in rows):
            return kind
    return None


def _is_name_row(row: Row) -> bool:
    return any(classify(c.text) == (Kind.FIELD, Field.NAME) or _colon_label(c.text) == Field.NAME for c in row.cells)


def _colon_label(text: str) -> Field | None:
    head, sep, _ = re.sub(r"：", ":", text).partition(":")
    if not sep:
        return None
    label = classify(head)
    return label[1] if label is not None and label[0] is Kind.FIELD and isinstance(label[1], Field) else None


def _find_forms(rows: list[Row]) -> list[_Form]:
    """Where forms begin: each title row, or each 项目名称 when its title was lost.

    A title followed by another title before any 项目名称 (a web page's own title, a list of
    attachments) is not a form's: the later one is.
    """
    titles = [(i, k) for i, r in enumerate(rows) if (k := title_kind(r.text)) is not None]
    names = [i for i, r in enumerate(rows) if _is_name_row(r)]
    kept: list[tuple[int, SheetKind]] = []
    for n, (i, kind) in enumerate(titles):
        nxt = titles[n + 1][0] if n + 1 < len(titles) else len(rows)
        has_name = any(i < m < nxt for m in names)
        if has_name or (kind in (SheetKind.DEPARTMENT_WHOLE, SheetKind.FRAMEWORK) and _has_table(rows[i:nxt])):
            kept.append((i, kind))
    starts: dict[int, tuple[SheetKind, Row | None]] = {i: (k, rows[i]) for i, k in kept}
    for prev, m in zip([-1, *names], names, strict=False):
        # a 项目名称 with no title since the previous one starts a form of its own
        if not any(prev < i <= m for i in starts):
            starts[m] = (next((k for i, k in reversed(kept) if i < m), SheetKind.DECLARATION), None)
    order = sorted(starts)
    forms = []
    for n, i in enumerate(order):
        kind, title = starts[i]
        forms.append(_Form(i, order[n + 1] if n + 1 < len(order) else len(rows), kind, title))
    return forms


def _has_table(rows: list[Row]) -> bool:
    return any(column_of(c.text) is not None for r in rows for c in r.cells)


def _no_form(table: Table) -> Problem:
    kind = _kind_anywhere(table.rows)
    if kind in (SheetKind.DEPARTMENT_WHOLE, SheetKind.FRAMEWORK):
        return Problem(
            table.file,
            None,
            f"{table.file}: 这是{KIND_NAMES[kind]}，不是项目支出绩效目标申报表；perftrack 只导入项目的绩效目标，未导入",
            Severity.ERROR,
            "not-a-project-form",
        )
    title = next((r for r in table.rows if title_kind(r.text) is not None), None)
    if title is not None:
        return Problem(
            table.file,
            title.line,
            f"找到了标题“{compact(title.text)}”，但表中没有“项目名称”一栏，无法读入；"
            "如这是从 PDF 复制的文字，各栏的次序可能已经打乱，请导入原始的 PDF、Word 或 Excel 文件",
            Severity.ERROR,
            "missing-name",
        )
    return Problem(
        table.file,
        None,
        "没有找到申报表：文件中没有“项目名称”或“绩效目标申报表”等标题",
        Severity.ERROR,
        "no-form",
    )


def _not_a_project_form(form: _Form, file: str) -> Problem:
    line = form.title.line if form.title else None
    return Problem(
        file,
        line,
        f"这是{KIND_NAMES[form.kind]}，不是项目支出绩效目标申报表；perftrack 只导入项目的绩效目标，已跳过",
        Severity.ERROR,
        "not-a-project-form",
    )


def _run_together(table: Table) -> Problem:
    kind = _kind_anywhere(table.rows)
    what = f"这张{KIND_NAMES[kind]}" if kind else "这份表格"
    return Problem(
        table.file,
        table.run_together,
        f"{what}的文字连在一起，单元格之间没有分隔（常见于从 Word 预览或 PDF 复制的整页文字），"
        "无法分清各栏，未导入；请导入原始的 PDF、Word 或 Excel 文件",
        Severity.ERROR,
        "run-together",
    )


# -- one form -------------------------------------------------------------------------------------


class FormReader:
    def __init__(self, rows: list[Row], table: Table, form: _Form, wrap_width: int, problems: list[Problem]) -> None:
        self.rows = rows
        self.file = table.file
        self.form = form
        self.problems = problems
        layout = table.layout
        if table.text_lines:
            layout = Layout.GRID if is_tabbed([r.text for r in rows]) else Layout.LINES
        self.layout = layout
        self.text_lines = table.text_lines
        self.soft_breaks = table.soft_breaks
        self.wrap_width = wrap_width if layout is Layout.LINES else NO_WRAP
        self.first_line = rows[0].line if rows else 0

    def problem(
        self,
        line: int | None,
        message: str,
        severity: Severity = Severity.WARNING,
        code: str = "",
        cell: Cell | None = None,
    ) -> None:
        self.problems.append(Problem(self.file, line, message, severity, code, cell.where if cell else None))

    def read(self) -> Declaration | None:
        cells = prepare_cells(self.rows, self.layout, text_lines=self.text_lines)
        split = _table_start(cells)
        header = HeaderReader(cells[:split], self.layout, accumulate=self.text_lines).read()
        first = self.rows[0].cells[0] if self.rows and self.rows[0].cells else None
        where = SourceRef(self.file, self.first_line, first.where if first else None)
        name = single_line(header.values.get(Field.NAME, "")).strip()
        if not name:
            if self.form.title is None and split == len(cells):
                return None  # a 项目名称 column of some other table (an allocation list), not a form
            found = "，标题之后没有“项目名称”一栏" if self.form.title is not None else ""
            self.problem(
                self.first_line, f"申报表缺少项目名称{found}，整张表未读入", Severity.ERROR, "missing-name", first
            )
            return None
        decl = Declaration(name=name, source=where)
        self._header_fields(decl, header)
        decl.sheet_kind = self.form.kind.value
        if split == len(cells):
            self.problem(
                self.first_line,
                f"项目“{name}”的申报表中没有绩效指标表（表格可能不完整），只读入了表头",
                Severity.WARNING,
                "no-indicator-table",
                first,
            )
            return decl
        self._indicators(decl, cells[split:])
        if self.form.kind is not SheetKind.DECLARATION:
            self._name_the_kind(decl, header)
        return decl

    # -- header ---------------------------------------------------------------------------------

    def _header_fields(self, decl: Declaration, header: Header) -> None:
        values = {k: single_line(v).strip() for k, v in header.values.items()}
        decl.nature = values.get(Field.NATURE) or None
        decl.category = values.get(Field.CATEGORY) or None
        decl.department = values.get(Field.DEPARTMENT) or values.get(Field.BUDGET_UNIT) or None
        decl.unit = values.get(Field.UNIT) or values.get(Field.FILLING_UNIT) or None
        decl.start = self._date(values, header, Field.START, "计划开始日期")
        decl.end = self._date(values, header, Field.END, "计划完成日期", end=True)
        period = values.get(Field.PERIOD)
        if period and (decl.start is None or decl.end is None):
            start, end = parse_period(period)
            decl.start = decl.start or start
            decl.end = decl.end or end
        year, year_line = self._year()
        decl.year = year
        if year is None:
            fallback = decl.start.year if decl.start else None
            self.problem(
                year_line or self.first_line,
                f"项目“{decl.name}”的申报表标题中没有预算年度（如“(2024年度)”）"
                + (f"，按计划开始日期取 {fallback} 年" if fallback else "，无法确定年度"),
                Severity.WARNING if fallback else Severity.ERROR,
                "missing-year",
            )
            decl.year = fallback
        funds_line = next((e.cell.line for e in header.funds if e.cell), self.first_line)
        total_line = next(
            (
                e.cell.line
                for e in header.funds
                if e.cell and e.label.money.value == "total" and e.label.scope.value != "project"
            ),
            funds_line,
        )
        decl.funds, problems = resolve_funds(header.funds, decl.name, self.file, total_line)
        self.problems.extend(problems)
        project_line = next(
            (e.cell.line for e in header.funds if e.cell and e.label.key in ("项目资金总额", "项目总预算")), total_line
        )
        self.problems.extend(funds_problems(decl.funds, decl.name, self.file, total_line, project_line))
        decl.project_goal, decl.annual_goal = self._goals(header, decl.name)
        if header.executed is not None:
            text, _cell = header.executed
            unit = next((u for e in header.funds if (u := e.label_unit or e.stated_unit)), None)
            try:
                decl.reported_spending, _ = amount_and_unit(text, Decimal(MONEY_UNITS[unit]) if unit else Decimal(1))
            except ValueError:
                decl.reported_spending = None  # "/" or a note where the amount should be: nothing reported

    def _date(
        self, values: dict[Field, str], header: Header, fld: Field, label: str, *, end: bool = False
    ) -> dt.date | None:
        text = values.get(fld, "")
        date = parse_date(text) or parse_month(text, end=end)
        if text and date is None:
            cell = header.cells.get(fld)
            self.problem(
                cell.line if cell else None, f"{label}“{text}”不是有效日期", Severity.WARNING, "bad-date", cell
            )
        return date

    def _year(self) -> tuple[int | None, int | None]:
        """The budget year from the title: "(2024年度)" under it, or "2025年…目标表" itself."""
        rows = self.rows
        stop = next((i for i, r in enumerate(rows) if _is_name_row(r)), min(len(rows), 6))
        head = rows[: max(stop, 1)][:12]
        for pattern in (_PAREN_YEAR, _YEAR_WORD):
            for offset, r in enumerate(head):
                m = pattern.search(r.text)
                if m and (offset > 0 or pattern is _PAREN_YEAR or title_kind(r.text) is not None):
                    return int(next(g for g in m.groups() if g)), r.line
        title = self.form.title
        if title is not None and (m := _LEADING_YEAR.match(compact(title.text))):
            return int(m.group(1)), title.line
        return None, None

    def _goals(self, header: Header, name: str) -> tuple[str | None, str | None]:
        soft = self.soft_breaks
        project = clean_goal("".join(_goal_text(c, soft) for c in header.goals[Field.PROJECT_GOAL]))
        annual = clean_goal("".join(_goal_text(c, soft) for c in header.goals[Field.ANNUAL_GOAL]))
        if not project and annual:
            paragraphs = annual.split("\n")
            heads = [_GOAL_PREFIX.match(p) for p in paragraphs]
            if (
                len(paragraphs) >= 2
                and heads[0]
                and heads[0].group(1) != "年度总体目标"
                and any(h and h.group(1) == "年度总体目标" for h in heads[1:])
            ):
                cut = next(i for i, h in enumerate(heads) if i and h and h.group(1) == "年度总体目标")
                project = "\n".join(_GOAL_PREFIX.sub("", p) for p in paragraphs[:cut])
                annual = "\n".join(_GOAL_PREFIX.sub("", p, count=1) for p in paragraphs[cut:])
                first = header.goals[Field.ANNUAL_GOAL][0]
                self.problem(
                    first.line,
                    f"项目“{name}”的年度总体目标栏中同时写了项目总目标，已分开读入",
                    Severity.INFO,
                    "goal-split",
                )
        return project or None, annual or None

    # -- the indicator table ----------------------------------------------------------------------

    def _indicators(self, decl: Declaration, cells: list[Cell]) -> None:
        body_end = _table_end(cells)
        cells = cells[:body_end]
        layout = self.layout
        columns, body = columns_mod.read_header(cells, layout)
        if self.text_lines and columns.simple:
            table = TableReader(cells, tabbed=layout is Layout.GRID, wrap_width=self.wrap_width, file=self.file)
            decl.indicators = table.read()
            self.problems.extend(table.problems)
        else:
            self._by_columns(decl, cells[body:], columns)
        if not decl.indicators:
            self.problem(
                cells[0].line, f"项目“{decl.name}”的绩效指标表是空的", Severity.ERROR, "no-indicators", cells[0]
            )
        elif self.form.kind is SheetKind.DECLARATION and columns.index(Role.ACTUAL) and columns.index(Role.SCORE):
            self.form.kind = SheetKind.SELF_EVALUATION

    def _by_columns(self, decl: Declaration, body: list[Cell], columns: columns_mod.Columns) -> None:
        body = [c for c in body if not _debris(c)]
        rows = columns_mod.read_rows(columns_mod.align(body, columns, self.layout), columns)
        maker = IndicatorMaker(self.file, self.problems)
        cur1: str | None = None
        cur2: str | None = None
        for k, row in enumerate(rows):
            if row.level1:
                if row.level1 != cur1:
                    cur2 = None
                cur1 = row.level1
            if row.level2:
                cur2 = row.level2
                if cur1 is None:
                    cur1 = parent_of(row.level2)
            name = NAME_NUMBERING.sub("", row.name).strip()
            if not name or PLACEHOLDER_NAME.match(name):
                if name and row.target_raw:
                    self.problem(row.line, f"指标“{name}”没有名称，未读入", Severity.WARNING, "missing-name", row.cell)
                continue
            if k == len(rows) - 1 and not row.target_raw and _truncated_label(name):
                self.problem(row.line, f"表格在“{name}”处中断，这一行未读入", Severity.WARNING, "truncated", row.cell)
                continue
            if row.qualitative:
                target = parse_target("")
                target = replace(target, raw=row.target_raw)
            else:
                target = replace(parse_target(row.target_text), raw=row.target_raw)
            if row.region_conflict:
                self.problem(
                    row.line,
                    f"指标“{name}”各地的指标值不同（{row.target_raw}），未读作一个指标值，请核对",
                    Severity.WARNING,
                    "region-values",
                    row.cell,
                )
            ind = maker.make(cur1, cur2, name, row.target_raw, row.cell, target)
            if cur1 is None or cur2 is None:
                self.problem(
                    row.line,
                    f"指标“{name}”找不到所属的" + ("二级指标" if cur1 else "一级、二级指标"),
                    Severity.WARNING,
                    "missing-level",
                    row.cell,
                )
            ind.points = row.weight
            decl.indicators.append(ind)
            if row.actual:
                decl.reported.append(ReportedActual(name, _period_of(columns), row.actual, ind.source))

    def _name_the_kind(self, decl: Declaration, header: Header) -> None:
        kind = self.form.kind
        count = len(decl.reported)
        if kind is SheetKind.SELF_EVALUATION:
            message = f"项目“{decl.name}”的这张表是{KIND_NAMES[kind]}：已读入其绩效目标" + (
                f"，并将其 {count} 个实际完成值记为全年实际值" if count else "（表中没有填写实际完成值）"
            )
        else:
            message = f"项目“{decl.name}”的这张表是{KIND_NAMES[kind]}：已读入其绩效目标" + (
                f"，并将其 {count} 个完成值记为所在期间的实际值" if count else "（表中没有填写完成值）"
            )
        self.problem(self.first_line, message, Severity.INFO, kind.value)


def _period_of(columns: columns_mod.Columns) -> str:
    """The period a monitoring sheet's actual column covers ("1-6月执行情况" → Q2); YEAR otherwise."""
    for i in columns.index(Role.ACTUAL):
        text = columns.roles[i].text
        m = _MONTH_RANGE.search(text) or re.search(r"截至(\d{1,2})月", text)
        if m:
            month = int(m.group(m.lastindex or 1))
            return f"Q{(month - 1) // 3 + 1}" if month % 3 == 0 else f"M{month:02d}"
        if "上半年" in text:
            return "Q2"
    return "YEAR"


def _truncated_label(name: str) -> bool:
    """A row cut off inside a level label ("数量指"): the table ends mid-cell."""
    from perftrack.domain.levels import LEVEL1_SYNONYMS, LEVEL2_SYNONYMS

    c = compact(name)
    return bool(c) and any(k.startswith(c) and k != c for k in (*LEVEL1_SYNONYMS, *LEVEL2_SYNONYMS))


def _goal_text(c: Cell, soft_breaks: bool) -> str:
    """A goal cell's text, its paragraphs marked; a PDF's wrapped lines joined back into paragraphs."""
    if "\n" not in c.text:
        return c.text
    lines = paragraphs(c.text) if soft_breaks else [p.strip() for p in c.text.split("\n") if p.strip()]
    return "<br>".join(lines)


def _debris(c: Cell) -> bool:
    """Cells of the body that are no data: a repeated header, a table label, a score hint, page furniture."""
    if c.empty:
        return False
    t = compact(c.text)
    if HINT_CELL.match(t) or FURNITURE.match(t):
        return True
    label = classify(c.text)
    return label is not None and label[0] in (Kind.TABLE_HEADER, Kind.TABLE_LABEL, Kind.RULE)


def _table_start(cells: list[Cell]) -> int:
    """Index of the indicator table's first header cell (一级指标, 三级指标 …), else of its first level label."""
    for i, c in enumerate(cells):
        column = column_of(c.text) if not c.empty else None
        if column is not None and column.role in TABLE_START_ROLES:
            label = classify(c.text)
            if label is not None and label[0] is Kind.TABLE_HEADER:
                return i
    for i, c in enumerate(cells):
        if is_level(classify(c.text)):
            return i
    return len(cells)


def _table_end(cells: list[Cell]) -> int:
    """Where the indicator table ends: the form's footer (合计, 填表人, 其他需说明的问题 …) or page furniture."""
    for i, c in enumerate(cells):
        if i and not c.empty and TABLE_ENDERS.match(compact(c.text)):
            return i
    return len(cells)


# -- preparing the cells ----------------------------------------------------------------------------


def prepare_cells(rows: list[Row], layout: Layout, *, text_lines: bool) -> list[Cell]:
    """The form's cells in reading order, with labels made whole: "资金总额: 250" split in two,
    "项目起" + "止时间" and "社会效益" + "指标" joined, "项目资金申请" + "(万元)" joined."""
    cells: list[Cell] = []
    for r in rows:
        for c in r.cells:
            cells.extend(_split_cell(c, layout))
    if text_lines:
        return _join_text_labels(cells)
    return _join_labels(cells, layout)


def _split_cell(c: Cell, layout: Layout) -> list[Cell]:
    text = c.text.strip()
    if c.empty or classify(text) is not None:
        return [c]
    normal = text.replace("：", ":")
    head, sep, rest = normal.partition(":")
    if sep and len(rest) <= 60:
        label = classify(head)
        if label is not None and label[0] in (Kind.FIELD, Kind.FUNDS, Kind.FUNDS_BLOCK) and label[1] not in GOAL_FIELDS:
            first = replace(c, text=head.strip(), line_end=not rest.strip() and c.line_end)
            if not rest.strip():
                return [first]
            return [first, replace(c, text=rest.strip(), line_start=False)]
    if layout is not Layout.PACKED and (m := _AMOUNT_THEN_LABEL.match(text)) and classify(m.group("label")) is not None:
        return [replace(c, text=m.group("amount"), line_end=False), replace(c, text=m.group("label"), line_start=False)]
    return [c]


def _join_text_labels(tokens: list[Cell]) -> list[Cell]:
    """Text lines: merge a label broken over two or three lines ("社会效益" / "指标") back into one cell."""
    out: list[Cell] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        merged = None
        if classify(tok.text) is None and tok.line_end:
            text = tok.text
            for j in range(i + 1, min(i + 3, len(tokens))):
                nxt = tokens[j]
                if not nxt.line_start or nxt.line == tokens[j - 1].line:
                    break
                text += nxt.text
                if classify(text) is not None:
                    merged = (j, text)
                    break
                if not nxt.line_end:
                    break
        if merged:
            j, text = merged
            out.append(replace(tok, text=text, line_end=tokens[j].line_end))
            i = j + 1
        else:
            out.append(tok)
            i += 1
    return out


_MONEY_ONLY = re.compile(r"^[(（](?:单位[:：])?(?:万元|元|千元|亿元)[)）]$")


def _joinable(a: Cell, b: Cell, layout: Layout) -> bool:
    """Two cells that may be one label broken in two: neighbours in a packed row, a row's last
    cell and a following row of one cell, or neighbours in a stream."""
    if b.empty or a.empty:
        return False
    if layout is Layout.STREAM:
        return True
    if layout is Layout.PACKED:
        return a.line == b.line or (a.line_end and b.line_start and b.line_end)
    return False


def _join_labels(cells: list[Cell], layout: Layout) -> list[Cell]:
    out: list[Cell] = []
    i = 0
    while i < len(cells):
        c = cells[i]
        merged: tuple[int, str] | None = None
        if not c.empty and i + 1 < len(cells) and _joinable(c, cells[i + 1], layout):
            own = classify(c.text)
            nxt = cells[i + 1]
            if own is not None and own[0] is not Kind.RULE and _MONEY_ONLY.match(compact(nxt.text)):
                merged = (i + 1, c.text.strip() + compact(nxt.text))  # 项目资金申请 + (万元)
            elif own is None or (own[0] is Kind.FIELD and own[1] is Field.IGNORED) or _continues(own, cells[i + 1]):
                text = c.text.strip()
                for j in range(i + 1, min(i + 3, len(cells))):
                    if not _joinable(cells[j - 1], cells[j], layout):
                        break
                    text += cells[j].text.strip()
                    label = classify(text)
                    if label is not None and label[0] is not Kind.RULE and not _weaker(own, label):
                        if own is not None and own[0] is not Kind.FIELD and label[0] is not own[0]:
                            break
                        if own is not None and own[0] is Kind.FIELD and own[1] is not Field.IGNORED and label != own:
                            break
                        merged = (j, text)
                        break
        if merged:
            j, text = merged
            out.append(replace(c, text=text, line_end=cells[j].line_end, row_end=cells[j].row_end))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return out


def _continues(own: tuple[Kind, object], nxt: Cell) -> bool:
    """A label whose last words went to the next cell: 主管部门 + 及编码, 项目资金 + 申请."""
    t = compact(nxt.text)
    return own[0] in (Kind.FIELD, Kind.FUNDS, Kind.FUNDS_BLOCK) and 0 < len(t) <= 6 and classify(nxt.text) is None


def _weaker(own: tuple[Kind, object] | None, joined: tuple[Kind, object]) -> bool:
    """Joining an ignored label (金额) to its neighbour only when that makes a label worth more."""
    return own is not None and joined[0] is Kind.FIELD and joined[1] is Field.IGNORED


# -- values -----------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    """A date written 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日; None for anything else."""
    m = _DATE.search(text)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:  # 2024-02-30
        return None


def parse_month(text: str, *, end: bool = False) -> dt.date | None:
    """A month written 2021.1, 2021-01, 202101 or 2021年1月: its first day (its last with ``end``)."""
    m = _MONTH.match(compact(text).removesuffix("年"))
    if m is None:
        year_only = re.fullmatch(r"(\d{4})年?度?", compact(text))
        if year_only is None:
            return None
        year = int(year_only.group(1))
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    year, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        return None
    if not end:
        return dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Start and end of 项目起止时间: "202001-202012", "2023.07-2024.01", "2023年4月-2024年2月", "2025年"."""
    parts = [p for p in _PERIOD_SPLIT.split(compact(text)) if p]
    if len(parts) == 1:
        return parse_date(parts[0]) or parse_month(parts[0]), parse_date(parts[0]) or parse_month(parts[0], end=True)
    if len(parts) != 2:
        return None, None
    first, second = parts
    if re.fullmatch(r"\d{1,2}月?", second) and (m := re.match(r"(\d{4})", first)):
        second = f"{m.group(1)}年{second.removesuffix('月')}月"  # 2021年1月-12月
    return parse_date(first) or parse_month(first), parse_date(second) or parse_month(second, end=True)


def clean_goal(text: str) -> str:
    """Goal text without conversion markup; paragraphs on their own lines."""
    text = _PARAGRAPH.sub("\n", text)
    text = _TAG.sub("", text)
    paragraphs = [re.sub(r"[ \t\u3000]+", " ", p).strip() for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)


__all__ = [
    "TITLE",
    "FormReader",
    "clean_goal",
    "parse_date",
    "parse_month",
    "parse_period",
    "prepare_cells",
    "read_table",
    "title_kind",
]
