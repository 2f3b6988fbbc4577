"""Identical notes at scale: one idea with its count, clustered as one.

A room that pastes one note 5,000 times (a vote by copy, an export gone wrong) gives 5,000
identical vectors. Clustered as they are, they fill the density estimate: they split into
several themes with the same title, some copies end up unassigned, and every other note
looks like noise beside them (all 45 real notes of such a file stayed unassigned).

So the clusterer sees each distinct vector at most ``MAX_COPIES`` times: two or three
identical notes still weigh as they always did, and a thousand weigh as three. Every copy
then takes the theme of its idea, and an idea written more than ``MAX_COPIES`` times that
fits no theme is a theme of its own: one theme, whatever its count, and the other notes
clustered as if it were written a few times.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipeline.cluster.base import relabel_by_size
from pipeline.schema import Assignment

MAX_COPIES = 3
"""Copies of one identical note the clusterer sees."""


def identical_groups(embeddings: np.ndarray) -> list[int]:
    """For each row, the index of the first row with the very same vector."""
    first: dict[bytes, int] = {}
    rows = np.ascontiguousarray(embeddings)
    return [first.setdefault(rows[i].tobytes(), i) for i in range(len(rows))]


def seen_rows(groups: list[int]) -> list[int]:
    """The rows the clusterer sees: each group's first ``MAX_COPIES`` rows, in order."""
    taken: Counter[int] = Counter()
    keep = []
    for i, group in enumerate(groups):
        if taken[group] < MAX_COPIES:
            taken[group] += 1
            keep.append(i)
    return keep


def expand(assignment: Assignment, groups: list[int], keep: list[int]) -> Assignment:
    """The assignment of the rows in ``keep`` made one for every row: each copy takes its
    group's theme (the theme most of the seen copies got), probability and map position; a
    group larger than ``MAX_COPIES`` that fits no theme becomes a theme of its own."""
    at = {row: i for i, row in enumerate(keep)}
    votes: dict[int, Counter[int]] = {}
    for row in keep:
        votes.setdefault(groups[row], Counter())[assignment.labels[at[row]]] += 1
    sizes = Counter(groups)
    label_of: dict[int, int] = {}
    next_label = max(assignment.labels, default=-1) + 1
    own = 0
    for group, counter in votes.items():
        label = max(counter.items(), key=lambda item: (item[1], item[0] >= 0, -item[0]))[0]
        if label < 0 and sizes[group] > MAX_COPIES:
            label, next_label, own = next_label, next_label + 1, own + 1
        label_of[group] = label
    representative = {group: at[group] for group in votes}
    labels, probabilities, coords = [], [], []
    for row, group in enumerate(groups):
        seen = at.get(row, representative[group])
        label = label_of[group]
        labels.append(label)
        if label == assignment.labels[seen]:
            probabilities.append(assignment.probabilities[seen])
        else:
            probabilities.append(1.0 if label >= 0 else 0.0)
        coords.append(assignment.coords_2d[seen])
    numbered = relabel_by_size(np.asarray(labels, dtype=int))
    params = dict(assignment.params)
    params["identical_copies_not_clustered"] = len(groups) - len(keep)
    if own:
        params["themes_of_identical_notes"] = own
    params["themes"] = int(numbered.max() + 1) if (numbered >= 0).any() else 0
    params["noise"] = int((numbered < 0).sum())
    return Assignment(
        labels=numbered.tolist(), probabilities=probabilities, coords_2d=coords, params=params
    )
