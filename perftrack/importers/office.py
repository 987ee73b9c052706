"""Office files (.xlsx workbooks and .docx Word documents): choose the reader by content, refuse unsafe files.

Both formats are zip archives of XML parts. Before any library parses them we check the
archive ourselves: it must be a readable zip, its declared uncompressed size must be modest (a
zip bomb declares gigabytes), and no XML part may carry a DTD (an XML bomb hides its
billion-laughs entities there; Office files never need one). Whatever openpyxl or python-docx
still raise on a broken file becomes one ERROR problem naming the file, and nothing from that
file is imported.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from perftrack.domain.model import ImportResult, Problem, Severity

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all parts together; declarations are a few MB at most
MAX_PARTS = 10_000
_SCAN_CHUNK = 1024 * 1024

WORKBOOK_PART = "xl/workbook.xml"
DOCUMENT_PART = "word/document.xml"

# Codes of problems that mean "this file could not be read at all" (as opposed to a form with
# defects); the text importer's own codes for the same situation are included.
READ_FAILURE_CODES = frozenset(
    {
        "missing-file",
        "unreadable",
        "unsupported",
        "no-form",
        "empty-file",
        "bad-zip",
        "not-office",
        "too-large",
        "unsafe-xml",
        "broken-file",
        "bad-pdf",
        "encrypted",
        "scanned",
    }
)

# Parts that are not XML and may legitimately hold "<!DOCTYPE" (an HTML altChunk) or any bytes.
# Every other part is scanned, whatever its name: a relationship may point a sheet at "x.dat".
_NOT_XML = tuple(".htm .html .mht .mhtml .png .jpg .jpeg .gif .bmp .tif .tiff .emf .wmf .bin .ttf .odttf".split())
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_UTF16 = tuple(
    re.compile(b"|".join(re.escape(word.encode(enc)) for word in ("<!DOCTYPE", "<!ENTITY")), re.IGNORECASE)
    for enc in ("utf-16-le", "utf-16-be")
)


class OfficeFileError(Exception):
    """The file cannot be read; ``code`` is the problem's stable code, the message is in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def import_office(path: Path) -> ImportResult:
    """Read the declarations in a .xlsx workbook or a .docx document, chosen by the file's content."""
    name = str(path)
    result = ImportResult()
    kind: str | None = None
    try:
        kind = _inspect(path)
        read = _read_workbook(path, name) if kind == "workbook" else _read_document(path, name)
    except OfficeFileError as exc:
        message = f"{name}: {exc}"
        if kind is not None and (note := _extension_note(path, kind)):
            message += f"（{note}）"
        result.problems.append(Problem(name, None, message, Severity.ERROR, exc.code))
        return result
    if note := _extension_note(path, kind):
        read.problems.insert(
            0, Problem(name, None, f"{name}: {note}，已按内容读入", Severity.WARNING, "wrong-extension")
        )
    return read


def _extension_note(path: Path, kind: str) -> str | None:
    """A word about a name whose extension says the other format (a .docx renamed .xlsx)."""
    expected = {".xlsx": "workbook", ".xlsm": "workbook", ".docx": "document", ".docm": "document"}
    suffix = path.suffix.lower()
    if suffix not in expected or expected[suffix] == kind:
        return None
    what = "Excel 工作簿" if kind == "workbook" else "Word 文档"
    return f"扩展名是 {suffix}，内容却是{what}"


# -- the archive ------------------------------------------------------------------------------


