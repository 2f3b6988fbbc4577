"""Re-runs of a reviewed workshop: what the previous run and its review hand on to the next.

Each test runs the bundled sample workshop for real (``run_workshop``), reviews it through
the app's own store (``Review.submit``) where it needs a review, adds late notes to the
workshop's folder and runs it again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.config import config_for_input
from pipeline.review.rundir import load_run
from pipeline.run import run_workshop
from pipeline.schema import RunResult, Theme

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

LATE_NOTES = [
    "Organiser un budget participatif pour les jeunes du quartier",
    "Laat inwoners zelf beslissen over een deel van het wijkbudget",
    "Une remarque sur la machine à café du hall",
]


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workshop run once: the folder holding the workshop and its runs."""
    root = tmp_path_factory.mktemp("first")
    shutil.copytree(SAMPLE, root / "atelier")
    run_workshop(root / "atelier", config_for_input(root / "atelier"), root / "runs")
    return root


def copy_of(root: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the workshop and its runs: (workshop, runs folder, the first run)."""
    shutil.copytree(root, tmp_path / "copy")
    runs = tmp_path / "copy" / "runs"
    (first_dir,) = [p for p in runs.glob("*/*") if p.is_dir()]
    return tmp_path / "copy" / "atelier", runs, first_dir


def add_notes(workshop: Path, texts: list[str], name: str = "late_table.csv") -> None:
    lines = ["Note", *(f'"{t}"' for t in texts)]
    (workshop / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def what_is_drafted(run: RunResult) -> dict[str, tuple[frozenset[str], ...]]:
    """Each unit's notes, and for a challenge how its facets divide them."""
    out: dict[str, tuple[frozenset[str], ...]] = {}
    for unit in [*run.themes, *run.broad_themes]:
        parts = sorted(sorted(t.note_ids) for t in run.themes if t.parent_id == unit.id)
        out[unit.id] = (frozenset(unit.note_ids), *(frozenset(p) for p in parts))
    return out


def wording(run: RunResult) -> dict[str, tuple[str, str, list[str]]]:
    return {
        d.theme_id: (d.title.text, d.challenge.text, [s.text for s in d.proposal])
        for d in run.drafts
    }


@pytest.mark.slow
def test_a_rerun_keeps_the_drafts_of_units_whose_notes_did_not_change(
    first: Path, tmp_path: Path
) -> None:
    """Late notes elsewhere in the workshop used to re-title themes none of them joined
    ("Jeunes" became "Clubs de sport"): the drafter words a unit against the whole
    workshop. A unit whose notes did not change now keeps its draft, word for word; the
    units the late notes joined are drafted afresh."""
    workshop, runs, first_dir = copy_of(first, tmp_path)
    before = load_run(first_dir)
    add_notes(workshop, LATE_NOTES)
    config = config_for_input(workshop)
    second, second_dir = run_workshop(workshop, config, runs)

    earlier, now = what_is_drafted(before), what_is_drafted(second)
    unchanged = {u for u in now if earlier.get(u) == now[u]}
    changed = set(now) - unchanged
    assert unchanged and changed, "the late notes should join some units and leave others"
    old, new = wording(before), wording(second)
    for unit in unchanged:
        assert new[unit] == old[unit], unit
    kept = {d.theme_id: d for d in before.drafts}
    for draft in second.drafts:
        if draft.theme_id in unchanged:
            assert draft == kept[draft.theme_id]  # flags and grounding as checked then
    # A theme keeps the name its kept draft gives it.
    names = {t.id: t.label for t in [*before.themes, *before.broad_themes]}
    for unit in [*second.themes, *second.broad_themes]:
        if unit.id in unchanged:
            assert unit.label == names[unit.id]

    manifest = json.loads((second_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["drafts_kept_from_previous_run"] == len(unchanged)
    said = f"{len(unchanged)} propositions reprises du traitement précédent"
    for report in ("report.md", "report.html"):
        assert said in (second_dir / report).read_text(encoding="utf-8"), report

    # Drafted with other settings, every unit is drafted afresh.
    draft = config.draft.model_copy(update={"grounding_threshold": 0.31})
    third, third_dir = run_workshop(workshop, config.model_copy(update={"draft": draft}), runs)
    assert third.manifest.drafts_kept_from_previous_run == 0
    assert "propositions reprises" not in (third_dir / "report.md").read_text(encoding="utf-8")


def theme_named(run: RunResult, theme_id: str) -> Theme:
    return next(t for t in run.themes if t.id == theme_id)
