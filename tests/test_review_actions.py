"""Replaying the decision log over a run: every action, undo, and what cannot apply."""

from __future__ import annotations

import pytest

from pipeline.review.actions import (
    NotApplicable,
    apply_action,
    fresh_theme_id,
    initial_state,
    replay,
    reviewed_themes,
    standing,
)
from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    ApprovalState,
    Decision,
    ReviewAction,
    RunResult,
)
from tests.factories import build_run_result, ids


@pytest.fixture(scope="module")
def run() -> RunResult:
    return build_run_result()


def log(*actions: ReviewAction, who: str = "ana") -> list[Decision]:
    return [
        Decision(seq=i, who=who, at=f"2026-01-01T00:00:{i:02d}+00:00", action=a)
        for i, a in enumerate(actions, start=1)
    ]


def act(kind: ActionKind, **fields: object) -> ReviewAction:
    return ReviewAction(kind=kind, **fields)  # type: ignore[arg-type]


def test_no_decisions_is_the_pipelines_proposal(run: RunResult) -> None:
    state = replay(run, [])
    assert list(state.themes) == ["t1", "t2", "t3"]
    assert state.themes["t1"].note_ids == run.themes[0].note_ids
    assert set(state.unassigned) == {ids()["coffee_en"], ids()["dogs_nl"], ids()["split_benches"]}
    assert state.approvals() == {"t1": "pending", "t2": "pending", "t3": "pending"}
    assert [t.model_dump() for t in reviewed_themes(state, run)] == [
        t.model_dump() for t in run.themes
    ]


def test_rename_merge_split_move_noise_restore(run: RunResult) -> None:
    k = ids()
    state = replay(
        run,
        log(
            act(ActionKind.RENAME, theme_id="t1", label="  Cycling   safely "),
            act(ActionKind.MERGE, theme_ids=["t2", "t3"]),
            act(
                ActionKind.SPLIT,
                theme_id="t2",
                note_ids=[k["info_fr"], k["minutes_en"]],
                new_theme_id="T04",
                label="Information",
            ),
            act(ActionKind.MOVE, note_ids=[k["coffee_en"]], target="T04"),
            act(ActionKind.NOISE, note_ids=[k["dogs_nl"], k["bike_en"]]),
            act(ActionKind.RESTORE, note_ids=[k["bike_en"]], target="t1"),
        ),
    )
    assert not state.skipped
    assert state.themes["t1"].label == "Cycling safely"
    assert list(state.themes) == ["t1", "t2", "T04"]  # the split sits after its source
    assert "t3" not in state.drafts
    assert state.themes["T04"].note_ids == [k["info_fr"], k["minutes_en"], k["coffee_en"]]
    assert state.themes["T04"].origin == "split from t2"
    assert k["info_fr"] not in state.themes["t2"].note_ids
    assert k["hostile"] in state.themes["t2"].note_ids  # merged from t3
    assert state.noise == [k["dogs_nl"]]
    assert state.themes["t1"].note_ids[-1] == k["bike_en"]
    assert state.unassigned == [k["split_benches"]]
    every = [n for t in state.themes.values() for n in t.note_ids]
    assert len(every) == len(set(every))  # a note is in one place only
    assert set(every) | set(state.unassigned) | set(state.noise) == state.active


def test_drafts_edit_approve_reject_and_comments(run: RunResult) -> None:
    original = run.drafts[0].challenge.text
    state = replay(
        run,
        log(
            act(ActionKind.APPROVE, theme_id="t1", challenge=original),
            act(ActionKind.REJECT, theme_id="t2"),
            act(
                ActionKind.EDIT_DRAFT,
                theme_id="t3",
                title="Inform people",
                challenge="How might we keep every resident informed?",
                proposal=["Publish minutes.", "", "Announce works early."],
            ),
            act(ActionKind.COMMENT, theme_id="t3", text="Check with the city"),
            act(ActionKind.COMMENT, note_ids=[ids()["hostile"]], text="spam?"),
        ),
    )
    assert state.approvals() == {"t1": "approved", "t2": "rejected", "t3": "pending"}
    edited = state.drafts["t3"].draft
    assert edited is not None and edited.drafter == "analyst"
    assert [s.text for s in edited.proposal] == ["Publish minutes.", "Announce works early."]
    # Edited sentences keep the citations of the sentences they replace.
    assert edited.proposal[0].cites == run.drafts[2].proposal[0].cites
    assert [(c.target, c.text) for c in state.comments] == [
        ("t3", "Check with the city"),
        (ids()["hostile"], "spam?"),
    ]


