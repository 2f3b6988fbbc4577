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
    They may also say which languages the model was trained on, as a ``languages``
    attribute (``covered_languages``).
    """

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def covered_languages(embedder: Embedder) -> frozenset[str] | None:
    """The languages (ISO 639-1 codes) ``embedder``'s model was trained on, or ``None`` when
    it does not say (a hub model) or covers about every language a workshop may use.

    A note in a language outside them still gets a vector, but one that places it by its
    letters more than by its meaning, so its theme is a guess; runs report such notes."""
    languages = getattr(embedder, "languages", None)
    return frozenset(languages) if languages is not None else None


embedders: Registry[Embedder] = Registry("embedder")


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
