"""Splitting a theme when resampling finds the same two halves again (pipeline.cluster.split)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pipeline.cluster import create_clusterer
from pipeline.cluster.split import binary_ari, split_stability, split_stable_themes
from pipeline.config import ClusterConfig


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def close_topics(per_topic=60, dim=48, apart=0.9, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Two topics that share most of their direction (a "money" theme about taxes and about
    wages): far closer to each other than to anything else, yet two groups."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=dim)
    sides = rng.normal(size=(2, dim)) * apart
    rows = [
        common + sides[t] + rng.normal(scale=0.35, size=dim)
        for t in (0, 1)
        for _ in range(per_topic)
    ]
    return unit(np.asarray(rows)), np.repeat([0, 1], per_topic)


def one_topic(n=120, dim=48, seed=0) -> np.ndarray:
    """One broad topic: notes spread evenly around one direction, with no two groups in it."""
    rng = np.random.default_rng(seed)
    return unit(rng.normal(size=dim) * 2.0 + rng.normal(size=(n, dim)) * 0.35 * np.sqrt(2))


def test_binary_ari_is_the_adjusted_rand_index():
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
        assert binary_ari(a, b) == pytest.approx(adjusted_rand_score(a, b))
    same = rng.integers(0, 2, 30)
    assert binary_ari(same, 1 - same) == pytest.approx(1.0)


def test_a_theme_of_two_close_topics_is_split_and_one_broad_topic_is_not():
    two, truth = close_topics()
    broad = one_topic()
    rng = np.random.default_rng(0)
    assert split_stability(two, rng) > 0.9
    assert split_stability(broad, rng) < 0.5
    data = np.vstack([two, broad])
    labels = np.array([0] * len(two) + [1] * len(broad))
    split, count = split_stable_themes(data, labels, ["en"] * len(data), min_size=10, seed=42)
    assert count == 1
    assert normalized_mutual_info_score(truth, split[: len(two)]) > 0.9
    assert (split[len(two) :] == 1).all()  # the broad topic keeps its theme and number


def test_unassigned_notes_stay_so_and_small_halves_are_not_made():
    two, _ = close_topics(per_topic=30)
    labels = np.zeros(len(two), dtype=int)
    labels[::7] = -1
    split, count = split_stable_themes(two, labels, ["en"] * len(two), min_size=10, seed=42)
    assert count == 1
    assert (split[labels == -1] == -1).all()
    assert set(split.tolist()) == {-1, 0, 1}
    # Halves of 30 notes are too small for themes of at least 40.
    kept, none = split_stable_themes(two, labels, ["en"] * len(two), min_size=40, seed=42)
    assert none == 0 and (kept == labels).all()


def test_nested_topics_part_over_two_rounds():
    """Taxes against income support, then basic income against minimum wage: a split whose
    halves are themselves stable is split again."""
    rng = np.random.default_rng(3)
    common, money, support = (rng.normal(size=48) for _ in range(3))
    own = rng.normal(size=(3, 48)) * 0.7
    centres = [common + money, common + support + own[1], common + support + own[2]]

    def notes(centres_: list[np.ndarray]) -> np.ndarray:
        return unit(
            np.asarray([c + rng.normal(scale=0.35, size=48) for c in centres_ for _ in range(50)])
        )

    truth = np.repeat([0, 1, 2], 50)
    nested = notes(centres)
    split, count = split_stable_themes(
        nested, np.zeros(150, dtype=int), ["en"] * 150, min_size=12, seed=42
    )
    assert count == 2
    assert normalized_mutual_info_score(truth, split) > 0.9


def test_the_clusterer_splits_joined_topics_and_says_so():
    """End to end: two close topics beside two distant ones. Whether UMAP + HDBSCAN keeps the
    close ones apart or not, the run ends with them apart; the setting turns splitting off."""
    two, truth_two = close_topics(per_topic=60, seed=5)
    rng = np.random.default_rng(6)
    far = [unit(rng.normal(size=48) * 2.0 + rng.normal(size=(60, 48)) * 0.5) for _ in range(2)]
    data = np.vstack([two, *far]).astype(np.float32)
    truth = np.concatenate([truth_two, [2] * 60, [3] * 60])
    langs = ["en"] * len(data)
    fitted = create_clusterer(ClusterConfig()).fit(data, langs)
    assert normalized_mutual_info_score(truth, fitted.labels) > 0.85
    assert "stable_splits" in fitted.params and "split" in fitted.params["timings"]
    again = create_clusterer(ClusterConfig()).fit(data, langs)
    assert again.labels == fitted.labels
    off = create_clusterer(ClusterConfig(split_stable_themes=False)).fit(data, langs)
    assert "stable_splits" not in off.params