def test_an_edit_after_approval_needs_a_new_approval(run: RunResult) -> None:
    original = run.drafts[0].challenge.text
    state = replay(
        run,
        log(
            act(ActionKind.APPROVE, theme_id="t1", challenge=original),
            act(ActionKind.EDIT_DRAFT, theme_id="t1", title="T", challenge="How might we?"),
        ),
    )
    assert state.drafts["t1"].status is ApprovalState.PENDING


def test_an_approval_keeps_the_wording_it_approved(run: RunResult) -> None:
    """As after a re-run whose drafter words the challenge differently."""
    state = replay(
        run,
        log(
            act(
                ActionKind.APPROVE,
                theme_id="t1",
                title="Safe cycling",
                challenge="How might we make cycling safe?",
                proposal=["Separate bike lanes."],
                note_ids=[ids()["bike_nl"], "gone"],
            )
        ),
    )
    kept = state.drafts["t1"]
    assert kept.status is ApprovalState.APPROVED and kept.draft is not None
    assert kept.draft.challenge.text == "How might we make cycling safe?"
    assert kept.draft.challenge.cites == [ids()["bike_nl"]]
    assert [s.text for s in kept.draft.proposal] == ["Separate bike lanes."]
    assert run.drafts[0].challenge.text in kept.draft.flags[0]


def test_undo_cancels_the_latest_action_still_standing(run: RunResult) -> None:
    decisions = log(
        act(ActionKind.RENAME, theme_id="t1", label="A"),
        act(ActionKind.MERGE, theme_ids=["t1", "t2"]),
        act(ActionKind.UNDO),
        act(ActionKind.RENAME, theme_id="t1", label="B"),
        act(ActionKind.UNDO),
        act(ActionKind.UNDO),
    )
    keep, undone = standing(decisions)
    assert keep == [] and [d.seq for d in undone] == [2, 4, 1]
    state = replay(run, decisions)
    assert state.themes["t1"].label == run.themes[0].label
    assert "t2" in state.themes


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (act(ActionKind.RENAME, theme_id="t9", label="x"), "theme t9 is not in this run"),
        (act(ActionKind.RENAME, theme_id="t1", label="   "), "the new name is empty"),
        (act(ActionKind.MERGE, theme_ids=["t1"]), "at least two themes"),
        (act(ActionKind.MOVE, note_ids=["nope"], target="t1"), "not in this run any more"),
        (act(ActionKind.MOVE, note_ids=[], target="t1"), "no notes selected"),
        (act(ActionKind.RESTORE, note_ids=[ids()["bike_fr"]]), "none of the selected notes"),
        (act(ActionKind.SPLIT, theme_id="t1", note_ids=[], new_theme_id="T9"), "no notes"),
        (
            act(ActionKind.SPLIT, theme_id="t2", note_ids=[ids()["garden_de"]], new_theme_id="t1"),
            "already taken",
        ),
        (act(ActionKind.REJECT, theme_id="t1", challenge="other words"), "rejected as it read"),
        (act(ActionKind.COMMENT, note_ids=["gone"], text="x"), "not in this run"),
        (act(ActionKind.UNDO), "not an action that applies"),
    ],
)
def test_what_cannot_apply_says_why_and_changes_nothing(
    run: RunResult, action: ReviewAction, reason: str
) -> None:
    state = initial_state(run)
    before = {t: list(s.note_ids) for t, s in state.themes.items()}
    with pytest.raises(NotApplicable, match=reason):
        apply_action(state, action, who="ana", at="")
    assert {t: list(s.note_ids) for t, s in state.themes.items()} == before


