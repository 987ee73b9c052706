"""mypy over perftrack against a per-module baseline that only shrinks.

    .venv/bin/python scripts/typecheck.py            # fails when a module has more errors than its baseline
    .venv/bin/python scripts/typecheck.py --update   # writes the (smaller) counts as the new baseline
                                                     # (the first time: the counts as they are)

The baseline (``scripts/mypy_baseline.json``) holds, for each module that does not yet pass, how many
errors mypy finds in it with the settings of ``[tool.mypy]`` in pyproject.toml. A module that gains an
error fails the check, naming the new errors; a module that loses some is reported so the baseline can
be lowered with ``--update``, which refuses to raise any count. Run by ``make test``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "mypy_baseline.json"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ")


def run_mypy() -> tuple[Counter[str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", "--show-error-codes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):  # 2: mypy itself failed (a crash, a bad configuration)
        sys.exit(f"typecheck: mypy failed to run:\n{done.stdout}{done.stderr}")
    lines = [line for line in done.stdout.splitlines() if ERROR.match(line)]
    counts = Counter(ERROR.match(line)["path"] for line in lines)  # type: ignore[index]
    return counts, lines


def main() -> int:
    counts, lines = run_mypy()
    baseline: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    worse = {path: n for path, n in counts.items() if n > baseline.get(path, 0)}
    better = {path: n for path, n in baseline.items() if counts.get(path, 0) < n}
    if "--update" in sys.argv[1:]:
        if worse and BASELINE.exists():
            print("typecheck: the baseline only shrinks; these modules have more errors than it allows:")
            for path, n in sorted(worse.items()):
                print(f"  {path}: {n} (baseline {baseline.get(path, 0)})")
            return 1
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n", encoding="utf-8")
        print(f"typecheck: baseline written, {sum(counts.values())} errors in {len(counts)} modules")
        return 0
    total = sum(counts.values())
    print(f"typecheck: {total} mypy errors in {len(counts)} modules (baseline {sum(baseline.values())})")
    for path, n in sorted(better.items()):
        print(f"  {path}: {counts.get(path, 0)} now, baseline {n}: lower it with scripts/typecheck.py --update")
    if worse:
        print("typecheck: more mypy errors than the baseline allows:")
        for path in sorted(worse):
            print(f"  {path}: {counts[path]} (baseline {baseline.get(path, 0)})")
            for line in lines:
                if line.startswith(path + ":"):
                    print(f"    {line}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
