"""Chinese text as overlapping character bigrams, and the phrases two texts share.

Chinese has no spaces, and most words of the genre are two or four characters (学前, 劳动教育), so
character bigrams inside runs of Chinese characters are a sound unit of comparison without a
segmenter's dictionary.  Runs break at punctuation, digits and Latin letters, so no bigram
straddles a comma.  `shared_phrases` turns bigrams two texts have in common back into the longest
phrases they share (产教融合, 实训基地), which is what a reader wants highlighted.  Without a
dictionary a run can start or end inside a word (普惠**性资**源, **治理和**…); a phrase is trimmed
of a leading suffix character (性, 们) and of function characters at either end (和, 与,
及, 的, 等 …), which no phrase worth showing starts or ends with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from operator import add

_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_NOT_FIRST = frozenset("性们的了着和与及或并等")  # the end of a word (普惠性), or a function character
_NOT_LAST = frozenset("和与及或并等的")  # a conjunction or a particle


def trim_phrase(phrase: str) -> str:
    """`phrase` without the characters a phrase cut from a run must not start or end with."""
    start, end = 0, len(phrase)
    while start < end and phrase[start] in _NOT_FIRST:
        start += 1
    while end > start and phrase[end - 1] in _NOT_LAST:
        end -= 1
    return phrase[start:end]


def bigrams(text: str) -> list[str]:
    """The character bigrams of the Chinese runs of `text`, in order (repeats kept)."""
    out: list[str] = []
    for run in _RUN.findall(text):
        out += map(add, run, run[1:])
    return out


def shared_phrases(
    text: str,
    other_bigrams: set[str] | frozenset[str],
    *,
    informative: Callable[[str], bool] = lambda phrase: len(phrase) >= 3,
) -> list[str]:
    """The longest runs of `text` made of bigrams that also occur in the other text.

    Each maximal run (≥ 2 characters) is kept when `informative(run)` says so, by default when it
    has at least three characters; the result has no duplicates, longest first.
    """
    found: dict[str, None] = {}
    for run in _RUN.findall(text):
        start = None
        for i in range(len(run) - 1):
            if run[i : i + 2] in other_bigrams:
                if start is None:
                    start = i
                continue
            if start is not None:
                _keep(run[start : i + 1], informative, found)
                start = None
        if start is not None:
            _keep(run[start:], informative, found)
    order = {p: i for i, p in enumerate(found)}
    return sorted(found, key=lambda p: (-len(p), order[p]))


def _keep(phrase: str, informative: Callable[[str], bool], found: dict[str, None]) -> None:
    phrase = trim_phrase(phrase)
    if len(phrase) >= 2 and informative(phrase):
        found.setdefault(phrase, None)


def highlight_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) offsets of the phrases in `text`, longest phrases first claimed, sorted, disjoint."""
    taken = [False] * len(text)
    spans: list[tuple[int, int]] = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        if not phrase:
            continue
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if not any(taken[at:end]):
                spans.append((at, end))
                taken[at:end] = [True] * len(phrase)
            at = text.find(phrase, end)
    return sorted(spans)
