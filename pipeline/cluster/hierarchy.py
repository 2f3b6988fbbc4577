"""Group fine themes into a few broad ones, so a facilitator can read the workshop top-down.

Fine themes come from density clustering and are often more than a plenary wants to discuss.
Agglomerating their centroids (average linkage, cosine, in the language-centred space the themes
were found in) gives broad themes whose members are exactly the union of their fine themes: no
note moves, so the two levels never disagree. With no requested number, the cut is at the
largest gap between successive merge distances (where merging starts to join unlike things),
kept to 2–8 broad themes, and only when there are enough fine themes for a second level to help.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage

MIN_FINE_FOR_NATURAL = 7
"""With six fine themes or fewer, a broad level adds nothing unless one is asked for."""
NATURAL_RANGE = (2, 8)
"""The natural cut gives at least this many and at most this many broad themes."""


def theme_centroids(embeddings: np.ndarray, labels: Sequence[int]) -> np.ndarray:
    """Unit-length mean vector of each fine theme 0..k-1 (rows of ``embeddings`` by label)."""
    array = np.asarray(labels)
    k = int(array.max()) + 1 if (array >= 0).any() else 0
    if k == 0:
        return np.zeros((0, embeddings.shape[1]))
    centroids = np.stack([embeddings[array == c].mean(axis=0) for c in range(k)])
    return centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)


def natural_broad_count(merge_distances: np.ndarray) -> int | None:
    """Number of broad themes at the largest gap between successive merge distances.

    Cutting below merge ``i`` (ascending) leaves ``k - i`` groups; only cuts leaving
    ``NATURAL_RANGE`` groups are considered. ``None`` when there are too few fine themes.
    """
    k = len(merge_distances) + 1
    if k < MIN_FINE_FOR_NATURAL:
        return None
    low, high = NATURAL_RANGE
    heights = np.sort(np.asarray(merge_distances, dtype=float))
    best, best_gap = None, -np.inf
    for i in range(1, k - 1):
        groups = k - i
        if low <= groups <= high and heights[i] - heights[i - 1] > best_gap:
            best, best_gap = groups, heights[i] - heights[i - 1]
    return best


def broad_groups(
    centroids: np.ndarray, n_broad: int | None = None, sizes: Sequence[int] | None = None
) -> list[int] | None:
    """Broad group of each fine theme, numbered 0..m-1 by decreasing number of notes (``sizes``
    of the fine themes; ties by first fine theme); ``None`` when no broad level is wanted.

    ``n_broad`` asks for that many (at most one per fine theme); ``None`` picks the natural cut.
    """
    k = len(centroids)
    if k == 0 or (n_broad is None and k < MIN_FINE_FOR_NATURAL):
        return None
    if k == 1:
        return [0]
    tree = linkage(centroids, method="average", metric="cosine")
    count = natural_broad_count(tree[:, 2]) if n_broad is None else min(max(n_broad, 1), k)
    if count is None:
        return None
    raw = cut_tree(tree, n_clusters=count).ravel().tolist()
    weight = list(sizes) if sizes is not None else [1] * k
    total = {g: sum(w for r, w in zip(raw, weight, strict=True) if r == g) for g in set(raw)}
    order = sorted(total, key=lambda g: (-total[g], raw.index(g)))
    rank = {g: i for i, g in enumerate(order)}
    return [rank[g] for g in raw]


def broad_labels(labels: Sequence[int], groups: Sequence[int]) -> list[int]:
    """Each note's broad group from its fine theme; unassigned (-1) stays -1."""
    return [groups[label] if label >= 0 else -1 for label in labels]
