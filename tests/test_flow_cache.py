"""Prefect input caching of ingest and prepare: a re-run on unchanged files skips them, a
changed file runs them again, and the outputs are the same either way."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.synthesize import PrefectSteps
from pipeline.config import Config
from pipeline.run import run_workshop
from tests.test_cli import TOPICS


def _run(folder: Path, out: Path) -> tuple[dict[str, str], list[tuple[str, str | None]]]:
    steps = PrefectSteps()

    @flow(name="cache-check", validate_parameters=False)
    def run_once() -> list[tuple[str, str | None]]:
        result, _ = run_workshop(folder, Config(), out, runner=steps)
        return [(n.id, n.theme_id) for n in result.notes]

    notes = run_once()
    return steps.states, notes


def test_unchanged_inputs_are_cached_and_changed_ones_are_not(tmp_path: Path):
    folder = tmp_path / "atelier"
    folder.mkdir()
    notes_file = folder / "notes.csv"
    rows = ["Note"] + [f'"{text}"' for _, text in TOPICS["feedback"] + TOPICS["ai"]]
    notes_file.write_text("\n".join(rows) + "\n", encoding="utf-8")

    first_states, first_notes = _run(folder, tmp_path / "runs")
    assert first_states["ingest"] == "Completed"
    assert first_states["prepare"] == "Completed"
    assert first_states["cluster"] == "Completed"

    second_states, second_notes = _run(folder, tmp_path / "runs")
    assert second_states["ingest"] == "Cached"
    assert second_states["prepare"] == "Cached"
    assert second_states["cluster"] == "Completed"  # not cached: cheap, depends on everything
    assert second_notes == first_notes

    notes_file.write_text("\n".join([*rows, '"Publier les résultats en ligne"']) + "\n")
    third_states, third_notes = _run(folder, tmp_path / "runs")
    assert third_states["ingest"] == "Completed"
    assert third_states["prepare"] == "Completed"
    assert len(third_notes) == len(first_notes) + 1
