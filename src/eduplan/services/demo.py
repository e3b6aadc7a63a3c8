"""Use case: the demo — write the sample 示例市 plan as a Word file, parse it, write its 台账.

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
    return DemoResult(plan, document, ledger)
