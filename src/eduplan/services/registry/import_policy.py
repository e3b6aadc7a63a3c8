"""Who may import into which organisation — the one rule the API (``POST /api/v1/imports``), the
import pages and the command line all go through (`import_place`).

- Administrators, and the system (the command line), import into any organisation: the one named,
  else the place the document names (`inference.place_of`).  Only they create organisations: an
  organisation seen for the first time is created, with its missing parents, by their import.
- Office staff (办公室/督查) import into their own organisation only.  Naming none means their own;
  naming another — a sibling district, the city above, a new name — is refused (403) before
  anything is written.  Since a revision is looked for within the organisation imported into
  (`plan_identity.decide`), they can neither revise another organisation's plan nor create one.
- Everyone else imports nothing.

Every import that writes is audited by the import itself (`importing.store_document`): the plan
created or revised, and each organisation created.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Forbidden
from eduplan.services.registry.inference import place_of
from eduplan.services.registry.orgs import find_org


def fixed_org(actor: Principal) -> str | None:
    """The organisation (path) an actor must import into, or None when it may choose (administrators)."""
    return None if actor.is_admin else actor.org_path


def may_create_orgs(actor: Principal) -> bool:
    """Whether an import by `actor` may create organisations (administrators and the system)."""
    return actor.is_admin


def import_place(session: Session, actor: Principal, plan: domain.Plan, chosen: str | None) -> str | None:
    """The organisation (name or path) a document goes to, for `actor` who named `chosen` (or
    nothing); `Forbidden` when the actor may not import there; None when nothing says where."""
    actor.require_manager()
    chosen = chosen.strip() if chosen and chosen.strip() else None
    if may_create_orgs(actor):
        return place_of(session, plan, chosen)
    own = fixed_org(actor)
    if own is None or actor.org_id is None:
        raise Forbidden("账号未关联机构，不能导入规划；请联系管理员")
    if chosen is not None:
        named = find_org(session, chosen)
        if named is None or named.id != actor.org_id:
            raise Forbidden(f"只能导入到本机构（{own}），不能导入到“{chosen}”")
    return own
