"""Remove the language signal that multilingual embedders still carry.

Notes written in one language sit closer to each other than to the same idea in another
language, so clustering raw multilingual embeddings partly groups by language. Subtracting each
language's mean vector removes that offset. A language with few notes has a mean dominated by its
topics, so its mean is shrunk towards the overall mean (empirical-Bayes style): with ``prior``
pseudo-notes, a language of 3 notes is barely moved while one of 100 is fully centred.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import l2_normalise


def centre_by_language(
    embeddings: np.ndarray, langs: Sequence[str], prior: float = 10.0
) -> np.ndarray:
    if len(embeddings) == 0:
        return embeddings
    langs_array = np.asarray(langs)
    overall = embeddings.mean(axis=0)
    centred = np.array(embeddings, dtype=np.float32, copy=True)
    for lang in np.unique(langs_array):
        rows = langs_array == lang
        n = int(rows.sum())
        shrunk = (embeddings[rows].sum(axis=0) + prior * overall) / (n + prior)
        centred[rows] -= shrunk
    return l2_normalise(centred)
