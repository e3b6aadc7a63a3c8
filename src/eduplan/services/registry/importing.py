"""Use case: import a planning document into the registry, as a new plan or a new version.

One file is one transaction: the document is read and parsed first (no database work), then the
organisation, plan, version, source document and every row of the plan are written together, so a
file that fails to read or parse, or a crash half-way, leaves the registry as it was.

- The same bytes (sha256) twice: nothing new (``status="duplicate"``).
- A document whose plan (same organisation, kind, year or period, and a similar title) is already
  registered becomes its next version, its tasks matched to the previous version's
  (`matching.match_tasks`) so that each continues its tracked task; the result lists the tasks
  added, removed and changed.  A different file with exactly the same content as the latest
  version creates nothing (``status="unchanged"``).
- The organisation is the one given, else the plan's own place (常州市), created on first sight with
  its 省 parent where known; when the document names no place, a registered organisation its
  title or issuer names (`inference.infer_place`).

`import_paths` imports many files (folders are walked), one transaction each, so one bad file does
not stop the others; it reports per file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion, SourceDocument
from eduplan.db.tasks import Task
from eduplan.plan_json import plan_to_dict
from eduplan.services.registry.diff import TaskRef, VersionDiff, diff_versions, get_version
from eduplan.services.registry.documents import document_text
from eduplan.services.registry.errors import Conflict, ImportReason, ImportRejected, RegistryError
from eduplan.services.registry.inference import place_of
from eduplan.services.registry.matching import TaskText, match_tasks, similarity
from eduplan.services.registry.orgs import ensure_org
from eduplan.services.registry.rebuild import load_plan
from eduplan.services.registry.store import new_tracked_tasks, new_version, write_version
from eduplan.services.registry.topics import store_topics
from eduplan.services.registry.units import UnitResolver
from eduplan.services.sandbox import ParseLimits, read_and_parse

ImportStatus = Literal["created", "revised", "duplicate", "unchanged"]
TITLE_RATIO = 0.8
SUBJECT_RATIO = 0.5
"""Below this, the differing middles of two titles name different plans (see `different_subjects`)."""
MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
}
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

    @property
    def created(self) -> bool:
        """Whether anything was written."""
        return self.status in ("created", "revised")


def fingerprint(plan: domain.Plan) -> str:
    """sha256 of the plan's canonical Plan JSON (what the ETag of its document is made from)."""
    text = json.dumps(plan_to_dict(plan), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(
    data: bytes, filename: str, limits: ParseLimits | None = None
) -> tuple[list[str], domain.Plan, str]:
    """Lines, parsed plan and media type of a document; `ImportRejected` when it cannot be read.
    With `limits` (uploads), the reading and parsing run in a child process under them (`sandbox`)."""
    from eduplan.parsing import ParseError, parse_plan
    from eduplan.readers import ReadError, read_bytes
    from eduplan.readers.detect import detect_format

    if data:
        try:
            media_type = MEDIA_TYPES[detect_format(data, filename)]
        except ReadError as exc:  # not a document format at all (image, spreadsheet, archive…)
            raise ImportRejected(str(exc), _READ_REASONS.get(exc.reason, "unsupported")) from exc
    try:
        if limits is not None:
            document, plan = read_and_parse(data, filename, limits)
            return document.lines, plan, media_type
        lines = read_bytes(data, filename)
    except ReadError as exc:
        raise ImportRejected(str(exc), _READ_REASONS.get(exc.reason, "unreadable")) from exc
    except ParseError as exc:
        raise ImportRejected(str(exc), "unparsable") from exc
    try:
        plan = parse_plan(lines)
    except ParseError as exc:
        raise ImportRejected(str(exc), "unparsable") from exc
    return lines, plan, media_type


def _same_plan(session: Session, org_id: int, plan: domain.Plan) -> Plan | None:
    period = plan.period or (None, None)
    candidates = session.scalars(
        select(Plan)
        .where(
            Plan.org_id == org_id,
            Plan.kind == plan.kind,
            Plan.year.is_(None) if plan.year is None else Plan.year == plan.year,
            Plan.period_start.is_(None) if period[0] is None else Plan.period_start == period[0],
            Plan.period_end.is_(None) if period[1] is None else Plan.period_end == period[1],
        )
        .order_by(Plan.id)
    ).all()
    scored = [(similarity(c.title, plan.title, TITLE_RATIO), -c.id, c) for c in candidates]
    scored = [s for s in scored if not different_subjects(s[2].title, plan.title)]
    best = max(scored, key=lambda s: (s[0], s[1]), default=None)
    return best[2] if best and best[0] >= TITLE_RATIO else None


def different_subjects(a: str, b: str) -> bool:
    """Whether two similar titles name different work: what is left between their common start
    (place, issuer, year) and common end (工作要点, 规划) differs on both sides — 学校体育 against 教育
    in 示例市教育局2026年学校体育工作要点 / …2026年教育工作要点 — while a revised edition only adds or
    drops a word on one side (（修订稿）, 年度)."""
    start = len(os.path.commonprefix([a, b]))  # noqa: RUF071 (characters, not paths)
    end = len(os.path.commonprefix([a[start:][::-1], b[start:][::-1]]))  # noqa: RUF071
    rest_a, rest_b = a[start : len(a) - end], b[start : len(b) - end]
    return bool(rest_a and rest_b) and similarity(rest_a, rest_b) < SUBJECT_RATIO


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


def _existing(session: Session, sha: str, filename: str) -> ImportResult | None:
    doc = session.scalars(select(SourceDocument).where(SourceDocument.sha256 == sha)).first()
    if doc is None:
        return None
    version = session.scalars(select(PlanVersion).where(PlanVersion.document_id == doc.id)).one()
    return ImportResult(
        "duplicate", filename, sha, version.plan_id, version.number, version.plan.org_id, version.title
    )


def import_document(
    sessions: SessionFactory,
    data: bytes,
    filename: str,
    org: str | None = None,
    limits: ParseLimits | None = None,
) -> ImportResult:
    """Import one document (its bytes and file name) into the registry, in one transaction; an
    upload is read under `limits` in a child process (`eduplan.services.sandbox`)."""
    sha = hashlib.sha256(data).hexdigest()
    with sessions() as session:
        found = _existing(session, sha, filename)
    if found is not None:
        return found
    lines, plan, media_type = read_document(data, filename, limits)
    with sessions() as session:
        place = place_of(session, plan, org)
    if not place:
        raise ImportRejected(
            "无法从文件中识别发文单位所在地区，请指定所属机构（如 --org 常州市）", "no_organisation"
        )
    try:
        with sessions.begin() as session:
            return _store(session, data, sha, filename, media_type, lines, plan, place)
    except IntegrityError as exc:
        # Another import of the same bytes (or the same plan) committed first.
        with sessions() as session:
            found = _existing(session, sha, filename)
        if found is not None:
            return found
        raise Conflict("另一导入同时修改了同一计划，请重试") from exc


def _store(
    session: Session,
    data: bytes,
    sha: str,
    filename: str,
    media_type: str,
    lines: list[str],
    plan: domain.Plan,
    place: str,
) -> ImportResult:
    found = _existing(session, sha, filename)
    if found is not None:
        return found
    now = datetime.now(UTC)
    org = ensure_org(session, place)
    plan_row = _same_plan(session, org.id, plan)
    previous = get_version(session, plan_row.id) if plan_row else None
    if plan_row is not None and previous is not None and load_plan(session, previous) == plan:
        return ImportResult("unchanged", filename, sha, plan_row.id, previous.number, org.id, previous.title)
    if plan_row is None:
        plan_row = Plan(
            org_id=org.id,
            title=plan.title,
            kind=plan.kind,
            year=plan.year,
            period_start=plan.period[0] if plan.period else None,
            period_end=plan.period[1] if plan.period else None,
            created_at=now,
        )
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
    return ImportResult(
        status, filename, sha, plan_row.id, version.number, org.id, plan.title, diff, list(plan.warnings)
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


DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc")
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
        except (ReadError, RegistryError, OSError) as exc:
            outcome.error = str(exc) or type(exc).__name__
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes
