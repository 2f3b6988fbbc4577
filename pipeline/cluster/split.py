"""Split a theme in two when resampling finds the same two halves again and again.

Why: the clustering's score (cosine silhouette × coverage, ``umap_hdbscan.choose``) prefers
themes that are far apart, so topics that sit close together in the embedding space end up in
one theme. On real citizen statements (the Polis files of the shared benchmarks) taxes,
universal basic income and minimum wage always shared one theme of about 150 comments. A
facilitator wants them apart; the challenge level can still group them again.

Which themes to split is the hard part: a split of *any* theme raises the number of themes,
and on SIB-200, whose themes are already finer than its topics, most splits lower agreement
with the topics. Tried and not kept (docs/quality.md): silhouette gains, a lexical
silhouette, neighbour agreement, a bimodality coefficient along the split. What does tell
them apart is whether the split is *reproducible*: 2-means run on 80 % resamples of a
theme's notes draws the same border each time when the theme holds two groups (taxes against
income support: pairwise ARI 0.83 to 0.89), and a different one each time when it is one
broad topic (SIB-200's themes: 0.63 to 0.72 at most). This is the clustering-stability idea
of Ben-Hur, Elisseeff and Guyon (2002) and Lange et al. (2004), applied to one theme at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import l2_normalise

SPLIT_STABILITY = 0.8
"""Mean pairwise ARI of the resampled splits from which a theme is split. Over UMAP seeds 42,
0, 1, 2 and 3 on the four labelled benchmark files and the sample, 0.75 and 0.85 give means
within 0.002 NMI_all of 0.8's on every file (measured with scikit-learn's 2-means)."""

RESAMPLES = 20
RESAMPLE_SHARE = 0.8
RESTARTS = 3
"""2-means restarts per resample (the best of them by within-group similarity is kept)."""

ITERATIONS = 30
SPLIT_DEPTH = 2
"""A theme is split at most twice over (into up to four), so three close topics can part."""


def two_means(rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Centres (2 × d) of a spherical 2-means of unit ``rows``: the best of ``RESTARTS`` runs,
    each started from two random rows. Written here rather than taken from scikit-learn
    because a theme needs ``RESAMPLES × RESTARTS`` of them and scikit-learn's per-call
    overhead would be most of the clustering step's time."""
    best, best_fit = rows[:2], -np.inf
    for _ in range(RESTARTS):
        centres = rows[rng.choice(len(rows), 2, replace=False)]
        for _ in range(ITERATIONS):
            groups = (rows @ centres.T).argmax(axis=1)
            if min(np.bincount(groups, minlength=2)) == 0:
                break
            updated = l2_normalise(np.stack([rows[groups == g].mean(axis=0) for g in (0, 1)]))
            if np.allclose(updated, centres):
                break
            centres = updated
        fit = float((rows @ centres.T).max(axis=1).sum())
        if fit > best_fit:
            best, best_fit = centres, fit
    return best


