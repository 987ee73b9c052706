<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../perftrack/ui/about.py" line="+59"/>
        <source>关于 perftrack</source>
        <translation>About perftrack</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>项目支出绩效目标跟踪与年度自评</source>
        <translation>Tracking project expenditure performance targets and the year-end self-evaluation</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>打开数据文件夹</source>
        <translation>Open Data Folder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>复制以上信息</source>
        <translation>Copy This Information</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当前数据库</source>
        <translation>Current database</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>日志文件</source>
        <translation>Log file</translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <location filename="../../perftrack/ui/backups.py" line="+118"/>
        <source>备份数据库…</source>
        <translation>Back Up Database…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自动备份…</source>
        <translation>Automatic Backups…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>团队数据库由服务器管理员备份（pg_dump）</source>
        <translation>A team database is backed up by the server&apos;s administrator (pg_dump)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>把数据库完整复制一份（程序正在使用时也完整），存为所选文件</source>
        <translation>Save a whole copy of the database (whole even while it is in use) as the chosen file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>升级数据库前和每天第一次使用时自动备份；设定保留最新几份</source>
        <translation>Backups are made before a database upgrade and on the first use each day; choose how many of the newest to keep</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>perftrack-备份-%1.db</source>
        <translation>perftrack-backup-%1.db</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>备份数据库</source>
        <translation>Back Up Database</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数据库备份 (*.db)</source>
        <translation>Database backups (*.db)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>未能备份</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已备份到 %1</source>
        <translation>Backed up to %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+13"/>
        <source>自动备份</source>
        <translation>Automatic Backups</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>升级数据库前和每天第一次使用时，自动备份到数据库旁的“-backups”文件夹。
保留最新几份（0：不做每日备份）：</source>
        <translation>Before a database upgrade and on the first use each day, a backup is made in the &quot;-backups&quot; folder beside the database.
