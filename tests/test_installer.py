"""The PyInstaller bundle, built by installer/build.sh and run as a user would run it.

Slow (a minute or two with the build environment in place, a few more to create it): run with
``pytest -m slow tests/test_installer.py``. The build environment is kept in build/venv; the
bundle and PyInstaller's work files go to a temporary folder.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import pytest

from perftrack.store.migrate import HEAD_REVISION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 1800
RUN_TIMEOUT = 120


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """installer/build.sh, run once for the module, with its own smoke test."""
    out = tmp_path_factory.mktemp("pyinstaller")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        ["bash", str(ROOT / "installer" / "build.sh"), "--dist", str(out / "dist"), "--work", str(out / "work")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )


@pytest.fixture(scope="module")
def bundle(build: subprocess.CompletedProcess[str]) -> Path:
    """The bundle's folder (dist/perftrack), once the build has succeeded."""
    assert build.returncode == 0, f"build.sh failed:\n{build.stdout[-3000:]}\n{build.stderr[-5000:]}"
    match = re.search(r"building perftrack \S+ into (.+)$", build.stderr, re.M)
    assert match, build.stderr[-2000:]
    return Path(match.group(1))


@pytest.fixture(scope="module")
def internal(bundle: Path) -> Path:
    """Where PyInstaller 6 puts everything but the executables (sys._MEIPASS)."""
    return bundle / "_internal"