def binary_ari(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labellings into groups 0 and 1 (same rows), from their 2 × 2
    table: a theme compares 190 pairs of resampled splits, and scikit-learn's
    ``adjusted_rand_score`` takes about 0.7 ms a call on 150 notes, this 0.01 ms."""
    n = len(a)
    table = np.bincount(2 * a + b, minlength=4).reshape(2, 2).astype(np.float64)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, columns = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * columns / max(n * (n - 1) / 2, 1.0)
    maximum = (rows + columns) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def split_stability(rows: np.ndarray, rng: np.random.Generator) -> float:
    """Mean pairwise ARI, over all of ``rows``, of 2-means splits fitted on resamples."""
    size = max(2, int(RESAMPLE_SHARE * len(rows)))
    splits = []
    for _ in range(RESAMPLES):
        centres = two_means(rows[rng.choice(len(rows), size, replace=False)], rng)
        splits.append((rows @ centres.T).argmax(axis=1))
    scores = [
        binary_ari(splits[i], splits[j])
        for i in range(len(splits))
        for j in range(i + 1, len(splits))
    ]
    return float(np.mean(scores))


LANGUAGE_BORDER = 0.2
"""A split whose halves follow the notes' languages this much (NMI of halves and languages) is
not made: what centring left of a language's offset is itself a reproducible border, and a
theme cut into its French and its Dutch notes is no help to anyone."""


def follows_language(halves: np.ndarray, langs: Sequence[str]) -> bool:
    from sklearn.metrics import normalized_mutual_info_score

    return len(set(langs)) > 1 and normalized_mutual_info_score(langs, halves) >= LANGUAGE_BORDER


def split_stable_themes(
    data: np.ndarray, labels: np.ndarray, langs: Sequence[str], min_size: int, seed: int
) -> tuple[np.ndarray, int]:
    """``labels`` with each theme whose 2-means split is stable (``SPLIT_STABILITY``) split in
    two, again within each half up to ``SPLIT_DEPTH``; (labels, number of splits).

    Only themes of at least twice ``min_size`` notes are tried, and a split is kept only when
    both halves have ``min_size`` notes and do not follow ``langs`` (``LANGUAGE_BORDER``).
    ``data``: the rows as clustered (language-centred). Unassigned notes (-1) stay so; new
    themes take the next free numbers."""
    labels = labels.copy()
    rng = np.random.default_rng(seed)
    unit = l2_normalise(data)
    queue = [(int(c), 0) for c in sorted(set(labels.tolist()) - {-1})]
    splits = 0
    while queue:
        theme, depth = queue.pop(0)
        members = np.flatnonzero(labels == theme)
        if depth >= SPLIT_DEPTH or len(members) < 2 * min_size:
            continue
        rows = unit[members]
        if split_stability(rows, rng) < SPLIT_STABILITY:
            continue
        halves = (rows @ two_means(rows, rng).T).argmax(axis=1)
        if min(np.bincount(halves, minlength=2)) < min_size or follows_language(
            halves, [langs[int(i)] for i in members]
        ):
            continue
        new = int(labels.max()) + 1
        labels[members[halves == 1]] = new
        splits += 1
        queue += [(theme, depth + 1), (new, depth + 1)]
    return labels, splits


ROOM_FACETS = 6
"""A workshop of ``ROOM_SIZE_FROM`` ideas or more gets at least this many facets, when its
themes can be cut into them: a room of twenty people works on four to eight challenges, each
with its facets, and two or three themes (long consultation answers gave that) leave nothing
to choose from."""
ROOM_SIZE_FROM = 150
"""Below this many ideas the themes the clustering finds stand as they are."""
ROOM_MIN_PART = 5
"""Neither part of a cut made to reach ``ROOM_FACETS`` may hold fewer notes than this."""


def split_to_room_size(
    data: np.ndarray, labels: np.ndarray, langs: Sequence[str], seed: int
) -> tuple[np.ndarray, int]:
    """``labels`` with themes cut in two, the most reproducible cut first
    (``split_stability``), until there are ``ROOM_FACETS`` of them; (labels, number of cuts).

    Why: the clustering's score prefers a few far-apart themes, and on long consultation
    answers (hundreds of sentences on three broad topics) it found two or three, so the room got
    two challenges and no facets. ``split_stable_themes`` cuts only what resampling draws the
    same way every time; this goes on where the room needs it, taking the cut that is the most
    reproducible among the themes large enough for one. Only inputs of ``ROOM_SIZE_FROM``
    ideas or more are cut. A cut whose parts follow the languages (``LANGUAGE_BORDER``) or
    leave a part under ``ROOM_MIN_PART`` notes is not made, and unassigned notes stay so:
    facets are never forced."""
    labels = labels.copy()
    themes = set(labels.tolist()) - {-1}
    if len(labels) < ROOM_SIZE_FROM or len(themes) >= ROOM_FACETS or not themes:
        return labels, 0
    rng = np.random.default_rng(seed)
    unit = l2_normalise(data)
    cuts = 0
    refused: set[int] = set()
    while len(set(labels.tolist()) - {-1}) < ROOM_FACETS:
        options = []
        for theme in sorted(set(labels.tolist()) - {-1} - refused):
            members = np.flatnonzero(labels == theme)
            if len(members) >= 2 * ROOM_MIN_PART:
                options.append((split_stability(unit[members], rng), theme, members))
        if not options:
            break
        _, theme, members = max(options, key=lambda option: (option[0], len(option[2])))
        if _cut_in_two(unit, labels, members, langs, rng):
            cuts += 1
        else:
            refused.add(theme)
    return labels, cuts


def _cut_in_two(
    unit: np.ndarray,
    labels: np.ndarray,
    members: np.ndarray,
    langs: Sequence[str],
    rng: np.random.Generator,
) -> bool:
    """Cuts the theme of ``members`` in two by 2-means, the second half taking the next free
    number in ``labels`` (changed in place), unless a half would hold fewer than
    ``ROOM_MIN_PART`` notes or the halves follow the languages; whether it cut."""
    rows = unit[members]
    halves = (rows @ two_means(rows, rng).T).argmax(axis=1)
    if min(np.bincount(halves, minlength=2)) < ROOM_MIN_PART or follows_language(
        halves, [langs[int(i)] for i in members]
    ):
        return False
    labels[members[halves == 1]] = int(labels.max()) + 1
    return True


LARGEST_SHARE = 1 / 3
"""From ``ROOM_SIZE_FROM`` ideas on, no theme holds more than this share of the assigned
notes while it can be cut: no topic of the shared labelled files holds more than a quarter of
its file, and a theme holding 44 to 65 % of a real consultation (rooftop solar, soil sealing
and parking in one 104-note theme; all of a housing debate's policy notes in one of 82) is
several things no heading or question can speak for together."""
LARGEST_CUTS = 3
"""At most this many cuts are made to bring the largest theme under ``LARGEST_SHARE``."""
LARGEST_FROM = ROOM_SIZE_FROM
"""From this many ideas on, the largest theme is cut while it holds over ``LARGEST_SHARE``
(``split_largest``). Cutting at a third from 60 ideas gave a 79-comment consultation four
challenges instead of one of 72 notes, but cost ``polis_dev_topics.tsv`` 0.01 to 0.04 AMI on
100- to 140-row samples (xSID gained 0.02 to 0.05): below it, only a theme holding most of
the workshop is cut (``SMALL_LARGEST_SHARE``), which leaves every 60- to 140-row sample of
the labelled files as it was."""
SMALL_LARGEST_SHARE = 1 / 2
"""Below ``LARGEST_FROM`` ideas, the largest theme is cut only while it holds more than
this share of the assigned notes: most of a small workshop in one theme gives it one
challenge."""
SMALL_LARGEST_FROM = 40
"""Fewer ideas than this are never cut: a theme of most of 30 notes may be all there is."""


def split_largest(
    data: np.ndarray, labels: np.ndarray, langs: Sequence[str], seed: int
) -> tuple[np.ndarray, int]:
    """``labels`` with the largest theme cut in two (2-means) while it holds more than
    ``LARGEST_SHARE`` of the assigned notes, at most ``LARGEST_CUTS`` times; (labels, number
    of cuts).

    Why: density clustering finds the dense corners of a consultation and leaves the broad
    middle, the bulk of what people wrote, in one theme; its question then speaks for one
    narrow note of it. Below ``LARGEST_FROM`` ideas the theme is cut only while it holds
    more than ``SMALL_LARGEST_SHARE`` (most of a small workshop in one theme), and below
    ``SMALL_LARGEST_FROM`` never. Otherwise on the same terms as ``split_to_room_size``: no
    part under ``ROOM_MIN_PART`` notes, no cut along the languages, unassigned notes stay
    so."""
    labels = labels.copy()
    if len(labels) < SMALL_LARGEST_FROM:
        return labels, 0
    share = LARGEST_SHARE if len(labels) >= LARGEST_FROM else SMALL_LARGEST_SHARE
    rng = np.random.default_rng(seed)
    unit = l2_normalise(data)
    cuts = 0
    refused: set[int] = set()
    while cuts < LARGEST_CUTS:
        counts = {t: int((labels == t).sum()) for t in set(labels.tolist()) - {-1} - refused}
        assigned = int((labels >= 0).sum())
        if not counts:
            break
        theme = max(sorted(counts), key=lambda t: counts[t])
        if counts[theme] <= share * assigned or counts[theme] < 2 * ROOM_MIN_PART:
            break
        if _cut_in_two(unit, labels, np.flatnonzero(labels == theme), langs, rng):
            cuts += 1
        else:
            refused.add(theme)
    return labels, cuts
