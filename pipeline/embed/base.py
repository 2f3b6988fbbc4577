"""The Embedder protocol and its registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from pipeline.registry import Registry


class EmbedderError(RuntimeError):
    """A model that cannot be loaded or run; the message is one line for people."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text, in input order.

    ``name`` identifies the model *and its version* well enough to key a cache on it:
    two embedders with the same name must give the same vectors.
    Implementations load their weights lazily, on the first call to ``embed``.
    """

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


embedders: Registry[Embedder] = Registry("embedder")


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
