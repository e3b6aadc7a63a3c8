"""Topic classifier: weighted lexicon phrases → a primary topic and up to two secondary ones.

Rules, not a model.  A topic's score adds the weights of its phrases found in

- the title (the item's lead phrase), counted `TITLE_WEIGHT` times: a title names its subject;
- the context (the chapter title; for a key project its 专栏 title, then its chapter's), a weak
  prior that settles items whose own words are vague (进一步优化布局结构 under 职业教育);
- the body, the first `BODY_WINDOW` characters after the title, each phrase once and a repeat
  `REPEAT_WEIGHT` more: the lead sentences say what an item is about, the rest elaborates.  The
  body is read only when title and context leave the choice open (the best topic not over
  `DECISIVE_MARGIN` times the next): most titles settle it, and labelling runs inside the parser,
  which must stay fast.

The primary topic is the best score; others become secondary labels from `SECONDARY_RATIO` of it,
when the item itself (not only its context) has evidence for them.  A label's score is its share
of all the evidence (0–1); its evidence lists the phrases that fired: the title's, the body's,
then the context's.  Deterministic (no dependence on hash order) and pure; the lexicon's regex is
compiled once, on first use.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache

from eduplan.domain import TopicLabel
from eduplan.topics.lexicon import LEXICON, NEUTRAL, Lexicon
from eduplan.topics.matcher import PhraseMatcher
from eduplan.topics.taxonomy import TOPIC_IDS

TITLE_WEIGHT = 3.0
CONTEXT_WEIGHTS = (1.0, 0.5)  # the nearest context (chapter or 专栏 title), then the one above
REPEAT_WEIGHT = 0.5  # a body phrase seen more than once adds half its weight again, once
BODY_WINDOW = 120
SECONDARY_RATIO = 0.5
DECISIVE_MARGIN = 2.0  # a title whose best topic scores over twice the next one is not read further
MAX_SECONDARY = 2
# a Chinese title ends on its head (扩大义务教育|学位供给): when its topic words (weight 2 or more) name two
# topics, the last one counts this much more, which settles a tie between a school stage and what is
# done there
HEAD_BONUS = 0.25
# a title longer than this is a heading glued to its paragraph (a PDF export, an item with no 。):
# its first TITLE_SPAN characters count as the title, the rest is read as body
TITLE_SPAN = 20
DECISIVE_FLOOR = 0.0  # a title is decisive only when its best topic scores at least this (0: any)
MAX_EVIDENCE = 5

# quotation and title marks split phrases (“双减”工作, “十四五”规划); they are dropped before matching
_MARK_CHARS = "“”‘’\"'《》〈〉「」『』"
_MARK = re.compile("[" + re.escape(_MARK_CHARS) + "]")


@dataclass(frozen=True)
class Scoring:
    """The numbers of the rules above; the defaults are the shipped ones (`eduplan.topics.evaluation`
    chooses among alternatives by cross-validation over documents)."""

    title_weight: float = TITLE_WEIGHT
    context_weights: tuple[float, float] = CONTEXT_WEIGHTS
    body_window: int = BODY_WINDOW
    decisive_margin: float = DECISIVE_MARGIN
    head_bonus: float = HEAD_BONUS
    decisive_floor: float = DECISIVE_FLOOR
    title_span: int = TITLE_SPAN


@dataclass(frozen=True, kw_only=True)
class Context:
    """The evidence of an item's surroundings (chapter, 专栏), computed once and shared by its items."""

    points: dict[int, float]  # topic index → score
    phrases: dict[int, tuple[str, ...]]  # topic index → the phrases that gave it points


