"""Importers: files in, domain objects and problems out. None of them touches the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from perftrack.domain.model import ImportResult, Problem, Severity


def read_declarations(paths: list[Path]) -> ImportResult:
    """Read declaration forms from files, choosing the importer by the file's content."""
    result = ImportResult()
    for path in paths:
        if not path.exists():
            result.problems.append(Problem(str(path), None, f"{path}: 文件不存在", Severity.ERROR, "missing-file"))
            continue
        if path.is_dir():
            result.problems.append(
                Problem(str(path), None, f"{path}: 这是文件夹，不是文件", Severity.ERROR, "missing-file")
            )
            continue
        result.extend(_reader_for(path)(path))
    return result


def _reader_for(path: Path) -> Callable[[Path], ImportResult]:
    """The importer for a file, by its first bytes: a zip is a workbook or a Word document, %PDF a PDF."""
    from perftrack.importers.form_text import import_text
    from perftrack.importers.office import import_office
    from perftrack.importers.pdf_form import PDF_MAGIC, import_pdf

    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return import_text  # it reports the read error with the file name
    if head.startswith(b"PK\x03\x04"):
        return import_office
    # a PDF may carry a few bytes of junk before its header, and readers accept that
    return import_pdf if PDF_MAGIC in head else import_text
