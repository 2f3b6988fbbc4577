"""Challenges are reviewed as themes are, and every change of notes re-drafts what it changes.

The fixture run gets a challenge level: B1 holds the cycling and the greenery themes, B2 the
information theme alone. The drafts a merge or a move calls for are composed for real (the
compose drafter, with its taggers), from the fixture's notes.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest

from pipeline.report import write_run
from pipeline.review.actions import REDRAFTED, NotApplicable, apply_action, replay
from pipeline.review.export import handout_markdown, themes_csv
from pipeline.review.interface import UiText
from pipeline.review.matching import Carry, renumber_challenges
from pipeline.review.reviewed import reviewed_result
from pipeline.schema import (
    ActionKind,
    Decision,
    Draft,
    DraftLevel,
    ReviewAction,
    RunResult,
    Sentence,
    Theme,
)
from tests.factories import build_run_result, ids

CHALLENGE_TEXT = "Comment pourrions-nous rendre la rue aux cyclistes et aux arbres ?"


def _challenge(run: RunResult, cid: str, members: list[Theme], title: str, text: str) -> None:
    note_ids = [i for t in members for i in t.note_ids]
    run.broad_themes.append(
        Theme(
            id=cid,
            label=title,
            note_ids=note_ids,
            size=len(note_ids),
            languages={},
            keyphrases=[],
            representative_ids=note_ids[:3],
        )
    )
    run.drafts.insert(
        len(run.broad_themes) - 1,
        Draft(
            theme_id=cid,
            language="fr",
            drafter="compose",
            level=DraftLevel.CHALLENGE,
            title=Sentence(text=title, cites=note_ids[:1]),
            challenge=Sentence(text=text, cites=note_ids[:2]),
            proposal=[Sentence(text="Planter des arbres le long des pistes", cites=note_ids[:3])],
        ),
    )


def challenge_run() -> RunResult:
    run = build_run_result()
    run.themes = [
        t.model_copy(update={"parent_id": "B1" if t.id in ("t1", "t2") else "B2"})
        for t in run.themes
    ]
    _challenge(run, "B1", run.themes[:2], "La rue partagée", CHALLENGE_TEXT)
    _challenge(
        run,
        "B2",
        run.themes[2:],
        "Informer les habitants",
        "Comment pourrions-nous informer les habitants des décisions du quartier ?",
    )
    return run


@pytest.fixture
def run() -> RunResult:
    return challenge_run()


def log(*actions: ReviewAction) -> list[Decision]:
    return [
        Decision(seq=i, who="ana", at=f"2026-01-01T00:00:{i:02d}+00:00", action=a)
        for i, a in enumerate(actions, start=1)
    ]


def act(kind: ActionKind, **fields: object) -> ReviewAction:
    return ReviewAction(kind=kind, **fields)  # type: ignore[arg-type]


def test_a_challenge_is_renamed_edited_and_approved_like_a_theme(run: RunResult) -> None:
    edited = "Comment pourrions-nous partager la rue entre vélos et arbres, rue par rue ?"
    state = replay(
        run,
        log(
            act(ActionKind.RENAME, theme_id="B1", label="Des rues pour tous"),
            act(
                ActionKind.EDIT_DRAFT,
                theme_id="B1",
                title="Des rues pour tous",
                challenge=edited,
                proposal=["Planter des arbres le long des pistes cyclables."],
            ),
            act(ActionKind.APPROVE, theme_id="B1", challenge=edited),
        ),
    )
    assert not state.skipped
    assert state.challenges["B1"].label == "Des rues pour tous"
    assert state.approvals()["B1"] == "approved"
    draft = state.drafts["B1"].draft
    assert draft is not None and draft.level is DraftLevel.CHALLENGE
    assert draft.drafter == "analyst" and draft.challenge.text == edited

    handout = handout_markdown(run, state)
    assert "## Défi 1 — Des rues pour tous" in handout and edited in handout
    assert CHALLENGE_TEXT not in handout
    # A cell may hold line breaks (a draft's proposals, one per line): read it as CSV.
    rows = [",".join(r) for r in csv.reader(io.StringIO(themes_csv(run, state)))]
    assert rows[0].endswith(",level,part_of")
    assert any(r.startswith("B1,Des rues pour tous,") and ",approved," in r for r in rows)
    assert any(r.startswith("t1,") and r.endswith(",theme,B1") for r in rows)


def test_a_rejected_challenge_leaves_the_handout(run: RunResult) -> None:
    state = replay(run, log(act(ActionKind.REJECT, theme_id="B1", challenge=CHALLENGE_TEXT)))
    handout = handout_markdown(run, state)
    assert CHALLENGE_TEXT not in handout and "Informer les habitants" in handout


def test_a_merge_re_drafts_the_theme_and_its_challenge(run: RunResult) -> None:
    before = {d.theme_id: d for d in run.drafts}
    state = replay(run, log(act(ActionKind.MERGE, theme_ids=["t1", "t3"])))
    merged = state.drafts["t1"].draft
    assert merged is not None and REDRAFTED in merged.flags
    members = set(state.themes["t1"].note_ids)
    assert len(members) == len(run.themes[0].note_ids) + len(run.themes[2].note_ids)
    assert merged.cited_ids() <= members  # every citation is one of the merged notes
    assert merged.challenge.text != before["t1"].challenge.text
    # B2 lost its only theme: it is gone, and B1 now holds the merged notes, drafted again.
    assert "B2" not in state.challenges and "B2" not in state.drafts
    assert set(state.challenges["B1"].note_ids) == members | set(state.themes["t2"].note_ids)
    challenge = state.drafts["B1"].draft
    assert challenge is not None and REDRAFTED in challenge.flags
    assert challenge.level is DraftLevel.CHALLENGE
    # The untouched theme keeps the pipeline's draft.
    assert state.drafts["t2"].draft == before["t2"]


def test_approving_a_re_draft_approves_what_the_analyst_saw(run: RunResult) -> None:
    merge = act(ActionKind.MERGE, theme_ids=["t1", "t3"])
    redrafted = replay(run, log(merge)).drafts["t1"].draft
    assert redrafted is not None
    state = replay(
        run, log(merge, act(ActionKind.APPROVE, theme_id="t1", challenge=redrafted.challenge.text))
    )
    current = state.drafts["t1"]
    assert state.approvals()["t1"] == "approved"
    assert current.draft == redrafted and not current.edited  # no "earlier run" flag


def test_an_analysts_words_survive_a_merge_with_the_re_draft_beside_them(run: RunResult) -> None:
    edited = "Comment pourrions-nous rendre le vélo sûr pour les enfants ?"
    state = replay(
        run,
        log(
            act(ActionKind.EDIT_DRAFT, theme_id="t1", title="Vélo sûr", challenge=edited),
            act(ActionKind.MERGE, theme_ids=["t1", "t3"]),
        ),
    )
    current = state.drafts["t1"]
    assert current.draft is not None and current.draft.challenge.text == edited
    assert current.machine is not None and REDRAFTED in current.machine.flags
    result = reviewed_result(run, state)
    shown = next(d for d in result.drafts if d.theme_id == "t1")
    assert shown.challenge.text == edited
    assert shown.pipeline_draft is not None
    assert shown.pipeline_draft.challenge.text == current.machine.challenge.text


def test_a_theme_moves_to_another_challenge(run: RunResult) -> None:
    state = replay(run, log(act(ActionKind.REGROUP, theme_id="t2", target="B2")))
    assert state.themes["t2"].parent_id == "B2"
    assert set(state.challenges["B2"].note_ids) == set(state.themes["t2"].note_ids) | set(
        state.themes["t3"].note_ids
    )
    assert set(state.challenges["B1"].note_ids) == set(state.themes["t1"].note_ids)
    for challenge in ("B1", "B2"):
        draft = state.drafts[challenge].draft
        assert draft is not None and REDRAFTED in draft.flags
    result = reviewed_result(run, state)
    assert {t.id: t.parent_id for t in result.themes}["t2"] == "B2"
    fresh = replay(run, [])
    with pytest.raises(NotApplicable, match="challenge B9 is not in this run") as refused:
        apply_action(fresh, act(ActionKind.REGROUP, theme_id="t2", target="B9"), "ana", "")
    said = UiText("fr").reason(str(refused.value))
    assert said != str(refused.value) and "B9" in said  # the app says it in French
    with pytest.raises(NotApplicable, match="already part of B1"):
        apply_action(fresh, act(ActionKind.REGROUP, theme_id="t2", target="B1"), "ana", "")


def test_a_one_theme_challenge_follows_its_themes_review(run: RunResult) -> None:
    edited = "Comment pourrions-nous publier chaque compte rendu de quartier ?"
    state = replay(
        run,
        log(
            act(ActionKind.RENAME, theme_id="t3", label="Comptes rendus publics"),
            act(ActionKind.EDIT_DRAFT, theme_id="t3", title="Comptes rendus", challenge=edited),
        ),
    )
    result = reviewed_result(run, state)
    b2 = next(b for b in result.broad_themes if b.id == "B2")
    # The title written after the rename names the theme, and so its challenge: one name.
    assert b2.label == "Comptes rendus" == state.themes["t3"].label
    challenge = next(d for d in result.drafts if d.theme_id == "B2")
    assert challenge.title.text == "Comptes rendus"
    assert challenge.challenge.text == edited and challenge.level is DraftLevel.CHALLENGE
    assert edited in handout_markdown(run, state)


def test_a_re_run_gives_its_challenges_the_previous_ids(tmp_path: Path, run: RunResult) -> None:
    previous = tmp_path / "w" / "run-1"
    write_run(run, previous)
    # The new run's hierarchy numbered them the other way round.
    swapped = {"B1": "B2", "B2": "B1"}
    broad = [b.model_copy(update={"id": swapped[b.id]}) for b in run.broad_themes]
    broad.append(broad[0].model_copy(update={"id": "B3", "note_ids": [ids()["coffee_en"]]}))
    themes = [t.model_copy(update={"parent_id": swapped[t.parent_id or ""]}) for t in run.themes]
    carry = Carry(previous=str(previous))
    renamed, parents = renumber_challenges(carry, broad, themes)
    assert [b.id for b in renamed] == ["B1", "B2", "B3"]
    assert [b.note_ids for b in renamed[:2]] == [b.note_ids for b in run.broad_themes]
    assert {t.id: t.parent_id for t in parents} == {"t1": "B1", "t2": "B1", "t3": "B2"}


def test_a_decision_about_a_challenge_that_is_gone_says_challenge(
    tmp_path: Path, run: RunResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """The re-run groups the three themes into one challenge: B1 keeps its id, B2 is gone.
    The reason names B2 a challenge (the previous run's challenges say so), in every
    language, and ``review_carry.json`` scores the challenges' matches as the themes'."""
    from pipeline.cli import _print_review_carry
    from pipeline.review.matching import carry_decisions, write_carry
    from pipeline.review.rundir import CARRIED_JSON

    previous = tmp_path / "atelier" / "run-1"
    write_run(run, previous)
    second = challenge_run()
    second.themes = [t.model_copy(update={"parent_id": "B1"}) for t in second.themes]
    whole = [n for t in second.themes for n in t.note_ids]
    second.broad_themes = [
        second.broad_themes[0].model_copy(update={"note_ids": whole, "size": len(whole)})
    ]
    second.drafts = [d for d in second.drafts if d.theme_id != "B2"]
    carry = Carry(
        previous=str(previous),
        previous_themes=run.themes,
        decisions=log(
            act(ActionKind.RENAME, theme_id="B1", label="La rue pour tous"),
            act(ActionKind.RENAME, theme_id="B2", label="Tenir informé"),
            act(ActionKind.RENAME, theme_id="t9", label="Disparu"),
        ),
    )
    broad, themes = renumber_challenges(carry, second.broad_themes, second.themes)
    assert [b.id for b in broad] == ["B1"]
    carry = carry_decisions(carry, second.model_copy(update={"broad_themes": broad}))
    assert [d.action.theme_id for d in carry.reapplied] == ["B1"]
    assert [(c.decision.action.theme_id, c.reason) for c in carry.dropped] == [
        ("B2", "challenge B2 is not in this run any more"),
        ("t9", "theme t9 is not in this run any more"),
    ]
    said = {lang: UiText(lang).reason(carry.dropped[0].reason) for lang in ("fr", "de", "nl")}
    assert said == {
        "fr": "le défi B2 ne figure plus dans ce traitement",
        "de": "die Herausforderung B2 ist nicht mehr in diesem Durchlauf",
        "nl": "uitdaging B2 zit niet meer in deze verwerking",
    }

    folder = previous.parent / "run-2"
    write_run(second.model_copy(update={"broad_themes": broad, "themes": themes}), folder)
    write_carry(folder, carry)
    report = json.loads((folder / CARRIED_JSON).read_text(encoding="utf-8"))
    [match] = report["challenge_matches"]
    assert (match["new_id"], match["final_id"], match["previous_id"]) == ("B1", "B1", "B1")
    before = run.broad_themes[0].note_ids  # t1's and t2's notes, of the three themes'
    assert match["jaccard"] == round(len(before) / len(whole), 3)
    assert match["cosine"] == 0.816  # two of its three themes held before
    assert [m["final_id"] for m in report["matches"]] == []  # themes matched by renumber
    assert report["no_longer_apply"][0]["reason"] == "challenge B2 is not in this run any more"
    _print_review_carry(folder, "fr")
    captured = capsys.readouterr()
    out = " ".join((captured.out + captured.err).split())
    assert "le défi B2 ne figure plus dans ce traitement" in out
    assert "le thème t9 ne figure plus dans ce traitement" in out


def test_the_app_lists_challenges_and_reviews_them(tmp_path: Path) -> None:
    import re

    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app
    from pipeline.review.rundir import DECISIONS_DB
    from pipeline.review.store import DecisionLog

    run_dir = tmp_path / "atelier" / "20250314T093205Z"
    write_run(challenge_run(), run_dir)
    client = TestClient(create_app(run_dir), base_url="http://127.0.0.1:8765")
    home = client.get("/").text
    table = home[home.index('id="challenges"') :]
    assert "La rue partagée" in table and 'href="/themes/B1"' in table
    assert '<a href="#row-t1"' in table and '<a href="#row-t2"' in table
    page = client.get("/themes/B1").text
    assert "Défi" in page and "Thèmes de ce défi (2)" in page
    assert 'id="notes-form"' not in page  # notes are split and moved on a theme's page
    # What its themes' notes say, each theme's most representative first, to read beside
    # the question; none to tick here.
    said = page[page.index('id="challenge-notes"') :]
    run = challenge_run()
    for facet in run.themes[:2]:
        first = run.notes[[n.id for n in run.notes].index(facet.representative_ids[0])]
        assert f'id="note-{first.id}"' in said
    assert 'type="checkbox"' not in said
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert token
    form = {"csrf": token.group(1), "version": "0", "back": "/themes/B1"}
    renamed = client.post(
        "/act",
        data={**form, "op": "rename", "theme_id": "B1", "label": "Des rues pour tous"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    moved = client.post(
        "/act",
        data={**form, "version": "1", "op": "regroup", "theme_id": "t2", "target": "B2"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert [d.action.kind for d in DecisionLog(run_dir / DECISIONS_DB).read()] == [
        ActionKind.RENAME,
        ActionKind.REGROUP,
    ]
    theme_page = client.get("/themes/t2").text
    # B2, drafted again with t2 in it, is named by its new draft's title, on every page.
    from pipeline.review.export import reviewed_state

    run, state = reviewed_state(run_dir)
    b2 = next(b for b in reviewed_result(run, state).broad_themes if b.id == "B2")
    assert f'id="part-of">{html.escape(b2.label)}</a>' in theme_page
    assert f"## Défi 2 — {b2.label}" in handout_markdown(run, state)
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert html.escape(b2.label) in report
    # The review's own flag, in the report's language (the factory run is French).
    assert "Des rues pour tous" in report and "rédigé à nouveau après la relecture" in report


def test_the_handout_names_a_challenges_themes_with_their_decided_questions(
    run: RunResult,
) -> None:
    import io

    import docx

    from pipeline.review.export import handout_docx

    edited = "Comment pourrions-nous rendre le vélo sûr pour les enfants ?"
    state = replay(
        run,
        log(
            act(ActionKind.RENAME, theme_id="t2", label="Verdure en ville"),
            act(
                ActionKind.EDIT_DRAFT,
                theme_id="t1",
                title="Vélo sûr",
                challenge=edited,
                proposal=["Des pistes séparées devant chaque école"],
            ),
        ),
    )
    markdown = handout_markdown(run, state)
    section = markdown[markdown.index(" — La rue partagée\n") : markdown.index(" — Informer")]
    assert "### Aspects" in section
    assert f"- **{state.themes['t1'].label}** — {edited}\n  - Des pistes séparées" in section
    assert "- Verdure en ville" in section  # its question is the pipeline's: not shown
    assert "### Aspects" not in markdown[markdown.index(" — Informer") :]  # one theme
    document = docx.Document(io.BytesIO(handout_docx(run, state)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Verdure en ville" in text and edited in text
    assert "Des pistes séparées devant chaque école" in text


def test_each_challenge_of_the_printed_handout_starts_a_page(run: RunResult) -> None:
    """Printed, a challenge's page goes to the table that works on it: none runs on from
    the one before."""
    import io

    import docx

    from pipeline.review.export import handout_docx

    document = docx.Document(io.BytesIO(handout_docx(run, replay(run, []))))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) >= 2
    assert [bool(h.paragraph_format.page_break_before) for h in headings] == [
        False,
        *[True] * (len(headings) - 1),
    ]


def test_the_review_re_drafts_with_the_runs_own_model_drafter() -> None:
    """A run drafted by a model (here an OpenAI-compatible server on loopback) is re-drafted
    by it after a merge; a run whose model file is gone is re-drafted by the composer."""
    from pipeline.review import redraft
    from tests.test_draft_llm import GOOD, ScriptedServer, _config

    with ScriptedServer([GOOD]) as server:
        run = challenge_run()
        settings = _config(server.url).model_dump(mode="json")
        run.manifest = run.manifest.model_copy(
            update={"run_id": "with-a-model", "config": {"draft": settings}}
        )
        state = replay(run, log(act(ActionKind.MERGE, theme_ids=["t1", "t3"])))
        merged = state.drafts["t1"].draft
        assert merged is not None and merged.drafter == "openai"
        assert merged.challenge.text == GOOD["challenge"] and REDRAFTED in merged.flags
        assert merged.cited_ids() <= set(state.themes["t1"].note_ids)
        assert server.requests  # the model was asked
    gone = challenge_run()
    missing = {"drafter": "llama-cpp", "model_path": "/nowhere/model.gguf"}
    gone.manifest = gone.manifest.model_copy(
        update={"run_id": "model-gone", "config": {"draft": missing}}
    )
    assert redraft.review_drafter(gone).name == "compose"


def test_a_challenge_is_re_drafted_from_its_facets_as_they_now_are(run: RunResult) -> None:
    """B2 gains t2: its re-draft asks what one of its two facets asks, as a run drafts a
    challenge, and the other facets' questions are its alternatives."""
    from pipeline.review.actions import _as_theme

    state = replay(run, log(act(ActionKind.REGROUP, theme_id="t2", target="B2")))
    draft = state.drafts["B2"].draft
    assert draft is not None
    drafter = state.drafter()
    facets = [
        drafter.draft(_as_theme(state.themes[t]), state.notes, state.language) for t in ("t2", "t3")
    ]
    asked = {f.challenge.text for f in facets}
    assert draft.challenge.text in asked
    offered = {draft.challenge.text, *(a.text for a in draft.challenge_alternatives)}
    assert asked <= offered
