"""Tokens and sessions do not outlive a password (issue 13, finding 5): a password change ends the
account's other sessions and revokes its API tokens (keeping the session that changed it); an
administrator's reset and a deactivation end everything; guessing the current password on the
change form is throttled like a login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.accounts import KnownDevice
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts as acc
from eduplan.services.accounts.reset import reset_password
from eduplan.services.errors import Throttled, Unauthenticated

NEW = "Changed-Yangtze-River9"


def _signed_in(
    sessions: SessionFactory, settings: Settings, name: str, password: str
) -> tuple[str, acc.Principal]:
    login = acc.login(sessions, settings, name, password)
    return login.token, acc.session_principal(sessions, settings, login.token)


def test_a_password_change_revokes_tokens_and_other_sessions(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    here, me = _signed_in(sessions, settings, "office", world.password)
    elsewhere, _ = _signed_in(sessions, settings, "office", world.password)
    token = acc.create_token(sessions, me, "统计系统").secret
    other_user_token = acc.create_token(
        sessions, _signed_in(sessions, settings, "leader", world.password)[1], "x"
    )
    acc.change_password(sessions, settings, me, world.password, NEW)
    with pytest.raises(Unauthenticated):
        acc.token_principal(sessions, token)
    with pytest.raises(Unauthenticated):
        acc.session_principal(sessions, settings, elsewhere)
    assert acc.session_principal(sessions, settings, here).username == "office"  # the one that changed it
    assert [t.revoked for t in acc.list_tokens(sessions, me)] == [True]
    assert acc.token_principal(sessions, other_user_token.secret).username == "leader"


@pytest.mark.parametrize("how", ["reset", "deactivate"])
def test_a_reset_or_deactivation_ends_everything(
    world: World, sessions: SessionFactory, settings: Settings, how: str
) -> None:
    login = acc.login(sessions, settings, "jichu", world.password)
    me = acc.session_principal(sessions, settings, login.token)
    token = acc.create_token(sessions, me, "对接").secret
    if how == "reset":
        reset_password(sessions, settings, acc.Principal.system(), "jichu")
    else:
        acc.set_active(sessions, acc.Principal.system(), world.users["jichu"], False)
        acc.set_active(sessions, acc.Principal.system(), world.users["jichu"], True)
    with pytest.raises(Unauthenticated):
        acc.token_principal(sessions, token)
    with pytest.raises(Unauthenticated):
        acc.session_principal(sessions, settings, login.token)
    with sessions() as s:  # its browsers are no longer known: the lockout applies to them again
        assert s.scalars(select(KnownDevice).where(KnownDevice.user_id == world.users["jichu"])).all() == []


def test_guessing_the_current_password_is_throttled(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    _, me = _signed_in(sessions, settings, "viewer", world.password)
    for i in range(settings.login_max_failures):
        with pytest.raises(Unauthenticated, match="当前密码不正确"):
            acc.change_password(sessions, settings, me, f"Guess-{i}-Passw0rd", NEW)
    with pytest.raises(Throttled):  # even the right one, for the rest of the window
        acc.change_password(sessions, settings, me, world.password, NEW)
