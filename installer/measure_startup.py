"""Start-up of the bundle against running from source, and what keeping matplotlib's font cache saves.

    .venv/bin/python installer/measure_startup.py [--bundle dist/perftrack] [--runs 5]

Prints, for ``perftrack --smoke`` on the sample database: the wall time of the whole process and
the "first paint" time the program reports, first run and median, for the bundle and for
``.venv/bin/perftrack``; then ``perftrack report`` (the path that loads matplotlib and its font
list) with the font cache kept by the bundle's run-time hook, and with a new empty cache at
every start, which is what PyInstaller's own hook would do. A measurement, never a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
PROJECT = "孵化基地运营及创业孵化服务支出"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "PERFTRACK_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", PERFTRACK_DATA_DIR=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    env.update(extra)
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """(wall seconds, first-paint seconds or None) of one run; raises when the run fails."""
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    match = re.search(r"first paint after (\d+\.\d+) s", done.stdout)
    return wall, float(match.group(1)) if match else None


def _summary(label: str, runs: list[tuple[float, float | None]]) -> str:
    walls = [w for w, _ in runs]
    line = f"{label:<44} first {walls[0]:6.2f} s   median {statistics.median(walls):6.2f} s"
    if len(walls) > 1:
        line += f"   median of later runs {statistics.median(walls[1:]):6.2f} s"
    paints = [p for _, p in runs if p is not None]
    if paints:
        line += f"   (first paint, median {statistics.median(paints):.3f} s)"
    return line


def main() -> None:
    """Run the measurements and print one line for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "perftrack")
    parser.add_argument("--source", type=Path, default=Path(sys.executable).parent / "perftrack")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = args.bundle / ("perftrack-cli.exe" if sys.platform == "win32" else "perftrack")

    with tempfile.TemporaryDirectory(prefix="perftrack-measure-") as tmp:
        home = Path(tmp)
        db = home / "sample.db"
        subprocess.run([str(args.source), "import", str(SAMPLE), "--db", str(db)], env=_env(home), check=True,
                       capture_output=True)  # fmt: skip
        # PyInstaller links some Qt libraries to one another: count each file once.
        size = sum(p.lstat().st_size for p in args.bundle.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"bundle {args.bundle}: {size / 2**20:.0f} MiB")

        smoke = ["--smoke", "--db", str(db)]
        for label, cmd in (("bundle   perftrack --smoke", [str(exe), *smoke]),
                           ("source   .venv/bin/perftrack --smoke", [str(args.source), *smoke])):  # fmt: skip
            print(_summary(label, [_timed(cmd, _env(home / label.split()[0])) for _ in range(args.runs)]))

        # One project: the charts of all thirteen take long enough to hide what the cache saves.
        report = [str(exe), "report", PROJECT, "--db", str(db), "-o", str(home / "r.pdf")]
        kept = [_timed(report, _env(home / "kept")) for _ in range(args.runs)]
        print(_summary("bundle   report, font cache kept (our hook)", kept))
        fresh = [
            _timed(report, _env(home / "fresh", MPLCONFIGDIR=tempfile.mkdtemp(dir=home))) for _ in range(args.runs)
        ]
        print(_summary("bundle   report, new cache each start (PyI's)", fresh))


if __name__ == "__main__":
    main()
