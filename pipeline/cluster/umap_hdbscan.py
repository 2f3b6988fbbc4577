"""UMAP reduction then HDBSCAN, with settings chosen from the data and confident noise reassigned.

Why this shape: HDBSCAN finds themes of uneven size without being told how many, but in 512
dimensions density is meaningless and it calls most short notes noise; UMAP to a few dimensions
gives it a space where density means something (the BERTopic recipe). HDBSCAN's result swings
with its two settings (the same data can give 4 or 12 themes), so a small grid of settings,
scaled to the number of notes, is tried and the clustering that best separates themes in the
embedding space is kept. At workshop size (50–500 notes) HDBSCAN still leaves many notes
unassigned, so a note that is as close to a theme's centroid as that theme's own members are is
given to it; the rest stay unassigned.

At scale (see ``PRECOMPUTED_KNN_MIN`` and ``FIT_SAMPLE_MAX``) the neighbours are computed here
rather than by UMAP's NN-descent, the map reuses the 5-d layout, and above 10,000 notes the
themes are found on a sample and extended, so 100k notes cost about what 10k do.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.cluster.base import register, relabel_by_size
from pipeline.cluster.consensus import consensus_labels
from pipeline.cluster.jit_cache import cache_umap_compilation
from pipeline.cluster.language import centre_by_language
from pipeline.cluster.neighbours import cosine_knn, nearest_rows, project_for_search
from pipeline.cluster.split import split_largest, split_stable_themes, split_to_room_size
from pipeline.config import ClusterConfig
from pipeline.schema import Assignment

LARGE_INPUT_EPOCHS = 200
"""UMAP epochs once neighbours are precomputed (UMAP's own default above 10,000 points)."""

CONSENSUS_MAX = 5_000
"""Consensus over UMAP seeds (``cluster.consensus_runs``) holds an n × n matrix: only up to
this many notes (100 MB); above, the configured seed's themes are used alone."""

FIT_SAMPLE_MAX = 10_000
"""Above this many notes, themes are found on a seeded sample of this size and extended to
the other notes (``_fit_sample_then_extend``): UMAP, HDBSCAN and the grid then cost the
same at 100k notes as at 10k, and memory grows only with the embeddings themselves."""

PRECOMPUTED_KNN_MIN = 4096
"""From this many notes on, neighbours are computed exactly here (``cosine_knn``) rather than
by UMAP's NN-descent, whose numba compilation alone cost about a minute per process (once per
machine since ``jit_cache``); the exact ones take a few seconds at 10,000 notes. Below, they
are the exact ones UMAP would compute itself, to the bit, computed in compiled code
(``umap_knn``) rather than per pair from Python, and UMAP keeps its own epochs: small runs are
unchanged."""

SMALL_INPUT = 12
"""Below this many notes density clustering is meaningless: they form one theme."""

DENSITY_RELIABLE = 100
"""Below this many notes (the low end of a workshop) HDBSCAN's density estimate rests on a
handful of neighbours and often calls a fifth of the notes noise; average-linkage
candidates, which assign every note, join the grid there and the same score chooses among
them all. Measured on random subsets of both labelled benchmark files (10 draws each), they
raise AMI and ARI on both at 50 to 90 notes; from 100 on, one file gains and the other loses."""

MIN_GROUP = 3
"""An average-linkage group smaller than this is left unassigned rather than made a theme."""


def without_small_groups(labels: np.ndarray) -> np.ndarray:
    """``labels`` with every group of fewer than ``MIN_GROUP`` notes unassigned."""
    sizes = np.bincount(labels[labels >= 0], minlength=max(int(labels.max()) + 1, 1))
    return np.where((labels >= 0) & (sizes[np.maximum(labels, 0)] >= MIN_GROUP), labels, -1)


def default_min_cluster_size(n: int) -> int:
    """Grows like sqrt(n): ~8 at 100 notes, ~14 at 300, ~25 at 1,000, ~250 at 100k."""
    return max(5, round(0.8 * math.sqrt(n)))


def default_n_neighbors(n: int) -> int:
    return int(min(15, max(5, n // 10)))


def centroids_of(embeddings: np.ndarray, labels: np.ndarray, clusters: list[int]) -> np.ndarray:
    """Unit mean vector of each of ``clusters`` (labels present in ``labels``), in that order."""
    centroids = np.stack([embeddings[labels == c].mean(axis=0) for c in clusters])
    return centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)


def mean_pairwise_similarity(rows: np.ndarray) -> float:
    """Mean cosine similarity over distinct pairs of ``rows``, in O(n·d) (not O(n²))."""
    if len(rows) < 2:
        return 1.0
    unit = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    total = unit.sum(axis=0)
    return float((total @ total - len(unit)) / (len(unit) * (len(unit) - 1)))


def dissolve_incoherent(raw: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Unassign themes whose members are no more alike than two notes picked at random.

    UMAP packs notes that are far from everything into one tight corner of its layout, and
    HDBSCAN then calls that corner a theme. Its members have nothing in common: in the
    embedder's own space (``raw``, before language centring, which shifts such stragglers
    alike) their mean pairwise cosine is no higher than the whole input's. Such a theme of
    leftovers becomes noise again and goes through the usual noise reassignment."""
    labels = labels.copy()
    baseline = mean_pairwise_similarity(raw)
    for c in sorted(set(labels.tolist()) - {-1}):
        members = labels == c
        if mean_pairwise_similarity(raw[members]) <= baseline:
            labels[members] = -1
    return labels


def demote_outliers(embeddings: np.ndarray, labels: np.ndarray, k: float = 4.0) -> np.ndarray:
    """Unassign members that are far less similar to their theme's centroid than its other
    members (below median − k·MAD, in the original space). UMAP can pull isolated notes into
    a dense region; this keeps them out of themes they do not belong to."""
    labels = labels.copy()
    clusters = sorted(c for c in set(labels.tolist()) if c != -1)
    if not clusters:
        return labels
    centroids = centroids_of(embeddings, labels, clusters)
    for c, centroid in zip(clusters, centroids, strict=True):
        members = np.flatnonzero(labels == c)
        similarity = embeddings[members] @ centroid
        median = np.median(similarity)
        spread = max(float(np.median(np.abs(similarity - median))), 0.02)
        labels[members[similarity < median - k * spread]] = -1
    return labels


def typicality(members: np.ndarray) -> np.ndarray:
    """Each member's cosine to the unit mean of the *other* members (rows of unit length).

    A note's cosine to a mean that includes itself is inflated: in a theme of 20 notes whose
    pairwise cosine is about 0.3, a member sits about 0.06 closer to the centroid than an
    equally typical note from outside. Left out of the mean, a member is measured as a new
    note is, so "as close as the theme's members" means what it says. A theme of one note
    keeps its own cosine (1.0): there are no others to compare with."""
    if len(members) < 2:
        return np.ones(len(members))
    # From the sum of all members, without an n × d array of "others" (a theme of 50,000 notes
    # would need another 100 MB): x·(S − x) = x·S − |x|², |S − x|² = |S|² − 2 x·S + |x|².
    total = members.sum(axis=0, dtype=np.float64)
    dot = (members @ total.astype(members.dtype)).astype(np.float64)
    square = np.einsum("ij,ij->i", members, members).astype(np.float64)
    rest = np.sqrt(np.maximum(float(total @ total) - 2.0 * dot + square, 0.0))
    return np.asarray((dot - square) / np.maximum(rest, 1e-12))


def reassign_noise(
    embeddings: np.ndarray,
    labels: np.ndarray,
    quantile: float = 0.1,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Give a noise note to its nearest theme (cosine to the centroid) when it is at least as
    close as the theme's ``quantile`` least-typical member, each member measured against the
    others' mean (``typicality``). Returns (labels, confidence). ``only`` (a boolean mask)
    limits which noise notes may join a theme.

    Measured on the four labelled benchmark files and the sample workshop, over UMAP seeds
    42, 0, 1, 2 and 3, against members measured against a mean that includes them: NMI_all
    level (within 0.001) or higher on every file (SIB-200 0.487 to 0.490, the sample 0.378 to
    0.387), with more notes in themes (SIB-200 coverage 0.82 to 0.87, the sample 0.86 to
    0.93); of the sample's held-out late notes, 40 instead of 76 of 120 stay unassigned."""
    labels = labels.copy()
    confidence = np.zeros(len(labels))
    clusters = sorted(c for c in set(labels.tolist()) if c != -1)
    unassigned = labels == -1
    noise = np.flatnonzero(unassigned if only is None else unassigned & only)
    if not clusters or len(noise) == 0:
        return labels, confidence
    centroids = centroids_of(embeddings, labels, clusters)
    thresholds = np.array(
        [np.quantile(typicality(embeddings[labels == c]), quantile) for c in clusters]
    )
    similarity = embeddings[noise] @ centroids.T
    nearest = similarity.argmax(axis=1)
    best = similarity[np.arange(len(noise)), nearest]
    accepted = best >= thresholds[nearest]
    labels[noise[accepted]] = np.asarray(clusters)[nearest[accepted]]
    # Confidence of a reassigned note: how far above its theme's threshold it sits, in (0, 1].
    ceiling = np.maximum(1.0 - thresholds[nearest], 1e-6)
    confidence[noise[accepted]] = np.clip((best - thresholds[nearest]) / ceiling, 0.05, 1.0)[
        accepted
    ]
    return labels, confidence


MIN_CLUSTER_SIZE_FACTORS = (0.5, 0.75, 1.0, 1.5)
MIN_SAMPLES = (3, 5, 10)
SILHOUETTE_SAMPLE = 3000
"""Silhouette is quadratic in the number of notes: above this, it is computed on a sample."""


def silhouette_coverage(
    embeddings: np.ndarray, labels: np.ndarray, seed: int, distances: np.ndarray | None = None
) -> float:
    """How well a clustering separates themes, in the embedding space (cosine silhouette of the
    assigned notes), times the share of notes assigned, so leaving notes out is not free.
    ``distances``: the notes' cosine distances, when already computed (up to
    ``SILHOUETTE_SAMPLE`` notes), so that scoring many clusterings computes them once.

    Chosen because, over a grid of HDBSCAN settings on labelled multilingual sets, it tracks
    NMI_all (Spearman 0.6–0.9), unlike HDBSCAN's own stability, which often prefers
    three or four giant themes.
    """
    from sklearn.metrics import silhouette_score  # 1.5 s of imports a kept re-run never needs

    assigned = labels != -1
    if len(set(labels[assigned].tolist())) < 2:
        return -1.0
    if distances is not None and int(assigned.sum()) <= SILHOUETTE_SAMPLE:
        rows = np.flatnonzero(assigned)
        within = silhouette_score(
            distances[np.ix_(rows, rows)], labels[assigned], metric="precomputed"
        )
        return float(within) * float(assigned.mean())
    silhouette = silhouette_score(
        embeddings[assigned],
        labels[assigned],
        metric="cosine",
        sample_size=min(int(assigned.sum()), SILHOUETTE_SAMPLE),
        random_state=seed,
    )
    return float(silhouette) * float(assigned.mean())


@dataclass
class _Candidate:
    min_cluster_size: int
    min_samples: int
    labels: np.ndarray
    probabilities: np.ndarray
    noise_before_reassignment: int
    score: float
    method: str = "hdbscan"
    """``hdbscan`` (with the two settings above), or ``average-linkage`` on tiny inputs."""

    def summary(self) -> dict[str, float | int | str]:
        assigned = self.labels != -1
        return {
            "method": self.method,
            "min_cluster_size": self.min_cluster_size,
            "min_samples": self.min_samples,
            "themes": len(set(self.labels[assigned].tolist())),
            "coverage": round(float(assigned.mean()), 3),
            "score": round(self.score, 4),
        }


SCORE_TOLERANCE = 0.05
"""Scores within 5 % of the best are treated as ties (silhouette estimates are that noisy)."""


def choose(candidates: list[_Candidate]) -> _Candidate:
    """Best score; among near-ties, the one that leaves fewest notes unassigned, then the
    coarser one (fewer, larger themes are easier to review)."""
    top = max(c.score for c in candidates)
    tied = [c for c in candidates if c.score >= top - SCORE_TOLERANCE * abs(top)]
    return max(tied, key=lambda c: (float((c.labels != -1).mean()), c.min_cluster_size))


class UmapHdbscanClusterer:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self._scores: dict[tuple[int, bytes], float] = {}
        self._distances: dict[int, np.ndarray] = {}

    def _umap(
        self,
        data: np.ndarray,
        n_components: int,
        n_neighbors: int,
        knn: tuple[np.ndarray, np.ndarray] | None = None,
        seed: int | None = None,
        init: np.ndarray | None = None,
        own: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """``init``: a starting layout, optimised for ``MAP_EPOCHS`` only (the map). ``own``:
        the neighbours UMAP would find itself (``umap_exact_knn``), for its own epochs."""
        import umap

        cache_umap_compilation()
        given = knn if knn is not None else own
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # n_jobs=1 because of random_state: expected
            reducer = umap.UMAP(
                n_neighbors=n_neighbors,
                n_components=n_components,
                min_dist=0.0,
                metric="cosine",
                random_state=self.config.seed if seed is None else seed,
                init=init if init is not None else "spectral" if len(data) > 50 else "random",
                n_jobs=1,
                precomputed_knn=(*given, None) if given is not None else (None, None, None),
                # UMAP's own choice above 10,000 points; it would run 500 epochs up to there.
                n_epochs=MAP_EPOCHS
                if init is not None
                else LARGE_INPUT_EPOCHS
                if knn is not None
                else None,
            )
            return np.asarray(reducer.fit_transform(data), dtype=np.float64)

    def _grid(self, n: int) -> list[tuple[int, int]]:
        """(min_cluster_size, min_samples) pairs to try: the configured values where set, else
        a small grid around the size-scaled default."""
        base = default_min_cluster_size(n)
        sizes = (
            [self.config.min_cluster_size]
            if self.config.min_cluster_size
            else sorted({max(5, round(base * f)) for f in MIN_CLUSTER_SIZE_FACTORS})
        )
        samples = [self.config.min_samples] if self.config.min_samples else list(MIN_SAMPLES)
        return [(size, min(ms, size)) for size in sizes for ms in samples]

    def _settle_noise(
        self, data: np.ndarray, labels: np.ndarray, probabilities: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Members far from their theme become noise (probability 0), then noise that is
        confidently close to a theme joins it, when ``reassign_noise`` is on."""
        labels = demote_outliers(data, labels)
        probabilities = np.where(labels >= 0, probabilities, 0.0)
        if self.config.reassign_noise:
            labels, confidence = reassign_noise(data, labels)
            probabilities = np.where(probabilities > 0, probabilities, confidence)
        return labels, probabilities

    def _candidate(
        self,
        data: np.ndarray,
        raw: np.ndarray,
        reduced: np.ndarray,
        min_cluster_size: int,
        min_samples: int,
    ) -> _Candidate:
        from sklearn.cluster import HDBSCAN

        hdbscan = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True)
        labels = hdbscan.fit_predict(reduced)
        probabilities = np.asarray(hdbscan.probabilities_, dtype=float)
        noise_before = int((labels == -1).sum())
        labels, probabilities = self._settle_noise(
            data, dissolve_incoherent(raw, labels), probabilities
        )
        return _Candidate(
            min_cluster_size=min_cluster_size,
            min_samples=min_samples,
            labels=labels,
            probabilities=probabilities,
            noise_before_reassignment=noise_before,
            score=self._score(data, labels),
        )

    def _score(self, data: np.ndarray, labels: np.ndarray) -> float:
        """``silhouette_coverage``, computed once per distinct clustering: settings of the grid
        often give the same themes (half of them on the labelled benchmark files), and the
        silhouette is most of a candidate's cost."""
        key = (id(data), labels.tobytes())
        if key not in self._scores:
            if len(data) <= SILHOUETTE_SAMPLE and id(data) not in self._distances:
                from sklearn.metrics.pairwise import cosine_distances

                self._distances[id(data)] = cosine_distances(data)
            self._scores[key] = silhouette_coverage(
                data, labels, self.config.seed, self._distances.get(id(data))
            )
        return self._scores[key]

    def _hdbscan_candidates(
        self, data: np.ndarray, raw: np.ndarray, reduced: np.ndarray
    ) -> list[_Candidate]:
        return [self._candidate(data, raw, reduced, *setting) for setting in self._grid(len(data))]

    def _tries_linkage(self, n: int) -> bool:
        return n < DENSITY_RELIABLE and not self.config.min_cluster_size

    def _linkage_candidates(self, data: np.ndarray, raw: np.ndarray) -> list[_Candidate]:
        """Average-linkage (cosine) cuts into 2 … n/5 groups, for inputs too small for
        density clustering; groups under ``MIN_GROUP`` notes stay unassigned, and far-off
        members and incoherent groups go back to noise as HDBSCAN's do (``_settle_noise``)."""
        from sklearn.cluster import AgglomerativeClustering

        out = []
        for k in range(2, max(2, len(data) // 5) + 1):
            labels = AgglomerativeClustering(
                n_clusters=k, metric="cosine", linkage="average"
            ).fit_predict(data)
            labels = without_small_groups(labels)
            noise_before = int((labels == -1).sum())
            labels, probabilities = self._settle_noise(
                data, dissolve_incoherent(raw, labels), (labels >= 0).astype(float)
            )
            labels = relabel_by_size(without_small_groups(labels))  # settling can shrink one
            probabilities = np.where(labels >= 0, probabilities, 0.0)
            out.append(
                _Candidate(
                    min_cluster_size=MIN_GROUP,
                    min_samples=0,
                    labels=labels,
                    probabilities=probabilities,
                    noise_before_reassignment=noise_before,
                    score=self._score(data, labels),
                    method="average-linkage",
                )
            )
        return out

    def fit(self, embeddings: np.ndarray, langs: Sequence[str]) -> Assignment:
        n = len(embeddings)
        # Keyed by the arrays of this fit, which live until it returns.
        self._scores.clear()
        self._distances.clear()
        params: dict[str, Any] = {"method": "umap-hdbscan", "n": n, "seed": self.config.seed}
        if n == 0:
            return Assignment(labels=[], probabilities=[], coords_2d=[], params=params)
        data = embeddings
        if self.config.language_centering and len(set(langs)) > 1:
            data = centre_by_language(embeddings, langs)
        params["language_centering"] = self.config.language_centering
        if n < SMALL_INPUT:
            coords = _small_map(data)
            params["note"] = f"fewer than {SMALL_INPUT} notes: one theme"
            return Assignment(
                labels=[0] * n, probabilities=[1.0] * n, coords_2d=coords, params=params
            )
        timings: dict[str, float] = {}
        if n <= FIT_SAMPLE_MAX:
            labels, probabilities, map_2d = self._fit_all(data, embeddings, langs, params, timings)
        else:
            labels, probabilities, map_2d = self._fit_sample_then_extend(
                data, embeddings, langs, params, timings
            )
        self._distances.clear()  # up to 36 MB; only this fit needed them
        labels = relabel_by_size(labels)
        params["noise"] = int((labels == -1).sum())
        params["themes"] = int(labels.max() + 1) if (labels >= 0).any() else 0
        params["timings"] = {k: round(v, 2) for k, v in timings.items()}
        return Assignment(
            labels=labels.tolist(),
            probabilities=probabilities.round(4).tolist(),
            coords_2d=[(float(x), float(y)) for x, y in map_2d],
            params=params,
        )

    def _fit_all(
        self,
        data: np.ndarray,
        raw: np.ndarray,
        langs: Sequence[str],
        params: dict[str, Any],
        timings: dict[str, float],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """UMAP, the HDBSCAN grid and the map over every row of ``data`` (``raw``: the same
        rows before language centring; ``langs``: their languages): (labels, probabilities,
        2-D map), with what was chosen recorded in ``params``."""
        n = len(data)
        n_neighbors = self.config.n_neighbors or default_n_neighbors(n)
        n_components = min(self.config.n_components, n - 2)
        params.update(n_neighbors=n_neighbors, n_components=n_components)
        clock = time.perf_counter()
        knn = own = None
        if n >= PRECOMPUTED_KNN_MIN:
            knn = cosine_knn(data, n_neighbors)
        elif n > n_neighbors:
            own = self._own_neighbours(data, n_neighbors)
        timings["neighbours"] = time.perf_counter() - clock
        clock = time.perf_counter()
        reduced = self._umap(data, n_components, n_neighbors, knn, own=own)
        timings["umap"] = time.perf_counter() - clock
        clock = time.perf_counter()
        linkage = self._linkage_candidates(data, raw) if self._tries_linkage(n) else []
        candidates = self._hdbscan_candidates(data, raw, reduced) + linkage
        timings["grid"] = time.perf_counter() - clock
        best = choose(candidates)
        params.update(
            method_chosen=best.method,
            min_cluster_size=best.min_cluster_size,
            min_samples=best.min_samples,
            selection="silhouette × coverage, near-ties by coverage"
            if len(candidates) > 1
            else "fixed",
            grid=[c.summary() for c in candidates],
            noise_before_reassignment=best.noise_before_reassignment,
        )
        labels, probabilities = best.labels, best.probabilities
        runs = self.config.consensus_runs
        if runs > 1 and n <= CONSENSUS_MAX:
            clock = time.perf_counter()
            labels, probabilities = self._consensus(
                data, raw, best, linkage, runs, n_neighbors, n_components, own
            )
            params["consensus"] = {"runs": runs, "seeds": self._consensus_seeds(runs)}
            timings["consensus"] = time.perf_counter() - clock
        if self.config.split_stable_themes:
            clock = time.perf_counter()
            labels, params["stable_splits"] = split_stable_themes(
                data,
                labels,
                langs,
                max(best.min_cluster_size, default_min_cluster_size(n)),
                self.config.seed,
            )
            timings["split"] = time.perf_counter() - clock
        labels, params["room_size_cuts"] = split_to_room_size(data, labels, langs, self.config.seed)
        labels, params["largest_cuts"] = split_largest(data, labels, langs, self.config.seed)
        clock = time.perf_counter()
        # From PRECOMPUTED_KNN_MIN notes on, a second UMAP would cost as much as the first:
        # the map is then the plane that shows most of the 5-d layout the themes came from.
        # Below, that plane is where a short 2-d UMAP starts (``MAP_EPOCHS``), on neighbours
        # computed here (UMAP's own search would cost three times the map's epochs).
        plane = principal_plane(reduced)
        map_2d = (
            plane
            if knn is not None
            else self._umap(
                data, 2, n_neighbors, knn=cosine_knn(data, n_neighbors), init=map_start(plane)
            )
        )
        timings["map"] = time.perf_counter() - clock
        return labels, probabilities, map_2d

    @staticmethod
    def _own_neighbours(data: np.ndarray, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
        """The exact neighbours UMAP computes below ``PRECOMPUTED_KNN_MIN`` notes."""
        cache_umap_compilation()  # before UMAP's numba functions first run
        from pipeline.cluster.umap_knn import umap_exact_knn

        return umap_exact_knn(data, n_neighbors)

    def _consensus_seeds(self, runs: int) -> list[int]:
        return [self.config.seed + 1000 * k for k in range(runs)]

    def _consensus(
        self,
        data: np.ndarray,
        raw: np.ndarray,
        first: _Candidate,
        linkage: list[_Candidate],
        runs: int,
        n_neighbors: int,
        n_components: int,
        own: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Themes that most of ``runs`` UMAP seeds agree on (``first`` is the configured seed's
        choice); each run chooses its own HDBSCAN settings from the grid, beside the same
        ``linkage`` candidates, which do not depend on the seed."""
        chosen = [first]
        for seed in self._consensus_seeds(runs)[1:]:
            reduced = self._umap(data, n_components, n_neighbors, seed=seed, own=own)
            chosen.append(choose(self._hdbscan_candidates(data, raw, reduced) + linkage))
        labels, agreement = consensus_labels(
            [c.labels for c in chosen], min(c.min_cluster_size for c in chosen)
        )
        return self._settle_noise(data, dissolve_incoherent(raw, labels), agreement)

    def _fit_sample_then_extend(
        self,
        data: np.ndarray,
        raw: np.ndarray,
        langs: Sequence[str],
        params: dict[str, Any],
        timings: dict[str, float],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Themes found on a seeded sample of ``FIT_SAMPLE_MAX`` notes, then every other note
        takes the theme and map place of its most similar sampled note; members far from
        their theme are unassigned and confident noise reassigned, over all notes."""
        n = len(data)
        rng = np.random.default_rng(self.config.seed)
        sample = np.sort(rng.choice(n, FIT_SAMPLE_MAX, replace=False))
        rest = np.setdiff1d(np.arange(n), sample, assume_unique=True)
        sample_labels, sample_probabilities, sample_map = self._fit_all(
            data[sample], raw[sample], [langs[i] for i in sample], params, timings
        )
        params["fitted_on_sample"] = FIT_SAMPLE_MAX
        clock = time.perf_counter()
        search = project_for_search(data, self.config.seed)
        nearest = nearest_rows(search[rest], search[sample])
        labels = np.empty(n, dtype=int)
        probabilities = np.zeros(n)
        labels[sample], labels[rest] = sample_labels, sample_labels[nearest]
        probabilities[sample] = sample_probabilities
        probabilities[rest] = sample_probabilities[nearest]
        labels, probabilities = self._settle_noise(data, labels, probabilities)
        map_2d = np.empty((n, 2))
        map_2d[sample] = sample_map
        map_2d[rest] = place_beside(sample_map, nearest, rng)
        timings["extend"] = time.perf_counter() - clock
        return labels, probabilities, map_2d


MAP_EPOCHS = 100
"""Epochs of the 2-d map's UMAP, which starts from the plane of the 5-d layout (``map_start``)
rather than from a spectral embedding with UMAP's 500, on exactly computed neighbours: a
fifth of the map's time (0.2 to 0.4 s instead of 1.2 to 2.5 s on 630 to 1,000 notes), and on
the four labelled benchmark files the true topics are as separate on it (silhouette of the
labels on the map 0.42 to 0.52, against 0.44 to 0.51 before; SIB-200 0.14 both)."""


def map_start(plane: np.ndarray) -> np.ndarray:
    """``plane`` scaled to the spread UMAP's own initialisation has (about ±10)."""
    centred = plane - plane.mean(axis=0)
    return np.asarray(centred / np.maximum(centred.std(axis=0), 1e-12) * 3.0)


MAP_OFFSET = 0.02
"""A note placed on the map by its most similar placed note sits beside it, offset by this
share of the map's spread (seeded), so the two dots do not hide each other."""


def place_beside(placed: np.ndarray, nearest: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Map positions beside ``placed[nearest]`` (one row per index in ``nearest``)."""
    spread = placed.std(axis=0) * MAP_OFFSET
    return np.asarray(placed[nearest] + rng.normal(size=(len(nearest), 2)) * spread)


def principal_plane(data: np.ndarray) -> np.ndarray:
    """The first two principal components of ``data`` (n × 2; zeros where undefined)."""
    if len(data) < 2:
        return np.zeros((len(data), 2))
    centred = data - data.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    points = centred @ vt[:2].T
    if points.shape[1] < 2:
        points = np.hstack([points, np.zeros((len(points), 2 - points.shape[1]))])
    return np.asarray(points)


def _small_map(data: np.ndarray) -> list[tuple[float, float]]:
    """A 2-D PCA map for inputs too small for UMAP."""
    return [(float(x), float(y)) for x, y in principal_plane(data)]


@register("umap-hdbscan")
def _create(config: ClusterConfig) -> UmapHdbscanClusterer:
    return UmapHdbscanClusterer(config)
