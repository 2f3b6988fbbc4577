"""Decisions about challenges survive a re-run: the analysts' approval, adopted question,
edited title and new name of a challenge land on the same challenge in the next run, or are
listed, with the reason, as no longer applying; never silently dropped.

A re-run that keeps the previous themes keeps their grouping into challenges
(``pipeline.cluster.hierarchy.kept_groups``): before, Ward's tree was cut afresh over
centroids the late notes had moved, and on the sample workshop 30 late notes dealt one
challenge's themes out to three others and folded another challenge into a neighbour.
"""

from __future__ import annotations

import csv
import html
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.cluster.hierarchy import kept_groups
from pipeline.config import config_for_input
from pipeline.review.app import Review
from pipeline.review.interface import UiText
from pipeline.review.rundir import CARRIED_JSON
from pipeline.run import run_workshop
from pipeline.schema import ActionKind, ReviewAction, RunResult

SAMPLE = Path(__file__).parents[1] / "data" / "sample"

LATE_NOTES = [
    # The morning's notes of benchmarks/review_rerun.py: 20 on the workshop's topics, in four
    # languages, and 10 on one it lacked (participatory budgeting).
    "Former les agents à animer des réunions publiques difficiles",
    "Dire aux habitants ce qui a été retenu de leurs propositions",
    "Aller à la rencontre des jeunes dans les clubs de sport",
    "Vérifier par un humain chaque résumé produit par l'IA",
    "Un droit de réponse écrit pour chaque avis citoyen",
    "Ambtenaren trainen in het begeleiden van bewonersavonden",
    "Terugkoppelen wat er met elk voorstel gebeurd is",
    "Jongeren opzoeken op school en in de jeugdhuizen",
    "Geen AI-samenvattingen zonder menselijke controle",
    "Inspraakrecht wettelijk vastleggen",
    "Schulungen für Mitarbeitende zur Moderation von Bürgerdialogen",
    "Den Teilnehmenden zurückmelden, was aus ihren Ideen wurde",
    "Ältere Menschen zu Hause besuchen und einbeziehen",
    "KI-Zusammenfassungen immer von Menschen prüfen lassen",
    "Beteiligungsrechte gesetzlich verankern",
    "Train staff to facilitate heated public meetings",
    "Report back to people on what happened to their ideas",
    "Meet young people where they already are",
    "Never publish an AI summary without human review",
    "Give residents a legal right to be consulted",
    "Un budget participatif pour chaque quartier",
    "Les habitants votent sur une part du budget communal",
    "Réserver cinq pour cent du budget aux projets citoyens",
    "Een burgerbegroting per wijk",
    "Bewoners stemmen over een deel van het gemeentebudget",
    "Ein Bürgerhaushalt für jedes Viertel",
    "Bürgerinnen entscheiden über einen Teil des Haushalts",
    "A participatory budget for every neighbourhood",
    "Residents vote on how part of the city budget is spent",
    "Set aside a share of the budget for citizen projects",
]

NEW_TITLE = "Des ateliers qui vont vers les villages"
NEW_NAME = "Notre défi des invitations"


def test_kept_themes_keep_their_challenge_whatever_the_centroids() -> None:
    # Themes 0 and 2 point the same way, yet were grouped apart: they stay apart.
    centroids = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.05], [0.05, 1.0]])
    groups = kept_groups(["B2", "B2", "B1", "B1"], centroids, sizes=[5, 5, 20, 20])
    assert groups == [1, 1, 0, 0]  # numbered by size, as a first run numbers them


def test_a_founded_theme_joins_the_nearest_challenge_or_is_one_below_the_room_size() -> None:
    centroids = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.1, 1.0, 0.0]])
    previous = ["B1", "B2", None]
    # Two challenges, fewer than a room needs (four): the new theme is a challenge of its own.
    assert kept_groups(previous, centroids, sizes=[9, 8, 7]) == [0, 1, 2]
    # Two asked for: it joins the challenge it is closest to.
    assert kept_groups(previous, centroids, n_broad=2, sizes=[9, 8, 7]) == [1, 0, 0]


def test_without_a_previous_grouping_nothing_is_kept() -> None:
    centroids = np.eye(3)
    assert kept_groups([None, None, None], centroids) is None
    assert kept_groups(["B1", "B1"], centroids) is None  # not this run's themes
    assert kept_groups([], np.zeros((0, 3))) is None


def review_challenges(run_dir: Path) -> dict[str, str]:
    """A review of the challenges through the app's own checks: approve the largest one's
    draft, adopt another question for the next one offering one, edit the smallest one's
    title, rename the middle one. Returns {what: challenge id}, plus the adopted question."""
    r = Review(run_dir)

    def submit(action: ReviewAction) -> None:
        r.submit(action, "Ana", r.log.version())

    _, state = r.state()
    challenges = sorted(state.challenges.values(), key=lambda c: -c.size)
    assert len(challenges) >= 4
    largest, smallest = challenges[0], challenges[-1]
    middle = challenges[len(challenges) // 2]
    draft = state.drafts[largest.id].draft
    assert draft is not None
    submit(ReviewAction.approval(largest.id, draft))
    offered = [
        (c.id, d.challenge_alternatives[0])
        for c in challenges[1:]
        if (d := state.drafts[c.id].draft) is not None and d.challenge_alternatives
    ]
    assert offered, "no challenge offers another question"
    adopted, question = offered[0]
    submit(
        ReviewAction(
            kind=ActionKind.ADOPT,
            theme_id=adopted,
            challenge=question.text,
            note_ids=list(question.cites),
        )
    )
    draft = state.drafts[smallest.id].draft
    assert draft is not None
    submit(
        ReviewAction(
            kind=ActionKind.EDIT_DRAFT,
            theme_id=smallest.id,
            title=NEW_TITLE,
            challenge=draft.challenge.text,
            proposal=[s.text for s in draft.proposal],
        )
    )
    submit(ReviewAction(kind=ActionKind.RENAME, theme_id=middle.id, label=NEW_NAME))
    return {
        "approve": largest.id,
        "adopt": adopted,
        "edit_draft": smallest.id,
        "rename": middle.id,
        "question": question.text,
    }


def facets_of(run: RunResult) -> dict[str, set[str]]:
    return {b.id: {t.id for t in run.themes if t.parent_id == b.id} for b in run.broad_themes}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult, dict[str, str]]:
    """The sample workshop run once, its challenges reviewed: (folder holding the workshop and
    its runs, the run, what was decided where). Each test re-runs a copy of the folder."""
    root = tmp_path_factory.mktemp("reviewed")
    shutil.copytree(SAMPLE, root / "atelier")
    first, first_dir = run_workshop(
        root / "atelier", config_for_input(root / "atelier"), root / "runs"
    )
    return root, first, review_challenges(first_dir)


