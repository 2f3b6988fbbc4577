"""Which embedder a run uses: the default, as named, by size, or the previous run's; and the
cap on what e5 reads of a long text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import Config, EmbedConfig
from pipeline.embed import EmbedderError, create_embedder
from pipeline.embed.choice import choose_embedder, recorded_embedder
from pipeline.embed.e5_small import leading_sentences
from pipeline.run import run_workshop
from tests.test_run import _manifest, _workshop

DEFAULT = EmbedConfig().model


def test_the_default_is_the_joined_embedder_with_e5_capped():
    assert DEFAULT == "use-m3+e5-small:300"
    choice = choose_embedder(EmbedConfig(), 400)
    assert (choice.spec, choice.reason) == (DEFAULT, "the default")


def test_a_large_run_switches_to_the_fast_embedder_above_the_configured_size():
    config = EmbedConfig()
    limit = config.large_run_notes
    assert limit is not None
    assert choose_embedder(config, limit).spec == DEFAULT
    large = choose_embedder(config, limit + 1)
    assert large.spec == config.large_run_model == "use-m3"
    assert large.reason == f"{limit + 1} notes, more than embed.large_run_notes = {limit}"
    never = EmbedConfig(large_run_notes=None)
    assert choose_embedder(never, 1_000_000).spec == DEFAULT


def test_a_named_embedder_is_used_as_named_whatever_the_size_or_the_previous_run():
    from_file = Config.model_validate({"embed": {"model": "e5-small"}}).embed
    for config in (EmbedConfig(model="e5-small"), from_file):
        choice = choose_embedder(config, 1_000_000, recorded="use-m3")
        assert (choice.spec, choice.reason) == ("e5-small", "named in the config")
    # Named on the command line (``--embedder``), even as the default's own name.
    config = Config()
    config.embed.model = DEFAULT
    assert choose_embedder(config.embed, 1_000_000).spec == DEFAULT


def test_a_rerun_keeps_the_embedder_its_previous_run_recorded():
    choice = choose_embedder(EmbedConfig(), 1_000_000, recorded="use-m3+e5-small")
    assert (choice.spec, choice.reason) == ("use-m3+e5-small", "kept from the previous run")


def test_the_recorded_embedder_is_read_from_the_manifest(tmp_path: Path):
    assert recorded_embedder(None) is None
    assert recorded_embedder(tmp_path) is None  # no manifest
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert recorded_embedder(tmp_path) is None
    manifest = {"config": {"embed": {"model": "use-m3"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert recorded_embedder(tmp_path) == "use-m3"


def test_a_rerun_through_the_pipeline_keeps_its_embedder_and_its_themes(tmp_path: Path):
    """A workshop first run with ``use-m3`` (as every run was before the joined default) keeps
    it, and its themes, when run again with the default config; naming an embedder changes it."""
    folder = _workshop(tmp_path)
    out = tmp_path / "runs"
    first = Config()
    first.embed.large_run_notes = 10  # the fixture's 24 notes count as a large run
    result, _ = run_workshop(folder, first, out)
    assert result.manifest.config["embed"]["model"] == "use-m3"
    assert result.manifest.embedder_choice == "24 notes, more than embed.large_run_notes = 10"
    assert result.manifest.embedder is not None and "e5-small" not in result.manifest.embedder

    again, again_dir = run_workshop(folder, Config(), out)
    manifest = _manifest(again_dir)
    assert manifest["config"]["embed"]["model"] == "use-m3"
    assert manifest["embedder_choice"] == "kept from the previous run"
    assert manifest["embedder"] == result.manifest.embedder
    assert manifest["clustering"].get("incremental") is not None  # the themes were kept
    assert [n.theme_id for n in again.notes] == [n.theme_id for n in result.notes]

    named = Config()
    named.embed.model = "use-m3+e5-small:300"
    joined, _ = run_workshop(folder, named, out)
    assert joined.manifest.embedder_choice == "named in the config"
    assert joined.manifest.embedder is not None
    assert joined.manifest.embedder.endswith("-first300chars")


LONG = (
    "Le bus qui dessert la gare ne passe plus après 19 heures. Il faudrait une ligne de nuit "
    "le vendredi et le samedi, au moins jusqu'à minuit. Les jeunes rentrent à pied, sur une "
    "route sans trottoir ni éclairage. Un service de transport à la demande serait une "
    "solution pour les villages. Les retraités aussi en ont besoin pour aller au marché."
)


def test_e5_reads_the_first_sentences_up_to_its_cap():
    two = (
        "Le bus qui dessert la gare ne passe plus après 19 heures. Il faudrait une ligne de "
        "nuit le vendredi et le samedi, au moins jusqu'à minuit."
    )
    assert leading_sentences(LONG, 150) == two
    assert leading_sentences(two, 150) == two  # what fits is kept as it is
    # One sentence would fill less than half of 120 characters: cut at a space instead.
    cut = leading_sentences(LONG, 120)
    assert two.startswith(cut) and 100 < len(cut) <= 120 and not cut.endswith(" ")
    assert leading_sentences("mot " * 50, 30) == ("mot " * 7).strip()


def test_a_long_text_and_its_first_sentences_embed_the_same_and_the_name_says_so():
    capped = create_embedder("e5-small:150")
    whole = create_embedder("e5-small")
    assert capped.name == whole.name + "-first150chars"
    vectors = capped.embed([LONG, leading_sentences(LONG, 150)])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)
    assert float(vectors[0] @ whole.embed([LONG])[0]) < 0.999  # whole texts differ
    joined = create_embedder("use-m3+e5-small:150")
    assert joined.name.endswith("+" + capped.name)


@pytest.mark.parametrize("argument", ["large", "0", "5", "-3"])
def test_e5_small_takes_a_number_of_characters_or_nothing(argument: str):
    with pytest.raises(EmbedderError, match="number of characters"):
        create_embedder(f"e5-small:{argument}")


def test_evaluate_follows_the_rule_a_run_follows(tmp_path: Path):
    from pipeline.evaluate import evaluate_file
    from tests.test_cli import TOPICS

    rows = [(label, text) for label in ("feedback", "ai") for _, text in TOPICS[label]]
    path = tmp_path / "labelled.tsv"
    path.write_text(
        "label\ttext\n" + "".join(f"{label}\t{text}\n" for label, text in rows), encoding="utf-8"
    )
    large = Config()
    large.embed.large_run_notes = len(rows) - 1
    assert evaluate_file(path, large, tmp_path / "cache").embedder == "use-m3"
    assert evaluate_file(path, Config(), tmp_path / "cache").embedder == DEFAULT
    named = Config()
    named.embed.model = DEFAULT  # named: used whatever the size
    named.embed.large_run_notes = len(rows) - 1
    assert evaluate_file(path, named, tmp_path / "cache").embedder == DEFAULT


def test_recurring_themes_of_runs_with_different_embedders_are_compared_in_one_space(
    tmp_path: Path,
):
    from pipeline.recurring import load_theme_points

    folder = _workshop(tmp_path)
    runs = []
    for name, spec in (("fast", "use-m3"), ("joined", DEFAULT)):
        config = Config()
        config.embed.model = spec
        _, run_dir = run_workshop(folder, config, tmp_path / name)
        runs.append((name, run_dir))
    points = load_theme_points(runs)
    assert {p.member.workshop for p in points} == {"fast", "joined"}
    assert len({len(p.centroid) for p in points}) == 1  # one embedder for all
