"""Bad input stopped at the door: numbers too large to be real figures, terminal control codes in notes.

A 26-digit value used to be stored, and scoring, the workbook, the report and the window then
failed on decimal.InvalidOperation (exact arithmetic keeps 28 digits). A note holding an ESC
sequence cleared the terminal when `history` printed it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perftrack.cli import main
from perftrack.domain.targets import parse_target
from perftrack.domain.units import parse_quantity
from perftrack.paths import sample_files

HUGE = "12345678901234567890123456"


def run(capsys, *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    _, err = capsys.readouterr()
    return code, err


def test_a_value_typed_with_too_many_digits_is_refused():
    assert parse_quantity("999999999999999")[0] == Decimal("999999999999999")  # fifteen digits: a figure
    for text in (HUGE, "1000000000000000", "99,999,999,999,999,999", "2000000000000万人次"):
        with pytest.raises(ValueError, match="位数过多"):
            parse_quantity(text)


def test_a_target_with_too_many_digits_is_not_read_as_a_number():
    for raw in (f"≥{HUGE}(人)", f"不少于{HUGE}人", f"±{HUGE}%以内"):
        t = parse_target(raw)
        assert (t.op, t.value, t.raw) == (None, None, raw)


@pytest.mark.parametrize(
    "args",
    [
        ("record", "国际孵化器", "外事交流出访", HUGE, "--period", "Q1"),
        ("budget", "国际孵化器", HUGE),
        ("points", "国际孵化器", "外事交流出访", HUGE),
    ],
)
def test_the_commands_refuse_it_with_one_line_and_the_scores_still_work(capsys, tmp_path, args):
    db = str(tmp_path / "t.db")
    assert run(capsys, "import", *sample_files(), "--db", db)[0] == 0
    code, err = run(capsys, *args, "--db", db)
    assert code == 2 and "位数过多" in err and HUGE in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert run(capsys, "score", "国际孵化器", "--db", db)[0] == 0


def test_history_shows_control_characters_of_a_note_without_obeying_them(capsys, tmp_path):
    db = str(tmp_path / "t.db")
    run(capsys, "import", *sample_files(), "--db", db)
    assert (
        run(
            capsys,
            "record",
            "国际孵化器",
            "外事交流出访",
            "3",
            "--period",
            "Q1",
            "--note",
            "bad\x1b[2Jnote",
            "--db",
            db,
        )[0]
        == 0
    )
    assert main(["history", "国际孵化器", "外事交流出访", "--db", db]) == 0
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "bad\\x1b[2Jnote" in out


def test_history_shows_bidirectional_controls_escaped(capsys, tmp_path):
    """U+202E shows "fdp.exe" as "exe.pdf" in a terminal; history writes it as \\u202e instead."""
    db = str(tmp_path / "t.db")
    run(capsys, "import", *sample_files(), "--db", db)
    note = "见附件 \u202efdp.exe"
    assert (
        run(capsys, "record", "国际孵化器", "外事交流出访", "3", "--period", "Q1", "--note", note, "--db", db)[0] == 0
    )
    assert main(["history", "国际孵化器", "外事交流出访", "--db", db]) == 0
    out, _ = capsys.readouterr()
    assert "\u202e" not in out and "见附件 \\u202efdp.exe" in out


def test_an_argument_with_undecodable_bytes_is_one_line_and_nothing_written(capsys, tmp_path):
    """A byte the terminal's encoding cannot decode reaches Python as a lone surrogate, which no
    database takes: said before anything is done, with the byte shown."""
    db = tmp_path / "t.db"
    run(capsys, "import", *sample_files(), "--db", db)
    before = db.read_bytes()
    code, err = run(
        capsys, "record", "国际孵化器", "外事交流出访", "3", "--period", "Q1", "--note", "ab\udc9bc", "--db", db
    )
    assert code == 2 and "ab\\x9bc" in err and "无法识别" in err and len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_a_value_of_fifteen_integer_digits_and_too_many_places_is_not_said_to_have_sixteen():
    with pytest.raises(ValueError, match="位数过多") as refused:
        parse_quantity("999999999999999.99999999999999999999")  # rounds to 10^15 in 28 digits
    assert "超过 15 位" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "shown", "why"),
    [
        ("postgresql://u:SECRETZ@127.0.0.1:notaport/x", "127.0.0.1:notaport/x", "端口应为数字"),
        ("://x", "://x", "格式不对"),
    ],
)
def test_a_database_url_that_cannot_be_read_is_one_line_without_its_password(capsys, url, shown, why):
    code, err = run(capsys, "projects", "--db", url)
    assert code == 2 and shown in err and why in err and "SECRET" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("postgresql://u:p@ss@h/db", "postgresql://***@h/db"),  # an @ of the password not written %40
        ("postgresql://postgres:SECRET", "postgresql://postgres:***"),  # read as host:port, cannot be parsed
        ("postgresql+nosuch://h/db?password=SECRET", "postgresql+nosuch://h/db?password=***"),
    ],
)
def test_no_password_shows_however_the_url_is_written(url, label):
    from perftrack.store.database import database_label

    assert database_label(url) == label


def test_a_missing_driver_s_message_hides_a_url_parameter_password(capsys):
    code, err = run(capsys, "projects", "--db", "postgresql+nosuch://h/db?password=SECRET")
    assert code == 2 and "SECRET" not in err and "缺少数据库驱动" in err


def test_an_argument_with_any_lone_surrogate_is_one_line(capsys):
    code, err = run(capsys, "projects", "--db", "x\ud800.db")
    assert code == 2 and "x\\ud800.db" in err and "无法识别" in err


def test_a_password_given_as_a_url_parameter_is_hidden_too(capsys):
    from perftrack.store.database import database_label

    label = database_label("postgresql://u@127.0.0.1:1/x?password=SECRETQ&sslmode=disable&sslpassword=KEY2")
    assert label == "postgresql://u@127.0.0.1:1/x?password=***&sslmode=disable&sslpassword=***"
    code, err = run(capsys, "projects", "--db", "postgresql://u@127.0.0.1:1/x?password=SECRETQ")
    assert code == 2 and "SECRETQ" not in err and "password=***" in err


def test_a_command_s_usage_line_names_the_program(capsys):
    with pytest.raises(SystemExit):
        main(["record", "--help"])
    out, _ = capsys.readouterr()
    assert out.startswith("用法：perftrack record ")
    with pytest.raises(SystemExit):
        main(["record"])  # a missing value: the usage line again, on stderr
    _, err = capsys.readouterr()
    assert err.startswith("用法：perftrack record ") and "perftrack record：" in err


def test_a_missing_postgresql_driver_is_one_line_saying_what_to_install():
    """A PC without the driver (perftrack installed without its [postgres] extra) pointed at a team
    database: what to install, not an ImportError traceback."""
    import subprocess
    import sys

    probe = (
        "import sys; sys.modules['psycopg'] = None\n"  # as if it were not installed
        "from perftrack.cli import main\n"
        "sys.exit(main(['projects', '--db', 'postgresql://u:SECRET9@127.0.0.1:1/x']))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert 'pip install "perftrack[postgres]"' in done.stderr and "Traceback" not in done.stderr
    assert "SECRET9" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
