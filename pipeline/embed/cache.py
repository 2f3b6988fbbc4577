"""A content-addressed, on-disk embedding cache, so a re-run embeds only new notes.

Keys are sha256(model name, text); values are float32 vectors. Storage is one SQLite file per
cache folder (``pipeline.sqlite_store``): each batch is written in one transaction, so a run
killed midway leaves every committed batch usable; the batch being written is simply lost and
embedded again next time. Threads and processes (a batch's workers) can share one cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from pipeline.embed.base import Embedder, covered_languages
from pipeline.sqlite_store import chunks, transaction

ProgressCallback = Callable[[int, int], None]
"""Called with (texts done, texts total) as embedding proceeds."""


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "embeddings.sqlite"
        with transaction(self.path) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)"
            )

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with transaction(self.path) as db:
            for chunk in chunks(keys):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, dim, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == dim:  # anything else is not ours: embed it again
                        found[key] = vector
        return found

    def put_many(self, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Store a batch of vectors in one transaction: all of them or, if killed, none."""
        with transaction(self.path) as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)",
                [(k, int(v.shape[0]), np.asarray(v, np.float32).tobytes()) for k, v in items],
            )

    def __len__(self) -> int:
        with transaction(self.path) as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


ONE_TEXT_PER_CALL = " (one text per call)"
"""Added to the model's name, in cache keys and manifests, for vectors embedded one text per
call: they differ from batched ones in the last bits, so the two are never mixed."""


def cached_name(model_name: str, one_text_per_call: bool) -> str:
    """The name under which an embedder's vectors are cached and recorded in manifests."""
    return model_name + (ONE_TEXT_PER_CALL if one_text_per_call else "")


class CachedEmbedder:
    """An Embedder that asks the cache first and embeds only the misses, in batches.

    Batched vectors differ from one batch to another in the last bits (a text's neighbours in
    a micro-batch change the rounding), and UMAP amplifies such differences the way it does a
    change of seed. With ``one_text_per_call`` every text is embedded on its own, so that its
    vector depends on the text alone."""

    def __init__(
        self,
        inner: Embedder,
        cache: EmbeddingCache,
        batch_size: int = 256,
        one_text_per_call: bool = False,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.batch_size = batch_size
        self.one_text_per_call = one_text_per_call
        self.name = cached_name(inner.name, one_text_per_call)
        self.languages = covered_languages(inner)
        self.last_hits = 0
        self.last_misses = 0

    def embed(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        keys = [cache_key(self.name, t) for t in texts]
        known = self.cache.get_many(keys)
        first_index: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key not in known:
                first_index.setdefault(key, i)
        missing = list(first_index.items())  # unique misses, in input order
        self.last_misses = len(missing)
        self.last_hits = len(texts) - sum(1 for k in keys if k in first_index)
        total = len(set(keys))
        done = total - len(missing)
        if progress:
            progress(done, total)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = self._embed([texts[i] for _, i in batch])
            new = [(key, vectors[j]) for j, (key, _) in enumerate(batch)]
            self.cache.put_many(new)
            known.update(new)
            done += len(batch)
            if progress:
                progress(done, total)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not self.one_text_per_call:
            return self.inner.embed(texts)
        return np.vstack([self.inner.embed([text]) for text in texts])
