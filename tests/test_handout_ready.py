"""The Day 2 handout is ready for the room: no stand-in question or title is approved or
printed, words are cut where a reader expects, quotes wear the language's marks, and the
analysts' CSVs can be split and read (themes.csv per proposal, notes.csv with the texts)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest

from pipeline.draft.compose.wording import WORDING
from pipeline.report import write_run
from pipeline.review.actions import NotApplicable, apply_action, replay
from pipeline.review.export import (
    export_all,
    handout_docx,
    handout_markdown,
    handout_notices,
    shortened,
    themes_csv,
)
from pipeline.review.interface import UiText
from pipeline.schema import ActionKind, Decision, RunResult, Sentence
from tests.factories import build_run_result

PLACEHOLDER_DE = WORDING["de"].no_question


def german_run(question: str = PLACEHOLDER_DE, title: str | None = None) -> RunResult:
    """The factory's run, drafted in German, t1's question (and title) the drafter's
    stand-in."""
    run = build_run_result()
    run.manifest.config["output_language"] = "de"
    drafts = []
    for draft in run.drafts:
        update: dict[str, object] = {"language": "de"}
        if draft.theme_id == "t1":
            update["challenge"] = Sentence(text=question, cites=draft.challenge.cites)
            if title is not None:
                update["title"] = Sentence(text=title, cites=draft.title.cites)
        drafts.append(draft.model_copy(update=update))
    run.drafts = drafts
    return run


def decision(kind: ActionKind, **fields: object) -> Decision:
    from pipeline.schema import ReviewAction

    action = ReviewAction(kind=kind, **fields)  # type: ignore[arg-type]
    return Decision(seq=1, who="ana", at="2026-01-01T00:00:01+00:00", action=action)


def test_a_stand_in_question_cannot_be_approved_and_the_reason_is_in_the_runs_language():
    for wording in WORDING.values():
        run = german_run(wording.no_question)
        state = replay(run, [])
        approve = decision(ActionKind.APPROVE, theme_id="t1", challenge=wording.no_question).action
        with pytest.raises(NotApplicable) as refused:
            apply_action(state, approve, "ana", "2026-01-01T00:00:01+00:00")
        assert state.drafts["t1"].status.value == "pending"
        said = UiText("de").reason(str(refused.value))
        assert said.startswith("die Frage von t1 ist noch zu formulieren"), said
    # Replayed from a log written before the rule, such an approval is skipped with the reason.
    run = german_run()
    state = replay(run, [decision(ActionKind.APPROVE, theme_id="t1", challenge=PLACEHOLDER_DE)])
    assert state.drafts["t1"].status.value == "pending"
    assert state.skipped and "still to be written" in state.skipped[0].reason


def test_an_untitled_draft_cannot_be_approved_until_it_has_a_title():
    run = german_run("Wie könnten wir sichere Radwege für alle bauen?", WORDING["fr"].untitled)
    state = replay(run, [])
    approve = decision(ActionKind.APPROVE, theme_id="t1").action
    with pytest.raises(NotApplicable, match="the title of t1 is still to be written"):
        apply_action(state, approve, "ana", "2026-01-01T00:00:01+00:00")
    written = decision(
        ActionKind.EDIT_DRAFT,
        theme_id="t1",
        title="Sichere Radwege",
        challenge="Wie könnten wir sichere Radwege für alle bauen?",
    ).action
    apply_action(state, written, "ana", "2026-01-01T00:00:01+00:00")
    apply_action(state, approve, "ana", "2026-01-01T00:00:02+00:00")
    assert state.drafts["t1"].status.value == "approved"


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_handout_says_the_question_is_still_to_be_written_never_the_stand_in():
    run = german_run(title=WORDING["de"].untitled)
    state = replay(run, [])
    markdown = handout_markdown(run, state)
    text = _docx_text(handout_docx(run, state))
    for output in (markdown, text):
        for wording in WORDING.values():
            assert wording.no_question not in output
            assert wording.untitled not in output
        assert "Die Frage ist noch zu formulieren." in output
    # The heading falls back on the theme's name, the room's words.
    assert "## Herausforderung 1 — pistes cyclables · fietspaden · bike lanes" in markdown
    lines = handout_notices(run, state)
    assert lines[0].startswith("t1 „pistes cyclables")
    assert "Die Frage ist noch zu formulieren; das Handout sagt es so" in lines[0]
    assert any("noch nicht freigegeben" in line for line in lines[1:])


def test_export_lists_each_challenge_not_ready_in_the_runs_language(tmp_path: Path):
    run = german_run()
    run_dir = tmp_path / "20260101T000000Z"
    write_run(run, run_dir)
    notices: list[str] = []
    written = export_all(run_dir, notices=notices)
    assert len(notices) == 3  # t1's stand-in question, t2 and t3 not approved yet
    assert "Frage ist noch zu formulieren" in notices[0]
    assert PLACEHOLDER_DE not in written["handout.md"].read_text(encoding="utf-8")


def test_a_challenge_not_approved_says_what_its_draft_asks_to_check():
    """ "t2 …: not approved yet; to check: …": the facilitator who exports before the review
    is done sees which questions the drafter asked to check (a question as general as
    "… beim Thema Klima neue Wege gehen?")."""
    run = german_run()
    flag = "keine Frage aus einer einzelnen Notiz spricht für die meisten Notizen"
    run.drafts = [
        d.model_copy(update={"flags": [flag] if d.theme_id == "t2" else []}) for d in run.drafts
    ]
    lines = handout_notices(run, replay(run, []))
    flagged = next(line for line in lines if line.startswith("t2 "))
    assert "bei der Sichtung noch nicht freigegeben; zu prüfen: " + flag in flagged
    other = next(line for line in lines if line.startswith("t3 "))
    assert other.endswith("bei der Sichtung noch nicht freigegeben")
    assert flagged.endswith(flag)  # its one flag, nothing more to say
    # With more flags, the line says how many more the review shows.
    run.drafts = [
        d.model_copy(update={"flags": [flag, "zwei", "drei"] if d.theme_id == "t2" else []})
        for d in run.drafts
    ]
    lines = handout_notices(run, replay(run, []))
    flagged = next(line for line in lines if line.startswith("t2 "))
    assert flagged.endswith(flag + " (und 2 weitere in der Sichtung)"), flagged


def test_quotes_wear_the_handout_languages_quotation_marks():
    for language, opening, closing in (
        ("de", "„", "“"),
        ("fr", "«\u00a0", "\u00a0»"),
        ("en", "“", "”"),
    ):
        run = german_run("Wie könnten wir sichere Radwege bauen?")
        run.manifest.config["output_language"] = language
        run.drafts = [d.model_copy(update={"language": language}) for d in run.drafts]
        state = replay(run, [])
        text = _docx_text(handout_docx(run, state))
        markdown = handout_markdown(run, state)
        quotes = [line for line in text.splitlines() if line.startswith(opening)]
        assert quotes, language
        assert all(closing in q for q in quotes), language
        assert any(line.startswith(f"- {opening}") for line in markdown.splitlines()), language
        if language != "en":
            assert "“" + quotes[0][len(opening) :] not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I think we should all take a moment after each talk to let it sink in. "
            "The organisers could plan a pause between sessions for that",
            "I think we should all take a moment after each talk to let it sink in. …",
        ),
        (
            "We need to rethink how we want them to function in society- rewrite the "
            "policies on housing and the way rent is set",
            "We need to rethink how we want them to function in society …",
        ),
        (
            "Bau von AKWs in Österreich um mit dem produzierten Strom grünen Wasserstoff zu "
            "produzieren Einsatz etwa in der Schwerindustrie od. Verkehr",
            "Bau von AKWs in Österreich um mit dem produzierten Strom grünen Wasserstoff zu "
            "produzieren Einsatz etwa in der Schwerindustrie …",
        ),
        ("Short and whole.", "Short and whole."),
        # Cut between words just after a clause opens: before the clause, not inside it.
        (
            "A universal basic income must be set at a level that matches the allowances of "
            "the worst off so that means nobody loses out",
            "A universal basic income must be set at a level that matches the allowances of "
            "the worst off …",
        ),
    ],
)
def test_a_long_quote_is_cut_at_a_sentence_a_clause_or_a_whole_word(text: str, expected: str):
    language = "de" if "AKWs" in text else "en"
    assert shortened(text, 20, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Before the clause it opens, what is kept is whole: no ellipsis.
        (
            "A universal basic income must be set at a level that matches the allowances of "
            "the worst off so that means nobody loses out",
            "A universal basic income must be set at a level that matches the allowances of "
            "the worst off",
        ),
        # So is a whole sentence.
        (
            "Open the library on Sundays for families. The children need a quiet place to do "
            "homework and the parents a place to meet",
            "Open the library on Sundays for families.",
        ),
        # A cut after a comma or between words still says so.
        (
            "We need to rethink how we want them to function in society- rewrite the "
            "policies on housing and the way rent is set",
            "We need to rethink how we want them to function in society …",
        ),
    ],
)
def test_a_proposal_cut_where_it_is_whole_needs_no_ellipsis(text: str, expected: str):
    assert shortened(text, 20, "en", whole=True) == expected


def test_a_proposal_the_drafter_cut_ends_on_a_word_that_closes_it():
    run = german_run("Wie könnten wir sichere Radwege bauen?")
    cut = "Rethink how we want them to function in society- rewrite …"
    first = run.drafts[0]
    run.drafts[0] = first.model_copy(
        update={"proposal": [Sentence(text=cut, cites=first.proposal[0].cites)]}
    )
    markdown = handout_markdown(run, replay(run, []))
    assert "Rethink how we want them to function in society … (" in markdown
    assert "rewrite" not in markdown


def test_themes_csv_gives_each_proposal_its_own_cell_and_count_and_notes_csv_the_texts(
    tmp_path: Path,
):
    run = german_run("Wie könnten wir sichere Radwege bauen?")
    run_dir = tmp_path / "20260101T000000Z"
    write_run(run, run_dir)
    written = export_all(run_dir)
    rows = {
        r["theme_id"]: r
        for r in csv.DictReader(io.StringIO(written["themes.csv"].read_text("utf-8")))
    }
    t1 = next(d for d in run.drafts if d.theme_id == "t1")
    assert rows["t1"]["proposal"].split("\n") == [s.text for s in t1.proposal]
    for i, sentence in enumerate(t1.proposal, 1):
        assert rows["t1"][f"proposal_{i}"] == sentence.text
        assert rows["t1"][f"proposal_{i}_notes"] == str(len(set(sentence.cites)))
    assert rows["t2"]["proposal_3"] == "" and rows["t2"]["proposal_3_notes"] == ""
    assert themes_csv(run, replay(run, [])).startswith("theme_id,label,size,notes,approval")

    notes = list(csv.DictReader(io.StringIO(written["notes.csv"].read_text("utf-8"))))
    assert list(notes[0]) == [
        "note_id",
        "theme_id",
        "part_of",
        "status",
        "language",
        "text",
        "source",
        "location",
        "parent_id",
        "duplicate_of",
        "reject_reason",
    ]
    by_id = {n["note_id"]: n for n in notes}
    assert {n.id for n in run.notes} == set(by_id)
    for note in run.notes:
        row = by_id[note.id]
        assert row["language"] == note.lang
        if note.theme_id in ("t1", "t2", "t3"):
            assert (row["theme_id"], row["status"]) == (note.theme_id, "theme")
        if note.status.value == "rejected":
            assert row["status"] == "rejected" and row["reject_reason"]
    assert any(n["status"] == "unassigned" for n in notes)
    assert any(n["text"].startswith("'") for n in notes) or all(
        not n.text.startswith(("=", "+", "-", "@")) for n in run.notes
    )
    assert not any("author" in key for key in notes[0])
