"""The lexicon and the taxonomy hold together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eduplan.topics import TOPIC_IDS
from eduplan.topics.lexicon import LEXICON, NEUTRAL

SHARED_TOPICS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "topics.json"


def test_every_topic_has_a_lexicon_and_nothing_else_does() -> None:
    assert set(LEXICON) == set(TOPIC_IDS)


@pytest.mark.parametrize("topic", sorted(LEXICON))
def test_phrases_are_unique_within_a_topic_and_at_least_two_characters(topic: str) -> None:
    phrases = [p for text in LEXICON[topic].values() for p in text.split()]
    assert len(phrases) == len(set(phrases)), sorted({p for p in phrases if phrases.count(p) > 1})
    assert all(len(p) >= 2 for p in phrases)
    assert set(LEXICON[topic]) <= {1, 2, 3}


def test_neutral_phrases_are_not_topic_phrases() -> None:
    topical = {p for by_weight in LEXICON.values() for text in by_weight.values() for p in text.split()}
    assert not topical & set(NEUTRAL.split())


@pytest.mark.skipif(not SHARED_TOPICS.exists(), reason="../shared/corpus/topics.json is not there")
def test_ids_are_those_of_the_shared_taxonomy() -> None:
    shared = json.loads(SHARED_TOPICS.read_text(encoding="utf-8"))
    assert tuple(t["id"] for t in shared["topics"]) == TOPIC_IDS
