"""Group fine themes into a room-sized set of challenges, so a facilitator can run the plenary
on a handful of them, each with its fine themes as facets.

Fine themes come from density clustering and are often more than a plenary wants to discuss
(31 to 37 of them on real consultation sets of 1,200 to 2,800 texts on 3 to 5 topics).
Agglomerating their centroids (Ward's linkage on the unit centroids, in the language-centred
space the themes were found in) gives broad themes, the challenges, whose members are exactly
the union of their fine themes: no note moves, so the two levels never disagree.

With no requested number, the level holds ``CHALLENGE_RANGE`` (4 to 8, what a room of twenty
works on) groups, or one per fine theme when there are fewer. Within that range the cut is the
one whose groups the notes fit best: the cosine silhouette of the notes under each cut, the
measure that already chooses the fine themes, with near-ties (``NEAR_TIE``) going to the cut
that keeps more groups, since a merge the silhouette barely prefers more often joins two topics
than finds one. The largest gap in merge heights, used before, chose 2 or 3 groups on the
labelled benchmark files and lost about 0.2 AMI on each.

Ward's linkage rather than average linkage: with at most 8 groups, average linkage chained
loosely related facets of the sample workshop into one challenge of five intended themes
(purity 0.47 at 5 challenges); Ward's keeps groups compact (0.56 at 8). Measured on every
labelled file and their 300-row samples at once, with both embedders, with the 10 % near-tie
margin every file's challenge AMI is at least its fine level's or within 0.02 with the joined
embedder (docs/quality.md).

A room also needs challenges of a size it can work on: on real consultations plain Ward
joined the three largest facets (149 of 283 notes) at every cut from 4 to 8. Its merges
therefore wait while they would give a challenge more than ``LARGEST_CHALLENGE_SHARE`` of
the notes and another merge can be made (``capped_ward``), and the count prefers cuts that
keep every challenge under it; on the shared labelled files and the sample the cap never
binds, and the challenges are Ward's.

A re-run that kept the previous run's themes (``pipeline.cluster.incremental``) keeps its
challenges too (``kept_groups``): Ward's tree over centroids that late notes moved a little
is cut elsewhere. On the sample workshop, 30 late notes that joined kept themes dealt one
challenge's three themes out to three others and folded another challenge into a neighbour,
so the analysts' decisions about both no longer applied.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage

CHALLENGE_RANGE = (4, 8)
"""With no requested number, the challenge level holds this many groups (fewer only when
there are fewer fine themes)."""
NEAR_TIE = 0.10
"""Cuts whose silhouette is within 10 % of the best are ties; the one with more groups wins
(5 % merged two of the seven Polis topics, 0.02 AMI below the fine level)."""
LARGEST_CHALLENGE_SHARE = 0.4
"""A cut whose largest challenge holds more than this share of the assigned notes is taken
only when every cut does (then the one whose largest is smallest): a challenge of 117 of a
consultation's 267 notes (cycling, parking, speed limits and diesel subsidies) is no room's
work, and the silhouette, which measures how far apart the groups are, does not see it."""
SILHOUETTE_SAMPLE = 3000
"""Silhouette is quadratic in the number of notes: above this, it is computed on a seeded
sample of this many notes, the same for every cut."""


def theme_centroids(embeddings: np.ndarray, labels: Sequence[int]) -> np.ndarray:
    """Unit-length mean vector of each fine theme 0..k-1 (rows of ``embeddings`` by label)."""
    array = np.asarray(labels)
    k = int(array.max()) + 1 if (array >= 0).any() else 0
    if k == 0:
        return np.zeros((0, embeddings.shape[1]))
    centroids = np.stack([embeddings[array == c].mean(axis=0) for c in range(k)])
    return centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)


def challenge_count(
    tree: np.ndarray, k: int, embeddings: np.ndarray, labels: Sequence[int]
) -> tuple[int, dict[int, float]]:
    """(number of challenges, silhouette of each cut tried) for ``k`` fine themes whose
    linkage ``tree`` is given, judged on the notes (``embeddings``, fine ``labels``,
    -1 unassigned and left out)."""
    from sklearn.metrics import silhouette_score
    from sklearn.metrics.pairwise import cosine_distances

    low, high = CHALLENGE_RANGE
    if k <= low:
        return k, {}
    array = np.asarray(labels)
    assigned = np.flatnonzero(array >= 0)
    if len(assigned) > SILHOUETTE_SAMPLE:
        assigned = np.sort(np.random.default_rng(0).choice(assigned, SILHOUETTE_SAMPLE, False))
    distances = cosine_distances(embeddings[assigned])  # once for every cut
    scores: dict[int, float] = {}
    share: dict[int, float] = {}  # the largest challenge's share of the assigned notes
    for count in range(low, min(high, k, len(assigned) - 1) + 1):
        groups = cut_tree(tree, n_clusters=count).ravel()
        scores[count] = float(
            silhouette_score(distances, groups[array[assigned]], metric="precomputed")
        )
        share[count] = float(np.bincount(groups[array[array >= 0]]).max() / (array >= 0).sum())
    if not scores:
        return min(high, k), scores
    room = [c for c in scores if share[c] <= LARGEST_CHALLENGE_SHARE] or [
        c for c in scores if share[c] == min(share.values())
    ]
    top = max(scores[c] for c in room)
    tied = [c for c in room if scores[c] >= top - NEAR_TIE * abs(top)]
    return max(tied), scores


def capped_ward(centroids: np.ndarray, sizes: Sequence[int], share: float) -> np.ndarray:
    """Ward's linkage of the fine themes' centroids (in scipy's linkage format), except that
    a merge that would give a group more than ``share`` of the notes (``sizes`` per theme)
    waits while any other merge can be made: cut into 4 to 8 groups, the tree then keeps
    every challenge under the share whenever the themes allow it. Plain Ward joined a real
    consultation's three largest facets (78, 41 and 30 of 283 notes) into one challenge at
    every cut from 4 to 8, while eight challenges of at most 78 notes could be made.
    Where the cap refuses no merge, the tree is Ward's (merge costs as scipy's: each
    centroid one observation)."""
    k = len(centroids)
    cap = share * float(sum(sizes))
    means = np.asarray(centroids, dtype=np.float64).copy()
    members = np.ones(k)
    notes = np.asarray(sizes, dtype=np.float64)
    ids = np.arange(k)  # each slot's cluster number in the tree
    alive = np.ones(k, dtype=bool)

    def costs(i: int) -> np.ndarray:
        gaps = ((means - means[i]) ** 2).sum(axis=1)
        return np.round(members * members[i] / (members + members[i]) * gaps, 12)

    cost = np.vstack([costs(i) for i in range(k)]) if k else np.zeros((0, 0))
    tree = np.zeros((max(k - 1, 0), 4))
    for step in range(k - 1):
        pairs = alive[:, None] & alive[None, :] & ~np.eye(k, dtype=bool)
        allowed = pairs & (notes[:, None] + notes[None, :] <= cap)
        usable = allowed if allowed.any() else pairs
        masked = np.where(usable, cost, np.inf)
        a, b = (int(x) for x in np.unravel_index(np.argmin(masked), masked.shape))
        a, b = min(a, b), max(a, b)
        total = members[a] + members[b]
        # A merge the cap held back can cost less than one made before it: heights are kept
        # monotone, which ``cut_tree`` needs to cut the tree into the number asked for.
        height = max(np.sqrt(2 * cost[a, b]), tree[step - 1, 2] if step else 0.0)
        tree[step] = [min(ids[a], ids[b]), max(ids[a], ids[b]), height, total]
        means[a] = (members[a] * means[a] + members[b] * means[b]) / total
        members[a], notes[a], ids[a] = total, notes[a] + notes[b], k + step
        alive[b] = False
        cost[a, :] = cost[:, a] = costs(a)
    return tree


def broad_groups(
    centroids: np.ndarray,
    n_broad: int | None = None,
    sizes: Sequence[int] | None = None,
    *,
    embeddings: np.ndarray | None = None,
    labels: Sequence[int] | None = None,
) -> list[int] | None:
    """Broad group (challenge) of each fine theme, numbered 0..m-1 by decreasing number of
    notes (``sizes`` of the fine themes; ties by first fine theme); ``None`` without themes.

    ``n_broad`` asks for that many (at most one per fine theme). ``None`` chooses the count
    with ``challenge_count`` on the notes (``embeddings`` and their fine ``labels``); without
    notes, on the centroids themselves.
    """
    k = len(centroids)
    if k == 0:
        return None
    if k == 1:
        return [0]
    tree = (
        capped_ward(centroids, sizes, LARGEST_CHALLENGE_SHARE)
        if sizes is not None
        else linkage(centroids, method="ward")  # Euclidean on unit rows: a monotone of cosine
    )
    if n_broad is not None:
        count = min(max(n_broad, 1), k)
    elif embeddings is not None and labels is not None:
        count = challenge_count(tree, k, embeddings, labels)[0]
    else:
        count = challenge_count(tree, k, centroids, list(range(k)))[0]
    raw = cut_tree(tree, n_clusters=count).ravel().tolist()
    return _by_size(raw, sizes)


def _by_size(raw: Sequence[int], sizes: Sequence[int] | None) -> list[int]:
    """Groups renumbered 0..m-1 by decreasing number of notes (ties by first fine theme)."""
    weight = list(sizes) if sizes is not None else [1] * len(raw)
    total = {g: sum(w for r, w in zip(raw, weight, strict=True) if r == g) for g in set(raw)}
    order = sorted(total, key=lambda g: (-total[g], list(raw).index(g)))
    rank = {g: i for i, g in enumerate(order)}
    return [rank[g] for g in raw]


def kept_groups(
    previous: Sequence[str | None],
    centroids: np.ndarray,
    n_broad: int | None = None,
    sizes: Sequence[int] | None = None,
) -> list[int] | None:
    """Broad group of each fine theme on a re-run that kept the previous run's themes: each
    kept theme stays with the themes it was grouped with (``previous``: the challenge it was
    part of, ``None`` for a theme the re-run founded from late notes), numbered as
    ``broad_groups`` numbers them; ``None`` when no theme was grouped before.

    Why not cut Ward's tree again: late notes move the centroids a little, and the tree is
    cut elsewhere, so challenges the analysts reviewed are regrouped although no theme
    changed (see the module docstring). A founded theme is a challenge of its own while the
    level holds fewer than it should (``n_broad``, else the least of ``CHALLENGE_RANGE``),
    as a first run would give it one; otherwise it joins the challenge whose centroid (the
    mean of its themes' unit centroids) is closest by cosine, the nearest group Ward's
    linkage would merge it into."""
    k = len(centroids)
    if k == 0 or len(previous) != k or all(p is None for p in previous):
        return None
    number = {p: i for i, p in enumerate(dict.fromkeys(p for p in previous if p is not None))}
    raw = [number[p] if p is not None else -1 for p in previous]
    floor = n_broad if n_broad is not None else CHALLENGE_RANGE[0]
    unit = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    order = sorted((i for i in range(k) if raw[i] < 0), key=lambda i: -(sizes[i] if sizes else 1))
    for i in order:
        count = max(raw) + 1
        if count < floor:
            raw[i] = count
            continue
        means = np.stack(
            [unit[[j for j in range(k) if raw[j] == g]].mean(axis=0) for g in range(count)]
        )
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
        raw[i] = int(np.argmax(means @ unit[i]))
    return _by_size(raw, sizes)


def broad_labels(labels: Sequence[int], groups: Sequence[int]) -> list[int]:
    """Each note's broad group from its fine theme; unassigned (-1) stays -1."""
    return [groups[label] if label >= 0 else -1 for label in labels]
