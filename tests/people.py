"""The sample world's people as the services see them (`Principal`), for tests that act as one.

`person` for any role (a name without an account, such as a leader, gets no user id); `reporter`
for a unit's reporter.  Everyone sits in the sample organisation 示例市 unless `path` says otherwise.
"""

from __future__ import annotations

from eduplan.samples.loop import World
from eduplan.services.accounts import Principal


def person(world: World, name: str, role: str, unit: str | None = None, path: str = "示例市") -> Principal:
    unit_id = world.units[unit] if unit else None
    return Principal(world.users.get(name), name, role, world.org_id, path, unit_id)


def reporter(world: World, name: str, unit: str) -> Principal:
    return person(world, name, "reporter", unit)
