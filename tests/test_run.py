"""The step sequence without Prefect: progress events, timings, determinism."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import Config
from pipeline.run import run_workshop
from tests.test_cli import TOPICS

STEPS = ["ingest", "prepare", "embed", "cluster", "describe", "hierarchy", "draft", "ground"]
STEPS += ["write"]  # "categorize" only runs when the config gives categories


class RecordingProgress:
    def __init__(self) -> None:
        self.steps: list[str] = []
        self.advances: list[tuple[int, int]] = []

    def step(self, name: str) -> None:
        self.steps.append(name)

    def advance(self, done: int, total: int) -> None:
        self.advances.append((done, total))


def _workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier"
    folder.mkdir()
    rows = ["Note,Table"] + [
        f'"{text}",{i % 3 + 1}' for i, (_, text) in enumerate(TOPICS["feedback"] + TOPICS["ai"])
    ]
    (folder / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_plain_run_reports_every_step_and_is_deterministic(tmp_path: Path):
    folder = _workshop(tmp_path)
    progress = RecordingProgress()
    first, run_dir = run_workshop(folder, Config(), tmp_path / "runs", progress=progress)
    assert progress.steps == STEPS
    assert progress.advances[-1] == (24, 24)
    assert list(first.manifest.timings) == STEPS
    on_disk = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert list(on_disk["timings"]) == STEPS
    assert first.manifest.reconciles

    second, second_dir = run_workshop(folder, Config(), tmp_path / "runs")
    assert second_dir != run_dir  # a new folder per run, never overwritten
    assert [(n.id, n.theme_id) for n in second.notes] == [(n.id, n.theme_id) for n in first.notes]
    assert [t.note_ids for t in second.themes] == [t.note_ids for t in first.themes]
    assert second.drafts == first.drafts


def test_a_language_found_in_the_notes_is_named_in_manifest_and_reports(tmp_path: Path):
    """Italian notes in a workshop configured for fr/nl/de/en: detected as Italian, and the
    manifest, report.md and report.html say that Italian was found beyond the configuration."""
    from tests.test_prepare_language import ITALIAN

    folder = _workshop(tmp_path)
    with open(folder / "notes.csv", "a", encoding="utf-8") as handle:
        handle.writelines(f'"{text}",4\n' for text in ITALIAN)
    result, run_dir = run_workshop(folder, Config(), tmp_path / "runs")
    italian = [n for n in result.notes if n.text in ITALIAN]
    assert len(italian) == len(ITALIAN) and {n.lang for n in italian} == {"it"}
    assert result.manifest.languages_found == {"it": len(ITALIAN)}
    on_disk = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["languages_found"] == {"it": len(ITALIAN)}
    sentence = f"beyond the configured languages (prepare.languages): it ({len(ITALIAN)} ideas)"
    assert sentence in (run_dir / "report.md").read_text(encoding="utf-8")
    assert sentence in (run_dir / "report.html").read_text(encoding="utf-8")

    off = Config()
    off.prepare.discover_languages = False
    plain, _ = run_workshop(folder, off, tmp_path / "runs-off")
    assert plain.manifest.languages_found == {}
    assert all(n.lang != "it" for n in plain.notes)
