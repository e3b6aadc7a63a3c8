"""The demo — a living 示例市 registry in DIR/data (SQLite), plus the sample plan of the
current year as a Word file and its 台账.xlsx in DIR.

The registry is built once per directory by `samples.demo_world` (plans, units, accounts, a reporting
schedule with the past cycles' reports, 督办 and 整改), into a side file renamed into place when done,
so an interrupted build never leaves half a demo.  Running the demo again reuses the data and gives
the demo accounts that never signed in fresh one-time passwords (passwords are stored only hashed,
so the old ones cannot be shown again); accounts whose holders changed their password keep it.
Everything is fictional; no network, no real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eduplan.config import Settings
from eduplan.domain import Plan
from eduplan.samples.demo_world import DemoAccount

SAMPLE_NAME = "示例市教育工作要点.docx"
LEDGER_NAME = "台账.xlsx"
DATA_NAME = "data"


@dataclass
class DemoResult:
    """What the demo made: the parsed sample plan, its files, the registry and its logins."""

    plan: Plan
    document: Path
    ledger: Path
    database: Path
    registry_status: str
    accounts: list[DemoAccount] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.database.parent


def demo_settings(directory: str | Path, **overrides: object) -> Settings:
    """Settings of the demo's registry: SQLite under DIR/data whatever EDUPLAN_DATABASE_URL says."""
    return Settings(data_dir=Path(directory) / DATA_NAME, database_url="", **overrides)  # type: ignore[arg-type]


def run_demo(directory: str | Path, today: date | None = None, password: str | None = None) -> DemoResult:
    """Write the sample plan and its 台账 into `directory` and build (or reuse) its registry;
    `password` gives every demo account that fixed password instead of one-time ones (tests)."""
    from eduplan.export.ledger import write_ledger
    from eduplan.samples.build import write_docx
    from eduplan.services.clock import today as today_in
    from eduplan.services.parse import parse_file

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(folder)
    day = today or today_in(settings.timezone)
    document = write_docx(folder / SAMPLE_NAME, year=day.year)
    plan = parse_file(document)
    ledger = write_ledger(plan, folder / LEDGER_NAME)
    database = settings.data_dir / "eduplan.db"
    counts: dict[str, int] = {}
    if database.exists():
        accounts = _reuse(settings, password)
        status = "沿用已有示例数据"
    else:
        accounts, counts = _build(settings, database, day, password)
        status = "已生成示例数据"
    return DemoResult(plan, document, ledger, database, status, accounts, counts)


def _build(
    settings: Settings, database: Path, day: date, password: str | None
) -> tuple[list[DemoAccount], dict[str, int]]:
    """Build the demo world into a side file, then move it into place."""
    from eduplan.db import make_engine, make_session_factory
    from eduplan.samples.demo_world import build_demo_world
    from eduplan.services.database import prepare_database

    side = database.with_name(database.name + ".building")
    for leftover in side.parent.glob(side.name + "*"):
        leftover.unlink()
    building = settings.model_copy(update={"database_url": f"sqlite:///{side}"})
    prepare_database(building)
    engine = make_engine(building.database_url)
    try:
        world = build_demo_world(make_session_factory(engine), building, day, password)
    finally:
        engine.dispose()
    side.replace(database)
    return world.accounts, world.counts


def _reuse(settings: Settings, password: str | None) -> list[DemoAccount]:
    """The demo accounts of an existing registry, with fresh one-time passwords where unused."""
    from eduplan.db import make_engine, make_session_factory
    from eduplan.samples.demo_world import DISTRICT, DISTRICT_REPORTER, REPORTERS, STAFF
    from eduplan.services.accounts import Principal, list_users
    from eduplan.services.accounts.reset import reset_password
    from eduplan.services.database import prepare_database

    prepare_database(settings)
    names = [s[0] for s in STAFF] + [r[0] for r in REPORTERS] + [DISTRICT_REPORTER[0]]
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    system = Principal.system()
    try:
        users = {u.username: u for u in list_users(sessions, system)}
        out: list[DemoAccount] = []
        for name in names:
            user = users.get(name)
            if user is None or not user.active:
                continue
            if password is not None:
                secret: str | None = password
            elif user.must_change_password:
                secret = reset_password(sessions, settings, system, name)
            else:
                secret = None  # changed by its holder: theirs now
            unit = user.unit_name
            if unit and user.org_name == DISTRICT:
                unit = f"{DISTRICT}{unit}"
            out.append(DemoAccount(name, user.role, user.display_name, unit, secret))
    finally:
        engine.dispose()
    return out
