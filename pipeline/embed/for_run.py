"""A run's embedder and text memo, in the run's cache folder.

Every step that embeds text (notes, category descriptions, draft sentences, cross-workshop
themes, a redraft in the review app, Day 2 action cards) asks :func:`run_embedder` for it, and
every step that detects, splits or lemmatises text asks :func:`run_memo`: all of them then
share one embedding space, one cache and, within a process, one loaded model.

This module sits below both the run (``pipeline.run``) and the review (``pipeline.review``),
so either may call it without importing the other.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline.config import EmbedConfig
from pipeline.embed import CachedEmbedder, EmbeddingCache, shared_embedder
from pipeline.embed.cache import cached_name
from pipeline.memo import TextMemo

T = TypeVar("T")


def default_cache_dir() -> Path:
    """Where embeddings are cached across runs: $IDEASYNTH_CACHE_DIR, else the user cache."""
    if env := os.environ.get("IDEASYNTH_CACHE_DIR"):
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "ideasynth" / "embeddings"


class CacheFolderError(RuntimeError):
    """The cache folder cannot be created or written; the message is one line for people."""


def _open_in_cache_folder(config: EmbedConfig, store: Callable[[Path], T]) -> T:
    folder = config.cache_dir or default_cache_dir()
    try:
        return store(folder)
    except (OSError, sqlite3.Error) as exc:
        raise CacheFolderError(
            f"{folder}: cannot keep the cache there ({exc}); choose a writable folder with "
            "embed.cache_dir or IDEASYNTH_CACHE_DIR"
        ) from None


def run_memo(config: EmbedConfig) -> TextMemo:
    """The run's memo of per-text language processing (``pipeline.memo``), in the same cache
    folder as the embeddings: a re-run detects, splits and lemmatises only new notes."""
    return _open_in_cache_folder(config, TextMemo)


def embedder_spec(config: EmbedConfig) -> str:
    """The embedder a run with ``config`` uses: ``embed.model``. The one place that chooses
    it, so that :func:`run_embedder` and :func:`embedder_name` always agree."""
    return config.model


def run_embedder(config: EmbedConfig) -> CachedEmbedder:
    """The run's embedder behind its on-disk cache: every step that embeds text (notes,
    category descriptions, draft sentences, cross-workshop themes) goes through it, so all of
    them share one embedding space, one cache and, within a process, one loaded model."""
    cache = _open_in_cache_folder(config, EmbeddingCache)
    return CachedEmbedder(
        shared_embedder(embedder_spec(config)), cache, config.batch_size, config.one_text_per_call
    )


def embedder_name(config: EmbedConfig) -> str:
    """The name of ``run_embedder(config)`` (manifests, incremental re-runs, matching), without
    opening the cache."""
    return cached_name(shared_embedder(embedder_spec(config)).name, config.one_text_per_call)
