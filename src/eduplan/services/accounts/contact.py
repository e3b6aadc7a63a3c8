"""Where an account's notices go: its e-mail address, set by the person on the account page or by
an administrator or office staff (for the accounts they manage) through the API and admin page.

One rule for every caller: an address has an ``@`` and at most 300 characters; empty clears it
(the person then gets notices in the inbox only).  Every change is audited.
"""

from __future__ import annotations

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.emails import clean_email
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.users import UserView, user_view
from eduplan.services.audit import record
from eduplan.services.errors import Forbidden, NotFound


def set_email(sessions: SessionFactory, actor: Principal, user_id: int, email: str | None) -> UserView:
    """Set (or clear) an account's e-mail: one's own, or as a manager an account in one's scope."""
    address = clean_email(email)
    with sessions.begin() as session:
        user = session.get(User, user_id)
        own = user is not None and user.id == actor.user_id
        in_scope = user is not None and (
            own
            or actor.is_admin
            or (actor.manages and user.organisation is not None and actor.sees_org(user.organisation.path))
        )
        if user is None or not in_scope:
            raise NotFound(f"找不到用户 {user_id}")
        if user.role == "admin" and not (own or actor.is_admin):
            raise Forbidden("只有管理员可以修改管理员的邮箱")
        if user.email != address:
            before = {"email": user.email}
            user.email = address
            record(
                session, actor, "set_email", "user", user.id, None, user.org_id, before, {"email": address}
            )
        session.flush()
        return user_view(user)


def email_of(sessions: SessionFactory, user_id: int | None) -> str | None:
    """An account's e-mail address (None: none, or the system)."""
    if user_id is None:
        return None
    with sessions() as session:
        user = session.get(User, user_id)
        return user.email if user else None
