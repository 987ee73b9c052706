"""The words of the forms, as data, in one place: every label and its synonyms, what each column of an
indicator table holds, the titles that say what kind of sheet a table is, and the page furniture to
read past.

Provinces print the same form with other words (项目支出名称 for 项目名称, 计量单位 for 度量单位, 产出值
for 产出指标). Adding a province's wording means adding its words here (and one test with its form);
the readers and the interpreter never spell a label themselves. Everything is compared in a compact
form (:func:`perftrack.importers.labels.compact`: NFKC, no whitespace, no markup) after
:func:`perftrack.importers.labels.label_key` has taken off what decorates a label: a leading ``*``,
``其中：``, an ordinal (一、 (一) 1.), a trailing colon, ``(盖章)`` and a money unit in brackets.

Level names (一级/二级指标 groups) live in :mod:`perftrack.domain.levels`, because scoring reads them too.
"""

from __future__ import annotations

import re
from enum import Enum

# -- header fields --------------------------------------------------------------------------------


class Field(Enum):
    NAME = "name"
    NATURE = "nature"
    CATEGORY = "category"
    DEPARTMENT = "department"
    BUDGET_UNIT = "budget_unit"  # 预算单位 / 申报单位: the department when no 主管部门 is printed
    UNIT = "unit"
    FILLING_UNIT = "filling_unit"  # 填报单位: the implementing unit when no 实施单位 is printed
    START = "start"
    END = "end"
    PERIOD = "period"  # 项目起止时间 202001-202012, 建设周期 2023年4月-2024年2月
    FUNDS_BLOCK = "funds_block"  # 项目资金(元): the block label, carries the money unit
    FUNDS = "funds"  # an amount of the funds block; which one is in FUNDS_LABELS
    GOALS_BLOCK = "goals_block"  # 项目绩效目标, 总体目标: the goals follow
    PROJECT_GOAL = "project_goal"
    ANNUAL_GOAL = "annual_goal"
    MANAGER = "manager"  # 项目负责人: who answers for the project (its phone number is dropped)
    IGNORED = "ignored"  # fields we read past: 联系电话, 联系人 …


