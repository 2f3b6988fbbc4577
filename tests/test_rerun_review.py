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
from pipeline.review.actions import replay
from pipeline.review.app import Review
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import CARRIED_JSON, DECISIONS_DB, load_run
from pipeline.review.store import DecisionLog
from pipeline.run import run_workshop
from pipeline.schema import ActionKind, Decision, ReviewAction, RunResult, Theme

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


CHATBOT_WORDS = ("chatbot", "bot ")
"""The sample's notes about chatbots, inside its theme on AI and its biases."""

LATE_CHATBOT_NOTES = [
    "Le chatbot de la Région répond à côté pour les primes",
    "Chatbot voor vergunningen begrijpt geen eenvoudige vragen",
    "Chatbots should hand over to a person when they get stuck",
    "Der Chatbot der Stadt erfindet Öffnungszeiten",
    "Un chatbot ne remplace pas un agent au téléphone",
]


def reviewed_view(run_dir: Path) -> RunResult:
    run = load_run(run_dir)
    return reviewed_result(run, replay(run, DecisionLog(run_dir / DECISIONS_DB).read()))


def theme_of(run: RunResult, note_id: str) -> Theme | None:
    return next((t for t in run.themes if note_id in t.note_ids), None)


@pytest.mark.slow
def test_late_notes_join_a_theme_the_review_split_off(first: Path, tmp_path: Path) -> None:
    """The review splits the notes about chatbots off the theme on AI into "Chatbots"; the
    late notes about chatbots join "Chatbots" in the re-run, not the theme it was split
    from, where the pipeline's themes (before the review) put them."""
    workshop, runs, first_dir = copy_of(first, tmp_path)
    run = load_run(first_dir)
    text = {n.id: n.text for n in run.notes}
    holders = {
        t.id: [n for n in t.note_ids if any(w in text[n].lower() for w in CHATBOT_WORDS)]
        for t in run.themes
    }
    source = max(holders, key=lambda t: len(holders[t]))
    chatbots = holders[source]
    assert 5 <= len(chatbots) < len(theme_named(run, source).note_ids)
    review = Review(first_dir)
    split = ReviewAction(
        kind=ActionKind.SPLIT, theme_id=source, note_ids=chatbots, label="Chatbots"
    )
    review.submit(split, "Ana", review.log.version())
    (decision,) = review.log.read()
    new_id = decision.action.new_theme_id
    assert new_id

    add_notes(workshop, LATE_CHATBOT_NOTES)
    second, second_dir = run_workshop(workshop, config_for_input(workshop), runs)
    assert second.manifest.clustering.get("incremental"), "the re-run should keep the themes"
    late = [n for n in second.notes if n.text in LATE_CHATBOT_NOTES]
    assert len(late) == len(LATE_CHATBOT_NOTES)
    # The pipeline's themes, before the review, have no "Chatbots": the theme it was split
    # from holds the late notes there.
    assert sum(1 for n in late if n.theme_id == source) >= 3

    view = reviewed_view(second_dir)
    split_off = theme_named(view, new_id)
    assert split_off.label == "Chatbots"
    joined = [n.id for n in late if n.id in split_off.note_ids]
    assert len(joined) >= 3, [(n.text, getattr(theme_of(view, n.id), "label", None)) for n in late]
    assert set(chatbots) <= set(split_off.note_ids)  # the split still stands
    # Each placement is a decision in the new run's log, by the pipeline, which an analyst
    # sees in the history and can undo.
    log = DecisionLog(second_dir / DECISIONS_DB).read()
    assert log[0].action.kind is ActionKind.SPLIT
    placed = [d for d in log if d.who == "ideasynth"]
    assert placed and all(d.action.kind is ActionKind.MOVE for d in placed)
    assert set(joined) <= {n for d in placed for n in d.action.note_ids}
    # Listed apart from the decisions re-applied, which are the analysts' (the split).
    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    assert [d["action"]["kind"] for d in carried["reapplied"]] == ["split"]
    assert [d["seq"] for d in carried["late_notes_placed"]] == [d.seq for d in placed]
    incremental = second.manifest.clustering["incremental"]
    assert incremental["new_placed_in_a_reviewed_theme"] >= len(joined)
    assert incremental["new_joined_a_theme"] + incremental["new_unassigned"] == len(late)
    # The reports show the late notes where the review would have them.
    report = (second_dir / "report.md").read_text(encoding="utf-8")
    section = report.split("Chatbots", 1)[1]
    assert any(n.text in section for n in late if n.id in joined)

    # A second re-run replays the placements like any decision: the notes stay in "Chatbots".
    add_notes(workshop, ["Ajouter un numéro de téléphone sur chaque formulaire"], "later.csv")
    _, third_dir = run_workshop(workshop, config_for_input(workshop), runs)
    again = theme_named(reviewed_view(third_dir), new_id)
    assert set(joined) <= set(again.note_ids)


def theme_named(run: RunResult, theme_id: str) -> Theme:
    return next(t for t in run.themes if t.id == theme_id)


@pytest.mark.slow
def test_a_theme_split_off_is_not_named_as_the_theme_it_came_from(
    first: Path, tmp_path: Path
) -> None:
    """A theme split off without a name is named by its draft's title, which can be the
    title of the theme it was split from ("Stop à la concertation de façade" twice). The
    larger keeps the name; the theme split off takes its next best title, or its id."""
    _, _, first_dir = copy_of(first, tmp_path)
    run = load_run(first_dir)
    collided = []
    for theme in run.themes:
        half = theme.note_ids[: len(theme.note_ids) // 2]
        split = ReviewAction(
            kind=ActionKind.SPLIT, theme_id=theme.id, note_ids=half, new_theme_id="T99"
        )
        state = replay(run, [Decision(seq=1, who="Ana", at="", action=split)])
        view = reviewed_result(run, state)
        names = [t.label.casefold() for t in view.themes]
        assert len(names) == len(set(names)), theme.id
        new = state.drafts["T99"].draft
        assert new is not None
        if any(a.text == theme_named(view, theme.id).label for a in new.title_alternatives):
            collided.append(theme.id)  # drafted under its source's name, then told apart
            kept = state.drafts[theme.id].draft
            assert kept is not None  # the larger keeps its own draft's title
            assert theme_named(view, theme.id).label == kept.title.text
    assert collided, "no split drafted under its source's name: the check above is idle"

    # Through the app, the name the log records for the theme split off is the one it is
    # shown by, not its source's; a re-play of the log keeps the source's name.
    source = collided[0]
    review = Review(first_dir)
    half = theme_named(run, source).note_ids[: theme_named(run, source).size // 2]
    review.submit(
        ReviewAction(kind=ActionKind.SPLIT, theme_id=source, note_ids=half),
        "Ana",
        review.log.version(),
    )
    (decision,) = review.log.read()
    view = reviewed_view(first_dir)
    assert decision.action.label and decision.action.label != theme_named(view, source).label
    assert theme_named(view, decision.action.new_theme_id or "").label == decision.action.label
    names = [t.label.casefold() for t in view.themes]
    assert len(names) == len(set(names))
