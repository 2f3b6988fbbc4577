"""No note can crash drafting: every compose function is total over any text, in any language.

Property-based (Hypothesis): arbitrary unicode, punctuation only, one word, emoji, scripts the
rules do not know, very long text. Then the notes that crashed real runs ("et", "Mais", "…",
"1)", ":)"), drafted alone as a theme and inside a whole run, under each output language.
Real taggers run: spaCy's French model, HanTa for Dutch, German and English.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.config import Config
from pipeline.draft.compose import ComposingDrafter, form_of, question
from pipeline.draft.compose.checks import copies_slip
from pipeline.draft.compose.clauses import clauses
from pipeline.draft.compose.drafter import _as_proposal, without_label, workshop_labels
from pipeline.draft.compose.forms import refuses
from pipeline.draft.compose.questions import as_written, without_lone_qualifier
from pipeline.draft.compose.rules import RULES
from pipeline.draft.compose.tagging import tag
from pipeline.draft.compose.titles import noun_phrases
from pipeline.draft.compose.topics import shared_topic, topic_question
from pipeline.draft.compose.urging import urging
from pipeline.ground import match_key
from pipeline.prepare.abbreviations import rejoin, split_sentences
from pipeline.run import run_workshop
from pipeline.schema import Note, NoteStatus, Theme
from tests.test_cli import TOPICS

LANGUAGES = ["fr", "nl", "de", "en"]
ODD_NOTES = [
    "et", "…", "-", "!!!", "1)", "?", ":)", "& +", "Mais", "Car", "Puis", "Et/ou", "But",
    "Because", "Or", "and", "und", "Maar", "Of", "Want", "Sowie", "再生能源应该更便宜",
    "يجب تحسين النقل العام", "z. B.", "bzw.", "usw.", "etc.", "- no", "Kein", "Ich bin dafür",
    "Klimarat:", ": x", "wegen", "aufgrund der", "à cause de", "due to", "a, b, and",
    ", , und", "Parks, Schulen und",
]  # fmt: skip

TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from(list(".,;:!?…-–()[]\"'«»/&+=#*•")), max_size=20),
    st.text(alphabet=st.characters(whitelist_categories=("Lo", "So", "Mn")), max_size=30),
    st.sampled_from(ODD_NOTES),
    st.lists(st.sampled_from(["bzw.", "z.", "B.", "u.a", "2.", "Radwege", "mehr", "et", "de"])).map(
        " ".join
    ),
    # Compounds and their parts, which the topic rule cuts ("Energiewende" names "Energie").
    st.lists(
        st.sampled_from(["Energie", "Energiewende", "Fernwärme", "Wärme", "energie", "-", "s"])
    ).map(" ".join),
)
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_clauses_titles_and_questions_are_total(language: str) -> None:
    @SETTINGS
    @given(TEXT)
    @example("x" * 5000)
    @example("Mehr Radwege bzw. Busspuren " * 60)
    @example("Le sinon")  # a connective tagged as a noun heads a phrase: it ends
    def check(text: str) -> None:
        words = tag(text, language)
        clauses(words, language)
        refuses(words, language)
        for phrase in noun_phrases(words, language):
            assert phrase, "a noun phrase has words"
        form = form_of(text, language)
        if form is not None:
            asked = question(form, language)
            assert asked.startswith(RULES[language].stem)
            # Headed by its own nouns, no qualifier shared: the question stays a question.
            heading = [match_key(w.lemma or w.text) for w in form.words if w.pos == "NOUN"]
            narrower = without_lone_qualifier(form, heading[:1], lambda w: False, language)
            assert question(narrower, language).startswith(RULES[language].stem)
        _as_proposal(text, "", language)
        urged = urging(words, language)
        assert urged is None or set(map(id, urged)) <= set(map(id, words))
        assert isinstance(as_written(text, words, language), str)
        assert isinstance(copies_slip(text, language), bool)
        labels = workshop_labels([text] * 6)
        assert without_label(text, labels) in text
        # A unit of five such notes: the thing they name, if any, makes a question.
        topic = shared_topic([(f"n{i}", words) for i in range(5)], language)
        if topic is not None:
            assert topic_question(topic, language).startswith(RULES[language].stem)

    check()


@SETTINGS
@given(TEXT, st.sampled_from(LANGUAGES))
def test_sentences_split_and_join_back_to_the_same_words(text: str, language: str) -> None:
    pieces = split_sentences(text, language)
    assert " ".join(pieces).split() == text.split()
    assert " ".join(rejoin(pieces, language)).split() == text.split()


def _note(i: int, text: str, lang: str) -> Note:
    return Note(
        id=f"n{i}", text=text, original_text=text, source="odd.csv", location=f"row {i}", lang=lang
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_theme_of_odd_notes_gets_a_draft_in_every_language(language: str) -> None:
    langs = ["fr", "de", "en", "nl", "zh", "ar"]
    notes = {
        n.id: n for i, text in enumerate(ODD_NOTES) for n in [_note(i, text, langs[i % len(langs)])]
    }
    theme = Theme(
        id="T01",
        label="odd",
        note_ids=list(notes),
        size=len(notes),
        languages={},
        keyphrases=[],
        representative_ids=[],
    )
    rng = np.random.default_rng(0)
    vectors = {note_id: rng.normal(size=8) for note_id in notes}
    for drafter in (
        ComposingDrafter(),
        ComposingDrafter(vectors, lambda t: rng.normal(size=(len(t), 8))),
    ):
        draft = drafter.draft(theme, notes, language)
        assert draft.title.text and draft.challenge.text
        assert draft.cited_ids() <= set(notes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_run_with_odd_notes_finishes_in_every_language(
    tmp_path: Path, language: str
) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    texts = [text for topic in ("feedback", "ai") for _, text in TOPICS[topic]] + ODD_NOTES
    rows = ["Note"] + ['"' + text.replace('"', '""') + '"' for text in texts]
    (folder / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    result, run_dir = run_workshop(folder, Config(), tmp_path / "runs", language=language)

    assert (run_dir / "report.html").exists()
    kept = [n for n in result.notes if n.status is not NoteStatus.REJECTED and n.parent_id is None]
    placed = {i for t in result.themes for i in t.note_ids}
    assert all(n.id in placed or n.theme_id in {None, "unassigned"} for n in kept)
    assert len(result.drafts) >= len(result.themes)