FIELD_LABELS: dict[str, Field] = {
    # the project
    "项目名称": Field.NAME,
    "项目支出名称": Field.NAME,
    "项目(专项)名称": Field.NAME,
    "专项名称": Field.NAME,
    "专项资金名称": Field.NAME,
    "项目全称": Field.NAME,
    "项目性质": Field.NATURE,
    "项目属性": Field.NATURE,
    "项目类别": Field.CATEGORY,
    "项目类型": Field.CATEGORY,
    "项目分类": Field.CATEGORY,
    # who
    "主管部门": Field.DEPARTMENT,
    "主管部门及代码": Field.DEPARTMENT,
    "主管部门及编码": Field.DEPARTMENT,
    "主管部门及其编码": Field.DEPARTMENT,
    "主管部门及其代码": Field.DEPARTMENT,
    "主管部门名称": Field.DEPARTMENT,
    "主管部门(单位)": Field.DEPARTMENT,
    "主管部门(单位)名称": Field.DEPARTMENT,
    "项目主管部门": Field.DEPARTMENT,
    "业务主管部门": Field.DEPARTMENT,
    "主管单位": Field.DEPARTMENT,
    "项目主管单位": Field.DEPARTMENT,
    "预算部门": Field.DEPARTMENT,
    "预算单位": Field.BUDGET_UNIT,
    "申报单位": Field.BUDGET_UNIT,
    "部门(单位)名称": Field.BUDGET_UNIT,
    "单位名称": Field.BUDGET_UNIT,
    "部门名称": Field.BUDGET_UNIT,
    "预算单位名称": Field.BUDGET_UNIT,
    "实施单位": Field.UNIT,
    "项目实施单位": Field.UNIT,
    "具体实施单位": Field.UNIT,
    "执行单位": Field.UNIT,
    "项目执行单位": Field.UNIT,
    "项目单位": Field.UNIT,
    "填报单位": Field.FILLING_UNIT,
    # when
    "计划开始日期": Field.START,
    "项目开始日期": Field.START,
    "开始日期": Field.START,
    "计划完成日期": Field.END,
    "项目完成日期": Field.END,
    "计划结束日期": Field.END,
    "结束日期": Field.END,
    "项目起止时间": Field.PERIOD,
    "起止时间": Field.PERIOD,
    "项目起止日期": Field.PERIOD,
    "项目实施期": Field.PERIOD,
    "项目支出实施期": Field.PERIOD,
    "实施期限": Field.PERIOD,
    "实施周期": Field.PERIOD,
    "建设周期": Field.PERIOD,
    "项目期": Field.PERIOD,
    "项目周期": Field.PERIOD,
    # goals
    "项目绩效目标": Field.GOALS_BLOCK,
    "绩效目标": Field.GOALS_BLOCK,
    "总体目标": Field.GOALS_BLOCK,
    "项目总目标": Field.PROJECT_GOAL,
    "项目总体目标": Field.PROJECT_GOAL,
    "中期目标": Field.PROJECT_GOAL,
    "长期目标": Field.PROJECT_GOAL,
    "实施期绩效目标": Field.PROJECT_GOAL,
    "实施期目标": Field.PROJECT_GOAL,
    "中期滚动目标": Field.PROJECT_GOAL,
    "年度总体目标": Field.ANNUAL_GOAL,
    "年度绩效目标": Field.ANNUAL_GOAL,
    "本年度绩效目标": Field.ANNUAL_GOAL,
    "年度目标": Field.ANNUAL_GOAL,
    "当年绩效目标": Field.ANNUAL_GOAL,
    "项目年度目标": Field.ANNUAL_GOAL,
    "年度主要目标和成果": Field.ANNUAL_GOAL,
    "年度绩效总目标": Field.ANNUAL_GOAL,
    "年度工作目标": Field.ANNUAL_GOAL,
    # who answers for the project
    "项目负责人": Field.MANAGER,
    "项目负责人及电话": Field.MANAGER,
    "项目负责人及联系电话": Field.MANAGER,
    "项目负责人姓名": Field.MANAGER,
    "负责人": Field.MANAGER,
    # read past (their values are not the project's)
    "联系电话": Field.IGNORED,
    "联系人": Field.IGNORED,
    "归口科室": Field.IGNORED,
    "归口业务科室": Field.IGNORED,
    "归口处室": Field.IGNORED,
    "是否政府采购": Field.IGNORED,
    "绩效编制单位": Field.IGNORED,
    "财政资金预算分类": Field.IGNORED,
    "财政资金科目代码": Field.IGNORED,
    "项目审批": Field.IGNORED,
    "立项依据": Field.IGNORED,
    "项目立项依据": Field.IGNORED,
    "项目概况": Field.IGNORED,
    "项目总体概况": Field.IGNORED,
    "项目总体情况": Field.IGNORED,
    "项目概况及立项依据": Field.IGNORED,
    "项目实施进度计划": Field.IGNORED,
    "项目实施内容": Field.IGNORED,
    "开始时间": Field.IGNORED,
    "完成时间": Field.IGNORED,
    "资金来源": Field.IGNORED,
    "年初安排金额": Field.IGNORED,
    "金额": Field.IGNORED,
    "填表人": Field.IGNORED,
    "填报日期": Field.IGNORED,
    "填报时间": Field.IGNORED,
    "日期": Field.IGNORED,
    "报表编号": Field.IGNORED,
    "部门编码": Field.IGNORED,
    "项目基本情况": Field.IGNORED,
    "项目实施内容及过程概述": Field.IGNORED,
    "年度目标完成情况": Field.IGNORED,
    "实际完成情况": Field.IGNORED,
    "预期目标": Field.IGNORED,
    "自评总分": Field.IGNORED,
    "一般公共预算": Field.IGNORED,  # detail lines under 财政拨款小计: counted in their subtotal
    "政府性基金": Field.IGNORED,
    "国有资本经营预算": Field.IGNORED,
    "事业收入": Field.IGNORED,
    "经营性收入": Field.IGNORED,
}

# -- the funds block ------------------------------------------------------------------------------


class Money(Enum):
    """Which amount a funds label gives."""

    TOTAL = "total"
    FISCAL = "fiscal"
    CARRYOVER = "carryover"
    OTHER = "other"


class Scope(Enum):
    PROJECT = "project"  # the whole project's money (left column of the Shanghai form)
    ANNUAL = "annual"  # this year's money
    EITHER = "either"  # 资金总额, 财政拨款, 其他资金: the annual one unless the form also prints an annual label