def test_split_must_leave_notes_behind_and_empty_themes_disappear(run: RunResult) -> None:
    t2 = run.themes[1].note_ids
    state = initial_state(run)
    with pytest.raises(NotApplicable, match="leave t2 empty"):
        apply_action(
            state,
            act(ActionKind.SPLIT, theme_id="t2", note_ids=t2, new_theme_id="T4"),
            who="a",
            at="",
        )
    apply_action(state, act(ActionKind.MOVE, note_ids=t2, target="t1"), who="a", at="")
    assert "t2" not in state.themes and "t2" not in state.drafts


def test_replay_narrows_to_what_exists_and_lists_the_rest(run: RunResult) -> None:
    k = ids()
    state = replay(
        run,
        log(
            act(ActionKind.NOISE, note_ids=[k["coffee_en"], "vanished"]),
            act(ActionKind.RENAME, theme_id="t7", label="gone"),
        ),
    )
    assert state.applied[0].action.note_ids == [k["coffee_en"]]
    assert [(s.decision.seq, s.reason) for s in state.skipped] == [
        (2, "theme t7 is not in this run any more")
    ]


def test_fresh_ids_go_above_every_id_taken() -> None:
    assert fresh_theme_id(set()) == "T01"
    assert fresh_theme_id({"T01", "T07", "B1", "t3", UNASSIGNED}) == "T08"


def test_merged_keyphrases_are_one_list_capped_as_a_themes() -> None:
    from pipeline.review.actions import ThemeState, merged_keyphrases

    big = ThemeState(id="T08", label="", note_ids=[f"a{i}" for i in range(30)])
    big.keyphrases = ["énergie", "passoire", "rénovation", "ici", "pouvoir"]
    small = ThemeState(id="T06", label="", note_ids=[f"b{i}" for i in range(10)])
    small.keyphrases = ["chaudière", "Énergie", "prix", "payer", "incitatier"]
    small.keyphrase_translations = {"Énergie": ["energy"]}
    phrases, translations = merged_keyphrases([big, small])
    assert len(phrases) == 5  # as many as a theme has, not ten
    assert phrases[0] == "énergie"  # in both lists: first, once
    assert [p.casefold() for p in phrases].count("énergie") == 1
    assert "incitatier" not in phrases  # the smaller theme's last one does not make it
    assert translations == {"énergie": ["energy"]}


def test_an_approval_carried_over_a_rerun_keeps_its_proposals_notes(run: RunResult) -> None:
    """Approved in an earlier run as it read then: the proposals the drafter still words
    the same keep their notes (their counts), not the theme's first three."""
    draft = next(d for d in run.drafts if d.theme_id == "t1")
    approved = act(
        ActionKind.APPROVE,
        theme_id="t1",
        challenge="Comment pourrions-nous relier les quartiers à vélo ?",
        title=draft.title.text,
        proposal=[s.text for s in draft.proposal],
    )
    state = replay(run, log(approved))
    kept = state.drafts["t1"].draft
    assert kept is not None and kept.drafter == "analyst"
    assert [s.cites for s in kept.proposal] == [s.cites for s in draft.proposal]


def test_a_shortened_proposal_reads_whole_from_its_note(run: RunResult) -> None:
    from pipeline.review.actions import full_sentence
    from pipeline.schema import Sentence

    k = ids()
    notes = {n.id: n for n in run.notes}
    cut = Sentence(text="Des pistes cyclables séparées …", cites=[k["bike_en"], k["bike_fr"]])
    assert full_sentence(cut, notes) == (
        "Des pistes cyclables séparées de la circulation sur les grands axes"
    )
    capital = Sentence(text="DES PISTES cyclables …", cites=[k["bike_fr"]])  # case aside
    assert full_sentence(capital, notes).endswith("de la circulation sur les grands axes")
    whole = Sentence(text="Planter des arbres …", cites=[k["bike_en"]])  # in none of its notes
    assert full_sentence(whole, notes) == "Planter des arbres …"
