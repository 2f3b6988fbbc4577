"""Exact cosine nearest neighbours in blocks, handed to UMAP instead of its NN-descent.

Why: from 4,096 points on, UMAP finds neighbours with pynndescent, whose numba code took about
a minute to compile in every new process on a 2-core machine (now once per machine, see
``jit_cache``), more than the whole clustering of 10,000 notes. A blocked matrix product gives
the exact neighbours of 10,000 unit vectors in a few seconds and holds only one block of
similarities at a time. ``nearest_rows`` finds, for the notes left out of the fitted sample at
large n, their most similar sampled note; above ``EXACT_DIMENSIONS_MAX`` notes that search runs
on a PCA projection to ``PCA_DIMENSIONS``, so it stays a few seconds at 100k notes.
"""

from __future__ import annotations

import numpy as np

from pipeline.embed.base import l2_normalise

EXACT_DIMENSIONS_MAX = 20_000
"""Up to this many notes, neighbours are found in the full embedding space."""
PCA_DIMENSIONS = 64
BLOCK_BYTES = 32 * 2**20
"""Memory for one block of similarities (rows × n × 4 bytes); larger blocks are no faster,
as ``argpartition`` over each row dominates."""


def project_for_search(data: np.ndarray, seed: int) -> np.ndarray:
    """Unit vectors to search in: the data itself, or its PCA projection at large n."""
    vectors = np.asarray(data, dtype=np.float32)
    if len(vectors) > EXACT_DIMENSIONS_MAX and vectors.shape[1] > PCA_DIMENSIONS:
        from sklearn.decomposition import PCA

        pca = PCA(n_components=PCA_DIMENSIONS, svd_solver="randomized", random_state=seed)
        vectors = pca.fit_transform(vectors).astype(np.float32)
    return l2_normalise(vectors)


def cosine_knn(data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosine distances) of each row's ``k`` nearest rows, itself first, sorted
    by distance; the shape UMAP's ``precomputed_knn`` expects."""
    vectors = l2_normalise(np.asarray(data, dtype=np.float32))
    n = len(vectors)
    k = min(k, n)
    indices = np.empty((n, k), dtype=np.int32)
    distances = np.empty((n, k), dtype=np.float32)
    rows_per_block = max(1, BLOCK_BYTES // (4 * max(n, 1)))
    for start in range(0, n, rows_per_block):
        stop = min(start + rows_per_block, n)
        similarity = vectors[start:stop] @ vectors.T
        # A point is its own nearest neighbour, whatever rounding says.
        similarity[np.arange(stop - start), np.arange(start, stop)] = np.inf
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        top_similarity = np.take_along_axis(similarity, top, axis=1)
        order = np.argsort(-top_similarity, axis=1, kind="stable")
        indices[start:stop] = np.take_along_axis(top, order, axis=1)
        sorted_similarity = np.take_along_axis(top_similarity, order, axis=1)
        sorted_similarity[:, 0] = 1.0
        distances[start:stop] = np.clip(1.0 - sorted_similarity, 0.0, 2.0)
    return indices, distances


def nearest_rows(queries: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Index in ``base`` of each query's most similar row (unit vectors; cosine)."""
    out = np.empty(len(queries), dtype=np.int64)
    rows_per_block = max(1, BLOCK_BYTES // (4 * max(len(base), 1)))
    for start in range(0, len(queries), rows_per_block):
        stop = min(start + rows_per_block, len(queries))
        out[start:stop] = (queries[start:stop] @ base.T).argmax(axis=1)
    return out
