"""What importing a parsed document would do, worked out without writing (a dry run of
`importing.store_document`), for the import preview: a new plan, the next version of a registered
plan (with how many tasks it adds, removes and changes), or nothing new (the same file, or the
same content as the latest version) — and why (`reason`): which registered plan it revises and on
what ground, or which similar plan it is not a revision of.

The rules are the import's own — the same file (sha256), the same plan (`plan_identity.decide`),
the tasks matched with `matching.match_tasks` and compared as `importing._tracked` does — so the
preview says what confirming will do.  Limits: the registry can change between the preview and
the confirmation (another import meanwhile); the confirmation then follows the registry as it is.
The organisation is looked up, never created: an unknown one means a new plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from eduplan import domain
from eduplan.db.engine import SessionFactory
from eduplan.services.registry import importing
from eduplan.services.registry.diff import get_version
from eduplan.services.registry.matching import TaskText, match_tasks
from eduplan.services.registry.orgs import find_org
from eduplan.services.registry.plan_identity import decide
from eduplan.services.registry.rebuild import load_plan

PreviewStatus = Literal["new", "revision", "duplicate", "unchanged", "no_organisation"]


@dataclass
class ImportPreview:
    """What confirming the import will do; `plan_id`/`plan_title`/`version` name the registered plan
    concerned (for a revision, `version` is the number the document will become)."""

    status: PreviewStatus
    place: str | None
    plan_id: int | None = None
    plan_title: str | None = None
    version: int | None = None
    added: int = 0
    removed: int = 0
    changed: int = 0
    reason: str = ""
    """Why: the plan revised and on what ground, or the similar plan it is not a revision of."""
    near_id: int | None = None
    near_title: str | None = None


def _counts(old: list[domain.Task], new: list[domain.Task]) -> tuple[int, int, int]:
    pairs = match_tasks(
        [TaskText(t.number, t.title, t.text) for t in old],
        [TaskText(t.number, t.title, t.text) for t in new],
    )
    changed = sum(1 for j, i in pairs.items() if old[i] != new[j])
    return len(new) - len(pairs), len(old) - len(pairs), changed


def preview_import(
    sessions: SessionFactory, plan: domain.Plan, place: str | None, sha256: str | None = None
) -> ImportPreview:
    """The outcome of importing `plan` (the file's `sha256`, if known) into the organisation `place`."""
    with sessions() as session:
        if sha256 is not None:
            found = importing.existing_import(session, sha256, "")
            if found is not None:
                return ImportPreview("duplicate", place, found.plan_id, found.title, found.version)
        if not place:
            return ImportPreview("no_organisation", None)
        org = find_org(session, place)
        decision = decide(session, org.id if org is not None else None, plan)
        plan_row = decision.plan
        if plan_row is None:
            near = decision.near
            return ImportPreview(
                "new",
                place,
                reason=decision.reason,
                near_id=near.id if near else None,
                near_title=near.title if near else None,
            )
        previous = get_version(session, plan_row.id)
        old = load_plan(session, previous)
        if old == plan:
            return ImportPreview(
                "unchanged", place, plan_row.id, plan_row.title, previous.number, reason=decision.reason
            )
        added, removed, changed = _counts([t for _, t in old.tasks()], [t for _, t in plan.tasks()])
        return ImportPreview(
            "revision",
            place,
            plan_row.id,
            plan_row.title,
            previous.number + 1,
            added,
            removed,
            changed,
            decision.reason,
        )
