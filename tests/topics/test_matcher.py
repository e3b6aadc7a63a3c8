"""The trie regex: longest phrase first, no overlaps, single steps never reported."""

from __future__ import annotations

from eduplan.topics.matcher import PhraseMatcher, trie_regex


def test_longest_phrase_at_a_position_wins() -> None:
    m = PhraseMatcher(["安全", "网络安全", "校园安全"])
    assert m.find("加强网络安全和校园安全") == ["网络安全", "校园安全"]


def test_matches_do_not_overlap_and_keep_their_order() -> None:
    m = PhraseMatcher(["教育督导", "督导", "导师"])
    assert m.find("教育督导导师") == ["教育督导", "导师"]


def test_a_prefix_that_is_not_a_phrase_falls_back_to_the_shorter_phrase() -> None:
    m = PhraseMatcher(["教育", "教育督导评估"])
    assert m.find("教育督导工作") == ["教育"]


def test_counts() -> None:
    assert PhraseMatcher(["劳动", "研学"]).count("劳动、研学、劳动") == {"劳动": 2, "研学": 1}


def test_no_phrases_match_nothing() -> None:
    assert trie_regex([]).findall("任何文字") == []
    assert PhraseMatcher(["甲"]).find("甲乙") == []  # one-character phrases are not phrases
