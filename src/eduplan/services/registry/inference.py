"""Which registered organisation a document belongs to when the parser found no place in it.

The parser takes the place from an issuer line (示例市教育局…); a title such as
“示例市2026年学校体育工作要点” has none.  Then an organisation already in the registry is taken
when its full name starts the title or appears in an issuer (发文单位) line, the most specific one
(deepest in the 省 → 市 → 县区 tree) winning — 江苏省常州市教育局 gives 常州市, not 江苏省.

Limits, on purpose strict: only full names (示例 does not stand for 示例市), only organisations
already registered (nothing is created from a guess), and two different organisations equally
specific (two 示例市 in two provinces) give no answer, so that staff are asked.  Read-only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db.orgs import Organisation

PATH_SEPARATOR = "/"


def _named(org_name: str, plan: domain.Plan) -> bool:
    name = org_name.strip()
    if not name:
        return False
    return plan.title.strip().startswith(name) or any(name in line for line in plan.issuer)


def infer_place(session: Session, plan: domain.Plan) -> str | None:
    """The path of the registered organisation the document names, or None (none, or ambiguous)."""
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.path)).all()
    named = [r for r in rows if _named(r.name, plan)]
    if not named:
        return None
    depth = max(r.path.count(PATH_SEPARATOR) for r in named)
    deepest = [r for r in named if r.path.count(PATH_SEPARATOR) == depth]
    return deepest[0].path if len(deepest) == 1 else None


def place_of(session: Session, plan: domain.Plan, given: str | None = None) -> str | None:
    """The place an import goes to: the one given, else the parser's, else `infer_place`."""
    return given or plan.place or infer_place(session, plan)
