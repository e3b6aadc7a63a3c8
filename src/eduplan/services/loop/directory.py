"""The unit directory (单位目录) as office staff keep it: adding a unit (科室, 直属单位) with its other
names to an organisation, e.g. the sections of a district that received a task handed down.

Units read from plans are added by the import; here staff add the ones no plan has named yet.  A
name (or alias) the organisation already knows is the same unit, never a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit, UnitAlias
from eduplan.parsing.units import is_group_word
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.registry.units import UnitResolver, unit_key
from eduplan.services.registry.views import UnitView, unit_view


@dataclass
class AddedUnit:
    """The unit, and whether it is new (False: a name the directory already knew)."""

    unit: UnitView
    created: bool


def add_unit(
    sessions: SessionFactory, actor: Principal, org_id: int, name: str, aliases: list[str] | None = None
) -> AddedUnit:
    """Add a unit to an organisation in the actor's scope (office staff), with its other names."""
    actor.require_manager()
    names = [n.strip() for n in [name, *(aliases or [])] if n.strip()]
    if not names or any(len(n) > 200 for n in names):
        raise Invalid("单位名称不能为空，且不超过 200 个字符")
    if group := next((n for n in names if is_group_word(n)), None):
        raise Invalid(f"“{group}”指一组单位而非某一个单位，不能加入单位目录；请分别添加各单位")
    with sessions.begin() as session:
        org = session.get(Organisation, org_id)
        if org is None or not actor.sees_org(org.path):
            raise NotFound(f"找不到机构 {org_id}")
        resolver = UnitResolver(session, org)
        unit = resolver.resolve(names[0])
        created = unit.id is None
        session.flush()
        for other in names[1:]:
            owner = session.scalars(
                select(UnitAlias.unit_id).where(
                    UnitAlias.org_id == org.id, UnitAlias.key == unit_key(other, org.name)
                )
            ).first()
            if owner is not None and owner != unit.id:
                raise Invalid(f"“{other}”已是另一单位的名称")
            resolver.resolve(f"{names[0]}（{other}）")
        session.flush()
        loaded = session.get(Unit, unit.id, options=[selectinload(Unit.aliases)], populate_existing=True)
        assert loaded is not None
        view = unit_view(loaded)
        if created or len(names) > 1:
            after = {"name": view.name, "aliases": view.aliases}
            record(
                session, actor, "create" if created else "alias", "unit", view.id, None, org.id, None, after
            )
        return AddedUnit(view, created)
