"""Comparing plans across cities and years (对标): pure functions over parsed `Plan`s.

- `entries`: tasks and key projects of many plans as flat `Entry`s;
- `similar`: `SimilarityIndex.most_similar` — the closest tasks in other plans, shared phrases;
- `targets`: `side_by_side` — targets of the same kind, units normalised (`units`);
- `changes`: `distinctive` tasks of a plan, `year_over_year` carried over / dropped / new;
- `consistency`: `check_plan` — figures against tables, targets below baselines, 其中 sums,
  numbering, table of contents;
- `matrix`: `topic_matrix` — plans × topics, task and target counts.

The registry, API and web page (对标) build on these; nothing here reads a file or a database.
"""

from eduplan.compare.changes import Carried, Distinctive, YearChanges, distinctive, year_over_year
from eduplan.compare.consistency import Finding, check_plan
from eduplan.compare.entries import Entry, all_entries, plan_entries
from eduplan.compare.matrix import Cell, TopicMatrix, cell_entries, topic_matrix
from eduplan.compare.similar import Match, SimilarityIndex
from eduplan.compare.targets import SideTarget, TargetGroup, side_by_side
from eduplan.compare.units import base_unit, to_base

__all__ = [
    "Carried",
    "Cell",
    "Distinctive",
    "Entry",
    "Finding",
    "Match",
    "SideTarget",
    "SimilarityIndex",
    "TargetGroup",
    "TopicMatrix",
    "YearChanges",
    "all_entries",
    "base_unit",
    "cell_entries",
    "check_plan",
    "distinctive",
    "plan_entries",
    "side_by_side",
    "to_base",
    "topic_matrix",
    "year_over_year",
]
