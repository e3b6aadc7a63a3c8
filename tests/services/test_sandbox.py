"""Reading an upload in a child process under limits (services/sandbox.py), and the PDF bomb limits."""

from __future__ import annotations

import resource
import threading
import time

import pytest
from tests.readers.pdf_bombs import form_bomb, text_bomb

from eduplan.config import Settings
from eduplan.parsing import ParseError, parse_plan
from eduplan.readers import ReadError, read_bytes
from eduplan.samples.loop import World
from eduplan.samples.plan_text import sample_lines
from eduplan.services import drafts
from eduplan.services.accounts import Principal
from eduplan.services.sandbox import ParseLimits, read_and_parse

QUICK = ParseLimits(seconds=3, memory_mb=512, workers=1)


def test_a_document_reads_the_same_in_the_child() -> None:
    data = ("\n".join(sample_lines()) + "\n").encode("utf-8")
    document, (plan,) = read_and_parse(data, "示例市.txt", QUICK)
    assert document.lines == read_bytes(data, "示例市.txt")
    assert plan == parse_plan(document.lines)


def test_errors_of_the_child_are_the_readers_and_parsers_own() -> None:
    with pytest.raises(ReadError) as read:
        read_and_parse(b"PK\x03\x04broken", "plan.docx", QUICK)
    assert read.value.reason == "corrupt" and "Word" in str(read.value)
    with pytest.raises(ParseError):
        read_and_parse("只有一行字，没有标题和任务".encode(), "a.txt", QUICK)


def test_text_bomb_is_refused_before_it_is_laid_out() -> None:
    """Issue 13: 100 KB inflating to 30 MB of Tj operators took 74 s and 2.2 GB."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReadError) as refused:
        read_bytes(text_bomb(30), "bomb.pdf")
    assert refused.value.reason == "too_large" and "疑似异常文件" in str(refused.value)
    assert time.monotonic() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB


def test_dense_page_is_refused_by_its_text() -> None:
    with pytest.raises(ReadError, match="某一页的文字超过"):
        read_bytes(text_bomb(1), "bomb.pdf")


def test_a_bomb_that_passes_the_byte_limits_is_stopped_by_the_time_limit() -> None:
    started = time.monotonic()
    with pytest.raises(ReadError) as stopped:
        read_and_parse(form_bomb(), "form.pdf", QUICK)
    assert stopped.value.reason == "too_large"
    assert str(stopped.value).startswith("文件超出处理上限（读取超过 3 秒）")
    assert time.monotonic() - started < 8


def test_a_bomb_uploaded_as_a_draft_fails_with_the_limit(settings: Settings, world: World) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    limited = settings.model_copy(update={"parse_seconds": 2})
    draft = drafts.create_draft(limited, office, form_bomb(), "bomb.pdf")
    done = drafts.wait_parsed(limited, office, draft.id, 8)
    assert done.state == "failed"
    assert done.error is not None and done.error.startswith("文件超出处理上限（读取超过 2 秒）")


def test_documents_beyond_the_slots_wait_for_one() -> None:
    limits = ParseLimits(seconds=2, memory_mb=512, workers=1)
    refused: list[ReadError] = []

    def read_bomb() -> None:
        try:
            read_and_parse(form_bomb(), "b.pdf", limits)
        except ReadError as exc:
            refused.append(exc)

    bomb = threading.Thread(target=read_bomb)
    bomb.start()
    time.sleep(0.3)
    waited: list[float] = []
    started = time.monotonic()
    data = ("\n".join(sample_lines()) + "\n").encode("utf-8")
    _, (plan,) = read_and_parse(data, "a.txt", limits, waiting=lambda: waited.append(time.monotonic()))
    bomb.join()
    assert waited and plan.title and refused
    assert time.monotonic() - started > 1.2  # it ran once the bomb's slot was free


def test_a_document_past_the_memory_limit_fails_with_it() -> None:
    data = ("一、" + "测试文字" * 2000 + "\n").encode("utf-8") * 1500  # 36 MB of text
    with pytest.raises(ReadError) as stopped:
        read_and_parse(data, "a.txt", ParseLimits(seconds=20, memory_mb=200, workers=1))
    assert str(stopped.value).startswith("文件超出处理上限（内存超过 200 MB）")