# label → (amount, scope, adds up): amounts whose label "adds up" are summed (中央/市级/区级资金 make the
# year's appropriation together); others keep the first amount found.
FUNDS_LABELS: dict[str, tuple[Money, Scope, bool]] = {
    "项目资金总额": (Money.TOTAL, Scope.PROJECT, False),
    "项目总预算": (Money.TOTAL, Scope.PROJECT, False),
    "项目总投资": (Money.TOTAL, Scope.PROJECT, False),
    "项目总金额": (Money.TOTAL, Scope.PROJECT, False),
    "总投资": (Money.TOTAL, Scope.PROJECT, False),
    "中期资金总额": (Money.TOTAL, Scope.PROJECT, False),
    "实施期资金总额": (Money.TOTAL, Scope.PROJECT, False),
    "中期市财政预算": (Money.TOTAL, Scope.PROJECT, False),
    "中期财政预算": (Money.TOTAL, Scope.PROJECT, False),
    "年度资金申请总额": (Money.TOTAL, Scope.ANNUAL, False),
    "年度资金总额": (Money.TOTAL, Scope.ANNUAL, False),
    "年度资金总额及构成": (Money.TOTAL, Scope.ANNUAL, False),
    "本年度资金总额": (Money.TOTAL, Scope.ANNUAL, False),
    "当年资金总额": (Money.TOTAL, Scope.ANNUAL, False),
    "当年年度预算": (Money.TOTAL, Scope.ANNUAL, False),
    "年度预算": (Money.TOTAL, Scope.ANNUAL, False),
    "年度预算金额": (Money.TOTAL, Scope.ANNUAL, False),
    "年度预算资金": (Money.TOTAL, Scope.ANNUAL, False),
    "部门预算": (Money.TOTAL, Scope.ANNUAL, False),
    "资金总额": (Money.TOTAL, Scope.EITHER, False),
    "总额": (Money.TOTAL, Scope.EITHER, False),
    "当年财政拨款": (Money.FISCAL, Scope.ANNUAL, False),
    "本年财政拨款": (Money.FISCAL, Scope.ANNUAL, False),
    "年度本级预算金额": (Money.FISCAL, Scope.ANNUAL, False),
    "财政资金": (Money.FISCAL, Scope.EITHER, False),
    "财政拨款": (Money.FISCAL, Scope.EITHER, False),
    "财政拨款数": (Money.FISCAL, Scope.EITHER, False),
    "财政拨款小计": (Money.FISCAL, Scope.EITHER, False),
    "财政投款": (Money.FISCAL, Scope.EITHER, False),  # a misprint of 财政拨款 seen in print
    "预算资金": (Money.FISCAL, Scope.EITHER, False),
    "中央资金": (Money.FISCAL, Scope.EITHER, True),
    "中央财政资金": (Money.FISCAL, Scope.EITHER, True),
    "省级资金": (Money.FISCAL, Scope.EITHER, True),
    "省级财政资金": (Money.FISCAL, Scope.EITHER, True),
    "市级资金": (Money.FISCAL, Scope.EITHER, True),
    "市级财政资金": (Money.FISCAL, Scope.EITHER, True),
    "区级资金": (Money.FISCAL, Scope.EITHER, True),
    "县级资金": (Money.FISCAL, Scope.EITHER, True),
    "本级资金": (Money.FISCAL, Scope.EITHER, True),
    "本级财政资金": (Money.FISCAL, Scope.EITHER, True),
    "上级资金": (Money.FISCAL, Scope.EITHER, True),
    "上级财政资金": (Money.FISCAL, Scope.EITHER, True),
    "该项目支出上级资金": (Money.FISCAL, Scope.EITHER, True),
    "上年结转资金": (Money.CARRYOVER, Scope.ANNUAL, False),
    "上年结转": (Money.CARRYOVER, Scope.ANNUAL, False),
    "结转资金": (Money.CARRYOVER, Scope.ANNUAL, False),
    "当年其他资金": (Money.OTHER, Scope.ANNUAL, False),
    "其他资金": (Money.OTHER, Scope.EITHER, True),
    "其它资金": (Money.OTHER, Scope.EITHER, True),
    "其他": (Money.OTHER, Scope.EITHER, True),
    "其他收入": (Money.OTHER, Scope.EITHER, True),
    "自有资金": (Money.OTHER, Scope.EITHER, True),
    "自有资金小计": (Money.OTHER, Scope.EITHER, True),
}
# A total for the year whose label says it is all appropriation: 本年度申请市财政预算资金.
FUNDS_PATTERNS: tuple[tuple[re.Pattern[str], tuple[Money, Scope, bool]], ...] = (
    (re.compile(r"^(?:本年度|年度|当年)申请.{0,3}财政.{0,4}资金$"), (Money.TOTAL, Scope.ANNUAL, False)),
    (re.compile(r"^中期.{0,3}财政.{0,4}(?:预算|资金)$"), (Money.TOTAL, Scope.PROJECT, False)),
)
# Totals whose label says all of it is appropriation: the fiscal amount is the total.
FUNDS_ALL_FISCAL = re.compile(r"财政")

