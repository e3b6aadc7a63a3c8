"""Use case: import a planning document into the registry, as a new plan or a new version.

One file is one transaction: the document is read and parsed first (no database work), then the
organisation, plan, version, source document and every row of the plan are written together, so a
file that fails to read or parse, or a crash half-way, leaves the registry as it was.

- The same bytes (sha256) twice: nothing new (``status="duplicate"``).
- A document whose plan (same organisation, kind, year or period, and the same title but for
  edition words such as （修订稿）: `plan_identity.decide`) is already registered becomes its next
  version, its tasks matched to the previous version's (`matching.match_tasks`) so that each
  continues its tracked task; the result lists the tasks added, removed and changed, and says which
  plan it revised and why (`reason`).  A different file with exactly the same content as the latest
  version creates nothing (``status="unchanged"``).
- The organisation follows `import_policy.import_place` (who may import where): for administrators
  and the command line the one given, else the plan's own place (常州市), created on first sight
  with its 省 parent where known, else a registered organisation its title or issuer names
  (`inference.infer_place`); office staff always their own.
- Imports are serialised (`lock_imports`, taken before the first read of the transaction), so two
  editions of a new plan imported at the same moment make one plan with two versions, not two plans.
- Every import that writes is audited in the import's own transaction: the plan created or revised, and
  each organisation created (`services.audit`).

`import_paths` imports many files (folders are walked), one transaction each, so one bad file does
not stop the others; it reports per file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan, PlanVersion, SourceDocument
from eduplan.db.tasks import Task
from eduplan.plan_json import plan_to_dict
from eduplan.services.registry.diff import TaskRef, VersionDiff, diff_versions, get_version
from eduplan.services.registry.documents import document_text
from eduplan.services.registry.errors import Conflict, ImportReason, ImportRejected, ServiceError
from eduplan.services.registry.matching import TaskText, match_tasks
from eduplan.services.registry.orgs import ensure_org, find_org
from eduplan.services.registry.plan_identity import decide
from eduplan.services.registry.rebuild import load_plan
from eduplan.services.registry.store import new_tracked_tasks, new_version, plan_fields, write_version
from eduplan.services.registry.topics import store_topics
from eduplan.services.registry.units import UnitResolver
from eduplan.services.sandbox import ParseLimits, read_and_parse

if TYPE_CHECKING:  # services.errors imports this package: the policy and audit are imported late
    from eduplan.services.accounts.principal import Principal

ImportStatus = Literal["created", "revised", "duplicate", "unchanged"]
IMPORT_LOCK = 0x1E0A
"""PostgreSQL advisory lock class of imports (`lock_imports`)."""
MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ofd": "application/ofd",
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv; charset=utf-8",
    "mht": "multipart/related",
}
_IMAGE_TYPES = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF8", "image/gif"),
    (b"RIFF", "image/webp"),
)


def media_type_of(fmt: str, data: bytes) -> str:
    """The media type an original file is kept and served with, by its detected format (and, for a
    page image, its own header)."""
    if fmt == "image":
        return next((t for magic, t in _IMAGE_TYPES if data.startswith(magic)), "application/octet-stream")
    return MEDIA_TYPES[fmt]


_READ_REASONS: dict[str, ImportReason] = {
    "too_large": "too_large",
    "unsupported": "unsupported",
    "legacy_office": "unsupported",
    "binary": "unsupported",
    "empty": "unreadable",
}


@dataclass
class ImportResult:
    """What one import did: the plan and version it landed in, and the task changes it brought."""

    status: ImportStatus
    filename: str
    sha256: str
    plan_id: int
    version: int
    org_id: int
    title: str
    diff: VersionDiff | None = None
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    """Why this plan: which registered plan a document revised (or resembled) and why."""

    @property
    def created(self) -> bool:
        """Whether anything was written."""
        return self.status in ("created", "revised")


def fingerprint(plan: domain.Plan) -> str:
    """sha256 of the plan's canonical Plan JSON (what the ETag of its document is made from)."""
    text = json.dumps(plan_to_dict(plan), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def media_type_for(data: bytes, filename: str) -> str:
    """The media type an import stores for a file; `ImportRejected` when it is no document at all."""
    from eduplan.readers import ReadError
    from eduplan.readers.detect import detect_format

    try:
        return media_type_of(detect_format(data, filename), data)
    except ReadError as exc:  # not a document format at all (image, spreadsheet, archive…)
        raise ImportRejected(str(exc), _READ_REASONS.get(exc.reason, "unsupported")) from exc


def read_document(
    data: bytes, filename: str, choice: int = 0, limits: ParseLimits | None = None
) -> tuple[list[str], domain.Plan, str]:
    """Lines, parsed plan and media type of a document (a task table too); `ImportRejected` when it
    cannot be read.  `choice` picks a plan of a file that bundles several (the first by default).
    With `limits` (uploads), the reading and parsing run in a child process under them (`sandbox`)."""
    from eduplan.parsing import ParseError
    from eduplan.readers import ReadError
    from eduplan.readers import read_document as read
    from eduplan.services.parse import parse_document_plans

    if data:
        media_type = media_type_for(data, filename)
    try:
        if limits is not None:
            document, plans = read_and_parse(data, filename, limits)
        else:
            document = read(data, filename)
            plans = parse_document_plans(document)
    except ReadError as exc:
        raise ImportRejected(str(exc), _READ_REASONS.get(exc.reason, "unreadable")) from exc
    except ParseError as exc:
        raise ImportRejected(str(exc), "unparsable") from exc
    if not 0 <= choice < len(plans):
        raise ImportRejected("文件中没有所选的这份计划，请重新上传", "unparsable")
    return document.lines, plans[choice], media_type


def lock_imports(session: Session) -> None:
    """Serialise imports for the rest of the transaction: PostgreSQL takes an advisory lock; SQLite
    takes its write lock at once (a write that changes nothing), since its driver would otherwise
    begin the transaction only at the first INSERT, after both imports had read "no such plan"."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:c, 0)"), {"c": IMPORT_LOCK})
    else:
        conn.execute(text("UPDATE organisations SET id = id WHERE id IS NULL"))


def _tracked(
    session: Session, plan_row: Plan, previous: PlanVersion | None, plan: domain.Plan
) -> tuple[list[int], list[str]]:
    """The tracked task (id) each new task continues, or a new one, and how each task changed."""
    new_tasks = [t for _, t in plan.tasks()]
    tracked: list[int | None] = [None] * len(new_tasks)
    changes = ["added"] * len(new_tasks)
    if previous is not None:
        old_tracked = session.scalars(
            select(Task.tracked_id).where(Task.version_id == previous.id).order_by(Task.position)
        ).all()
        old_tasks = [t for _, t in load_plan(session, previous).tasks()]
        pairs = match_tasks(
            [TaskText(t.number, t.title, t.text) for t in old_tasks],
            [TaskText(t.number, t.title, t.text) for t in new_tasks],
        )
        for j, i in pairs.items():
            tracked[j] = old_tracked[i]
            changes[j] = "unchanged" if old_tasks[i] == new_tasks[j] else "changed"
    fresh = iter(new_tracked_tasks(session, plan_row.id, tracked.count(None)))
    return [t if t is not None else next(fresh) for t in tracked], changes


def existing_import(session: Session, sha: str, filename: str) -> ImportResult | None:
    """The import of a file with these bytes already in the registry (a duplicate), if any."""
    doc = session.scalars(select(SourceDocument).where(SourceDocument.sha256 == sha)).first()
    if doc is None:
        return None
    version = session.scalars(select(PlanVersion).where(PlanVersion.document_id == doc.id)).one()
    return ImportResult(
        "duplicate", filename, sha, version.plan_id, version.number, version.plan.org_id, version.title
    )


def source_sha(data: bytes, choice: int = 0) -> str:
    """The registry's key of an imported file: its sha256; for the second and later plans of a file
    that bundles several, the sha256 of the bytes followed by ``#plan=N``, so that each plan of
    the file can be imported once (and each only once)."""
    return hashlib.sha256(data if choice == 0 else data + f"#plan={choice}".encode()).hexdigest()


def import_document(
    sessions: SessionFactory,
    data: bytes,
    filename: str,
    org: str | None = None,
    actor: Principal | None = None,
    choice: int = 0,
    limits: ParseLimits | None = None,
) -> ImportResult:
    """Import one document (its bytes and file name) into the registry, in one transaction, for
    `actor` (None: the system, i.e. the command line) into `org` as `import_policy` allows;
    `choice` picks the plan of a file that bundles several (the first by default); an upload is
    read under `limits` in a child process (`eduplan.services.sandbox`)."""
    from eduplan.services.accounts.principal import Principal
    from eduplan.services.registry.import_policy import import_place

    actor = actor or Principal.system()
    actor.require_manager()
    sha = source_sha(data, choice)
    with sessions() as session:
        found = existing_import(session, sha, filename)
    if found is not None:
        return found
    lines, plan, media_type = read_document(data, filename, choice, limits)
    with sessions() as session:
        place = import_place(session, actor, plan, org)
    if not place:
        raise ImportRejected(
            "无法从文件中识别发文单位所在地区，请指定所属机构（如 --org 常州市）", "no_organisation"
        )
    try:
        with sessions.begin() as session:
            return store_document(session, actor, data, sha, filename, media_type, lines, plan, place)
    except IntegrityError as exc:
        # Another import of the same bytes (or the same plan) committed first.
        with sessions() as session:
            found = existing_import(session, sha, filename)
        if found is not None:
            return found
        raise Conflict("另一导入同时修改了同一计划，请重试") from exc


def store_document(
    session: Session,
    actor: Principal,
    data: bytes,
    sha: str,
    filename: str,
    media_type: str,
    lines: list[str],
    plan: domain.Plan,
    place: str,
) -> ImportResult:
    """The import's transaction body (in the caller's transaction): the organisation, plan, version,
    source document and rows, and the audit entries; the caller checked `import_place`."""
    from eduplan.services.audit import record
    from eduplan.services.errors import Forbidden
    from eduplan.services.registry.import_policy import may_create_orgs

    lock_imports(session)
    found = existing_import(session, sha, filename)
    if found is not None:
        return found
    now = datetime.now(UTC)
    created_orgs: list[Organisation] = []
    if may_create_orgs(actor):
        org = ensure_org(session, place, created_orgs)
    else:
        found_org = find_org(session, place)
        if found_org is None:
            raise Forbidden(f"机构“{place}”尚未登记，只有管理员可以新建机构")
        org = found_org
    for new_org in created_orgs:
        made = {"name": new_org.name, "path": new_org.path, "level": new_org.level}
        record(session, actor, "create", "organisation", new_org.id, None, new_org.id, None, made)
    decision = decide(session, org.id, plan)
    plan_row = decision.plan
    previous = get_version(session, plan_row.id) if plan_row else None
    if plan_row is not None and previous is not None and load_plan(session, previous) == plan:
        return ImportResult(
            "unchanged",
            filename,
            sha,
            plan_row.id,
            previous.number,
            org.id,
            previous.title,
            reason=decision.reason,
        )
    if plan_row is None:
        plan_row = Plan(org_id=org.id, created_at=now, **plan_fields(plan))
        session.add(plan_row)
        session.flush()
    plan_row.title = plan.title
    document = SourceDocument(
        sha256=sha,
        filename=filename,
        media_type=media_type,
        size=len(data),
        content=data,
        lines=lines,
        imported_at=now,
    )
    session.add(document)
    session.flush()
    version = new_version(
        plan_row.id, previous.number + 1 if previous else 1, document.id, plan, fingerprint(plan), now
    )
    version.plan_json = document_text(plan_to_dict(plan))
    session.add(version)
    session.flush()
    tracked, changes = _tracked(session, plan_row, previous, plan)
    task_ids = write_version(session, version, plan, tracked, changes, UnitResolver(session, org))
    store_topics(session, version, plan, task_ids, tracked)
    if previous is None:  # every task is new: the diff needs no second look at the database
        added = [
            TaskRef(task_id, tracked_id, task.number, chapter.number, task.title)
            for task_id, tracked_id, (chapter, task) in zip(task_ids, tracked, plan.tasks(), strict=True)
        ]
        diff = VersionDiff(plan_row.id, None, version.number, added=added)
    else:
        diff = diff_versions(session, plan_row.id, version.number)
    status: ImportStatus = "revised" if previous else "created"
    after: dict[str, Any] = {
        "version": version.number,
        "title": plan.title,
        "filename": filename,
        "sha256": sha,
        "tasks": len(task_ids),
        "reason": decision.reason,
    }
    before: dict[str, Any] | None = (
        {"version": previous.number, "title": previous.title} if previous else None
    )
    record(
        session, actor, "revise" if previous else "import", "plan", plan_row.id, None, org.id, before, after
    )
    return ImportResult(
        status,
        filename,
        sha,
        plan_row.id,
        version.number,
        org.id,
        plan.title,
        diff,
        list(plan.warnings),
        decision.reason,
    )


@dataclass
class FileOutcome:
    """The outcome of one file of a bulk import: a result, or the error message that stopped it."""

    path: str
    result: ImportResult | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc", ".xlsx", ".xls", ".et", ".csv")
"""What a folder import picks up (.doc too, so that the reader can say how to convert it)."""


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and the documents in folders (recursively, name order, hidden ones skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(p).parts)
                if child.is_file() and not hidden and child.suffix.lower() in DOCUMENT_SUFFIXES:
                    yield child
        else:
            yield p


def import_paths(
    sessions: SessionFactory,
    paths: Iterable[str | Path],
    org: str | None = None,
    progress: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Import every file (folders walked), each in its own transaction; failures are reported, not raised."""
    from eduplan.readers import ReadError
    from eduplan.readers.limits import MAX_BYTES, check_size

    outcomes: list[FileOutcome] = []
    for path in iter_files(paths):
        outcome = FileOutcome(str(path))
        try:
            check_size(path.stat().st_size)
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
            outcome.result = import_document(sessions, data, path.name, org)
        except (ReadError, ServiceError, OSError) as exc:
            outcome.error = str(exc) or type(exc).__name__
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes
