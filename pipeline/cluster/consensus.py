"""Consensus over several UMAP seeds: keep the themes that the runs agree on.

Why: UMAP's layout, and so HDBSCAN's themes, move with the random seed (on SIB-200 one seed
gives NMI 0.47, another 0.50). Each run is a noisy vote on which notes belong together. The
co-association matrix counts, for every pair of notes, the share of runs that put them in the
same theme; cutting its average-linkage tree at 0.5 keeps the pairs that a majority of runs
put together. Notes the runs disagree about end up in small groups, which become noise and go
through the usual noise reassignment. Quadratic in the number of notes, so it is used only up
to ``CONSENSUS_MAX`` notes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.cluster.base import relabel_by_size

MAJORITY = 0.5
"""Two notes stay together when, on average, more than half the runs put them together."""


def co_association(runs: Sequence[np.ndarray]) -> np.ndarray:
    """n × n share of runs in which two notes are in the same theme (noise pairs with none)."""
    n = len(runs[0])
    together = np.zeros((n, n), dtype=np.float32)
    for labels in runs:
        assigned = labels >= 0
        together += (labels[:, None] == labels[None, :]) & assigned[:, None] & assigned[None, :]
    together /= len(runs)
    return together


def consensus_labels(runs: Sequence[np.ndarray], min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(labels, agreement): themes that a majority of ``runs`` agree on, by average linkage on
    1 − co-association cut at ``MAJORITY``; groups smaller than ``min_size`` become noise (-1).
    ``agreement`` is each note's mean co-association with the other members of its theme."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    together = co_association(runs)
    distance = 1.0 - together
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    groups = fcluster(tree, t=MAJORITY, criterion="distance") - 1
    sizes = np.bincount(groups)
    labels = relabel_by_size(np.where(sizes[groups] >= min_size, groups, -1))
    agreement = np.zeros(len(labels))
    for theme in set(labels.tolist()) - {-1}:
        members = np.flatnonzero(labels == theme)
        block = together[np.ix_(members, members)]
        agreement[members] = (block.sum(axis=1) - np.diag(block)) / max(len(members) - 1, 1)
    return labels, agreement