# Labels of the funds block as a whole; their brackets say the money unit.
FUNDS_BLOCK_LABELS = frozenset(
    {
        "项目资金",
        "项目资金申请",
        "资金情况",
        "项目金额",
        "投入目标",
        "资金投入",
        "项目资金情况",
        "年度预算数",
        "资金需求",
    }
)

# Columns of a self-evaluation's funds table (预算执行情况): which amount each column gives.
FUNDS_COLUMNS: dict[str, str] = {
    "年初预算数": "initial",
    "年初预算": "initial",
    "全年预算数": "full_year",
    "调整后预算数": "full_year",
    "调整后预算": "full_year",
    "全年执行数": "executed",
    "预算执行数": "executed",
    "执行数": "executed",
    "执行率": "rate",
    "预算执行率": "rate",
    "分值": "points",
    "权重": "points",
    "得分": "score",
    "原因": "note",
}

# Money units a form may state, and how many yuan each is.
MONEY_UNITS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "万": 10_000, "亿元": 100_000_000}
# Where a form states the money unit outside a label: 单位：万元, 金额单位：万元, (单位:万元).
MONEY_UNIT_NOTE = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(万元|千元|亿元|元)")
# A cell that is only a unit in brackets: the second line of "项目资金 / (万元)".
MONEY_UNIT_CELL = re.compile(r"^[(（](?:(?:金额|资金)?单位[:：])?(万元|千元|亿元|元)[)）]$")

# -- titles and kinds of sheet --------------------------------------------------------------------


class SheetKind(Enum):
    DECLARATION = "declaration"
    SELF_EVALUATION = "self_evaluation"
    MONITORING = "monitoring"
    DEPARTMENT_WHOLE = "department_whole"
    FRAMEWORK = "framework"


# A title of a sheet, by kind; the first that matches a short line wins, in this order.
TITLES: tuple[tuple[SheetKind, re.Pattern[str]], ...] = (
    (SheetKind.DEPARTMENT_WHOLE, re.compile(r"(?:部门|单位)(?:\(单位\))?整体(?:支出)?绩效")),
    (SheetKind.FRAMEWORK, re.compile(r"(?:绩效)?评价指标体系|绩效评价(?:指标|评分)(?:表|体系)")),
    (SheetKind.SELF_EVALUATION, re.compile(r"绩效(?:目标)?自评(?:价)?表|自评表")),
    (SheetKind.MONITORING, re.compile(r"绩效(?:运行)?(?:监控|跟踪)(?:情况)?表|(?:监控|跟踪)表")),
    (
        SheetKind.DECLARATION,
        re.compile(r"(?:绩效)?目标(?:申报|审批|批复|审核|填报)?表|绩效目标申报|支出绩效目标$"),
    ),
)
# Longer lines are sentences that mention a form ("现将……绩效目标申报表公示如下"), not its title.
TITLE_MAX_CHARS = 60
# What a sheet is, in the messages that name it.
KIND_NAMES: dict[SheetKind, str] = {
    SheetKind.DECLARATION: "绩效目标申报表",
    SheetKind.SELF_EVALUATION: "项目支出绩效自评表",
    SheetKind.MONITORING: "绩效运行监控表",
    SheetKind.DEPARTMENT_WHOLE: "部门整体支出绩效目标表",
    SheetKind.FRAMEWORK: "绩效评价指标体系",
}

# -- the indicator table's columns ----------------------------------------------------------------