def _run(bundle: Path, *args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the bundled program with its own data and cache folders under ``home``."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "PERFTRACK_DB")}
    full_env.update(
        QT_QPA_PLATFORM="offscreen",
        PERFTRACK_DATA_DIR=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        **env,
    )
    return subprocess.run(
        [str(bundle / "perftrack"), *args], env=full_env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )


def _import_sample(bundle: Path, db: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return _run(
        bundle, "import", str(ROOT / "sample_data" / "shanghai_2024_declarations.txt"), "--db", str(db), home=home
    )


def _schema_revision(db: Path) -> str:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_build_script_smoke_test_passes(build: subprocess.CompletedProcess[str]) -> None:
    assert build.returncode == 0, build.stderr[-5000:]
    assert "first paint after" in build.stdout
    assert "smoke test passed: 13 sample projects" in build.stderr


def test_smoke_on_a_new_database_runs_the_bundled_migrations(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "新数据库.db"
    done = _run(bundle, "--smoke", "--db", str(db), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^first paint after \d+\.\d+ s$", done.stdout, re.M), done.stdout
    assert _schema_revision(db) == HEAD_REVISION


def test_smoke_with_the_sample_forms(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "sample.db"
    done = _run(bundle, "--smoke", "--load-sample-if-empty", "--db", str(db), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "first paint after" in done.stdout
    listed = _run(bundle, "projects", "--db", str(db), home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 13
    assert "孵化基地运营及创业孵化服务支出" in listed.stdout


def test_the_bundle_reads_pdf_forms(bundle: Path, tmp_path: Path) -> None:
    """pdfplumber and pdfminer's character maps are in the bundle: a form printed to PDF is read, Chinese
    text and all, and a real department PDF with no form in it is refused with that reason."""
    forms = ROOT / "tests" / "data" / "pdf" / "two_seed_forms.pdf"
    done = _run(bundle, "import", "--dry-run", str(forms), "--db", str(tmp_path / "x.db"), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "孵化基地运营及创业孵化服务支出" in done.stdout and "共 2 个项目，15 个指标" in done.stdout
    real = ROOT / "tests" / "data" / "pdf" / "putuo_caizheng_2024_final_accounts.pdf"
    done = _run(bundle, "import", "--dry-run", str(real), "--db", str(tmp_path / "x.db"), home=tmp_path)
    assert done.returncode == 2 and "没有找到申报表" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_bundle_carries_the_postgresql_driver(bundle: Path, tmp_path: Path) -> None:
    """A team database works from the bundle: the driver loads, so a server that is not there is
    reported as a refused connection, not as a driver to install."""
    url = "postgresql://perftrack:secret@127.0.0.1:9/perftrack"  # port 9 (discard): nothing listens
    done = _run(bundle, "projects", "--db", url, home=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "缺少数据库驱动" not in done.stderr and "perftrack[postgres]" not in done.stderr, done.stderr
    assert "无法打开数据库" in done.stderr and "secret" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_version_is_the_project_version(bundle: Path, tmp_path: Path) -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    done = _run(bundle, "--version", home=tmp_path)
    assert done.stdout.strip() == f"perftrack {version}"


def test_bundle_carries_the_samples_migrations_icons_and_translations(internal: Path) -> None:
    for sample in sorted((ROOT / "sample_data").glob("*.txt")):
        assert (internal / "sample_data" / sample.name).read_bytes() == sample.read_bytes()

    migrations = internal / "perftrack" / "store" / "migrations"
    for name in ("env.py", "alembic.ini", "script.py.mako"):
        assert (migrations / name).is_file(), name
    source_versions = {p.name for p in (ROOT / "perftrack/store/migrations/versions").glob("*.py")}
    assert {p.name for p in (migrations / "versions").glob("*.py")} == source_versions
    assert any(name.startswith(f"{HEAD_REVISION}_") for name in source_versions)  # the newest script too

    # The .qm files are built by the translation step; whatever it made must be in the bundle.
    source_qm = {p.name for p in (ROOT / "resources" / "translations").glob("*.qm")}
    assert {p.name for p in (internal / "resources" / "translations").glob("*.qm")} == source_qm

    assert {p.name for p in (internal / "resources" / "icons").iterdir()} >= {"perftrack.png", "perftrack.svg"}
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()


def test_qt_translations_are_trimmed_to_the_two_languages(internal: Path) -> None:
    names = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert "qtbase_zh_CN.qm" in names
    assert all(n.endswith(("_zh_CN.qm", "_en.qm")) for n in names), sorted(names)


def test_report_uses_the_bundled_font_and_keeps_the_font_cache(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "sample.db"
    assert _import_sample(bundle, db, tmp_path).returncode == 0
    first = _run(bundle, "report", "--db", str(db), "-o", str(tmp_path / "a.pdf"), home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert b"WenQuanYi" in (tmp_path / "a.pdf").read_bytes()

    # The run-time hook keeps matplotlib's font list in the user's cache folder, not in a temporary one.
    caches = list((tmp_path / "cache" / "perftrack" / "matplotlib").glob("fontlist-*.json"))
    assert len(caches) == 1
    written = caches[0].stat().st_mtime_ns
    second = _run(bundle, "report", "--db", str(db), "-o", str(tmp_path / "b.pdf"), home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert caches[0].stat().st_mtime_ns == written, "the font cache was rebuilt on the second start"


def test_a_preset_mplconfigdir_is_respected(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "sample.db"
    own = tmp_path / "mine"
    assert _import_sample(bundle, db, tmp_path).returncode == 0
    done = _run(bundle, "report", "--db", str(db), "-o", str(tmp_path / "c.pdf"), home=tmp_path, MPLCONFIGDIR=str(own))
    assert done.returncode == 0, done.stderr
    assert list(own.glob("fontlist-*.json"))
    assert not list((tmp_path / "cache").rglob("fontlist-*.json"))


def test_the_bundle_keeps_the_scores_it_lists(bundle: Path, tmp_path: Path) -> None:
    """The frozen program fingerprints its rule code (compiled modules inside the bundle) and
    keeps the summaries it lists; listing again reads them."""
    db = tmp_path / "kept.db"
    assert _import_sample(bundle, db, tmp_path).returncode == 0
    first = _run(bundle, "score", "--summary", "--json", "--db", str(db), home=tmp_path)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(db) as con:
        kept = con.execute("SELECT COUNT(*), COUNT(DISTINCT rules), MIN(rules) FROM project_summary").fetchone()
    assert kept[:2] == (13, 1)
    assert re.fullmatch(r"[0-9a-f]{32}", kept[2])
    again = _run(bundle, "score", "--summary", "--json", "--db", str(db), home=tmp_path)
    assert again.stdout == first.stdout
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM project_summary WHERE rules = ?", (kept[2],)).fetchone()[0] == 13
