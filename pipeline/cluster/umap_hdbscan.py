"""UMAP reduction then HDBSCAN, with sizes scaled to the data and confident noise reassigned.

Why this shape: HDBSCAN finds themes of uneven size without being told how many, but in 512
dimensions density is meaningless and it calls most short notes noise; UMAP to a few dimensions
gives it a space where density means something (the BERTopic recipe). At workshop size
(50–500 notes) HDBSCAN still leaves many notes unassigned, so a note that is as close to a
theme's centroid as that theme's own members are is given to it; the rest stay unassigned.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.cluster import HDBSCAN

from pipeline.cluster.base import register, relabel_by_size
from pipeline.cluster.language import centre_by_language
from pipeline.config import ClusterConfig
from pipeline.schema import Assignment

SMALL_INPUT = 12
"""Below this many notes density clustering is meaningless: they form one theme."""


def default_min_cluster_size(n: int) -> int:
    """Grows like sqrt(n): ~8 at 100 notes, ~14 at 300, ~25 at 1,000, ~250 at 100k."""
    return max(5, round(0.8 * math.sqrt(n)))


def default_n_neighbors(n: int) -> int:
    return int(min(15, max(5, n // 10)))


def _centroids(embeddings: np.ndarray, labels: np.ndarray, clusters: list[int]) -> np.ndarray:
    centroids = np.stack([embeddings[labels == c].mean(axis=0) for c in clusters])
    return centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)


def demote_outliers(embeddings: np.ndarray, labels: np.ndarray, k: float = 4.0) -> np.ndarray:
    """Unassign members that are far less similar to their theme's centroid than its other
    members (below median − k·MAD, in the original space). UMAP can pull isolated notes into
    a dense region; this keeps them out of themes they do not belong to."""
    labels = labels.copy()
    clusters = sorted(c for c in set(labels.tolist()) if c != -1)
    if not clusters:
        return labels
    centroids = _centroids(embeddings, labels, clusters)
    for c, centroid in zip(clusters, centroids, strict=True):
        members = np.flatnonzero(labels == c)
        similarity = embeddings[members] @ centroid
        median = np.median(similarity)
        spread = max(float(np.median(np.abs(similarity - median))), 0.02)
        labels[members[similarity < median - k * spread]] = -1
    return labels


def reassign_noise(
    embeddings: np.ndarray, labels: np.ndarray, quantile: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """Give a noise note to its nearest theme (cosine to the centroid) when it is at least as
    close as the theme's ``quantile`` least-typical member. Returns (labels, confidence)."""
    labels = labels.copy()
    confidence = np.zeros(len(labels))
    clusters = sorted(c for c in set(labels.tolist()) if c != -1)
    noise = np.flatnonzero(labels == -1)
    if not clusters or len(noise) == 0:
        return labels, confidence
    centroids = _centroids(embeddings, labels, clusters)
    thresholds = np.array(
        [
            np.quantile(embeddings[labels == c] @ centroids[k], quantile)
            for k, c in enumerate(clusters)
        ]
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


class UmapHdbscanClusterer:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config

    def _umap(self, data: np.ndarray, n_components: int, n_neighbors: int) -> np.ndarray:
        import umap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # n_jobs=1 because of random_state: expected
            reducer = umap.UMAP(
                n_neighbors=n_neighbors,
                n_components=n_components,
                min_dist=0.0,
                metric="cosine",
                random_state=self.config.seed,
                init="spectral" if len(data) > 50 else "random",
                n_jobs=1,
            )
            return np.asarray(reducer.fit_transform(data), dtype=np.float64)

    def fit(self, embeddings: np.ndarray, langs: Sequence[str]) -> Assignment:
        n = len(embeddings)
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

        n_neighbors = self.config.n_neighbors or default_n_neighbors(n)
        n_components = min(self.config.n_components, n - 2)
        min_cluster_size = self.config.min_cluster_size or default_min_cluster_size(n)
        min_samples = self.config.min_samples or min(5, min_cluster_size)
        params.update(
            n_neighbors=n_neighbors,
            n_components=n_components,
            min_cluster_size=min_cluster_size,
            min_samples=min_samples,
        )
        reduced = self._umap(data, n_components, n_neighbors)
        hdbscan = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True)
        labels = hdbscan.fit_predict(reduced)
        probabilities = np.asarray(hdbscan.probabilities_, dtype=float)
        params["noise_before_reassignment"] = int((labels == -1).sum())
        labels = demote_outliers(data, labels)
        probabilities[labels == -1] = 0.0
        params["noise_after_outlier_check"] = int((labels == -1).sum())
        if self.config.reassign_noise:
            labels, confidence = reassign_noise(data, labels)
            probabilities = np.where(probabilities > 0, probabilities, confidence)
        params["noise"] = int((labels == -1).sum())
        labels = relabel_by_size(labels)
        params["themes"] = int(labels.max() + 1) if (labels >= 0).any() else 0
        map_2d = self._umap(data, 2, n_neighbors)
        return Assignment(
            labels=labels.tolist(),
            probabilities=probabilities.round(4).tolist(),
            coords_2d=[(float(x), float(y)) for x, y in map_2d],
            params=params,
        )


def _small_map(data: np.ndarray) -> list[tuple[float, float]]:
    """A 2-D PCA map for inputs too small for UMAP."""
    centred = data - data.mean(axis=0)
    if len(data) < 2:
        return [(0.0, 0.0)] * len(data)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    points = centred @ vt[:2].T
    if points.shape[1] < 2:
        points = np.hstack([points, np.zeros((len(points), 1))])
    return [(float(x), float(y)) for x, y in points]


@register("umap-hdbscan")
def _create(config: ClusterConfig) -> UmapHdbscanClusterer:
    return UmapHdbscanClusterer(config)
