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

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field, replace

from perftrack.domain.model import Declaration, ImportResult, Problem, Severity, SourceRef
from perftrack.domain.periods import YEAR
from perftrack.domain.targets import parse_target
from perftrack.importers.cell_prep import prepare_cells
from perftrack.importers.cells import Cell, Layout, Row, Table, display_width, single_line
from perftrack.importers.column_rows import read_column_table, truncated_label
from perftrack.importers.column_table import read_header
from perftrack.importers.funds import funds_of, spending_of
from perftrack.importers.header_fields import Header, HeaderReader
from perftrack.importers.indicator_table import TableReader
from perftrack.importers.labels import Kind, classify, column_of, compact, is_level
from perftrack.importers.text_layouts import NO_WRAP, is_tabbed
from perftrack.importers.text_layouts import wrap_width as text_wrap_width
from perftrack.importers.values import clean_goal, parse_date, parse_month, parse_period
from perftrack.importers.vocabulary import (
    KIND_NAMES,
    TABLE_ENDERS,
    TABLE_START_ROLES,
    TITLE_MAX_CHARS,
    TITLES,
    Field,
    Role,
    SheetKind,
    person_name,
)

_PAREN_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年度?\s*[)）]|(?<!\d)(\d{4})\s*年度\s*[)）]")
_YEAR_WORD = re.compile(r"(?<![\d-])(\d{4})\s*年度")
_LEADING_YEAR = re.compile(r"^\D{0,40}?(?<![\d-])(20\d{2})\s*年(?!\d)")
_GOAL_PREFIX = re.compile(r"^(项目总体目标|项目总目标|总体目标|年度总体目标|年度目标)\s*[:：]\s*")
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
    at_file_end: bool = False  # the last form of its file: nothing follows it


@dataclass(slots=True)
class _Cut:
    """Where a file cut off inside an indicator table stops: the row at the cut, from ``start``."""

    start: int  # index of the row's first cell in the table's cells
    cells: list[Cell]  # its cells with text
    why: str  # what shows the cut, in words
    open: bool = False  # its last cell was left open (the text stops inside it)
    left_out: list[str] = field(default_factory=list)  # indicators left out for it, named in the warning
    # weak evidence, in words: only the text's end shows it (no line break after the last cell, fewer
    # tab fields, a cell filling its line), as a complete file saved without a final line break may
    # show too. The row is read, and the declaration names it as ``suspect``.
    weak: str = ""


# problems about the row at a cut, said by the row readers before the row was left out
_ROW_PROBLEMS = frozenset(("missing-target", "missing-level", "inferred-target", "repeated-row", "repeated-text"))
_SHOWN_CHARS = 30
_NOT_ROWS = (Kind.TABLE_LABEL, Kind.TABLE_HEADER)
_BEGUN_ROW = "最后一行刚开始就中断，只有分隔符"
_OPEN_CELL = "最后一个单元格没有写完（其后没有换行或分隔符）"
_FILLED_LINE = "最后一个单元格写满了一行，应当还有下文"
# weak evidence of a cut, as the warning about a row kept says it
_NO_LINE_BREAK = "其后没有换行"
_FEWER_FIELDS = "这一行的栏数少于表中其他各行"
_FULL_LINE = "最后一个单元格写满了一行，其后可能还有下文"


# -- the whole table ------------------------------------------------------------------------------


def read_table(table: Table, result: ImportResult | None = None) -> ImportResult:
    """Read every form in a table; problems name the file and the line or cell."""
    result = result or ImportResult()
    file = table.file
    if table.run_together is not None:
        result.problems.append(_unreadable_text(table, table.run_together, _RUN_TOGETHER, "run-together"))
        return result
    if table.laid_out is not None:
        result.problems.append(_unreadable_text(table, table.laid_out, _LAID_OUT, "pdf-layout-text"))
        return result
    forms = _find_forms(table.rows)
    if not forms:
        result.problems.append(_no_form(table))
        return result
    wrap_width = text_wrap_width([r.text for r in table.rows]) if table.layout is Layout.LINES else NO_WRAP
    skipped: list[Problem] = []
    for form in forms:
        rows = table.rows[form.start : form.end]
        form.at_file_end = form.end == len(table.rows)
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
    """The kind of sheet a row names, when it is a title (short, and worded as one)."""
    if "表" not in text and "绩效" not in text:
        return None
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
    if "名" not in row.text and "称" not in row.text:
        return False  # the common case, decided without looking at each cell
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
        has_name = bisect.bisect_right(names, i) < bisect.bisect_left(names, nxt)
        if has_name or (kind in (SheetKind.DEPARTMENT_WHOLE, SheetKind.FRAMEWORK) and _has_table(rows[i:nxt])):
            kept.append((i, kind))
    starts: dict[int, tuple[SheetKind, Row | None]] = {i: (k, rows[i]) for i, k in kept}
    kept_at = [i for i, _ in kept]
    for prev, m in zip([-1, *names], names, strict=False):
        # a 项目名称 with no title since the previous one starts a form of its own
        before = bisect.bisect_right(kept_at, m)
        if before == bisect.bisect_right(kept_at, prev):
            starts[m] = (kept[before - 1][1] if before else SheetKind.DECLARATION, None)
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