Keep the newest (0: no daily backups):</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>自动备份保留最新 %1 份</source>
        <translation>Keeping the newest %1 automatic backups</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <location line="-144"/>
        <source>数据库备份 (*.db);;所有文件 (*)</source>
        <translation>Database backups (*.db);;All files (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>数据库已损坏</source>
        <translation>Database damaged</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>可以选一个备份文件替换它；损坏的文件会原样另存在备份文件夹中，不会丢失。恢复前请先关闭其他正在使用这个数据库的 perftrack 窗口和命令。</source>
        <translation>You can choose a backup to put in its place; the damaged file is kept as it is in the backups folder, not lost. Close every other perftrack window and command using this database first.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>最近的自动备份：%1</source>
        <translation>Newest automatic backup: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>从备份恢复…</source>
        <translation>Restore from Backup…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>选择用来恢复的备份文件</source>
        <translation>Choose the backup to restore from</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>未能恢复</source>
        <translation>Restore failed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已用 %1 恢复数据库 %2。
损坏的文件原样另存为 %3。</source>
        <translation>Database %2 restored from %1.
The damaged file was kept as it was, as %3.</translation>
    </message>
</context>
<context>
    <name>BudgetTableModel</name>
    <message>
        <location filename="../../perftrack/ui/budget_table.py" line="+61"/>
        <source>年初预算数</source>
        <translation>Initial budget</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全年预算数</source>
        <translation>Full-year budget</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1执行</source>
        <translation>%1 spent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全年执行数</source>
        <translation>Spent in year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>执行率</source>
        <translation>Exec. rate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>得分（10分）</source>
        <translation>Score (of 10)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>该资金来源的全年执行数（自评表“其中”行）；各来源合计应等于全年执行数</source>
        <translation>This funding source&apos;s full-year spending (the “of which” rows of the self-evaluation); the sources should add up to the full-year spending</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>金额（%1）</source>
        <translation>Amount (%1)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>万元</source>
        <translation>10,000 yuan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其中：%1</source>
        <translation>of which: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>当年财政拨款</source>
        <translation>this year&apos;s appropriation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上年结转资金</source>
        <translation>carried over from last year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他资金</source>
        <translation>other funds</translation>
    </message>
</context>
<context>
    <name>CheckDialog</name>
    <message>
        <location filename="../../perftrack/ui/check_panel.py" line="+64"/>
        <source>审核申报表</source>
        <translation>Review Declarations</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>共 {0} 个项目、{1} 个指标：错误 {2} 个，警告 {3} 个，提示 {4} 个</source>
        <translation>{0} projects, {1} indicators: {2} errors, {3} warnings, {4} notes</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <location filename="../../perftrack/ui/conflicts.py" line="+23"/>
        <source>• %1：已被 %2 改为“%3”（您看到的是“%4”，您填写的是“%5”）</source>
        <translation>• %1: changed by %2 to “%3” (you saw “%4”, you typed “%5”)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>……另有 %1 处</source>
        <translation>… and %1 more</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>数据已被他人修改</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>您填写的 %1 处数值在您看到之后已被他人修改，页面已更新为最新的值。</source>
        <translation>%1 of the values you typed were changed by someone else after you saw them; the page now shows the latest values.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>要用您填写的值覆盖吗？</source>
        <translation>Write your values over theirs?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保留对方的值</source>
        <translation>Keep their values</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>用我的值覆盖</source>
        <translation>Write mine over theirs</translation>
    </message>
</context>
<context>
    <name>DashboardWidget</name>
    <message>
        <location filename="../../perftrack/ui/dashboard.py" line="+201"/>
        <source>本项目</source>
        <translation>This Project</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当前项目的指标完成率、各期进度与预算执行</source>
        <translation>Attainment, progress by period and budget execution of the current project</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本单位全部项目</source>
        <translation>All Projects of the Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同一年度、同一实施单位各项目的自评得分与等级</source>
        <translation>Self-evaluation scores and grades of every project of the same unit and year</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+191"/>
        <location line="+10"/>
        <source>保存图表</source>
        <translation>Save Chart</translation>
    </message>
    <message>
        <location line="-197"/>
        <source>一季度</source>
        <translation>Q1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>二季度</source>
        <translation>Q2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>三季度</source>
        <translation>Q3</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>四季度</source>
        <translation>Q4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1月</source>
        <translation>M%1</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>全年</source>
        <translation>Full year</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>指标完成率</source>
        <translation>Indicator attainment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>指标完成率（截至{period}末，状态按序时进度）</source>
        <translation>Completion (to the end of {period}; status against time elapsed)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完成率（%）</source>
        <translation>Attainment (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>指标值 100%</source>
        <translation>Target (100%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（定性）</source>
        <translation>(qualitative)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各期指标进度（对照序时进度）</source>
        <translation>Progress by period (against time elapsed)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>指标个数</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>序时{share}%</source>
        <translation>Time elapsed {share}%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预算执行率 {rate}（得分 {score}/{points}）</source>
        <translation>Budget execution {rate} (score {score} of {points})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>累计执行率 {rate}（截至{period}末，序时进度 {elapsed}%）</source>
        <translation>Spent {rate} by the end of {period} ({elapsed}% of the year gone)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>万元</source>
        <translation>10,000 yuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>累计执行数</source>
        <translation>Spent to date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全年预算数</source>
        <translation>Full-year budget</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>序时进度</source>
        <translation>Time elapsed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚未填报执行数</source>
        <translation>No spending recorded yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各项目自评得分</source>
        <translation>Self-evaluation score by project</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>总分</source>
        <translation>Total score</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>在左侧选择一个项目</source>
        <translation>Choose a project on the left</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1年度 年终自评</source>
        <translation>Year-end self-evaluation %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>运行监控：截至%1年%2末（非年终自评）</source>
        <translation>Progress monitoring to the end of %2 %1 (not the year-end self-evaluation)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1年 · %2（%3 个项目）</source>
        <translation>%1 · %2 (%3 projects)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未填单位</source>
        <translation>Unit not given</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>各项目得分（年中为试算）</source>
        <translation>Each project&apos;s score (mid-year: trial)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1（PNG）…</source>
        <translation>%1 (PNG)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1（SVG）…</source>
        <translation>%1 (SVG)…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>无法写入 %1：%2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../perftrack/ui/detail_pane.py" line="+89"/>
        <source>说明与证明</source>
        <translation>Notes &amp;&amp; Evidence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏差分析</source>
        <translation>Variance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定性评价</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（未评价）</source>
        <translation>(not assessed)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>评价</source>
        <translation>Record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把所选评价等级和得分比例记为该期间的完成值</source>
        <translation>Record the chosen tier and share of the points as this period&apos;s actual</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>得分比例，须在所选等级的区间内</source>
        <translation>Share of the points, within the chosen tier&apos;s band</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完成情况说明（离开输入框即保存）</source>
        <translation>Progress note (saved when you leave the box)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证明材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>偏差原因分析</source>
        <translation>Reason for variance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>改进措施</source>
        <translation>Improvement measures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠偏措施（运行监控）</source>
        <translation>Corrective action (monitoring)</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>在表格中选择一个指标</source>
        <translation>Choose an indicator in the table</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;年度指标值：%2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Annual target: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>该指标得满分，无需偏差说明。</source>
        <translation>Full points: no variance analysis needed.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>请先填写该期间的完成值或说明，再添加证明材料</source>
        <translation>Record this period&apos;s actual or a note before adding evidence</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>已保存说明</source>
        <translation>Note saved</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>添加证明材料</source>
        <translation>Add Evidence</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>已添加 %n 个证明材料</source>
        <translation>
            <numerusform>Added %n evidence file</numerusform>
            <numerusform>Added %n evidence files</numerusform>
        </translation>
    </message>
    <message>
        <location line="+30"/>
        <source>已移除证明材料（文件移入 .removed 文件夹）</source>
        <translation>Evidence removed (the file was moved to the .removed folder)</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message numerus="yes">
        <location filename="../../perftrack/ui/undo.py" line="+87"/>
        <source>编辑 %n 个单元格</source>
        <translation>
            <numerusform>Edit %n cell</numerusform>
            <numerusform>Edit %n cells</numerusform>
        </translation>
    </message>
    <message>
        <location line="+32"/>
        <source>未撤销或重做：</source>
        <translation>Not undone or redone: </translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <location filename="../../perftrack/ui/export_actions.py" line="+56"/>
        <source>导出汇总表…</source>
        <translation>Export summary…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只导出汇总表和汇总图表（每个项目一行），不含各项目的自评表和监控表</source>
        <translation>Export only the summary sheet and its charts (one line per project), without each project&apos;s self-evaluation and monitoring sheets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按实施单位导出…</source>
        <translation>Export by implementing unit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每个实施单位导出一个工作簿，以单位名称命名，写入所选文件夹</source>
        <translation>Write one workbook per implementing unit, named after the unit, into the chosen folder</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>导出汇总表</source>
        <translation>Export summary</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>汇总表.xlsx</source>
        <translation>summary.xlsx</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>按实施单位导出：选择文件夹</source>
        <translation>Export by implementing unit: choose a folder</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+3"/>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>无法写入 %1：%2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已按实施单位导出 %1 个工作簿（%2 个项目）到 %3</source>
        <translation>Exported %1 workbooks (%2 projects) by implementing unit to %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已取消：%1 个实施单位中只导出了 %2 个，其余未写入</source>
        <translation>Cancelled: only %2 of %1 implementing units were exported; the others were not written</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>
……另有 %1 个</source>
        <translation>
… and %1 more</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>按实施单位导出</source>
        <translation>Export by implementing unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1。已写入 %2 的工作簿：</source>
        <translation>%1. Workbooks written to %2:</translation>
    </message>
</context>
<context>
    <name>ExportScope</name>
    <message>
        <location filename="../../perftrack/ui/export_scope.py" line="+19"/>
        <source>导出自评工作簿</source>
        <translation>Export Self-Evaluation Workbook</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>筛选条件下显示 %1 个项目（共 %2 个）。导出哪些项目？</source>
        <translation>The filter shows %1 projects (of %2). Which projects should be exported?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>筛选出的项目</source>
        <translation>Filtered projects</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部项目</source>
        <translation>All projects</translation>
    </message>
</context>
<context>
    <name>GoalAchievedDialog</name>
    <message>
        <location filename="../../perftrack/ui/goal_dialog.py" line="+33"/>
        <source>年度总体目标实际完成情况</source>
        <translation>Annual goal: what was achieved</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度总体目标：%1</source>
        <translation>Annual goal: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>自评表“实际完成情况”一栏印这里填写的文字；不填则印按数据生成的文字（框中灰字）。</source>
        <translation>The self-evaluation sheet prints this text under “实际完成情况” (what was achieved); left empty, it prints the text generated from the figures (shown in grey).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用生成的文字</source>
        <translation>Use generated text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清空，自评表改印按数据生成的文字</source>
        <translation>Clear the text; the sheet then prints the text generated from the figures</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 / %2 字</source>
        <translation>%1 / %2 characters</translation>
    </message>
</context>
<context>
    <name>ImportNotes</name>
    <message>
        <location filename="../../perftrack/ui/import_notes.py" line="+91"/>
        <source>照新表单修改</source>
        <translation>Apply the New Form</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>新表单会删去或停用指标、改动已有填报的指标值或清除项目信息，共 %1 处（见详细信息）。照新表单修改吗？</source>
        <translation>The new form would delete or retire indicators, change targets that have recorded values or clear project fields: %1 changes (see the details). Apply the new form?</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>导入提示</source>
        <translation>Import Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>共 %1 条提示，每条前是文件和行（或单元格）：</source>
        <translation>%1 notes, each after its file and line (or cell):</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>导入完成，请留意：</source>
        <translation>Imported. Please note:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（另有 %1 条提示）</source>
        <translation>(and %1 more)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>照新表单修改…</source>
        <translation>Apply the New Form…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>详情…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>知道了</source>
        <translation>Got It</translation>
    </message>
</context>
<context>
    <name>IndicatorTableModel</name>
    <message>
        <location filename="../../perftrack/ui/indicator_table.py" line="+74"/>
        <source>一级指标</source>
        <translation>Level 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>二级指标</source>
        <translation>Level 2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>三级指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度指标值</source>
        <translation>Target</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全年完成值</source>
        <translation>Year-end</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>累计完成</source>
        <translation>YTD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完成率</source>
        <translation>Achieved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分值</source>
        <translation>Points</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏差原因分析</source>
        <translation>Variance reason</translation>
    </message>
    <message>
        <location line="+234"/>
        <source>填写“%1” %2</source>
        <translation>Enter “%1”, %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>第%1行“%2”列不可编辑</source>
        <translation>Row %1: the “%2” column cannot be edited</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>粘贴 %n 个单元格</source>
        <translation>
            <numerusform>Paste %n cell</numerusform>
            <numerusform>Paste %n cells</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LongWork</name>
    <message>
        <location filename="../../perftrack/ui/long_work.py" line="+40"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>导入申报表</source>
        <translation>Import Declarations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在读取申报表…</source>
        <translation>Reading declarations…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在读取 %1（%2 / %3）</source>
        <translation>Reading %1 (%2 of %3)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在写入数据库…</source>
        <translation>Writing to the database…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>导出自评工作簿</source>
        <translation>Export Self-Evaluation Workbook</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>正在写入 %1…</source>
        <translation>Writing %1…</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>计算得分</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>正在导出 %1（%2 / %3 个项目）</source>
        <translation>Exporting %1 (%2 / %3 projects)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>按实施单位导出工作簿</source>
        <translation>Export workbooks by implementing unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在导出到 %1（%2 / %3 个项目）</source>
        <translation>Exporting to %1 (%2 / %3 projects)</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>生成 PDF 报告</source>
        <translation>Generate PDF report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在生成报告…</source>
        <translation>Generating the report…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在生成报告（%1 / %2）</source>
        <translation>Generating the report (%1 / %2)</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../perftrack/ui/actions.py" line="+158"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>金额单位</source>
        <translation>Money unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评分规则</source>
        <translation>Scoring rules</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>全国通用（2020年办法）：预算执行10分，产出/效益/满意度 50:30:10，优/良/中/差</source>
        <translation>National (2020 rules): budget execution 10 points, output/benefit/satisfaction 50:30:10, grades excellent/good/fair/poor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上海：同全国通用，等级为 优/良/合格/不合格</source>
        <translation>Shanghai: as the national rules, grades excellent/good/pass/fail</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>预算执行分值、各组权重、等级及其名称；本数据库的所有用户共用此设置</source>
        <translation>Budget execution points, group weights, grades and their words; every user of this database shares the setting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>万元</source>
        <translation>10,000 yuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>窗口、工作簿和 PDF 报告中的金额按此单位显示（数据库中按元保存，本数据库的所有用户共用此设置）</source>
        <translation>Amounts in the window, the workbook and the PDF report are shown in this unit (they stay stored in yuan; every user of this database shares the setting)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建数据库…</source>
        <translation>New Database…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>新建一个空的数据库文件并打开它</source>
        <translation>Create an empty database file and open it</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开数据库…</source>
        <translation>Open Database…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>打开另一个数据库文件</source>
        <translation>Open another database file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入申报表…</source>
        <translation>Import Declarations…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>从文本、Excel 或 Word 文件导入绩效目标申报表</source>
        <translation>Import performance target declarations from text, Excel or Word files</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核申报表…</source>
        <translation>Review Declarations…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>像财政部门一样审核申报表文件，不导入</source>
        <translation>Review declaration files as the finance bureau would, without importing them</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>导出自评工作簿…</source>
        <translation>Export Self-Evaluation Workbook…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把所有项目的自评表和监控表写入一个 Excel 工作簿</source>
        <translation>Write every project&apos;s self-evaluation and monitoring sheets to one Excel workbook</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导入申报表</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出工作簿</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>撤销 %1</source>
        <translation>Undo %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>重做 %1</source>
        <translation>Redo %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../perftrack/ui/main_window.py" line="+211"/>
        <source>找不到该语言的翻译文件，界面语言未改变。</source>
        <translation>The translation file for this language is missing; the language was not changed.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>评分规则改为：%1</source>
        <translation>Scoring rules are now: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>金额改按 %1 显示</source>
        <translation>Amounts are now shown in %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>perftrack — 项目支出绩效跟踪</source>
        <translation>perftrack — Project Expenditure Performance Tracking</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+37"/>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>载入示例</source>
        <translation>Load Sample</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>找不到示例申报表文件。</source>
        <translation>The sample declaration files cannot be found.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>新建数据库</source>
        <translation>New Database</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数据库 (*.db)</source>
        <translation>Databases (*.db)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>打开数据库</source>
        <translation>Open Database</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数据库 (*.db);;所有文件 (*)</source>
        <translation>Databases (*.db);;All files (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>申报表 (*.pdf *.txt *.xlsx *.docx);;所有文件 (*)</source>
        <translation>Declarations (*.pdf *.txt *.xlsx *.docx);;All Files (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>导入申报表</source>
        <translation>Import Declarations</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>审核申报表</source>
        <translation>Review Declarations</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已取消导入，未写入任何内容</source>
        <translation>Import cancelled; nothing was written.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>没有读到任何申报表。</source>
        <translation>No declaration form was found.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 未能导入（未写入任何内容）：
%2</source>
        <translation>%1 could not be imported (nothing was written):
%2</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>已导入 %n 个项目：新建 %1，更新 %2，未变 %3</source>
        <translation>
            <numerusform>Imported %n project: %1 new, %2 updated, %3 unchanged</numerusform>
            <numerusform>Imported %n projects: %1 new, %2 updated, %3 unchanged</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已照新表单修改 %1 个项目</source>
        <translation>Applied the new form to %1 projects</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导出自评工作簿</source>
        <translation>Export Self-Evaluation Workbook</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>自评表.xlsx</source>
        <translation>self-evaluation.xlsx</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+3"/>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>无法写入 %1：%2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已取消导出，未写入文件</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
</context>
<context>
    <name>MonitorBox</name>
    <message>
        <location filename="../../perftrack/ui/monitor_box.py" line="+88"/>
        <source>运行监控</source>
        <translation>Monitoring</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全年预计完成值</source>
        <translation>Expected by year end</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完成可能性</source>
        <translation>Chance of reaching it</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏差原因类型</source>
        <translation>Cause of deviation</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>确定能</source>
        <translation>Certain</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>有可能</source>
        <translation>Possible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完全不可能</source>
        <translation>Impossible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经费保障</source>
        <translation>Funding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>制度保障</source>
        <translation>Rules</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人员保障</source>
        <translation>Staffing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>硬件条件保障</source>
        <translation>Facilities</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>定性指标没有数值形式的预计完成值</source>
        <translation>A qualitative indicator has no expected number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年底预计达到的数值，单位同年度指标值（%1）</source>
        <translation>The value expected by year end, in the target&apos;s unit (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年底预计达到的数值</source>
        <translation>The value expected by year end</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>填写全年预计完成值</source>
        <translation>Set expected year-end value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择完成可能性</source>
        <translation>Set chance of reaching target</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择偏差原因类型</source>
        <translation>Set cause of deviation</translation>
    </message>
</context>
<context>
    <name>NavigatorModel</name>
    <message>
        <location filename="../../perftrack/ui/navigator.py" line="+88"/>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>等级</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>%1年</source>
        <translation>%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（未填单位）</source>
        <translation>(no unit given)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>尚未填报任何完成值或预算执行数，暂不评分</source>
        <translation>Not scored yet: no actual value or spending has been recorded</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 个指标偏离目标</source>
        <translation>Indicators off track: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 个指标待说明偏差</source>
        <translation>Indicators needing a variance note: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 个指标未填报</source>
        <translation>Indicators not reported: %1</translation>
    </message>
</context>
<context>
    <name>NavigatorPanel</name>
    <message>
        <location filename="../../perftrack/ui/navigator_panel.py" line="+124"/>
        <source>筛选：项目或指标名称</source>
        <translation>Filter: project or indicator name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏离目标</source>
        <translation>Off track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待说明偏差</source>
        <translation>Needs note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未填报</source>
        <translation>Not reported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只显示有指标偏离目标的项目</source>
        <translation>Show only projects with an indicator off track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只显示有指标失分或超额完成、尚未写偏差原因的项目</source>
        <translation>Show only projects with an indicator that lost points or over-achieved and has no reason for variance yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只显示有指标尚未填报完成值的项目</source>
        <translation>Show only projects with an indicator that has no actual value yet</translation>
    </message>
    <message numerus="yes">
        <location line="+57"/>
        <source>共 %n 个项目</source>
        <translation>
            <numerusform>%n project</numerusform>
            <numerusform>%n projects</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>显示 %1 个项目，共 %2 个</source>
        <translation>Showing %1 of %2 projects</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>，%n 个待提交</source>
        <translation>
            <numerusform>, %n due</numerusform>
            <numerusform>, %n due</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProblemModel</name>
    <message>
        <location filename="../../perftrack/ui/check_panel.py" line="-43"/>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警告</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>级别</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <location filename="../../perftrack/ui/project_page.py" line="+176"/>
        <source>在左侧选择一个项目</source>
        <translation>Choose a project on the left</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>总分 &lt;b&gt;%1&lt;/b&gt;&#x3000;等级 &lt;b&gt;%2&lt;/b&gt;&#x3000;%3</source>
        <translation>Total &lt;b&gt;%1&lt;/b&gt;&#x2003;Grade &lt;b&gt;%2&lt;/b&gt;&#x2003;%3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>总分 &lt;b&gt;%1&lt;/b&gt;&#x3000;%2</source>
        <translation>Total &lt;b&gt;%1&lt;/b&gt;&#x2003;%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚未填报任何完成值或预算执行数，暂不评分</source>
        <translation>Not scored yet: no actual value or spending has been recorded</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 至 %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>实施单位：%1&#x3000;主管部门：%2&#x3000;计划日期：%3&#x3000;%4&#x3000;填报周期：%5</source>
        <translation>Unit: %1&#x2003;Department: %2&#x2003;Planned: %3&#x2003;%4&#x2003;Reporting: %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&#x3000;负责人：%1</source>
        <translation>  Manager: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>年度总体目标：%1</source>
        <translation>Annual goal: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>实际完成情况 ✓…</source>
        <translation>Achieved ✓…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>实际完成情况…</source>
        <translation>Achieved…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>单位填写的实际完成情况：%1</source>
        <translation>What was achieved, as written by the unit: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未填写；自评表印按数据生成的文字：%1</source>
        <translation>Not written; the sheet prints the text generated from the figures: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>他人已将实际完成情况改为：%1
再按一次保存将以您的文字为准。</source>
        <translation>Someone else changed what was achieved to: %1
Press Save again to keep your text instead.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已保存实际完成情况</source>
        <translation>Saved what was achieved</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已清除实际完成情况，改用生成的文字</source>
        <translation>Cleared what was achieved; the generated text is used</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>隐藏详情 ▸</source>
        <translation>Hide details ▸</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>◂ 显示详情</source>
        <translation>◂ Show details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>填写说明、偏差分析与证明材料的面板</source>
        <translation>The panel for notes, deviation analysis and evidence</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>（已保存）</source>
        <translation> (saved)</translation>
    </message>
</context>
<context>
    <name>ReportActions</name>
    <message>
        <location filename="../../perftrack/ui/report_actions.py" line="+70"/>
        <source>打印预览…</source>
        <translation>Print Preview…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出监控报告 PDF…</source>
        <translation>Export Monitoring Report PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监控报告</source>
        <translation>Monitoring Report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把所选项目的运行监控表（截至已填报的最后一期）和图表导出为 PDF</source>
        <translation>Export the chosen projects&apos; monitoring form (to the last period reported) and charts as a PDF</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>请先在左侧选择一个项目。</source>
        <translation>Choose a project on the left first.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>自评表.pdf</source>
        <translation>self-evaluation.pdf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导出监控报告 PDF</source>
        <translation>Export Monitoring Report PDF</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+5"/>
        <source>运行监控表.pdf</source>
        <translation>monitoring.pdf</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../../perftrack/ui/review_panel.py" line="+541"/>
        <source>导入交回的填报</source>
        <translation>Import returned fill-in</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>保留已记录的值</source>
        <translation>Keep the recorded values</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>以填报表为准</source>
        <translation>Take the workbook&apos;s values</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已导入「%1」%2 的填报：%3 个完成值</source>
        <translation>Imported the fill-in of “%1” %2: %3 values</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location line="-487"/>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实施单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏离</source>
        <translation>Off track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待说明</source>
        <translation>Unexplained</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缺漏</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核意见</source>
        <translation>Reviewer&apos;s comment</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 于 %2</source>
        <translation>%1 at %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>未评</source>
        <translation>Unscored</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location line="+122"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实施单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>负责人</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只列出该项目负责人的项目；打开程序时的提醒也只说这些项目</source>
        <translation>List only this manager&apos;s projects; the reminder on opening names only these too</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只看需要我处理的</source>
        <translation>Only what needs my action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开项目</source>
        <translation>Open project</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+144"/>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新打开…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出列表…</source>
        <translation>Export list…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印列表…</source>
        <translation>Print list…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预览并打印列表（可在打印对话框中另存为 PDF）</source>
        <translation>Preview and print the list (the print dialog can also save it as PDF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出填报工作簿…</source>
        <translation>Export fill-in workbooks…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>为列表中的每个项目导出本期的填报工作簿（只开放要填写的单元格），交项目负责人填写</source>
        <translation>Export this period&apos;s fill-in workbook for each project listed (only the cells to fill are open), for the project managers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入交回的填报…</source>
        <translation>Import returned fill-in…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>读入填好的填报工作簿（也可以把文件拖到窗口上）</source>
        <translation>Read filled-in workbooks (you can also drop the files on the window)</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+127"/>
        <source>全年</source>
        <translation>Full year</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>全部负责人</source>
        <translation>All managers</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>审核人</source>
        <translation>reviewer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>填报人</source>
        <translation>manager</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未设定（任何人都可以审核）</source>
        <translation>none set (anyone may review)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您是 %1（%2）；审核人：%3</source>
        <translation>You are %1 (%2); reviewers: %3</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>退回意见：</source>
        <translation>Comment for the return:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>重新打开的理由：</source>
        <translation>Reason for reopening:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>「%1」本期仍有缺漏：
%2

仍要提交吗？</source>
        <translation>“%1” still has gaps this period:
%2

Submit anyway?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>「%1」%2：%3 → %4</source>
        <translation>“%1” %2: %3 → %4</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>把填报工作簿导出到文件夹</source>
        <translation>Export the fill-in workbooks to a folder</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>导出填报工作簿</source>
        <translation>Export fill-in workbooks</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已导出 %1 份填报工作簿到 %2</source>
        <translation>Exported %1 fill-in workbooks to %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导入交回的填报</source>
        <translation>Import returned fill-in</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>需要我处理的</source>
        <translation>needing my action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1年%2审核一览</source>
        <translation>Review list, %2 %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>共 %1 个项目；%2 打印于 %3</source>
        <translation>%1 projects; printed by %2 on %3</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>打印审核一览</source>
        <translation>Print the review list</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>导出审核一览</source>
        <translation>Export review list</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+57"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>已导出审核一览：%1</source>
        <translation>Review list exported: %1</translation>
    </message>
</context>
<context>
    <name>ReviewTab</name>
    <message>
        <location line="+65"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 个项目有已结束而未提交的期间（如「%2」%3），见“审核”标签</source>
        <translation>%1 projects have ended periods not submitted (e.g. “%2” %3); see the Review tab</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>负责人 %1：</source>
        <translation>Manager %1: </translation>
    </message>
</context>
<context>
    <name>SampleBanner</name>
    <message>
        <location filename="../../perftrack/ui/main_window.py" line="-345"/>
        <source>数据库中还没有项目。要载入示例申报表（上海 2024 年 13 个项目）吗？</source>
        <translation>The database holds no project yet. Load the sample declarations (13 Shanghai projects, 2024)?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>载入示例</source>
        <translation>Load Sample</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不用了</source>
        <translation>No, Thanks</translation>
    </message>
</context>
<context>
    <name>SheetView</name>
    <message>
        <location filename="../../perftrack/ui/sheet_view.py" line="+137"/>
        <source>已保存 %1 个单元格；%2</source>
        <translation>Cells saved: %1; %2</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>已粘贴并保存 %n 个单元格</source>
        <translation>
            <numerusform>Pasted and saved %n cell</numerusform>
            <numerusform>Pasted and saved %n cells</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>清除 %n 个单元格</source>
        <translation>
            <numerusform>Clear %n cell</numerusform>
            <numerusform>Clear %n cells</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamRefresh</name>
    <message>
        <location filename="../../perftrack/ui/team_refresh.py" line="+86"/>
        <source>其他用户修改了项目「%1」，页面已更新</source>
        <translation>Another user changed project “%1”; the page has been updated</translation>
    </message>
</context>
<context>
    <name>WindowParts</name>
    <message>
        <location filename="../../perftrack/ui/window_parts.py" line="+50"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于 perftrack…</source>
        <translation>About perftrack…</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../perftrack/ui/app.py" line="+38"/>
        <source>操作未能完成。</source>
        <translation>The operation could not be completed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已保存的数据不受影响。详细信息可复制后发给维护人员。</source>
        <translation>Data already saved is not affected. The details can be copied and sent to whoever maintains perftrack.</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../perftrack/ui/labels.py" line="+20"/>
        <source>正常</source>
        <translation>On track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>有风险</source>
        <translation>At risk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏离目标</source>
        <translation>Off track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未填报</source>
        <translation>Not reported</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>填报中</source>
        <translation>Filling in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已审核</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>优</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>良</source>
        <translation>Good</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中</source>
        <translation>Fair</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>差</source>
        <translation>Poor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合格</source>
        <translation>Pass</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不合格</source>
        <translation>Fail</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>未评</source>
        <translation>Unscored</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>达成年度指标</source>
        <translation>Achieved the annual target</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>部分达成年度指标并具有一定效果</source>
        <translation>Partly achieved, with some effect</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未达成年度指标且效果较差</source>
        <translation>Not achieved, little effect</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>一季度</source>
        <translation>Q1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>二季度</source>
        <translation>Q2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>三季度</source>
        <translation>Q3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>四季度</source>
        <translation>Q4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>第一季度（1–3月）</source>
        <translation>Q1 (Jan–Mar)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第二季度（4–6月）</source>
        <translation>Q2 (Apr–Jun)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第三季度（7–9月）</source>
        <translation>Q3 (Jul–Sep)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第四季度（10–12月）</source>
        <translation>Q4 (Oct–Dec)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+9"/>
        <source>全年</source>
        <translation>Full year</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>按月</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按季度</source>
        <translation>Quarterly</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <location filename="../../perftrack/ui/printing.py" line="+124"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>无法写入 %1：%2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+81"/>
        <location line="+17"/>
        <location line="+7"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>打印机无法开始打印</source>
        <translation>The printer could not start printing</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>打印预览</source>
        <translation>Print Preview</translation>
    </message>
</context>
<context>
    <name>self.dashboard</name>
    <message>
        <location filename="../../perftrack/ui/dashboard.py" line="-323"/>
        <source>保存为 PNG 图片…</source>
        <translation>Save as PNG Image…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存为 SVG 矢量图…</source>
        <translation>Save as SVG Vector Image…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>复制图表</source>
        <translation>Copy Chart</translation>
    </message>
</context>
</TS>
