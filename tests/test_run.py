"""The step sequence without Prefect: progress events, timings, determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.run import run_workshop
from pipeline.schema import Note
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


def _workshop_with(tmp_path: Path, extra: list[str]) -> Path:
    """The workshop of ``_workshop`` with ``extra`` notes appended at a fourth table."""
    folder = _workshop(tmp_path)
    with open(folder / "notes.csv", "a", encoding="utf-8") as handle:
        handle.writelines(f'"{text}",4\n' for text in extra)
    return folder


def _manifest(run_dir: Path) -> dict[str, Any]:
    return dict(json.loads((run_dir / "manifest.json").read_text(encoding="utf-8")))


def _reports_say(run_dir: Path, sentence: str) -> None:
    for report in ("report.md", "report.html"):
        assert sentence in (run_dir / report).read_text(encoding="utf-8"), report


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

    folder = _workshop_with(tmp_path, ITALIAN)
    english = Config()
    english.draft.language = "en"  # the reports' words in English
    result, run_dir = run_workshop(folder, english, tmp_path / "runs")
    italian = [n for n in result.notes if n.text in ITALIAN]
    assert len(italian) == len(ITALIAN) and {n.lang for n in italian} == {"it"}
    assert result.manifest.languages_found == {"it": len(ITALIAN)}
    assert _manifest(run_dir)["languages_found"] == {"it": len(ITALIAN)}
    _reports_say(run_dir, f"beyond the languages of the workshop: it ({len(ITALIAN)} ideas)")

    off = Config()
    off.prepare.discover_languages = False
    plain, _ = run_workshop(folder, off, tmp_path / "runs-off")
    assert plain.manifest.languages_found == {}
    assert all(n.lang != "it" for n in plain.notes)
    # USE-multilingual was trained on Italian: nothing to warn about.
    assert result.manifest.languages_not_covered == {}


GREEK = [
    "Οι πολίτες θέλουν να μάθουν τι έγινε με τις ιδέες τους",
    "Χρειαζόμαστε περισσότερη διαφάνεια στις αποφάσεις του δήμου",
    "Οι συνελεύσεις της γειτονιάς πρέπει να γίνονται τα βράδια",
    "Ο δήμος πρέπει να απαντά γραπτώς σε κάθε πρόταση πολιτών",
    "Οι νέοι δεν συμμετέχουν γιατί δεν τους ρωτάει κανείς",
    "Ένας συμμετοχικός προϋπολογισμός για κάθε συνοικία της πόλης",
]


def test_ideas_in_a_language_the_embedder_was_not_trained_on_are_named(tmp_path: Path):
    """USE-multilingual was not trained on Greek: the run still places those ideas, and the
    manifest and both reports say that their themes are less sure."""
    folder = _workshop_with(tmp_path, GREEK)
    config = Config()
    config.embed.model = "use-m3"  # the joined default's e5 half knows Greek
    config.draft.language = "en"  # the reports' words in English
    result, run_dir = run_workshop(folder, config, tmp_path / "runs")
    assert result.manifest.languages_found == {"el": len(GREEK)}
    assert result.manifest.languages_not_covered == {"el": len(GREEK)}
    assert _manifest(run_dir)["languages_not_covered"] == {"el": len(GREEK)}
    _reports_say(
        run_dir, f"use-m3 was not trained on el ({len(GREEK)} ideas): their themes are less sure"
    )
    # ... and name the embedder that covers Greek as a user writes it, cap included.
    _reports_say(run_dir, "(or --embedder use-m3+e5-small:300)")


def test_which_languages_an_embedder_covers():
    from pipeline.embed import create_embedder
    from pipeline.embed.base import covered_languages
    from pipeline.run import languages_not_covered

    ideas = [
        Note(id=f"n{i}", text="x", original_text="x", source="s", location="l", lang=lang)
        for i, lang in enumerate(["fr", "fr", "en", "el", "und"])
    ]
    english = create_embedder("sentence-transformers:all-MiniLM-L6-v2")
    assert languages_not_covered(ideas, english) == {"fr": 2, "el": 1}
    assert languages_not_covered(ideas, create_embedder("use-m3")) == {"el": 1}
    # e5-small (about 100 languages) and hub models do not say: nothing is claimed.
    assert covered_languages(create_embedder("e5-small")) is None
    assert covered_languages(create_embedder("sentence-transformers:org/model")) is None
    assert languages_not_covered(ideas, create_embedder("use-m3+e5-small")) == {}
    # Joined, a note is covered when any part knows its language.
    both = create_embedder("sentence-transformers:all-MiniLM-L6-v2+use-m3")
    assert languages_not_covered(ideas, both) == {"el": 1}
