"""Several embedders side by side: ``use-m3+e5-small`` embeds each text with both models and
joins the two unit vectors, each weighted equally, into one unit vector.

Why: two models trained differently make different mistakes. On the labelled benchmark files
and the sample workshop the joined vectors give better themes than either model alone (see the
docs/quality.md); the cosine of two joined vectors is the mean of the two models'
cosines, so thresholds keep their meaning when both parts are centred (``e5_small``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import Embedder, covered_languages, l2_normalise

SEPARATOR = "+"


class ConcatenatedEmbedder:
    def __init__(self, parts: Sequence[Embedder]) -> None:
        if len(parts) < 2:
            raise ValueError("a concatenated embedder needs at least two parts")
        self.parts = list(parts)
        self.name = SEPARATOR.join(part.name for part in self.parts)
        covered = [covered_languages(part) for part in self.parts]
        # A note has a meaningful part when any part knows its language.
        self.languages: frozenset[str] | None = None
        if all(languages is not None for languages in covered):
            self.languages = frozenset(lang for languages in covered for lang in languages or ())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        weight = 1.0 / np.sqrt(len(self.parts))
        joined = np.hstack([l2_normalise(part.embed(texts)) * weight for part in self.parts])
        return l2_normalise(joined)
