"""The command line's parser in the interface's language, taking negative values as values.

argparse writes its own messages in English ("the following arguments are required: VALUE") and
takes "-5%" for an option, so `perftrack record P I -5%` failed with an English message about a
missing VALUE. Here every parser of the program:

- reads a word that starts with a minus and then a figure ("-5", "-5%", "-3个", "-1,000.50",
  "-2.5万元") as a value, never as an option (no option of perftrack looks like that);
- reads a command's values wherever they stand among its options (`budget P --db X 1000`);
- says its errors, usage and help headings in Chinese, like every other message of the program,
  in one line after the usage, with exit status 2 (bad input).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

# A negative figure with an optional unit or percent: a value, not an option.
NEGATIVE_VALUE = re.compile(r"^-(\d[\d,]*(\.\d*)?|\.\d+)\s*[^\s\d-][^\s]*$|^-(\d[\d,]*(\.\d*)?|\.\d+)$")

# argparse's messages (Python 3.10–3.13) and how they read in the interface's language.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"^the following arguments are required: (.*)$", r"缺少参数：\1"),
        (r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$", r"参数 \1：没有 \2 这一项（可选：\3）"),
        (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
        (r"^argument (.*?): expected one argument$", r"参数 \1 后面需要一个值"),
        (r"^argument (.*?): expected at least one argument$", r"参数 \1 后面至少需要一个值"),
        (r"^argument (.*?): expected (.*) arguments?$", r"参数 \1 后面需要 \2 个值"),
        (r"^argument (.*?): invalid (\w+) value: (.*)$", r"参数 \1：\3 不是有效的值（需要 \2）"),
        (r"^argument (.*?): not allowed with argument (.*)$", r"参数 \1 不能与 \2 同时使用"),
        (r"^one of the arguments (.*) is required$", r"参数 \1 中必须填写一个"),
        (r"^ambiguous option: (.*?) could match (.*)$", r"选项 \1 有歧义，可能是：\2"),
        (r"^argument (.*?): ignored explicit argument (.*)$", r"参数 \1 不接受值 \2"),
    )
)
_TYPES = {"int": "整数", "float": "数字"}


def translate(message: str) -> str:
    """An argparse message as the interface says it (unknown ones are kept as they are)."""
    for pattern, chinese in _MESSAGES:
        if pattern.match(message):
            text = pattern.sub(chinese, message)
            for english, word in _TYPES.items():
                text = text.replace(f"（需要 {english}）", f"（需要{word}）")
            return text
    return message


class HelpFormatter(argparse.HelpFormatter):
    """Help whose usage line starts with 用法：."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """perftrack's argument parser: Chinese messages, negative figures as values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._negative_number_matcher = NEGATIVE_VALUE  # read by argparse to tell values from options
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        # A command's values may come after its options (`budget P --db X 1000`): a command's own
        # parser reads options and values intermixed, as a user types them.
        if getattr(self, "_intermixing", False) or self._subparsers is not None:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        usage = self.usage
        if usage is None:  # argparse would capture it itself, cutting 7 characters ("usage: ") off 用法：
            self.usage = self.format_usage().removeprefix("用法：").rstrip("\n").replace("%", "%%")
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
            self.usage = usage

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{translate(message)}\n")
