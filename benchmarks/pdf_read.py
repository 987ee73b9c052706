"""How long importing a PDF of many declaration forms takes: the reader, and the whole import.

    .venv/bin/python benchmarks/pdf_read.py [--forms 50] [--work DIR] [--runs 3]

Builds (once; later runs reuse it) a PDF of N of the seed's forms printed from Word by
LibreOffice, one form per page and longer ones running over a page break, then prints the
machine, the file, the median time of ``read_pdf`` (the reader) and of ``read_declarations``
(reader and interpreter: every form and indicator read, as ``perftrack import --dry-run`` does)
over ``--runs`` runs. The goal is 10 s for 50 forms. Prints figures; it never fails on time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support builds the PDF

from perftrack.importers import read_declarations  # noqa: E402
from perftrack.importers.pdf_reader import read_pdf  # noqa: E402
from tests.support.pdf_builders import many_forms_pdf  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--forms", type=int, default=50)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "perftrack-bench-pdf")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import pdfplumber

    print(f"machine: {machine()}")
    print(f"pdfplumber {pdfplumber.__version__}")
    path = args.work / f"forms_{args.forms}.pdf"
    if path.exists():
        print(f"reusing {path}")
    else:
        t0 = time.perf_counter()
        path = many_forms_pdf(args.forms, args.work)
        print(f"built {path} with LibreOffice in {time.perf_counter() - t0:.1f} s")
    pages = page_count(path)
    print(f"file: {args.forms} forms, {pages} pages, {path.stat().st_size / 1e6:.2f} MB")

    times: list[float] = []
    rows = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        grid = read_pdf(path)
        times.append(time.perf_counter() - t0)
        rows = len(grid.rows)
    median = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"read_pdf: median {median:.2f} s of {args.runs} ({runs} s)")
    print(f"          {pages / median:.0f} pages/s, {rows} grid rows ({rows / median:.0f} rows/s)")

    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        result = read_declarations([path])
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    indicators = sum(len(d.indicators) for d in result.declarations)
    print(f"import (read + interpret): median {median:.2f} s of {args.runs} ({runs} s)")
    print(
        f"          {len(result.declarations)} forms, {indicators} indicators, {len(result.errors)} errors; goal ≤ 10 s"
    )


if __name__ == "__main__":
    main()
