"""Give every task and key project of a plan its topics (`label_plan`), in place.

A task is read with its chapter title as context; a key project with its 专栏 title, then the
title of the chapter the box belongs to.  Labels a member of staff set by hand are not kept here:
`eduplan.topics.corrections` puts them back after a plan is (re)labelled.
"""

from __future__ import annotations

from eduplan.domain import Plan
from eduplan.topics.classifier import TopicClassifier, default_classifier


def label_plan(plan: Plan, classifier: TopicClassifier | None = None) -> Plan:
    """Set `topics` on every task and key project of `plan` (primary first); returns the plan."""
    clf = classifier or default_classifier()
    chapter_titles = {ch.number: ch.title for ch in plan.chapters}
    for chapter in plan.chapters:
        context = clf.context(chapter.title)
        for task in chapter.items:
            task.topics = clf.classify(task.title, task.text, context)
    for column in plan.columns:
        context = clf.context(column.title, chapter_titles.get(column.chapter or "", ""))
        for project in column.projects:
            project.topics = clf.classify(project.title, project.text, context)
    return plan
