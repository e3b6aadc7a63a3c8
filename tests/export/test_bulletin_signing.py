"""The 通报 as the office issues it (issue 15): the office writes the 文号, the 签发人 and the 印发
line (nothing is invented when it does not), the issuer is the education bureau, not the city, table
headers repeat on every page and rows never split, and a zero bar carries no label."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from tests.export.progress_scenario import TODAY, file_april

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.export.bulletin import Signing, write_bulletin
from eduplan.export.docx_chart import charts_of
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.tracking.bulletin import Bulletin, bulletin
from eduplan.services.tracking.ledger_rows import bureau_of


@pytest.fixture
def made(world: World, sessions: SessionFactory, settings: Settings) -> Bulletin:
    file_april(sessions, world)
    return bulletin(sessions, settings, Principal.system(), world.plan_id, TODAY)


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_without_the_offices_number_no_wenhao_is_made_up(made: Bulletin, tmp_path: Path) -> None:
    texts = _texts(write_bulletin(made, tmp_path / "a.docx"))
    assert "〔2024〕第4期" in texts
    assert not any("督〔" in t or "签发人" in t or "印发" in t for t in texts)


def test_the_offices_number_signer_and_imprint(made: Bulletin, tmp_path: Path) -> None:
    signing = Signing("示教督〔2024〕9号", "李明", "示例市教育局办公室", date(2024, 5, 12))
    texts = _texts(write_bulletin(made, tmp_path / "b.docx", signing))
    assert "示教督〔2024〕9号" in texts and "签发人：李明" in texts
    assert "示例市教育局办公室　　2024年5月12日印发" in texts
    assert "〔2024〕第4期" not in texts


def test_tables_repeat_their_header_and_rows_do_not_split(made: Bulletin, tmp_path: Path) -> None:
    doc = Document(str(write_bulletin(made, tmp_path / "c.docx")))
    assert doc.tables
    for table in doc.tables:
        rows = table.rows
        flags = [{child.tag for child in row._tr.get_or_add_trPr()} for row in rows]
        assert qn("w:tblHeader") in flags[0]
        assert all(qn("w:cantSplit") in f for f in flags)
        assert all(qn("w:tblHeader") not in f for f in flags[1:])
        assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in rows[0].cells)


def test_a_zero_bar_has_no_label(made: Bulletin, tmp_path: Path) -> None:
    doc = Document(str(write_bulletin(made, tmp_path / "d.docx")))
    fmt = charts_of(doc)[0].find(".//{http://schemas.openxmlformats.org/drawingml/2006/chart}dLbls/{*}numFmt")
    assert fmt is not None and fmt.get("formatCode").split(";")[2] == ""  # the zero section is empty


@pytest.mark.parametrize(
    ("issuers", "org", "expected"),
    [
        ([], "长春市", "长春市教育局"),
        (["长春市人民政府办公厅", "长春市教育局"], "长春市", "长春市教育局"),
        ([], "示例市教育局", "示例市教育局"),
        (["中共长春市委教育工作委员会"], "长春市", "长春市教育局"),
    ],
)
def test_the_issuer_is_the_bureau_not_the_city(issuers: list[str], org: str, expected: str) -> None:
    assert bureau_of(issuers, org) == expected
