"""UMAP's own exact neighbours of a small input, computed in compiled code: the same
neighbours, to the bit, and so the same layout."""

from __future__ import annotations

import warnings

import numpy as np
import umap
from sklearn.metrics import pairwise_distances
from umap.distances import cosine
from umap.umap_ import nearest_neighbors

from pipeline.cluster.umap_knn import cosine_distances, umap_exact_knn


def _data(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, 24))
    data[7] = data[3]  # an identical pair: ties are broken as UMAP breaks them
    data[9] = -data[4]  # opposite vectors: the largest cosine distance
    return data


def test_the_distances_are_the_ones_umap_gets_from_scikit_learn() -> None:
    vectors = np.ascontiguousarray(_data(120), dtype=np.float32)
    theirs = pairwise_distances(vectors, metric=cosine)
    ours = cosine_distances(vectors)
    assert ours.dtype == theirs.dtype
    assert np.array_equal(ours, theirs)


def test_the_neighbours_are_the_ones_umap_finds_itself() -> None:
    data = _data(150)
    distances = pairwise_distances(np.asarray(data, dtype=np.float32), metric=cosine)
    distances[distances >= 2.0] = np.inf
    indices, dists, _ = nearest_neighbors(distances, 10, "precomputed", {}, False, None)
    ours_indices, ours_dists = umap_exact_knn(data, 10)
    assert np.array_equal(ours_indices, indices)
    assert np.array_equal(ours_dists, dists)
    assert ours_indices[7][:2].tolist() in ([7, 3], [3, 7])


def test_umap_given_them_draws_the_layout_it_draws_alone() -> None:
    data = _data(100, seed=1)

    def layout(knn: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reducer = umap.UMAP(
                n_neighbors=10,
                n_components=3,
                metric="cosine",
                random_state=3,
                n_jobs=1,
                n_epochs=60,
                precomputed_knn=(*knn, None) if knn is not None else (None, None, None),
            )
            return np.asarray(reducer.fit_transform(data))

    assert np.array_equal(layout(umap_exact_knn(data, 10)), layout(None))