class TopicClassifier:
    """Scores texts against per-topic lexicons (see the module docstring for the rules)."""

    def __init__(
        self, lexicon: Lexicon = LEXICON, neutral: str = NEUTRAL, scoring: Scoring | None = None
    ) -> None:
        self.scoring = scoring or Scoring()
        self.topics: tuple[str, ...] = tuple(TOPIC_IDS) + tuple(t for t in lexicon if t not in TOPIC_IDS)
        index = {t: i for i, t in enumerate(self.topics)}
        entries: dict[str, list[tuple[int, float]]] = {}
        for topic, by_weight in lexicon.items():
            for weight, phrases in by_weight.items():
                for phrase in phrases.split():
                    entries.setdefault(phrase, []).append((index[topic], float(weight)))
        self._entries = {p: tuple(e) for p, e in entries.items()}
        self._known = frozenset(self._entries)
        self._of_topic = {p: frozenset(i for i, _ in e) for p, e in self._entries.items()}
        self._strong = frozenset(p for p, e in self._entries.items() if max(w for _, w in e) >= 2)
        self._matcher = PhraseMatcher([*self._entries, *neutral.split()])

    def with_scoring(self, scoring: Scoring) -> TopicClassifier:
        """The same lexicon (compiled once) scored with other numbers."""
        other = copy.copy(self)
        other.scoring = scoring
        return other

    def phrases(self, text: str) -> list[str]:
        """The lexicon phrases found in `text` (neutral ones left out), in order."""
        return [p for p in self._matcher.find(_unmarked(text)) if p in self._known]

    def context(self, *titles: str) -> Context:
        """The prior given by surrounding titles, nearest first (weights `CONTEXT_WEIGHTS`)."""
        credit: dict[str, float] = {}
        for text, factor in zip(titles, self.scoring.context_weights, strict=False):
            for phrase in sorted(self._known.intersection(self._matcher.findall(_unmarked(text)))):
                credit.setdefault(phrase, factor)
        by_topic: dict[int, list[str]] = {}
        for phrase in credit:
            for i, _ in self._entries[phrase]:
                by_topic.setdefault(i, []).append(phrase)
        return Context(points=self._points(credit), phrases={i: tuple(p) for i, p in by_topic.items()})

    def classify(self, title: str, body: str = "", context: Context | None = None) -> list[TopicLabel]:
        """The primary topic and up to two secondary ones, each with the phrases that led to it."""
        entries = self._entries
        scoring = self.scoring
        findall = self._matcher.findall  # phrases, and the single characters the regex steps over
        credit: dict[str, float] = {}  # phrase → the factor it counts with
        strong: list[str] = []  # the title's topic words, in order: the last one is its head
        lead = title[: scoring.title_span]
        for phrase in findall(_unmarked(lead)):
            if phrase in entries:
                credit[phrase] = credit.get(phrase, 0.0) + scoring.title_weight
                if phrase in self._strong:
                    strong.append(phrase)
        if scoring.head_bonus and len(strong) > 1 and self._of_topic[strong[-1]] != self._of_topic[strong[0]]:
            credit[strong[-1]] += scoring.title_weight * scoring.head_bonus  # only between two topics
        prior = context.points if context else {}
        own = self._points(credit)
        total = _plus(prior, own)
        ranked = sorted(total, key=total.__getitem__, reverse=True)
        if not _decisive(ranked, own, total, scoring):
            rest = body[len(title) :] if title and body.startswith(title) else body
            if len(lead) < len(title):
                rest = title[len(lead) :] + rest
            seen: dict[str, float] = {}  # in the order read; a repeat adds REPEAT_WEIGHT, once
            for phrase in findall(_unmarked(rest[: scoring.body_window])):
                if phrase in entries:
                    seen[phrase] = 1.0 + REPEAT_WEIGHT if phrase in seen else 1.0
            for phrase, factor in seen.items():
                credit[phrase] = credit.get(phrase, 0.0) + factor
            own = self._points(credit)
            total = _plus(prior, own)
            ranked = sorted(total, key=total.__getitem__, reverse=True)
        if not ranked:
            return []
        floor = SECONDARY_RATIO * total[ranked[0]]
        chosen = ranked[:1] + [i for i in ranked[1:] if i in own and total[i] >= floor][:MAX_SECONDARY]
        share = sum(total.values())
        return [
            TopicLabel(self.topics[i], round(total[i] / share, 2), self._evidence(i, credit, context))
            for i in chosen
        ]

    def _points(self, credit: dict[str, float]) -> dict[int, float]:
        """Topic index → score of phrases counted with the given factors."""
        points: dict[int, float] = {}
        for phrase, factor in credit.items():
            for i, w in self._entries[phrase]:
                points[i] = points.get(i, 0.0) + w * factor
        return points

    def _evidence(self, topic: int, credit: dict[str, float], context: Context | None) -> list[str]:
        """The phrases behind one topic: the item's own (title first), then its context's."""
        of_topic = self._of_topic
        phrases = [p for p in credit if topic in of_topic[p]]  # title phrases first, then the body's
        if context and len(phrases) < MAX_EVIDENCE:
            phrases += [p for p in context.phrases.get(topic, ()) if p not in credit]
        return phrases[:MAX_EVIDENCE]


def _plus(prior: dict[int, float], own: dict[int, float]) -> dict[int, float]:
    """The item's own scores plus its context's; own topics first, so that they win ties."""
    if not prior:
        return own
    total = dict(own)
    for i, s in prior.items():
        total[i] = total.get(i, 0.0) + s
    return total


def _decisive(ranked: list[int], own: dict[int, float], total: dict[int, float], scoring: Scoring) -> bool:
    """Whether the title alone names one topic clearly enough that the body need not be read."""
    if not ranked or ranked[0] not in own or own[ranked[0]] < scoring.decisive_floor:
        return False
    return len(ranked) == 1 or total[ranked[0]] > scoring.decisive_margin * total[ranked[1]]


def _unmarked(text: str) -> str:
    """`text` without quotation and title marks."""
    return _MARK.sub("", text) if _MARK.search(text) else text


@lru_cache(maxsize=1)
def default_classifier() -> TopicClassifier:
    """The classifier over the built-in lexicon (compiled on first use, then shared)."""
    return TopicClassifier()