def _unreadable_text(table: Table, line: int | None, why: str, code: str) -> Problem:
    """A text refused for how it was copied: it says so, names the sheet if it can, and asks for the original."""
    kind = _kind_anywhere(table.rows)
    what = f"这张{KIND_NAMES[kind]}" if kind else "这份表格"
    return Problem(table.file, line, f"{what}{why}", Severity.ERROR, code)


_LAID_OUT = (
    "是从 PDF 按版面复制的文字：各栏以空格对齐，单元格内换行的文字与相邻各栏交错，"
    "无法可靠地分清单元格，未导入；请直接导入原始的 PDF 文件，或 Word、Excel 文件"
)
_RUN_TOGETHER = (
    "的文字连在一起，单元格之间没有分隔（常见于从 Word 预览或 PDF 复制的整页文字），"
    "无法分清各栏，未导入；请导入原始的 PDF、Word 或 Excel 文件"
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
            layout = Layout.GRID if is_tabbed(rows) else Layout.LINES
        self.layout = layout
        self.text_lines = table.text_lines
        self.wrap_width = wrap_width if layout is Layout.LINES else NO_WRAP
        self.first_line = rows[0].line if rows else 0
        self.cut_off = False  # the file ends inside this form's indicator table
        self.open_end = table.open_end  # the text stops inside a cell
        self.open_row = table.open_row  # the text stops at the start of a row
        self.cut_character = table.cut_character  # the text's last character was cut: surely cut off

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
        cut_header: Cell | None = None
        if (
            split == len(cells)
            and self.form.at_file_end
            and self.open_end
            and (last := _last_filled(cells)) is not None
        ):
            # the file stops inside the header, mid-cell: that cell's text is not what the form says
            cut_header, cells = cells[last], cells[:last]
            split = len(cells)
        header = HeaderReader(cells[:split], self.layout, accumulate=self.text_lines).read()
        first = self.rows[0].cells[0] if self.rows and self.rows[0].cells else None
        where = SourceRef(self.file, self.first_line, first.where if first else None)
        name = single_line(header.values.get(Field.NAME, "")).strip()
        if cut_header is not None:
            # fields past the cut would read as blank and a re-import would blank them: the form is left out
            self.problem(
                cut_header.line,
                f"文件在最后一张申报表{f'（项目“{name}”）' if name else ''}的表头“{_shown(cut_header.text)}”处中断，"
                "还没有绩效指标表，文件可能被截断，请核对是否完整；这张表未读入，数据库中已有的这个项目不变",
                Severity.WARNING,
                "truncated",
                cut_header,
            )
            return None
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
        decl.manager = person_name(values.get(Field.MANAGER))
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
        decl.funds, problems = funds_of(header.funds, decl.name, self.file, self.first_line)
        self.problems.extend(problems)
        decl.project_goal, decl.annual_goal = self._goals(header, decl.name)
        if header.executed is not None:
            decl.reported_spending = spending_of(header.executed[0], header.funds)

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
        project = clean_goal("".join(_goal_text(c) for c in header.goals[Field.PROJECT_GOAL]))
        annual = clean_goal("".join(_goal_text(c) for c in header.goals[Field.ANNUAL_GOAL]))
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
        at_end = body_end == len(cells) and self.form.at_file_end  # nothing after the table, not even a footer
        cells = cells[:body_end]
        anchor = cells[0]  # the table's first cell, where its problems point
        if at_end and (title := _trailing_title(cells)) is not None:
            # the next form's title, cut off before its 项目名称: no row of this table
            self.problem(
                cells[title].line,
                f"文件在项目“{decl.name}”之后的下一张表的标题“{_shown(cells[title].text)}”处中断，"
                "文件可能被截断，请核对是否完整；那张表未读入",
                Severity.WARNING,
                "truncated",
                cells[title],
            )
            cells, at_end = cells[:title], False
        cut = self._cut_row(cells) if at_end else None
        if cut is not None and not cut.weak:
            cells = cells[: cut.start]  # strong evidence: none of the cells of the row at the cut is read
        layout = self.layout
        evaluated = False
        if any(not c.empty for c in cells):
            columns, body = read_header(cells, layout)
            evaluated = bool(columns.index(Role.ACTUAL) and columns.index(Role.SCORE))
            if self.text_lines and columns.simple:
                table = TableReader(cells, tabbed=layout is Layout.GRID, wrap_width=self.wrap_width, file=self.file)
                decl.indicators = table.read()
                self.problems.extend(table.problems)
                if cut is not None and cut.open and layout is Layout.LINES:
                    self._agreed_rows(decl, cells, cut)
            else:
                read_column_table(decl, cells[body:], columns, layout, self.file, self.problems)
        if at_end:
            self._cut_off(decl, cells, cut)
        if self.form.kind is SheetKind.MONITORING and any(a.period == YEAR for a in decl.reported):
            # a monitoring sheet's 完成值 that does not say up to when cannot go into any period
            decl.reported.clear()
            self.problem(
                anchor.line,
                f"项目“{decl.name}”的监控表没有写明完成值截至哪一期（如“1-6月执行情况”），完成值未记录",
                Severity.WARNING,
                "monitoring-period",
                anchor,
            )
        if not decl.indicators:
            # a table the file's end cut off before its first whole row is the truncation's, said above
            severity = Severity.WARNING if self.cut_off else Severity.ERROR
            self.problem(anchor.line, f"项目“{decl.name}”的绩效指标表是空的", severity, "no-indicators", anchor)
        elif self.form.kind is SheetKind.DECLARATION and evaluated:
            self.form.kind = SheetKind.SELF_EVALUATION

    def _cut_row(self, cells: list[Cell]) -> _Cut | None:
        """The table's last row when the file stops inside it: a row of level names only ("\t\t质量指标"),
        a cell left open (no line break or separator after the text's last character), or, in tab rows,
        fewer cells than every other row of the table. Where rows are lost (one cell a line or a
        paragraph) the "row" is the trailing level names, or the open cell.

        Level names only are strong evidence (the row is not read). An open cell, fewer fields or a
        cell filling its line are weak (``_Cut.weak``), as a complete file saved without a final line
        break or with its trailing blanks stripped shows them too, unless the text's last character
        was cut: :meth:`_cut_off` keeps such a row unless the rows read show the cut."""
        filled = [i for i, c in enumerate(cells) if not c.empty]
        if not filled:
            return None
        last = filled[-1]
        if self.layout in (Layout.GRID, Layout.PACKED):
            line = cells[last].line
            start = next(i for i in filled if cells[i].line == line)
            row = [cells[i] for i in filled if i >= start]
            if all(_level_cell(c) for c in row):
                return _Cut(start, row, "最后一行只有指标的层级，没有指标")
            fewer = self._fewer_fields(cells[:start], line)
            if self.open_end and (not _looks_whole(cells[last].text) or fewer):
                return _Cut(start, row, _OPEN_CELL, open=True, weak=self._weak(_NO_LINE_BREAK))
            if fewer:
                return _Cut(start, row, "最后一行的栏数少于表中其他各行", weak=self._weak(_FEWER_FIELDS))
            return _Cut(len(cells), [], _BEGUN_ROW) if self.open_row else None
        k = len(filled)
        while k > 0 and _level_cell(cells[filled[k - 1]]):
            k -= 1
        if k < len(filled):
            start = filled[k]
            return _Cut(start, [cells[i] for i in filled[k:]], "最后只有指标的层级，没有指标")
        wrapped = self.layout is Layout.LINES and display_width(cells[last].text) >= self.wrap_width - 1
        if wrapped or (self.open_end and not _looks_whole(cells[last].text) and self.layout is Layout.LINES):
            # one cell a line: the cell stays, so the rows before it split as they would have; the
            # indicator it ends up in is left out afterwards
            if wrapped:
                return _Cut(len(cells), [cells[last]], _FILLED_LINE, open=True, weak=self._weak(_FULL_LINE))
            return _Cut(len(cells), [cells[last]], _OPEN_CELL, open=True, weak=self._weak(_NO_LINE_BREAK))
        if self.open_end and not _looks_whole(cells[last].text):
            # with it go the level names just before it: they would move the row above into their group
            k = len(filled) - 1
            while k > 0 and _level_cell(cells[filled[k - 1]]):
                k -= 1
            row = [cells[i] for i in filled[k:]]
            return _Cut(filled[k], row, _OPEN_CELL, open=True, weak=self._weak(_NO_LINE_BREAK))
        return _Cut(len(cells), [], _BEGUN_ROW) if self.open_row else None

    def _weak(self, words: str) -> str:
        """The words of weak evidence, unless the text's last character was cut (then it is strong)."""
        return "" if self.cut_character else words

    def _fewer_fields(self, before: list[Cell], line: int) -> bool:
        """Tab rows: the row at ``line`` has fewer tab-separated fields than every other row of its table."""
        if not (self.text_lines and self.layout is Layout.GRID) or not before:
            return False
        texts = {r.line: r.text for r in self.rows}
        header = before[0].line
        others = {c.line for c in before if not c.empty and c.line != header} or {header}  # else the header row
        if line not in texts:
            return False
        count = min(texts[n].count("\t") for n in others if n in texts)
        return texts[line].count("\t") < count

    def _cut_off(self, decl: Declaration, cells: list[Cell], cut: _Cut | None) -> None:
        """The file ends inside the table: say so, and leave out the indicator of the row at the cut.

        The row at the cut is suspect (a target cut short, a name cut short, a level label that would
        move the row above it into another group): its cells were not read (``cut``), and where the
        rows are lost, the indicator the open cell belonged to is left out too. A last indicator with
        no target, with nothing after it, is the same cut falling between its name and its target.
        Leaving an indicator out neither adds it nor changes the one stored; a re-import holds back
        deleting what the file no longer lists.

        On weak evidence the row at the cut was read. It stays (:meth:`_kept_at_cut`) unless the
        rows show the cut: a last indicator without a target, rows still waiting for their level
        label, or (one cell a line) an open cell that moved rows (:meth:`_agreed_rows`).
        """
        filled = [c for c in cells if not c.empty]
        left_out: list[str] = cut.left_out if cut is not None else []
        rows_lost = self.layout in (Layout.STREAM, Layout.LINES)
        if decl.indicators and filled:
            last = decl.indicators[-1]
            drop = False
            if cut is None or cut.weak:
                # the cut fell between the last row's name and its target (strong evidence)
                on_last_line = last.source is not None and last.source.line == filled[-1].line
                if not last.target.raw and (on_last_line or (cut is not None and cut.open and rows_lost)):
                    cut, drop = _Cut(len(cells), [filled[-1]], "最后一行没有指标值"), True
            elif cut.open and rows_lost:
                # rows lost: the open cell was this indicator's target
                drop = not last.target.raw
            if drop:
                left_out.append(self._leave_out(decl))
        if (cut is None or cut.weak) and not decl.indicators:
            cut = _Cut(len(cells), cut.cells if cut is not None else [], "表头之后没有指标行")
        if cut is None:
            return
        if cut.weak and decl.indicators[-1].level2 is not None:
            self._kept_at_cut(decl, cut, filled[-1])
            return
        self.cut_off = True
        # rows whose level group is not known yet: the label that names it may be past the cut
        while decl.indicators and decl.indicators[-1].level2 is None:
            left_out.insert(0, self._leave_out(decl))
        where = cut.cells[-1] if cut.cells else (filled[-1] if filled else None)
        said = (
            f"；中断处的指标{'、'.join(f'“{n}”' for n in left_out)}未读入"
            "（不新增，数据库中已有的同名指标及其指标值不变）"
            if left_out
            else (_row_left_out(cut.cells) if cut.cells else "")
        )
        at = f"在“{_shown(where.text)}”处" if where is not None else ""
        self.problem(
            where.line if where is not None else self.first_line,
            f"项目“{decl.name}”的绩效指标表{at}中断：{cut.why}，其后也没有别的内容，"
            f"文件可能被截断，请核对是否完整{said}；表中已没有的指标本次不会删除",
            Severity.WARNING,
            "truncated",
            where,
        )

    def _kept_at_cut(self, decl: Declaration, cut: _Cut, where: Cell) -> None:
        """Weak evidence of a cut: the last row is read, the declaration names its indicator as suspect
        (a re-import does not change its stored target without --replace), and a warning asks to check it."""
        last = decl.indicators[-1]
        decl.suspect = last.name
        self.problem(
            where.line,
            f"文件在项目“{decl.name}”的绩效指标表最后一行（指标“{_shown(last.name)}”）处结束，{cut.weak}，"
            f"文件可能被截断；这一行已读入，请核对其指标值“{_shown(last.target.raw)}”是否完整"
            "（数据库中已有这一指标时，其指标值不按本文件修改，确认无误可加 --replace）",
            Severity.WARNING,
            "truncated",
            where,
        )

    def _agreed_rows(self, decl: Declaration, cells: list[Cell], cut: _Cut) -> None:
        """One cell a line: where a row ends is guessed, and an open cell at the end may be a name, a
        target or the rest of a wrapped cell. Only the rows read alike with and without it are kept.

        On weak evidence (a complete file may end so) all rows are kept when only the last one's
        target differs: the open cell was its target, or the rest of it. Otherwise the open cell moved
        rows, as a name or a cut label does: the evidence is strong."""
        open_cell = cut.cells[-1]
        without = TableReader(
            [c for c in cells if c is not open_cell], tabbed=False, wrap_width=self.wrap_width, file=self.file
        ).read()
        agreed = 0
        for a, b in zip(decl.indicators, without, strict=False):
            if (a.name, a.target.raw, a.level1, a.level2) != (b.name, b.target.raw, b.level1, b.level2):
                break
            agreed += 1
        ours = decl.indicators
        label = bool(ours) and _label_cut(ours[-1].name + ours[-1].target.raw)  # "满意度" "指": a label
        only_the_target = len(without) == len(ours) and (
            agreed == len(ours)
            or (
                agreed == len(ours) - 1
                and (ours[-1].name, ours[-1].level1, ours[-1].level2)
                == (without[-1].name, without[-1].level1, without[-1].level2)
            )
        )
        if cut.weak and not label and only_the_target:
            return
        cut.weak = ""
        while len(decl.indicators) > agreed:
            cut.left_out.insert(0, self._leave_out(decl))

    def _leave_out(self, decl: Declaration) -> str:
        """Take the last indicator out of the declaration, with its actuals and the problems about its row."""
        ind = decl.indicators.pop()
        decl.reported[:] = [a for a in decl.reported if a.indicator != ind.name]
        line = ind.source.line if ind.source else None
        self.problems[:] = [p for p in self.problems if not (p.line == line and p.code in _ROW_PROBLEMS)]
        return ind.name

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


def _goal_text(c: Cell) -> str:
    """A goal cell's text with its paragraphs marked (a cell's line breaks are its own: the PDF reader
    joins the lines a narrow column merely wrapped)."""
    return "<br>".join(p.strip() for p in c.text.split("\n") if p.strip()) if "\n" in c.text else c.text


def _shown(text: str) -> str:
    """A cell's text for a message: on one line, at most a few dozen characters."""
    t = single_line(text)
    return t if len(t) <= _SHOWN_CHARS else t[:_SHOWN_CHARS] + "…"


def _last_filled(cells: list[Cell]) -> int | None:
    return next((i for i in range(len(cells) - 1, -1, -1) if not cells[i].empty), None)


_TITLE_TAIL = 3  # cells a cut may leave after the next form's title: "(2024年度)", "项目名称", …


def _trailing_title(cells: list[Cell]) -> int | None:
    """Index of a form's title among the table's last few cells (the next form, cut off), else None."""
    filled = [i for i, c in enumerate(cells) if not c.empty][-(_TITLE_TAIL + 1) :]
    return next((i for i in filled if i > 0 and title_kind(cells[i].text) is not None), None)


def _row_left_out(cells: list[Cell]) -> str:
    """The warning's words for a row at the cut that was not read, naming its indicator if it has one."""
    content = [c for c in cells if not _level_cell(c)]
    if not content:
        return "；中断处这一行未读入"
    return (
        f"；中断处这一行（指标“{_shown(content[0].text)}”）未读入：不新增这一指标，数据库中已有的同名指标及其指标值不变"
    )


def _looks_whole(text: str) -> bool:
    """A number target closed by its unit's bracket ("≥90.00(%)"): a text ending there was not cut inside it."""
    t = text.strip()
    if not t.endswith((")", "）")):
        return False
    target = parse_target(t)
    return target.is_quantitative and not target.inferred


def _label_cut(text: str) -> bool:
    """A level label, whole or cut short, wrapped over two cells ("满意度" and "指标" or "指")."""
    return truncated_label(text) or is_level(classify(text))


def _level_cell(c: Cell) -> bool:
    """A cell that is no indicator: a level name (产出指标, 质量指标 …), the start of one the cut left
    ("数量指"), the table's label (绩效指标) or a header (三级指标)."""
    label = classify(c.text)
    return is_level(label) or truncated_label(c.text) or (label is not None and label[0] in _NOT_ROWS)


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
