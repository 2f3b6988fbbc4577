"""Sentence embeddings behind one small protocol, chosen by name in config.

``create_embedder("use-m3+e5-small:300")`` (the default: both models, joined, e5 reading
the first 300 characters; better themes, slower), ``create_embedder("use-m3")`` (the fast
one), ``create_embedder("e5-small")`` or
``create_embedder("sentence-transformers:<name or path>")``; any names joined by ``+`` embed
with each and join the vectors (``concatenated``).
Wrap any embedder in :class:`CachedEmbedder` so a re-run embeds only the notes it has not seen.
A run's steps get theirs from :func:`shared_embedder`, so each model loads once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

# Importing the backends registers them.
from pipeline.embed import e5_small as _e5  # noqa: F401
from pipeline.embed import sentence_transformers as _st  # noqa: F401
from pipeline.embed import use_m3 as _use  # noqa: F401
from pipeline.embed.base import Embedder, EmbedderError, covered_languages, embedders
from pipeline.embed.cache import CachedEmbedder, EmbeddingCache
from pipeline.embed.concatenated import SEPARATOR, ConcatenatedEmbedder


def spec_parts(spec: str) -> list[str]:
    """The embedders ``spec`` names, in order: ``use-m3+e5-small`` is two. A ``+`` inside an
    argument stays there (``sentence-transformers:/models/fr+nl`` is one model): after a part
    with an argument, a piece starts a new part only when it starts with an embedder's name."""
    parts: list[str] = []
    for piece in spec.split(SEPARATOR):
        if parts and ":" in parts[-1] and piece.partition(":")[0] not in embedders.names():
            parts[-1] += SEPARATOR + piece
        else:
            parts.append(piece)
    return parts


def create_embedder(spec: str) -> Embedder:
    """Build the embedder named by ``spec`` (see module docstring); loads nothing yet."""
    parts = spec_parts(spec)
    if len(parts) > 1:
        return ConcatenatedEmbedder([embedders.create(part) for part in parts])
    return embedders.create(spec)


class SerialEmbedder:
    """One embedder shared by a process's threads, one forward pass at a time.

    Each forward pass already uses every core (BLAS, OpenMP or torch threads); two at once
    from a batch's workshop threads oversubscribe them (4 BLAS threads on 2 cores slowed USE
    tenfold), so queueing them is faster than running them side by side."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.languages = covered_languages(inner)
        self._running = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._running:
            return self.inner.embed(texts)


_shared: dict[str, Embedder] = {}
_shared_lock = threading.Lock()


def shared_embedder(spec: str) -> Embedder:
    """The process's one embedder for ``spec``, created on first use (a joined spec shares
    its parts with the single ones: ``use-m3`` and ``use-m3+e5-small`` load USE once).

    Every step of a run that embeds (notes, categories, draft sentences, cross-workshop
    themes) and every workshop of a batch asks for its embedder; loading the weights for each
    cost about a second per step (2 s of a 10,000-note re-run) and a copy of the model per
    batch thread."""
    with _shared_lock:
        embedder = _shared.get(spec)
        if embedder is not None:
            return embedder
    parts = spec_parts(spec)
    if len(parts) > 1:  # outside the lock: each part takes it
        embedder = ConcatenatedEmbedder([shared_embedder(part) for part in parts])
    else:
        embedder = SerialEmbedder(embedders.create(spec))
    with _shared_lock:
        return _shared.setdefault(spec, embedder)


__all__ = [
    "CachedEmbedder",
    "ConcatenatedEmbedder",
    "Embedder",
    "EmbedderError",
    "EmbeddingCache",
    "SerialEmbedder",
    "create_embedder",
    "embedders",
    "shared_embedder",
    "spec_parts",
]
