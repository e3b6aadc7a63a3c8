"""Who is asking: a `Principal` (the signed-in user, or the system for CLI work) and what its role
may do.  Roles:

- ``admin``: everything, in every organisation; manages accounts.
- ``leader`` (领导): reads everything of their organisation and the organisations below it.
- ``office`` (办公室/督查 staff): reads like a leader; opens plans for reporting, assigns units,
  hands tasks down, returns and accepts reports, imports plans, creates accounts of their organisation.
- ``reporter`` (单位填报员): reads and reports on the tasks of their own unit only.
- ``viewer``: reads what a leader reads, changes nothing.

Drafts of a report are seen by the reporters of its unit only.
"""

from __future__ import annotations

from dataclasses import dataclass

from eduplan.choices import ROLE_LABELS as ROLE_LABELS
from eduplan.services.errors import Forbidden

READERS = ("admin", "leader", "office", "viewer")
MANAGERS = ("admin", "office")


@dataclass(frozen=True)
class Principal:
    """The user a request acts for; `org_path` scopes what it sees (None: everything)."""

    user_id: int | None
    username: str
    role: str
    org_id: int | None
    org_path: str | None
    unit_id: int | None
    must_change_password: bool = False
    csrf_token: str | None = None

    @classmethod
    def system(cls) -> Principal:
        """The command line acting with full rights (``eduplan assign``, ``eduplan admin``)."""
        return cls(None, "system", "admin", None, None, None)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def manages(self) -> bool:
        """Office staff and administrators: plans, assignments, reviews."""
        return self.role in MANAGERS

    @property
    def reads_org(self) -> bool:
        """Reads every item of its organisation (all roles but the unit reporter)."""
        return self.role in READERS

    def require_manager(self) -> None:
        """Refuse unless office staff or administrator."""
        if not self.manages:
            raise Forbidden("只有办公室/督查人员或管理员可以执行此操作")

    def sees_org(self, org_path: str) -> bool:
        """Whether an organisation (by path) lies within this principal's scope."""
        if self.org_path is None:
            return self.is_admin
        return org_path == self.org_path or org_path.startswith(self.org_path + "/")
