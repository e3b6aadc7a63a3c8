"""People and access (issue 4): accounts, passwords, sessions, API tokens and roles.

Use cases: `create_user`, `create_admin`, `ensure_admin`, `list_users`, `change_password`, `set_active`;
`login`, `logout`, `session_principal`, `token_principal`, `create_token`, `list_tokens`,
`revoke_token`.  A `Principal` is who a request acts for; its role decides what it may do.
统一身份认证 (issue 17): `oidc` (OpenID Connect sign-in), `ldap_login.password_login` (the login form's
check: an LDAP/AD bind when configured, else the local password) and `external` (accounts of both).
"""

from eduplan.services.accounts.auth import (
    LoginResult,
    NewToken,
    TokenView,
    create_token,
    list_tokens,
    login,
    logout,
    revoke_token,
    session_principal,
    token_principal,
)
from eduplan.services.accounts.principal import ROLE_LABELS, Principal
from eduplan.services.accounts.users import (
    NewUser,
    UserCreate,
    UserView,
    change_password,
    create_admin,
    create_user,
    ensure_admin,
    list_users,
    set_active,
)

__all__ = [
    "ROLE_LABELS",
    "LoginResult",
    "NewToken",
    "NewUser",
    "Principal",
    "TokenView",
    "UserCreate",
    "UserView",
    "change_password",
    "create_admin",
    "create_token",
    "create_user",
    "ensure_admin",
    "list_tokens",
    "list_users",
    "login",
    "logout",
    "revoke_token",
    "session_principal",
    "set_active",
    "token_principal",
]
