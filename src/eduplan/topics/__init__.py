"""Topics of education planning: the taxonomy, a rule-and-lexicon classifier, staff corrections.

`label_plan(plan)` gives every task and key project its `topics` (primary first, each with the
phrases that led to it); `apply_correction` puts a label set by staff in place of the computed one.
"""

from eduplan.topics.classifier import TopicClassifier, default_classifier
from eduplan.topics.corrections import CORRECTED, TopicCorrection, apply_correction, apply_corrections
from eduplan.topics.labelling import label_plan
from eduplan.topics.taxonomy import TOPIC_IDS, TOPICS, Topic, topic_name

__all__ = [
    "CORRECTED",
    "TOPICS",
    "TOPIC_IDS",
    "Topic",
    "TopicClassifier",
    "TopicCorrection",
    "apply_correction",
    "apply_corrections",
    "default_classifier",
    "label_plan",
    "topic_name",
]
