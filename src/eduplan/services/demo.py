"""Use case: the demo — write the sample 示例市 plan as a Word file, parse it, write its 台账 and
import it into an embedded SQLite registry (DIR/data/eduplan.db).

The sample plan is the project's own fictional document (`eduplan.samples`), so the demo needs no
network, no server and no real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eduplan.domain import Plan

SAMPLE_NAME = "示例市教育工作要点.docx"
LEDGER_NAME = "台账.xlsx"


@dataclass
class DemoResult:
    """What the demo made: the parsed sample plan and where its files are."""

    plan: Plan
    document: Path
    ledger: Path
    database: Path
    registry_status: str


def run_demo(directory: str | Path) -> DemoResult:
    """Write the sample plan as docx into `directory`, parse it and write 台账.xlsx beside it."""
    from eduplan.export.ledger import write_ledger
    from eduplan.samples.build import write_docx
    from eduplan.services.parse import parse_file

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    document = folder / SAMPLE_NAME
    write_docx(document)
    plan = parse_file(document)
    ledger = write_ledger(plan, folder / LEDGER_NAME)
    database, status = _import_into_registry(document, folder / "data")
    return DemoResult(plan, document, ledger, database, status)


def _import_into_registry(document: Path, data_dir: Path) -> tuple[Path, str]:
    """Import the sample into the SQLite registry under `data_dir`; (database file, status)."""
    from eduplan.commands.registry import prepare_database
    from eduplan.config import Settings
    from eduplan.db import make_engine, make_session_factory
    from eduplan.services.registry import import_paths

    settings = Settings(data_dir=data_dir, database_url="")
    prepare_database(settings)
    engine = make_engine(settings.database_url)
    try:
        [outcome] = import_paths(make_session_factory(engine), [document])
    finally:
        engine.dispose()
    if outcome.error is not None or outcome.result is None:
        raise RuntimeError(f"示例导入登记库失败：{outcome.error}")
    from eduplan.commands.registry import STATUS_LABELS

    return data_dir / "eduplan.db", STATUS_LABELS.get(outcome.result.status, outcome.result.status)