def _inspect(path: Path) -> str:
    """Which kind of Office file this is ("workbook" or "document"), after the archive checks.

    Raises OfficeFileError for anything we will not hand to openpyxl or python-docx.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            raise OfficeFileError("empty-file", "文件是空的")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_PARTS:
                raise OfficeFileError("too-large", f"压缩包中有 {len(infos)} 个部件，不像申报表，拒绝读取")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNCOMPRESSED:
                raise OfficeFileError(
                    "too-large",
                    f"解压后将有 {declared / 1024 / 1024:,.0f} MB（上限 {MAX_UNCOMPRESSED // 1024 // 1024} MB），"
                    "可能是压缩炸弹，拒绝读取",
                )
            if WORKBOOK_PART in names:
                kind = "workbook"
            elif DOCUMENT_PART in names:
                kind = "document"
            else:
                raise OfficeFileError("not-office", "这是一个压缩包，但不是 Excel 工作簿（.xlsx）或 Word 文档（.docx）")
            for info in infos:
                if not info.filename.lower().endswith(_NOT_XML) and _has_dtd(archive, info):
                    raise OfficeFileError(
                        "unsafe-xml",
                        f"部件 {info.filename} 中有 DTD/实体声明（可能是 XML 炸弹），"
                        "正常的 Office 文件不会有，拒绝读取",
                    )
            if kind == "workbook":
                _check_sheet_parts(archive, names)
    except OfficeFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise OfficeFileError("bad-zip", f"文件已损坏或不完整，无法解压（{exc}）") from exc
    except NotImplementedError as exc:  # an unsupported compression method or encryption
        raise OfficeFileError("bad-zip", f"无法解压（{exc}）；文件是否加密？") from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise OfficeFileError("bad-zip", f"无法解压（{exc}）；请先去掉文件密码") from exc
    except (ParseError, DefusedXmlException) as exc:
        raise OfficeFileError("broken-file", f"Excel 工作簿已损坏，无法读取（{exc}）") from exc
    except OSError as exc:
        raise OfficeFileError("unreadable", f"无法读取文件（{exc.strerror or exc}）") from exc
    return kind


def _check_sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> None:
    """Every sheet the workbook lists must have its part: openpyxl silently drops one that is missing,
    which would import the other sheets of a damaged file as if it were whole."""
    from defusedxml.ElementTree import fromstring

    rels_part = "xl/_rels/workbook.xml.rels"
    if rels_part not in names:
        raise OfficeFileError("broken-file", f"Excel 工作簿已损坏：缺少 {rels_part}")
    targets: dict[str, str] = {}
    for el in fromstring(archive.read(rels_part)).iter():
        if el.tag.endswith("}Relationship") and el.get("TargetMode") != "External":
            target = el.get("Target", "")
            targets[el.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    for el in fromstring(archive.read(WORKBOOK_PART)).iter():
        if not el.tag.endswith("}sheet"):
            continue
        rel_id = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
        part = targets.get(rel_id)
        if part is None or posixpath.normpath(part) not in names:
            raise OfficeFileError(
                "broken-file",
                f"Excel 工作簿已损坏：缺少工作表“{el.get('name', '')}”的内容（{part or rel_id}）",
            )


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the part declares a DTD or entities; reads in chunks, overlapping at the seams."""
    tail = b""
    with archive.open(info) as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            window = tail + chunk
            if _DTD.search(window) or any(p.search(window) for p in _DTD_UTF16):
                return True
            tail = window[-32:]
    return False


# -- the readers ------------------------------------------------------------------------------


def _load_errors() -> tuple[type[BaseException], ...]:
    """What a library may raise while parsing a broken file (not our own bugs)."""
    errors: list[type[BaseException]] = [
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ParseError,
        DefusedXmlException,
        ValueError,
        OSError,
    ]
    try:
        from lxml.etree import LxmlError

        errors.append(LxmlError)
    except ImportError:  # pragma: no cover - lxml comes with python-docx
        pass
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        errors.append(InvalidFileException)
    except ImportError:  # pragma: no cover
        pass
    # openpyxl's typed descriptors raise TypeError on a malformed attribute, and its readers
    # IndexError/AttributeError on a part missing what it must hold
    errors += [TypeError, IndexError, AttributeError]
    return tuple(errors)


def _broken(what: str, exc: BaseException) -> OfficeFileError:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return OfficeFileError("broken-file", f"{what}已损坏，无法读取（{detail}）")


def _read_workbook(path: Path, name: str) -> ImportResult:
    import openpyxl

    from perftrack.importers.xlsx_flat import find_flat_header, read_flat_grid
    from perftrack.importers.xlsx_form import is_form_grid, read_form_sheet, sheet_grid, sheet_locator

    try:
        with path.open("rb") as fh:
            # a file object, not the path: openpyxl refuses names not ending in .xlsx, and we go by content
            wb = openpyxl.load_workbook(fh, data_only=True)
    except _load_errors() as exc:
        raise _broken("Excel 工作簿", exc) from exc
    result = ImportResult()
    found = False
    for ws in wb.worksheets:
        rows = sheet_grid(ws)
        header = find_flat_header(rows)
        if header is not None:
            result.extend(read_flat_grid(rows, header, name, sheet_locator(ws)))
            found = True
        elif is_form_grid(rows):
            result.extend(read_form_sheet(ws, name, rows))
            found = True
    if not found:
        raise OfficeFileError(
            "no-form",
            "工作簿中没有找到申报表：没有“项目名称”标签的表单，也没有含“项目名称”“三级指标”列的清单",
        )
    return result


def _read_document(path: Path, name: str) -> ImportResult:
    import docx

    from perftrack.importers.docx_form import read_document

    try:
        with path.open("rb") as fh:
            document = docx.Document(fh)
    except _load_errors() as exc:
        raise _broken("Word 文档", exc) from exc
    result = read_document(document, name)
    if result is None:
        raise OfficeFileError("no-form", "文档中没有找到申报表（没有“项目名称”或“绩效目标申报表”）")
    return result


__all__ = ["MAX_UNCOMPRESSED", "READ_FAILURE_CODES", "OfficeFileError", "import_office"]
