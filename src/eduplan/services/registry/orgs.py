"""Finding or creating organisations by place: the 省 → 市 → 县区 path is created on first sight."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.orgs import Organisation
from eduplan.services.registry.places import level_of, place_path

PATH_SEPARATOR = "/"


def find_org(session: Session, name: str) -> Organisation | None:
    """The organisation of a place name or path, if the registry has it (no row is created)."""
    path = PATH_SEPARATOR.join(place_path(name))
    org = session.scalars(select(Organisation).where(Organisation.path == path)).first()
    if org is not None:
        return org
    matches = session.scalars(select(Organisation).where(Organisation.name == name.strip())).all()
    return matches[0] if len(matches) == 1 else None


def ensure_org(session: Session, place: str, created: list[Organisation] | None = None) -> Organisation:
    """The organisation of `place` (a name or a path), creating it and any missing parents (each
    one created is appended to `created`, for the caller's audit entries)."""
    existing = find_org(session, place)
    if existing is not None:
        return existing
    parent: Organisation | None = None
    names = place_path(place)
    for depth, name in enumerate(names):
        path = PATH_SEPARATOR.join(names[: depth + 1])
        org = session.scalars(select(Organisation).where(Organisation.path == path)).first()
        if org is None:
            org = Organisation(
                name=name,
                level=level_of(name, depth),
                parent_id=parent.id if parent else None,
                path=path,
            )
            session.add(org)
            session.flush()
            if created is not None:
                created.append(org)
        parent = org
    assert parent is not None
    return parent