class Role(Enum):
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    NAME = "name"
    TARGET = "target"  # the value, or the whole target (≥90%)
    OP = "op"  # 指标性质 / 计算符号 / 指标方向 / 指标值类型: an operator, 定性, or 正向/反向
    UNIT = "unit"
    WEIGHT = "weight"  # 分值 / 权重: the indicator's points
    ACTUAL = "actual"  # 实际完成值 (self-evaluation, monitoring)
    EXPECTED = "expected"  # 全年预计完成值 (monitoring)
    SCORE = "score"  # 得分
    NOTE = "note"  # 指标解释, 备注, 绩效标准, 偏差原因分析 …
    REGION = "region"  # one value column per place or village


class Set(Enum):
    """Which target a value column belongs to, when a form prints several side by side."""

    ANNUAL = "annual"
    LONG = "long"  # 长期 / 中期 / 实施周期
    HALF = "half"  # 半年


COLUMN_ROLES: dict[str, Role] = {
    "一级指标": Role.LEVEL1,
    "一级": Role.LEVEL1,
    "二级指标": Role.LEVEL2,
    "二级": Role.LEVEL2,
    "三级指标": Role.NAME,
    "三级": Role.NAME,
    "指标名称": Role.NAME,
    "三级指标名称": Role.NAME,
    "绩效指标名称": Role.NAME,
    "指标内容": Role.NAME,
    "具体指标": Role.NAME,
    "明细指标": Role.NAME,
    "指标明细": Role.NAME,
    "指标值": Role.TARGET,
    "年度指标值": Role.TARGET,
    "项目指标值": Role.TARGET,
    "年度(/项目)指标值": Role.TARGET,
    "年度(项目)指标值": Role.TARGET,
    "年度/项目指标值": Role.TARGET,
    "目标值": Role.TARGET,
    "年度目标值": Role.TARGET,
    "年度数值": Role.TARGET,
    "指标目标值": Role.TARGET,
    "绩效目标值": Role.TARGET,
    "年度绩效目标值": Role.TARGET,
    "年度计划值": Role.TARGET,
    "计划指标值": Role.TARGET,
    "预期实现值": Role.TARGET,
    "当年预期实现值": Role.TARGET,
    "年度预期实现值": Role.TARGET,
    "指标值(包含数字及文字描述)": Role.TARGET,
    "指标值(或计划水平)": Role.TARGET,
    "计划指标值(或计划水平)": Role.TARGET,
    "年度指标值(A)": Role.TARGET,
    "预期目标值": Role.TARGET,
    "预期目标": Role.TARGET,
    "预期值": Role.TARGET,
    "计划值": Role.TARGET,
    "计划完成值": Role.TARGET,
    "年度预期目标": Role.TARGET,
    "年度预期目标值": Role.TARGET,
    "指标目标": Role.TARGET,
    "标准值": Role.TARGET,
    "指标性质": Role.OP,
    "计算符号": Role.OP,
    "指标方向": Role.OP,
    "指标值类型": Role.OP,
    "符号": Role.OP,
    "运算符号": Role.OP,
    "度量单位": Role.UNIT,
    "计量单位": Role.UNIT,
    "单位": Role.UNIT,
    "分值": Role.WEIGHT,
    "权重": Role.WEIGHT,
    "指标分值": Role.WEIGHT,
    "指标权重": Role.WEIGHT,
    "权重(%)": Role.WEIGHT,
    "完成值": Role.ACTUAL,
    "实际完成值": Role.ACTUAL,
    "实际值": Role.ACTUAL,
    "全年实际值": Role.ACTUAL,
    "全年实际值(B)": Role.ACTUAL,
    "全年完成值": Role.ACTUAL,
    "年度实际完成值": Role.ACTUAL,
    "全年实际完成值": Role.ACTUAL,
    "实际完成情况": Role.ACTUAL,
    "1-6月执行情况": Role.ACTUAL,
    "1-6月完成情况": Role.ACTUAL,
    "1-6月实际完成值": Role.ACTUAL,
    "上半年完成情况": Role.ACTUAL,
    "截至6月底完成情况": Role.ACTUAL,
    "1-8月执行情况": Role.ACTUAL,
    "1-9月执行情况": Role.ACTUAL,
    "全年预计完成值": Role.EXPECTED,
    "全年预计完成情况": Role.EXPECTED,
    "得分": Role.SCORE,
    "自评得分": Role.SCORE,
    "指标解释": Role.NOTE,
    "指标说明": Role.NOTE,
    "指标值说明": Role.NOTE,
    "指标值内容": Role.NOTE,
    "备注": Role.NOTE,
    "绩效标准": Role.NOTE,
    "计划标准": Role.NOTE,  # a column's header in some templates, and the word many rows of 绩效标准 hold
    "评分标准": Role.NOTE,
    "评(扣)分标准": Role.NOTE,
    "偏差原因分析及改进措施": Role.NOTE,
    "未完成原因分析": Role.NOTE,
    "偏差原因分析": Role.NOTE,
    "原因分析": Role.NOTE,
    "完成情况说明": Role.NOTE,
    "是否核心指标": Role.NOTE,
    "指标来源": Role.NOTE,
    "偏差原因": Role.NOTE,
    "改进措施": Role.NOTE,
    "纠偏措施": Role.NOTE,
}
# The columns of a monitoring sheet, however many months they cover: 1-6月执行情况, 截至9月底完成值.
COLUMN_PATTERNS: tuple[tuple[re.Pattern[str], Role], ...] = (
    (
        re.compile(
            r"^(?:1|一)[-~至到—](?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末)?(?:累计)?(?:实际)?(?:完成|执行)"
        ),
        Role.ACTUAL,
    ),
    (
        re.compile(r"^截[至止](?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末)?(?:累计)?(?:实际)?(?:完成|执行)"),
        Role.ACTUAL,
    ),
    (re.compile(r"^(?:上半年|前三季度|[一二三]季度)(?:累计)?(?:实际)?(?:完成|执行)"), Role.ACTUAL),
    (re.compile(r"^全年预计(?:完成|实现)"), Role.EXPECTED),
)
# "指标值(长期)", "三级指标(年度)", "中期指标值": the set a value column belongs to, by its qualifier.
COLUMN_SETS: tuple[tuple[re.Pattern[str], Set], ...] = (
    (re.compile(r"[(](?:长期|中期|实施期|项目期|实施周期)[)]$|^(?:长期|中期|实施期|实施周期|项目期)"), Set.LONG),
    (re.compile(r"[(](?:半年|上半年)[)]$|^(?:半年|上半年)"), Set.HALF),
    (re.compile(r"[(](?:年度|当年|本年)[)]$"), Set.ANNUAL),
)
# A column header that starts the indicator table (the table's first header row holds one of these).
TABLE_START_ROLES = frozenset({Role.LEVEL1, Role.LEVEL2, Role.NAME})
# The merged cell spanning the whole indicator table, or written before its header row.
TABLE_LABELS = frozenset({"绩效指标", "项目绩效指标", "绩效项目指标表", "年度绩效指标", "年度绩效目标", "绩效指标表"})
TABLE_LABEL_PATTERN = re.compile(r"^(?:年度)?绩效(?:目标|指标)[(].*[)]$")  # 绩效指标(90分), 年度绩效目标(90分)

