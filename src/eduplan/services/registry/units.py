"""Units (科室, 直属单位) of an organisation, found by alias so that one unit keeps one row.

The lookup key drops what varies between mentions of the same unit: a leading 市/区/县 (市教师进修学院 =
教师进修学院), the organisation's own place name, and spaces.  A name with a bracketed second name
(市招办（市教育发展服务中心）) is one unit known by both.  Group words such as 各县区教育局 or 局各科室
are never units (`parsing.units.is_group_word`; the import links them with no unit, the loop shows them
as 待明确); `kind` tells 科室 from 直属单位 by the suffix.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.orgs import Organisation, Unit, UnitAlias

_BRACKETED = re.compile(r"^(.+?)[（(]([^）)]+)[）)]$")
_SECTION_SUFFIX = ("科", "处", "室", "办", "办公室", "组", "部")
_AFFILIATED_SUFFIX = ("院", "中心", "学校", "馆", "站", "所", "台", "会")


def unit_names(name: str) -> list[str]:
    """The names one mention stands for: 市招办（市教育发展服务中心） → [市招办, 市教育发展服务中心]."""
    m = _BRACKETED.match(name.strip())
    return [m.group(1).strip(), m.group(2).strip()] if m else [name.strip()]


def unit_key(name: str, place: str | None = None) -> str:
    """The lookup key of a unit name within its organisation."""
    key = re.sub(r"\s+", "", name)
    if place:
        stem = place.removesuffix("市").removesuffix("区").removesuffix("县")
        for prefix in (place, stem):
            if prefix and key.startswith(prefix) and len(key) > len(prefix) + 1:
                key = key[len(prefix) :]
                break
    if key[:1] in ("市", "区", "县") and len(key) > 2:
        key = key[1:]
    return key


def unit_kind(name: str) -> str:
    """section (科室), affiliated (直属单位) or other."""
    if name.endswith(_SECTION_SUFFIX):
        return "section"
    if name.endswith(_AFFILIATED_SUFFIX):
        return "affiliated"
    return "other"


class UnitResolver:
    """Finds or creates the units of one organisation during one import.

    The organisation's aliases are read once, on first use, and new units are only added to the
    session (flushed with the plan's rows), so resolving never queries or flushes per name: a plan
    of hundreds of tasks is written in one batch of inserts.
    """

    def __init__(self, session: Session, org: Organisation) -> None:
        self.session = session
        self.org = org
        self._cache: dict[str, Unit] | None = None

    def _known(self) -> dict[str, Unit]:
        if self._cache is None:
            rows = self.session.execute(
                select(UnitAlias.key, Unit)
                .join(Unit, UnitAlias.unit_id == Unit.id)
                .where(UnitAlias.org_id == self.org.id)
            ).all()
            self._cache = {key: unit for key, unit in rows}
        return self._cache

    def resolve(self, name: str) -> Unit:
        """The unit `name` stands for, created (with its aliases) on first sight."""
        known = self._known()
        names = unit_names(name)
        keys = [unit_key(n, self.org.name) for n in names]
        unit = next((known[k] for k in keys if k in known), None)
        if unit is None:
            unit = Unit(org_id=self.org.id, name=names[0], kind=unit_kind(names[0]))
            self.session.add(unit)
        for alias_name, key in zip(names, keys, strict=True):
            if key not in known:
                self.session.add(UnitAlias(unit=unit, org_id=self.org.id, name=alias_name, key=key))
                known[key] = unit
        return unit
