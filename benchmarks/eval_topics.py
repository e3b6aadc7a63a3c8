"""Primary-topic accuracy of the topic classifier: the seeds, cross-validated by document, fictional plans.

Run with `.venv/bin/python benchmarks/eval_topics.py [--show-misses]`.  Figures:
  (a) the shipped classifier on each of the five real seeds of ../shared/corpus (hand gold);
  (b) cross-validation by document over the seeds: for each seed, the scoring numbers are chosen on
      the other four (`eduplan.topics.evaluation.SCORING_GRID`) and the seed is scored with them;
      the lexicon itself is written from the taxonomy and the genre's vocabulary, not fitted;
  (c) the shipped classifier on eduplan's own fictional plans (tests/topics/fixtures, hand labels);
  (d) what the labelling step after `parse_plan` costs: building the classifier (once per process) and
      `label_plan` over the parsed seeds (or the fixtures), CPU time, best of 9.
Each document is parsed once with `parse_plan`, as `eduplan parse` does.  (a) and (b) are skipped
when ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from eduplan.parsing import parse_plan
from eduplan.readers import read_path
from eduplan.topics import default_classifier, label_plan
from eduplan.topics.classifier import TopicClassifier
from eduplan.topics.evaluation import Example, Score, by_document, cross_validate, examples, predict, total

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "corpus" / "gold" / "topics"
FIXTURES = ROOT / "tests" / "topics" / "fixtures"


def seed_examples() -> list[Example]:
    """The hand-labelled items of the five seeds (empty when the corpus is absent)."""
    found: list[Example] = []
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        plan = parse_plan(read_path(GOLD.parent.parent / gold["file"]))
        found += examples(path.stem[:3], plan, gold)
    return found


def fictional_examples() -> list[Example]:
    """The hand-labelled items of eduplan's fictional plans (tests/topics/fixtures)."""
    labels: dict[str, Any] = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
    found: list[Example] = []
    for name, items in labels["documents"].items():
        plan = parse_plan(read_path(FIXTURES / f"{name}.txt"))
        found += examples(name, plan, {"items": items})
    return found


def labelling_cost() -> None:
    """(d): the classifier's build and `label_plan` per MB of plan text, in CPU time."""
    files = sorted(GOLD.parent.parent.glob("seeds/*.txt")) or sorted(FIXTURES.glob("*.txt"))
    plans = [parse_plan(read_path(f)) for f in files]
    mb = sum(f.stat().st_size for f in files) / (1024 * 1024)
    build = label = float("inf")
    for _ in range(9):
        re.purge()  # the regex module caches compiled patterns: measure a fresh process's build
        start = time.process_time()
        clf = TopicClassifier()
        built = time.process_time()
        for plan in plans:
            label_plan(plan, clf)
        build, label = min(build, built - start), min(label, time.process_time() - built)
    print("(d) labelling cost (CPU)")
    print(f"  classifier build (once per process)  {build * 1000:6.1f} ms")
    print(
        f"  label_plan on {len(plans)} plans ({mb:.2f} MB)     {label * 1000:6.1f} ms  {mb / label:6.1f} MB/s"
    )


def _line(name: str, s: Score, note: str = "") -> str:
    return f"  {name:22} {s.right:4d}/{s.total:<4d} {s.accuracy:6.3f}  {note}"


def _misses(items: list[Example]) -> None:
    clf = default_classifier()
    for ex in items:
        got = predict(clf, ex)
        if got != ex.gold:
            print(f"    {ex.document:16} {ex.title[:28]:30} gold={ex.gold:13} got={got}")


def _scored(
    clf: TopicClassifier, heading: str, items: list[Example], name: str, bar: str, show_misses: bool
) -> None:
    """Accuracy by document and overall for `items` under `heading`, and the misses when asked."""
    print(heading)
    scores = by_document(clf, items)
    for doc, s in scores.items():
        print(_line(doc, s))
    print(_line(name, total(scores.values()), bar))
    if show_misses:
        _misses(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="list the items labelled wrong")
    args = ap.parse_args()
    clf = default_classifier()
    seeds = seed_examples()
    if seeds:
        _scored(clf, "(a) seeds, shipped classifier", seeds, "all seeds", "bar >= 0.90", args.show_misses)
        print("(b) seeds, cross-validated by document (scoring chosen on the other four)")
        folds = cross_validate(clf, seeds)
        for f in folds:
            sc = f.scoring
            chosen = f"title×{sc.title_weight:g} context×{sc.context_weights[0]:g} window {sc.body_window}"
            print(
                _line(
                    f.document,
                    f.test,
                    f"{chosen} margin {sc.decisive_margin:g} head +{sc.head_bonus:g} floor {sc.decisive_floor:g}; "
                    f"train {f.train.accuracy:.3f}",
                )
            )
        print(_line("all seeds (held out)", total(f.test for f in folds), "bar >= 0.85"))
    else:
        print("(a), (b) skipped: ../shared/corpus is absent")
    fiction = fictional_examples()
    _scored(
        clf,
        "(c) fictional plans (tests/topics/fixtures), shipped classifier",
        fiction,
        "all fictional",
        "bar >= 0.85",
        args.show_misses,
    )
    labelling_cost()


if __name__ == "__main__":
    main()
