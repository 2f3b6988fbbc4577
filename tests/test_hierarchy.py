"""Broad themes over fine ones: agglomeration of theme centroids, natural cut, run step."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.cluster.hierarchy import (
    broad_groups,
    broad_labels,
    natural_broad_count,
    theme_centroids,
)
from pipeline.config import ClusterConfig, Config, DescribeConfig
from pipeline.describe import describe_themes
from pipeline.run import group_themes
from pipeline.schema import Note


def grouped_centroids(groups: int = 4, per_group: int = 3, dim: int = 16, seed: int = 0):
    """``groups`` well-separated directions, each with ``per_group`` nearby fine themes."""
    rng = np.random.default_rng(seed)
    axes = rng.normal(size=(groups, dim))
    rows = [
        axes[g] + rng.normal(scale=0.15, size=dim) for g in range(groups) for _ in range(per_group)
    ]
    x = np.asarray(rows)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(groups), per_group)


def same_partition(a, b) -> bool:
    pairs = set(zip(a, b, strict=True))
    return len(pairs) == len(set(a)) == len(set(b))


def test_theme_centroids_are_unit_means_and_ignore_unassigned():
    x = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    centroids = theme_centroids(x, [0, 0, 1, -1])
    assert np.allclose(centroids, [[1.0, 0.0], [0.0, 1.0]])
    assert theme_centroids(x, [-1, -1, -1, -1]).shape == (0, 2)


def test_natural_count_cuts_at_the_largest_gap_within_two_to_eight():
    # 9 fine themes: merges within groups are cheap, then a jump leaves 3 groups.
    heights = np.array([0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.60, 0.65])
    assert natural_broad_count(heights) == 3
    # The largest gap would leave one group: the range keeps at least two.
    assert natural_broad_count(np.array([0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.9])) >= 2
    assert natural_broad_count(np.array([0.1, 0.2, 0.3, 0.4, 0.5])) is None  # 6 fine themes


def test_requested_broad_themes_recover_the_groups():
    centroids, truth = grouped_centroids()
    groups = broad_groups(centroids, 4)
    assert groups is not None and len(set(groups)) == 4
    assert same_partition(groups, truth.tolist())


def test_natural_level_finds_the_groups_and_needs_more_than_six_fine_themes():
    centroids, truth = grouped_centroids(groups=3, per_group=3)
    groups = broad_groups(centroids)
    assert groups is not None and same_partition(groups, truth.tolist())
    assert broad_groups(centroids[:6]) is None
    assert broad_groups(centroids[:6], 2) is not None


def test_broad_groups_are_numbered_by_size_and_clamped_to_the_fine_count():
    centroids, _ = grouped_centroids(groups=2, per_group=2)
    groups = broad_groups(centroids, 2, sizes=[1, 1, 50, 50])
    assert groups == [1, 1, 0, 0]
    assert sorted(broad_groups(centroids, 10) or []) == [0, 1, 2, 3]
    assert broad_groups(np.zeros((0, 4)), 3) is None


def test_broad_labels_follow_fine_labels():
    assert broad_labels([0, 1, -1, 2], [1, 0, 1]) == [1, 0, -1, 1]


WORDS = {
    0: "bike lanes cycling safety",
    1: "bicycle parking cycling",
    2: "trees parks green shade",
    3: "community gardens green",
    4: "citizen meetings information",
    5: "public minutes information",
    6: "budget money spending",
    7: "participatory budget spending",
}


@pytest.mark.parametrize("requested", [4, 2])
def test_group_themes_gives_broad_themes_that_are_unions_of_fine_ones(requested: int):
    centroids, _ = grouped_centroids(groups=4, per_group=2, dim=24, seed=3)
    rng = np.random.default_rng(1)
    notes, labels, rows = [], [], []
    for fine in range(8):
        for i in range(5):
            notes.append(
                Note(
                    id=f"n{fine}-{i}",
                    text=f"{WORDS[fine]} {i}",
                    original_text="",
                    source="s.csv",
                    location=f"row {i}",
                    lang=("en", "fr")[i % 2],
                )
            )
            labels.append(fine)
            rows.append(centroids[fine] + rng.normal(scale=0.02, size=24))
    notes.append(Note(id="noise", text="lonely", original_text="", source="s.csv", location="x"))
    labels.append(-1)
    rows.append(rng.normal(size=24))
    embeddings = np.asarray(rows, dtype=np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    describe = DescribeConfig()
    themes = describe_themes(notes, labels, embeddings, describe)

    cluster = ClusterConfig(broad_themes=requested)
    fine, broad = group_themes(notes, labels, embeddings, themes, cluster, describe)

    assert [b.id for b in broad] == [f"B{i + 1}" for i in range(requested)]
    assert {t.parent_id for t in fine} == {b.id for b in broad}  # every fine theme has one parent
    for b in broad:
        members = [nid for t in fine if t.parent_id == b.id for nid in t.note_ids]
        assert sorted(b.note_ids) == sorted(members)
        assert b.size == len(members) and b.keyphrases and b.representative_ids
    assert "noise" not in {nid for b in broad for nid in b.note_ids}
    # Same fine themes otherwise: the hierarchy moves no note.
    assert [t.note_ids for t in fine] == [t.note_ids for t in themes]


def test_few_fine_themes_and_no_request_give_no_broad_level():
    notes = [
        Note(id=f"n{i}", text="x", original_text="", source="s", location="l") for i in range(4)
    ]
    embeddings = np.eye(4, dtype=np.float32)
    themes = describe_themes(notes, [0, 0, 1, 1], embeddings, DescribeConfig())
    fine, broad = group_themes(
        notes, [0, 0, 1, 1], embeddings, themes, ClusterConfig(), DescribeConfig()
    )
    assert broad == [] and all(t.parent_id is None for t in fine)


def test_broad_themes_config_must_be_positive():
    assert Config.model_validate({"cluster": {"broad_themes": 4}}).cluster.broad_themes == 4
    with pytest.raises(ValueError):
        Config.model_validate({"cluster": {"broad_themes": 0}})