# -- flat tables (one indicator a row, as budget systems export them) ------------------------------

# A flat table's column header (compact, brackets and "其中" aside) → the field it holds.
FLAT_COLUMNS: dict[str, str] = {
    "项目名称": "name",
    "项目性质": "nature",
    "项目类别": "category",
    "项目类型": "category",
    "主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "unit",
    "项目实施单位": "unit",
    "计划开始日期": "start",
    "项目开始日期": "start",
    "开始日期": "start",
    "计划完成日期": "end",
    "项目完成日期": "end",
    "计划结束日期": "end",
    "完成日期": "end",
    "结束日期": "end",
    "项目资金总额": "project_total",
    "财政资金": "project_fiscal",
    "项目财政资金": "project_fiscal",
    "项目其他资金": "project_other",
    "年度资金申请总额": "annual_total",
    "年度资金总额": "annual_total",
    "当年财政拨款": "annual_appropriation",
    "上年结转资金": "annual_carryover",
    "其他资金": "annual_other",
    "年度其他资金": "annual_other",
    "项目总目标": "project_goal",
    "项目总体目标": "project_goal",
    "年度总体目标": "annual_goal",
    "年度绩效目标": "annual_goal",
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "indicator",
    "指标名称": "indicator",
    "年度项目指标值": "target",
    "年度指标值": "target",
    "项目指标值": "target",
    "指标值": "target",
    "目标值": "target",
    "计量单位": "target_unit",
    "年度": "year",
    "预算年度": "year",
}


