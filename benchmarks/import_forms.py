"""Import time for many declaration forms: parse, then write to a fresh SQLite database.

    .venv/bin/python benchmarks/import_forms.py [N_FORMS]      (default 10000)

Builds a text file of N forms from the 13 seed forms (names made unique), then prints the time
to parse it, to import it into an empty database, and to import it again (every project
unchanged). Prints figures; it never fails on time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from perftrack.importers import read_declarations
from perftrack.store.database import open_database
from perftrack.store.upsert import import_declarations

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


def build(n: int, folder: Path) -> Path:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    starts = [i for i, ln in enumerate(lines) if ln.lstrip("# ") == "财政项目支出绩效目标申报表"]
    forms = ["\n".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    out: list[str] = []
    for i in range(n):
        form = forms[i % len(forms)]
        first = form.index("项目名称\t") + len("项目名称\t")
        out.append(form[:first] + f"{i:05d}号" + form[first:])
    path = folder / f"forms_{n}.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build(n, folder)
        size = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        result = read_declarations([path])
        t1 = time.perf_counter()
        indicators = sum(len(d.indicators) for d in result.declarations)
        print(f"forms: {len(result.declarations)}  indicators: {indicators}  file: {size:.1f} MB")
        per_form = (t1 - t0) / len(result.declarations) * 1000
        print(f"parse:             {t1 - t0:7.2f} s  ({per_form:.2f} ms/form)")
        db = open_database(f"sqlite:///{folder / 'bench.db'}")
        for label in ("import (new db):", "import again:"):
            t2 = time.perf_counter()
            with db.session() as session:
                summary = import_declarations(session, result.declarations)
            t3 = time.perf_counter()
            counts = f"created {len(summary.created)}, unchanged {len(summary.unchanged)}"
            print(f"{label:18} {t3 - t2:7.2f} s  ({counts})")
        db.close()


if __name__ == "__main__":
    main()
