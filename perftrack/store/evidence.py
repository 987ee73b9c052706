"""Evidence files (证明材料) attached to an actual, kept in the evidence folder beside the database.

A file is copied under ``<project id>/<indicator id>/<period>/`` with its original name, so a
person browsing the folder recognises it; a second file of the same name becomes
``name (2).ext``. Removing evidence moves the file to ``.removed/`` instead of deleting it:
nothing once recorded is lost.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from perftrack.store.actuals import RecordError, drop_if_empty, log_change, period_label
from perftrack.store.audit import current_user
from perftrack.store.schema import Actual, Evidence

REMOVED_FOLDER = ".removed"
_CHUNK = 1 << 20


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2).ext``, ``name (3).ext`` … when that is taken."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


def _copy_and_hash(source: Path, destination: Path) -> tuple[str, int]:
    """Copy a file while hashing it, so the hash is of the bytes actually stored."""
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, destination.open("xb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    shutil.copystat(source, destination)
    return digest.hexdigest(), size


def evidence_path(evidence: Evidence, evidence_dir: Path) -> Path:
    """Where an evidence file is stored."""
    return evidence_dir / evidence.stored_name


def add_evidence(
    session: Session, actual: Actual, source: Path, evidence_dir: Path, *, user: str | None = None
) -> Evidence:
    """Copy a file into the evidence folder and attach it to the actual; several files may be attached."""
    source = Path(source)
    indicator = actual.indicator
    where = f"指标「{indicator.name}」{period_label(actual.period)}的证明材料"
    if not source.is_file():
        reason = "这是文件夹，不是文件" if source.is_dir() else "文件不存在"
        raise RecordError(f"{where}：{source}：{reason}")
    session.flush()  # the folder is named by the ids
    folder = evidence_dir / str(indicator.project_id) / str(indicator.id) / actual.period
    try:
        folder.mkdir(parents=True, exist_ok=True)
        destination = _free_name(folder, source.name)
        sha256, size = _copy_and_hash(source, destination)
    except OSError as exc:
        raise RecordError(f"{where}：无法读取或复制 {source}（{exc.strerror or exc}）") from exc
    who = user or current_user()
    evidence = Evidence(
        original_name=source.name,
        stored_name=destination.relative_to(evidence_dir).as_posix(),
        sha256=sha256,
        size=size,
        added_by=who,
    )
    actual.evidence.append(evidence)
    session.flush()
    _log(session, actual, "create", evidence.id, (None, evidence.stored_name), f"（{source.name}，{size} 字节）", who)
    return evidence


def remove_evidence(session: Session, evidence: Evidence, evidence_dir: Path, *, user: str | None = None) -> None:
    """Detach an evidence file and move it to the ``.removed`` folder (never deleted)."""
    actual = evidence.actual
    stored = evidence_path(evidence, evidence_dir)
    entity_id, old = evidence.id, evidence.stored_name
    # The database goes first: if that fails the file has not moved, and if the move fails
    # the caller's rollback restores the row.
    actual.evidence.remove(evidence)
    session.flush()
    moved_to: str | None = None
    if stored.exists():
        target_folder = (evidence_dir / REMOVED_FOLDER / old).parent
        try:
            target_folder.mkdir(parents=True, exist_ok=True)
            target = _free_name(target_folder, stored.name)
            shutil.move(stored, target)
        except OSError as exc:
            raise RecordError(f"无法移走证明材料 {stored}（{exc.strerror or exc}）") from exc
        moved_to = target.relative_to(evidence_dir).as_posix()
    suffix = "" if moved_to else "（文件已不在证明材料文件夹中）"
    _log(session, actual, "delete", entity_id, (old, moved_to), suffix, user or current_user())
    drop_if_empty(session, actual)  # the evidence may have been all that was left of this period


def _log(
    session: Session,
    actual: Actual,
    action: str,
    entity_id: int,
    change: tuple[str | None, str | None],
    suffix: str,
    user: str,
) -> None:
    """The audit row of an evidence file: ``change`` is (old, new) stored path, None where absent."""
    indicator = actual.indicator
    old, new = change
    log_change(
        session,
        action=action,
        entity="evidence",
        entity_id=entity_id,
        project=indicator.project,
        indicator=indicator,
        period=actual.period,
        what=f"指标「{indicator.name}」{period_label(actual.period)}证明材料",
        field="evidence",
        old=old,
        new=new,
        suffix=suffix,
        user=user,
    )