# -- what is not data -----------------------------------------------------------------------------

# Cells that end the indicator table: the form's footer, the next block, a web page's furniture.
TABLE_ENDERS = re.compile(
    r"^(?:其他需(?:要)?说明的(?:问题|事项)|其他说明(?:的问题)?|合计|总分|小计|评价结论|存在问题|改进措施"
    r"|(?:项目|财务|单位)?负责人|填表人|经办人|审核人|联系电话|(?:财政部门|主管部门|单位|部门)?审核意见"
    r"|附件|扫一扫|\[下载\]|\[打印\]|\[关闭\]|内容保障|主办|承办|网站标识码|ICP备|来源|发布时间|浏览次数|打印本页"
    r"|关闭窗口|分享到|单位领导审签|项目自评总分)"
)
# Page furniture anywhere: read past, never data.
FURNITURE = re.compile(
    r"^(?:附件\d*[:：]?|扫一扫在手机打开当前页|\[下载\]|\[打印\]|\[关闭\]|字号[:：]?|字体[:：]?.*|作者[:：]?|浏览量[:：]?.*"
    r"|浏览次数[:：]?.*|信息来源[:：].*|发布时间[:：].*|来源[:：].*|打印本页|关闭窗口|!\[\]\(.*\)|<image>.*|logo"
    r"|第\d+页(?:/共\d+页)?|共\d+页|-\s*\d+\s*-)$"
)
# A score or hint in a cell of its own, under a level label: (40-50)分, (必填).
HINT_CELL = re.compile(r"^[(](?:[\d.]+\s*[-~～至]\s*[\d.]+\s*分?|[\d.]+\s*分|必填|选填)[)]\s*分?$")
# A template's empty row, or its numbering: 指标1, 指标2, ……
PLACEHOLDER_NAME = re.compile(r"^(?:指标\s*\d+|……|…|\.{3,}|—+|-+|/)$")
# The template numbering written before a real name: "指标1工程资金金额" → "工程资金金额".
NAME_NUMBERING = re.compile(r"^指标\s*\d+\s*[:：.、]?(?=\S)")

# Operators as an OP column writes them, and what a "定性" (qualitative) or direction cell says.
OP_WORDS: dict[str, str | None] = {
    "=": "=",
    "＝": "=",
    "≥": ">=",
    "≧": ">=",
    ">=": ">=",
    "≤": "<=",
    "≦": "<=",
    "<=": "<=",
    ">": ">",
    "<": "<",
    "大于等于": ">=",
    "小于等于": "<=",
    "等于": "=",
    "大于": ">",
    "小于": "<",
    "定性": None,
    "定量": None,
}
DIRECTION_WORDS = frozenset({"正向", "反向", "正向指标", "反向指标", "中性"})

__all__ = [
    "COLUMN_PATTERNS",
    "COLUMN_ROLES",
    "COLUMN_SETS",
    "DIRECTION_WORDS",
    "FIELD_LABELS",
    "FLAT_COLUMNS",
    "FUNDS_ALL_FISCAL",
    "FUNDS_BLOCK_LABELS",
    "FUNDS_COLUMNS",
    "FUNDS_LABELS",
    "FUNDS_PATTERNS",
    "FURNITURE",
    "HINT_CELL",
    "KIND_NAMES",
    "MONEY_UNITS",
    "MONEY_UNIT_CELL",
    "MONEY_UNIT_NOTE",
    "NAME_NUMBERING",
    "OP_WORDS",
    "PLACEHOLDER_NAME",
    "TABLE_ENDERS",
    "TABLE_LABELS",
    "TABLE_LABEL_PATTERN",
    "TABLE_START_ROLES",
    "TITLES",
    "TITLE_MAX_CHARS",
    "Field",
    "Money",
    "Role",
    "Scope",
    "Set",
    "SheetKind",
]


_PHONE = re.compile(r"[（(]?\s*(?:电话|手机|联系电话|Tel)?[:：]?\s*[\d\-－—+ ]{7,}[)）]?")


def person_name(text: str | None) -> str | None:
    """The person of a 项目负责人 cell without a phone number: "张三 13812345678" -> "张三"."""
    if not text:
        return None
    name = _PHONE.sub(" ", text).strip(" ,，;；/、:：|")
    name = re.sub(r"\s+", " ", name)
    return name or None
