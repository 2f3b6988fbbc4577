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