def rerun(root: Path, tmp_path: Path, broad_themes: int | None = None) -> tuple[RunResult, Path]:
    """A copy of the reviewed workshop and its runs, with the late notes, run again."""
    shutil.copytree(root, tmp_path / "copy")
    workshop = tmp_path / "copy" / "atelier"
    with (workshop / "morning_extra.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Note", "Table"])
        writer.writerows([(text, 9) for text in LATE_NOTES])
    config = config_for_input(workshop)
    if broad_themes is not None:
        cluster = config.cluster.model_copy(update={"broad_themes": broad_themes})
        config = config.model_copy(update={"cluster": cluster})
    return run_workshop(workshop, config, tmp_path / "copy" / "runs")


@pytest.mark.slow
def test_a_rerun_with_late_notes_keeps_the_challenges_and_their_review(
    reviewed: tuple[Path, RunResult, dict[str, str]], tmp_path: Path
) -> None:
    root, first, decided = reviewed
    second, second_dir = rerun(root, tmp_path)

    assert second.manifest.clustering.get("incremental"), "the re-run kept the themes"
    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    assert [d["reason"] for d in carried["no_longer_apply"]] == []
    # The challenges' matches are scored as the themes' are: each kept its id, whole.
    kept = {m["previous_id"]: m for m in carried["challenge_matches"]}
    assert set(kept) == {b.id for b in first.broad_themes}
    assert all(m["final_id"] == m["previous_id"] and m["cosine"] == 1.0 for m in kept.values())
    about = [(d["action"]["kind"], d["action"]["theme_id"]) for d in carried["reapplied"]]
    assert about == [(kind, decided[kind]) for kind in ("approve", "adopt", "edit_draft", "rename")]
    # Every challenge holds the themes it held: same id, same facets, the late notes in them.
    assert facets_of(second) == facets_of(first)

    r = Review(second_dir)
    _, state = r.state()
    assert state.drafts[decided["approve"]].status.value == "approved"
    adopted = state.drafts[decided["adopt"]].draft
    assert adopted is not None and adopted.challenge.text == decided["question"]
    edited = state.drafts[decided["edit_draft"]].draft
    assert edited is not None and edited.title.text == NEW_TITLE
    assert state.challenges[decided["rename"]].label == NEW_NAME
    for name in ("report.html", "report.md"):
        text = html.unescape((second_dir / name).read_text(encoding="utf-8"))
        assert decided["question"] in text and NEW_TITLE in text and NEW_NAME in text, name


@pytest.mark.slow
def test_decisions_about_challenges_that_are_gone_are_listed_with_the_reason(
    reviewed: tuple[Path, RunResult, dict[str, str]], tmp_path: Path
) -> None:
    """Asked for three challenges, the re-run groups its kept themes afresh: the challenges
    that no longer match one of the three take their decisions to the list, with why."""
    root, first, decided = reviewed
    second, second_dir = rerun(root, tmp_path, broad_themes=3)

    assert second.manifest.clustering.get("incremental"), "the themes were kept"
    assert len(second.broad_themes) == 3
    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    kept = {b.id for b in second.broad_themes}
    reapplied = [d["action"]["theme_id"] for d in carried["reapplied"]]
    dropped = {d["action"]["theme_id"]: d["reason"] for d in carried["no_longer_apply"]}
    # Every decision is either re-applied, on a challenge of this run, or listed: none lost.
    assert sorted([*reapplied, *dropped]) == sorted(
        decided[k] for k in ("approve", "adopt", "edit_draft", "rename")
    )
    assert set(reapplied) <= kept and dropped
    for challenge, reason in dropped.items():
        assert challenge not in kept
        assert reason == f"challenge {challenge} is not in this run any more"
        assert UiText("fr").reason(reason) == (
            f"le défi {challenge} ne figure plus dans ce traitement"
        )
        assert UiText("de").reason(reason) == (
            f"die Herausforderung {challenge} ist nicht mehr in diesem Durchlauf"
        )
    # What matched what, and how well, is in review_carry.json beside the themes' matches.
    matched = {m["final_id"]: m["previous_id"] for m in carried["challenge_matches"]}
    assert set(matched) == kept and set(dropped).isdisjoint(matched.values())
    # A fresh challenge takes an id above every one used before: no decision lands on it.
    before = {b.id for b in first.broad_themes}
    fresh = kept - before
    assert all(int(b[1:]) > max(int(p[1:]) for p in before) for b in fresh)
