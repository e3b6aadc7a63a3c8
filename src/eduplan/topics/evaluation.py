"""How well the topic classifier labels documents it was not tuned on: accuracy and cross-validation.

Pure functions over parsed plans and hand labels (the gold format of ``../shared/corpus/gold/topics``:
``items`` keyed by chapter and item number, ``projects`` by 专栏 number and project number).  The
lexicon is written by hand from the taxonomy and the genre's vocabulary, nothing in it is fitted to a
document; what can be fitted are the few numbers of `Scoring`.  `cross_validate` holds each document
out in turn, picks the scoring that labels the other documents best from `SCORING_GRID`, and scores
the held-out document with it, so that a figure is never measured on what chose the numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eduplan.domain import Plan
from eduplan.topics.classifier import Scoring, TopicClassifier

# the shipped scoring first: it wins ties, so a held-out document is scored with it unless another
# scoring is strictly better on the other documents
SCORING_GRID: tuple[Scoring, ...] = tuple(
    dict.fromkeys(
        [
            Scoring(),
            *(
                Scoring(
                    title_weight=t,
                    context_weights=c,
                    body_window=w,
                    decisive_margin=m,
                    head_bonus=h,
                    decisive_floor=f,
                )
                for t in (3.0, 2.0, 4.0)
                for c in ((1.0, 0.5), (0.5, 0.25), (2.0, 1.0))
                for w in (120, 240)
                for m in (2.0, 3.0)
                for h in (0.0, 0.25)
                for f in (0.0, 9.0)
            ),
        ]
    )
)


@dataclass(frozen=True)
class Example:
    """One hand-labelled task or key project, with what the classifier reads of it."""

    document: str
    title: str
    text: str
    context: tuple[str, ...]  # chapter title; for a key project its 专栏 title, then its chapter's
    gold: str


@dataclass(frozen=True)
class Score:
    """Right answers out of a total, for one document or all."""

    right: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


_Read = tuple[str, str, tuple[str, ...]]  # title, text, context titles of a labelled item


def _norm(text: str | None) -> str:
    """The scorer's key normalization: NFKC, no spaces, no trailing punctuation."""
    return "".join(unicodedata.normalize("NFKC", text or "").replace("**", "").split()).rstrip("。.;；:：")


def examples(document: str, plan: Plan, gold: Mapping[str, Any]) -> list[Example]:
    """The labelled items of `gold` found in `plan`; an item the parser missed gets empty text.

    A missed item still counts (its label cannot be right), as in ``score_topics.py``.
    """
    chapter_titles = {ch.number: ch.title for ch in plan.chapters}
    tasks: dict[tuple[str, str], _Read] = {
        (_norm(ch.number), _norm(t.number)): (t.title, t.text, (ch.title,)) for ch, t in plan.tasks()
    }
    projects: dict[tuple[str, str], _Read] = {
        (str(col.number), _norm(p.number)): (
            p.title,
            p.text,
            (col.title, chapter_titles.get(col.chapter or "", "")),
        )
        for col in plan.columns
        for p in col.projects
    }
    found: list[Example] = []
    for item in gold.get("items", []):
        title, text, context = tasks.get((_norm(item["chapter"]), _norm(item["number"])), ("", "", ()))
        found.append(Example(document, title, text, context, item["primary"]))
    for project in gold.get("projects", []):
        key = (str(project["column"]), _norm(project["number"]))
        title, text, context = projects.get(key, ("", "", ()))
        found.append(Example(document, title, text, context, project["primary"]))
    return found


GoldKey = tuple[str, str, str, str | None]
"""A labelled entry as the comparison index keys it: document, "item" or "project", chapter or 专栏 number, number."""


def gold_primaries(document: str, gold: Mapping[str, Any]) -> dict[GoldKey, str]:
    """The gold primary topic of each labelled item and key project of `document`."""
    primaries: dict[GoldKey, str] = {}
    for item in gold.get("items", []):
        primaries[(document, "item", item["chapter"], item["number"])] = item["primary"]
    for project in gold.get("projects", []):
        primaries[(document, "project", str(project["column"]), project["number"])] = project["primary"]
    return primaries


def predict(classifier: TopicClassifier, example: Example) -> str | None:
    """The primary topic the classifier gives an example (None when it finds nothing)."""
    if not example.title and not example.text:
        return None
    labels = classifier.classify(example.title, example.text, classifier.context(*example.context))
    return labels[0].id if labels else None


def score(classifier: TopicClassifier, items: Iterable[Example]) -> Score:
    """How many examples get their gold primary topic."""
    marks = [predict(classifier, ex) == ex.gold for ex in items]
    return Score(sum(marks), len(marks))


def by_document(classifier: TopicClassifier, items: Sequence[Example]) -> dict[str, Score]:
    """`score` per document, in the order documents first appear."""
    documents = dict.fromkeys(ex.document for ex in items)
    return {doc: score(classifier, [ex for ex in items if ex.document == doc]) for doc in documents}


def total(scores: Iterable[Score]) -> Score:
    """The sum of several scores."""
    parts = list(scores)
    return Score(sum(s.right for s in parts), sum(s.total for s in parts))


@dataclass(frozen=True)
class Fold:
    """One held-out document: the scoring chosen on the others and its score on this one."""

    document: str
    scoring: Scoring
    train: Score
    test: Score


def cross_validate(
    classifier: TopicClassifier, items: Sequence[Example], grid: Sequence[Scoring] = SCORING_GRID
) -> list[Fold]:
    """Leave one document out: choose the scoring on the rest, score the held-out document with it."""
    documents = list(dict.fromkeys(ex.document for ex in items))
    variants = [classifier.with_scoring(s) for s in grid]
    per_doc = [by_document(v, items) for v in variants]  # each variant scored once per document
    folds = []
    for held in documents:
        train = [total(s for doc, s in scores.items() if doc != held) for scores in per_doc]
        best = max(range(len(grid)), key=lambda k: (train[k].right, -k))
        folds.append(Fold(held, grid[best], train[best], per_doc[best][held]))
    return folds
