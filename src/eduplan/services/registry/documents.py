"""Plan documents: the Plan JSON of a version rebuilt from the registry, its ETag, the original file
(the last for the plan's own organisation only: `visibility`).

`plan_document` rebuilds the domain `Plan` from rows and serializes it with `plan_to_dict`, so it
equals what the parser produced for the imported file.  Versions never change, so the ETag is the
version's fingerprint (sha256 of that JSON), known without rebuilding anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.plans import PlanVersion
from eduplan.services.registry.diff import VersionDiff, diff_versions, get_version
from eduplan.services.registry.rebuild import stored_plan_text
from eduplan.services.registry.visibility import check_sources

if TYPE_CHECKING:
    from eduplan.services.accounts.principal import Principal


@dataclass
class SourceFile:
    """An imported file as received."""

    filename: str
    media_type: str
    sha256: str
    content: bytes


def document_text(document: dict[str, Any]) -> str:
    """A Plan JSON document as served (compact, UTF-8 characters unescaped)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _text(session: Session, version: PlanVersion) -> str:
    return stored_plan_text(session, version)


def document_etag(sessions: SessionFactory, plan_id: int, version: int | None = None) -> str:
    """The (strong, quoted) ETag of a plan version's Plan JSON."""
    with sessions() as s:
        return f'"{get_version(s, plan_id, version).fingerprint}"'


def plan_document(sessions: SessionFactory, plan_id: int, version: int | None = None) -> dict[str, Any]:
    """The Plan JSON of version `version` of a plan (default: its latest)."""
    return json.loads(plan_document_json(sessions, plan_id, version)[1])


def plan_document_json(
    sessions: SessionFactory, plan_id: int, version: int | None = None
) -> tuple[str, bytes]:
    """The (quoted) ETag and the serialized Plan JSON of a plan version, read together."""
    with sessions() as s:
        found = get_version(s, plan_id, version)
        return f'"{found.fingerprint}"', _text(s, found).encode("utf-8")


def source_file(
    sessions: SessionFactory, actor: Principal, plan_id: int, version: int | None = None
) -> SourceFile:
    """The original file a plan version was imported from, for those who may read it
    (`visibility.reads_sources`; `NotFound` for anyone else)."""
    with sessions() as s:
        found = get_version(s, plan_id, version)
        check_sources(actor, found.plan.organisation.path, plan_id)
        d = found.document
        return SourceFile(d.filename, d.media_type, d.sha256, d.content)


def version_diff(
    sessions: SessionFactory, plan_id: int, version: int, against: int | None = None
) -> VersionDiff:
    """Tasks added, removed and changed in `version` compared with `against` (default: the one before)."""
    with sessions() as s:
        return diff_versions(s, plan_id, version, against)
