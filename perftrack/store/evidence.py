"""Evidence files (证明材料) attached to an actual: beside a single-user database, inside a team's.

An SQLite database keeps them in its evidence folder, under ``<project id>/<indicator id>/<period>/``
with their own (made safe) names, so a person browsing the folder recognises them. A database on
a server (PostgreSQL), which every teammate reaches, keeps their bytes in itself
(``evidence_content``) under the same names, so every teammate can open every file; opening one
writes it to a local copy first (in ``evidence_dir``, which is then this PC's cache). A second
file of the same name becomes ``name (2).ext``. Removing evidence moves the file (or renames its
content) under ``.removed/`` instead of deleting it: nothing once recorded is lost.

Files copied into the folder belong to the transaction that records them: when it rolls back
(the record is refused, a later file is missing), the copies are deleted and moved files moved
back, so the folder never holds a file the database does not know.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from perftrack.files import write_bytes
from perftrack.store.actuals import RecordError, check_unlocked, drop_if_empty, log_change, period_label
from perftrack.store.audit import current_user
from perftrack.store.evidence_names import free_name, safe_name
from perftrack.store.schema import Actual, Evidence, EvidenceContent

if TYPE_CHECKING:
    from perftrack.store.database import Database

REMOVED_FOLDER = ".removed"
# The largest file a server database takes as evidence: every teammate's copy of the database,
# and of its backups, carries it.
MAX_SERVER_BYTES = 50 * 1024 * 1024
_CHUNK = 1 << 20
# session.info key: what to undo in the evidence folder if the transaction rolls back.
_UNDO = "perftrack_evidence_undo"
log = logging.getLogger(__name__)


def in_database(session: Session) -> bool:
    """True when this database keeps evidence in itself: a server, not an SQLite file."""
    return session.get_bind().dialect.name != "sqlite"


def where_kept(db: Database, stored_name: str) -> str:
    """How messages name a kept file: its path in the folder, or the server database and its name there."""
    if db.engine.dialect.name == "sqlite":
        return str(db.evidence_dir / stored_name)
    return f"{db.label} ▸ {stored_name}"


def evidence_path(evidence: Evidence, evidence_dir: Path) -> Path:
    """Where an evidence file is stored in the folder (on a server database: where it is opened)."""
    return evidence_dir / evidence.stored_name


def add_evidence(
    session: Session, actual: Actual, source: Path, evidence_dir: Path, *, user: str | None = None
) -> Evidence:
    """Keep a copy of a file and attach it to the actual; several files may be attached."""
    source = Path(source)
    indicator = actual.indicator
    where = f"指标「{indicator.name}」{period_label(actual.period)}的证明材料"
    check_unlocked(session, indicator.project, actual.period, where)
    if not source.is_file():
        reason = "这是文件夹，不是文件" if source.is_dir() else "文件不存在"
        raise RecordError(f"{where}：{source}：{reason}")
    session.flush()  # the folder is named by the ids
    folder = f"{indicator.project_id}/{indicator.id}/{actual.period}"
    name = safe_name(source.name)
    try:
        if in_database(session):
            stored, sha256, size = _store_in_database(session, source, folder, name, where)
        else:
            stored, sha256, size = _store_in_folder(session, source, evidence_dir, folder, name)
    except OSError as exc:
        raise RecordError(f"{where}：无法读取或复制 {source}（{exc.strerror or exc}）") from exc
    who = user or current_user()
    evidence = Evidence(original_name=name, stored_name=stored, sha256=sha256, size=size, added_by=who)
    actual.evidence.append(evidence)
    session.flush()
    _log(session, actual, "create", evidence.id, (None, evidence.stored_name), f"（{name}，{size} 字节）", who)
    return evidence


def _store_in_folder(
    session: Session, source: Path, evidence_dir: Path, folder: str, name: str
) -> tuple[str, str, int]:
    target = evidence_dir / folder
    target.mkdir(parents=True, exist_ok=True)
    stored = free_name(name, lambda candidate: (target / candidate).exists())
    destination = target / stored
    sha256, size = _copy_and_hash(source, destination)
    _undo_on_rollback(session, lambda: destination.unlink(missing_ok=True))
    return f"{folder}/{stored}", sha256, size


def _store_in_database(session: Session, source: Path, folder: str, name: str, where: str) -> tuple[str, str, int]:
    with source.open("rb") as file:
        data = file.read(MAX_SERVER_BYTES + 1)  # never more than the cap and one byte in memory
    if len(data) > MAX_SERVER_BYTES:
        size = max(source.stat().st_size, len(data))
        raise RecordError(
            f"{where}：{source} 有 {size / 1024 / 1024:.1f} MB，超过团队数据库中每个证明材料 "
            f"{MAX_SERVER_BYTES // 1024 // 1024} MB 的上限；请压缩或拆分后再添加"
        )
    stored = free_name(name, lambda candidate: _content_exists(session, f"{folder}/{candidate}"))
    sha256 = hashlib.sha256(data).hexdigest()
    # A Core insert: the bytes are not kept in the session's identity map after it.
    session.execute(insert(EvidenceContent).values(name=f"{folder}/{stored}", sha256=sha256, size=len(data), data=data))
    return f"{folder}/{stored}", sha256, len(data)


def _content_exists(session: Session, name: str) -> bool:
    return session.scalar(select(EvidenceContent.name).where(EvidenceContent.name == name)) is not None


def _copy_and_hash(source: Path, destination: Path) -> tuple[str, int]:
    """Copy a file while hashing it, so the hash is of the bytes actually stored."""
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as src, destination.open("xb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        shutil.copystat(source, destination)
    except BaseException:
        destination.unlink(missing_ok=True)  # a partial copy is nobody's file
        raise
    return digest.hexdigest(), size


def open_evidence(session: Session, evidence: Evidence, evidence_dir: Path) -> Path:
    """A local file of the evidence to open: the folder's own, or a fresh copy from the server database."""
    path = evidence_path(evidence, evidence_dir)
    if not in_database(session):
        if not path.is_file():
            raise RecordError(f"证明材料「{evidence.original_name}」已不在证明材料文件夹中：{path}")
        return path
    row = session.execute(
        select(EvidenceContent.sha256, EvidenceContent.data).where(EvidenceContent.name == evidence.stored_name)
    ).one_or_none()
    if row is None:
        raise RecordError(
            f"证明材料「{evidence.original_name}」的内容不在数据库中"
            f"（它由 {evidence.added_by or '其他用户'} 添加，可能保存在其电脑上）"
        )
    sha256, data = row
    if path.is_file() and _sha256_of(path) == sha256:
        return path  # opened before: the copy is current
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, data)
    except OSError as exc:
        raise RecordError(f"无法把证明材料「{evidence.original_name}」写到 {path}（{exc.strerror or exc}）") from exc
    return path


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def remove_evidence(session: Session, evidence: Evidence, evidence_dir: Path, *, user: str | None = None) -> None:
    """Detach an evidence file and move it (or its content) under ``.removed`` (never deleted)."""
    actual = evidence.actual
    check_unlocked(
        session,
        actual.indicator.project,
        actual.period,
        f"指标「{actual.indicator.name}」{period_label(actual.period)}的证明材料",
    )
    entity_id, old = evidence.id, evidence.stored_name
    # The database goes first: if that fails the file has not moved, and if the move fails
    # the caller's rollback restores the row.
    actual.evidence.remove(evidence)
    session.flush()
    if in_database(session):
        moved_to = _remove_in_database(session, old)
    else:
        moved_to = _remove_in_folder(session, evidence_dir, old)
    suffix = "" if moved_to else "（文件已不在证明材料文件夹中）"
    _log(session, actual, "delete", entity_id, (old, moved_to), suffix, user or current_user())
    drop_if_empty(session, actual)  # the evidence may have been all that was left of this period


def _removed_name(old: str, taken: Callable[[str], bool]) -> str:
    folder, _, name = f"{REMOVED_FOLDER}/{old}".rpartition("/")
    return f"{folder}/{free_name(name, lambda candidate: taken(f'{folder}/{candidate}'))}"


def _remove_in_folder(session: Session, evidence_dir: Path, old: str) -> str | None:
    stored = evidence_dir / old
    if not stored.exists():
        return None
    moved_to = _removed_name(old, lambda name: (evidence_dir / name).exists())
    target = evidence_dir / moved_to
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(stored, target)
    except OSError as exc:
        raise RecordError(f"无法移走证明材料 {stored}（{exc.strerror or exc}）") from exc
    _undo_on_rollback(session, lambda: shutil.move(target, stored))
    return moved_to


def _remove_in_database(session: Session, old: str) -> str | None:
    if not _content_exists(session, old):
        return None
    moved_to = _removed_name(old, lambda name: _content_exists(session, name))
    session.execute(
        update(EvidenceContent).where(EvidenceContent.name == old).values(name=moved_to),
        execution_options={"synchronize_session": False},
    )
    return moved_to


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


# -- the folder follows the transaction --------------------------------------------------------


def _undo_on_rollback(session: Session, undo: Callable[[], object]) -> None:
    """Run ``undo`` if the transaction (or savepoint) this change was made in rolls back."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_UNDO, []).append((transaction, undo))


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _undo_folder_changes(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_UNDO)
    if not pending:
        return
    undone = [(t, undo) for t, undo in pending if _within(t, previous_transaction)]
    session.info[_UNDO] = [entry for entry in pending if entry not in undone]
    for _, undo in reversed(undone):
        try:
            undo()
        except OSError as exc:  # the folder changed under us: say so in the log, the database is right
            log.warning("evidence folder not restored after a rollback: %s", exc)


@event.listens_for(Session, "after_commit")
def _forget_folder_changes(session: Session) -> None:
    session.info.pop(_UNDO, None)
