"""Sentence embeddings behind one small protocol, chosen by name in config.

``create_embedder("use-m3")`` (the default), ``create_embedder("use-m3+e5-small")`` (both
models, joined: better themes, slower), ``create_embedder("e5-small")`` or
``create_embedder("sentence-transformers:<name or path>")``; any names joined by ``+`` embed
with each and join the vectors (``concatenated``).
Wrap any embedder in :class:`CachedEmbedder` so a re-run embeds only the notes it has not seen.
"""

from __future__ import annotations

# Importing the backends registers them.
from pipeline.embed import e5_small as _e5  # noqa: F401
from pipeline.embed import sentence_transformers as _st  # noqa: F401
from pipeline.embed import use_m3 as _use  # noqa: F401
from pipeline.embed.base import Embedder, EmbedderError, embedders
from pipeline.embed.cache import CachedEmbedder, EmbeddingCache
from pipeline.embed.concatenated import SEPARATOR, ConcatenatedEmbedder


def create_embedder(spec: str) -> Embedder:
    """Build the embedder named by ``spec`` (see module docstring); loads nothing yet."""
    if SEPARATOR in spec:
        return ConcatenatedEmbedder([embedders.create(part) for part in spec.split(SEPARATOR)])
    return embedders.create(spec)


__all__ = [
    "CachedEmbedder",
    "ConcatenatedEmbedder",
    "Embedder",
    "EmbedderError",
    "EmbeddingCache",
    "create_embedder",
    "embedders",
]
