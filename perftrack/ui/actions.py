"""The main window's actions, menus and tool bar, with their texts in the current language.

The window connects the file commands to its own slots. Other parts hook in here:
``add_file_actions`` puts actions (printing, say) into the File menu above 退出 and optionally
on the tool bar; ``add_help_action`` fills the Help menu, which stays hidden while empty.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from perftrack.domain.numbers import MONEY_UNITS, WAN_YUAN, YUAN
from perftrack.domain.rules import RULE_SETS
from perftrack.ui.formatting import arg
from perftrack.ui.language import LANGUAGE_NAMES, current_language


class MainActions(QObject):
    """Every command of the menu bar and tool bar; ``languageChosen`` carries a language code."""

    languageChosen = Signal(str)
    moneyUnitChosen = Signal(str)
    rulesChosen = Signal(str)  # the key of a registered rule set (domain/rules.py)

    def __init__(self, window: QMainWindow, undo_group: QUndoGroup) -> None:
        super().__init__(window)
        self._window = window
        self._undo_group = undo_group

        def action(shortcut: QKeySequence | str | None = None, slot: Callable[[], object] | None = None) -> QAction:
            act = QAction(window)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            if slot is not None:
                act.triggered.connect(lambda _checked=False: slot())
            return act

        # The window connects the file commands to its own slots.
        self.new_action = action(QKeySequence.StandardKey.New)
        self.open_action = action(QKeySequence.StandardKey.Open)
        self.import_action = action("Ctrl+I")
        self.check_action = action("Ctrl+K")
        self.export_action = action("Ctrl+E")
        self.quit_action = action(QKeySequence.StandardKey.Quit, window.close)
        self.undo_action = action(None, undo_group.undo)
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = action(None, undo_group.redo)
        redo_keys = [QKeySequence("Ctrl+Y"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        # The platform's Redo may already be Ctrl+Y; a duplicate would make the shortcut ambiguous.
        self.redo_action.setShortcuts(list({k.toString(): k for k in redo_keys}.values()))
        undo_group.canUndoChanged.connect(self.undo_action.setEnabled)
        undo_group.canRedoChanged.connect(self.redo_action.setEnabled)
        undo_group.undoTextChanged.connect(lambda _text: self._undo_texts())
        undo_group.redoTextChanged.connect(lambda _text: self._undo_texts())
        self.undo_action.setEnabled(undo_group.canUndo())
        self.redo_action.setEnabled(undo_group.canRedo())

        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            act = QAction(name, window)
            act.setCheckable(True)
            act.setChecked(code == current_language())
            act.triggered.connect(lambda _checked=False, code=code: self.languageChosen.emit(code))
            self.language_group.addAction(act)
            self.language_actions[code] = act

        self.money_group = QActionGroup(self)
        self.money_group.setExclusive(True)
        self.money_actions: dict[str, QAction] = {}
        for unit in MONEY_UNITS:
            act = QAction(window)
            act.setCheckable(True)
            act.setChecked(unit == YUAN)
            act.triggered.connect(lambda _checked=False, unit=unit: self.moneyUnitChosen.emit(unit))
            self.money_group.addAction(act)
            self.money_actions[unit] = act

        self.rules_group = QActionGroup(self)
        self.rules_group.setExclusive(True)
        self.rules_actions: dict[str, QAction] = {}
        for key, rules in RULE_SETS.items():
            act = QAction(rules.title, window)
            act.setCheckable(True)
            act.setChecked(key == next(iter(RULE_SETS)))
            act.triggered.connect(lambda _checked=False, key=key: self.rulesChosen.emit(key))
            self.rules_group.addAction(act)
            self.rules_actions[key] = act

        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        for act in (self.new_action, self.open_action, None, self.import_action, self.check_action):
            self.file_menu.addAction(act) if act is not None else self.file_menu.addSeparator()
        self.file_menu.addAction(self.export_action)
        self._quit_separator = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.settings_menu = bar.addMenu("")
        self.money_menu = self.settings_menu.addMenu("")
        for act in self.money_actions.values():
            self.money_menu.addAction(act)
        self.rules_menu = self.settings_menu.addMenu("")
        for act in self.rules_actions.values():
            self.rules_menu.addAction(act)
        self.language_menu = bar.addMenu("")
        for act in self.language_actions.values():
            self.language_menu.addAction(act)
        self.help_menu: QMenu = bar.addMenu("")
        self.help_menu.menuAction().setVisible(False)

        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(self.toolbar)
        for act in (self.import_action, self.export_action, None, self.undo_action, self.redo_action):
            self.toolbar.addAction(act) if act is not None else self.toolbar.addSeparator()
        self._toolbar_anchor = self.toolbar.actions()[2]  # the separator after export
        self.retranslate()

    def add_file_actions(self, actions: list[QAction], *, toolbar: bool = False, group: bool = False) -> None:
        """Put actions into the File menu above 退出 (and after 导出 on the tool bar); ``group``: set
        apart from the entries above them by a separator."""
        if group:
            self.file_menu.insertSeparator(self._quit_separator)
        for act in actions:
            self.file_menu.insertAction(self._quit_separator, act)
            if toolbar:
                self.toolbar.insertAction(self._toolbar_anchor, act)

    def add_help_action(self, action: QAction) -> None:
        """Add an entry to the Help menu (which shows itself once it has one)."""
        self.help_menu.addAction(action)
        self.help_menu.menuAction().setVisible(True)

    def show_rules(self, key: str) -> None:
        """Tick the scoring rules of the open database."""
        if key in self.rules_actions:
            self.rules_actions[key].setChecked(True)

    def show_money_unit(self, unit: str) -> None:
        """Tick the money unit of the open database."""
        self.money_actions[unit].setChecked(True)

    def show_language(self, language: str) -> None:
        """Tick the language in use."""
        self.language_actions[language].setChecked(True)

    def retranslate(self) -> None:
        """Set every menu and action text in the current language."""
        self.file_menu.setTitle(self.tr("文件(&F)"))
        self.edit_menu.setTitle(self.tr("编辑(&E)"))
        self.settings_menu.setTitle(self.tr("设置(&S)"))
        self.money_menu.setTitle(self.tr("金额单位"))
        self.rules_menu.setTitle(self.tr("评分规则"))
        # The registered sets' titles in the interface's language (a set added later shows its own title).
        titles = {
            "national": self.tr("全国通用（2020年办法）：预算执行10分，产出/效益/满意度 50:30:10，优/良/中/差"),
            "shanghai": self.tr("上海：同全国通用，等级为 优/良/合格/不合格"),
        }
        for key, act in self.rules_actions.items():
            act.setText(titles.get(key, RULE_SETS[key].title))
        self.rules_menu.setToolTip(self.tr("预算执行分值、各组权重、等级及其名称；本数据库的所有用户共用此设置"))
        self.money_actions[YUAN].setText(self.tr("元"))
        self.money_actions[WAN_YUAN].setText(self.tr("万元"))
        tip = self.tr("窗口、工作簿和 PDF 报告中的金额按此单位显示（数据库中按元保存，本数据库的所有用户共用此设置）")
        self.money_menu.setToolTip(tip)
        for act in self.money_actions.values():
            act.setStatusTip(tip)
        self.language_menu.setTitle(self.tr("语言(&L)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.toolbar.setWindowTitle(self.tr("工具栏"))
        texts = (
            (self.new_action, self.tr("新建数据库…"), self.tr("新建一个空的数据库文件并打开它")),
            (self.open_action, self.tr("打开数据库…"), self.tr("打开另一个数据库文件")),
            (self.import_action, self.tr("导入申报表…"), self.tr("从文本、Excel 或 Word 文件导入绩效目标申报表")),
            (self.check_action, self.tr("审核申报表…"), self.tr("像财政部门一样审核申报表文件，不导入")),
            (
                self.export_action,
                self.tr("导出自评工作簿…"),
                self.tr("把所有项目的自评表和监控表写入一个 Excel 工作簿"),
            ),
            (self.quit_action, self.tr("退出"), ""),
        )
        for act, text, tip in texts:
            act.setText(text)
            act.setToolTip(tip or text.rstrip("…"))
            act.setStatusTip(tip)
        # The tool bar's short words.
        self.import_action.setIconText(self.tr("导入申报表"))
        self.export_action.setIconText(self.tr("导出工作簿"))
        self._undo_texts()

    def _undo_texts(self) -> None:
        undo, redo = self._undo_group.undoText(), self._undo_group.redoText()
        self.undo_action.setText(arg(self.tr("撤销 %1"), undo) if undo else self.tr("撤销"))
        self.redo_action.setText(arg(self.tr("重做 %1"), redo) if redo else self.tr("重做"))
        # The tool bar keeps the short word; the menu says what will be undone.
        self.undo_action.setIconText(self.tr("撤销"))
        self.redo_action.setIconText(self.tr("重做"))
