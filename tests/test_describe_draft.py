"""Describing themes and extractive drafting on a small hand-written workshop."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import DescribeConfig
from pipeline.describe import class_tfidf, describe_themes, representatives
from pipeline.draft import draft_themes
from pipeline.draft.extractive import shorten
from pipeline.draft.phrases import CHALLENGE_OPENINGS
from pipeline.embed import create_embedder
from pipeline.schema import Note

NOTES = [
    ("fr", "Former les agents publics à l'écoute active des citoyens", 0),
    ("fr", "Formation des agents à l'animation de réunions participatives", 0),
    ("nl", "Ambtenaren opleiden in actief luisteren naar burgers", 0),
    ("de", "Schulung der Mitarbeitenden in Moderation und Zuhören", 0),
    ("en", "Train public agents in facilitation and active listening", 0),
    ("fr", "Former les agents à la facilitation", 0),
    ("fr", "Informer les participants de ce que sont devenues leurs idées", 1),
    ("fr", "Un retour systématique aux participants après chaque consultation", 1),
    ("nl", "Deelnemers laten weten wat er met hun ideeën gebeurd is", 1),
    ("de", "Rückmeldung an die Teilnehmenden nach jeder Beteiligung", 1),
    ("en", "Close the feedback loop with participants", 1),
    ("en", "Tell participants what happened with their input", 1),
]


@pytest.fixture(scope="module")
def workshop():
    notes = [
        Note(
            id=f"n{i:02d}",
            text=t,
            original_text=t,
            source="s.csv",
            location=f"row {i + 2}",
            lang=lang,
        )
        for i, (lang, t, _) in enumerate(NOTES)
    ]
    embeddings = create_embedder("use-m3").embed([n.text for n in notes])
    labels = [label for _, _, label in NOTES]
    return notes, labels, embeddings


def test_themes_have_keyphrases_representatives_and_language_mix(workshop):
    notes, labels, embeddings = workshop
    themes = describe_themes(
        notes, labels, embeddings, DescribeConfig(n_keyphrases=5, n_representatives=3)
    )
    assert [t.id for t in themes] == ["T01", "T02"]
    training, feedback = themes
    assert training.size == 6 and training.languages == {"fr": 3, "nl": 1, "de": 1, "en": 1}
    assert "agent" in training.keyphrases
    assert any("participant" in k for k in feedback.keyphrases)
    assert all(
        k not in ("les", "de", "the", "à") for k in training.keyphrases + feedback.keyphrases
    )
    assert set(training.representative_ids) <= set(training.note_ids)
    assert len(training.representative_ids) == 3


def test_class_tfidf_prefers_distinctive_terms():
    classes = {
        0: [["charter", "citizen"], ["charter", "washing"], ["charter", "citizen"]],
        1: [["law", "citizen"], ["law", "decree"], ["law", "citizen"]],
    }
    top = class_tfidf(classes, top=1)
    assert top == {0: ["charter"], 1: ["law"]}


def test_keyphrases_do_not_repeat_a_word():
    classes = {
        0: [
            ["communauté pratique", "communauté commune", "canal"],
            ["communauté pratique", "communauté commune", "canal"],
            ["communauté pratique", "communauté"],
        ],
        1: [["law", "decree"]] * 2,
    }
    assert class_tfidf(classes, top=3)[0] == ["communauté pratique", "canal"]


def test_representatives_are_diverse():
    vectors = np.array([[1, 0], [0.99, 0.14], [0.98, 0.2], [0.8, 0.6]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    picked = representatives(vectors, [0, 1, 2, 3], k=2, diversity=0.5)
    assert picked[0] in (0, 1, 2)
    assert 3 in picked  # the one that differs, not a second near-copy


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_extractive_drafts_cite_their_own_theme_in_the_output_language(workshop, language):
    notes, labels, embeddings = workshop
    themes = describe_themes(notes, labels, embeddings, DescribeConfig())
    drafts = draft_themes(themes, notes, language, "extractive")
    assert len(drafts) == len(themes)
    for theme, draft in zip(themes, drafts, strict=True):
        assert draft.language == language
        assert draft.challenge.text.startswith(CHALLENGE_OPENINGS[language])
        assert draft.cited_ids() <= set(theme.note_ids)
        assert all(s.cites for s in [draft.title, draft.challenge, *draft.proposal])
        lead = next(n for n in notes if n.id == draft.challenge.cites[0])
        assert shorten(lead.text)[:20] in draft.challenge.text
        if lead.lang == language:
            assert not any("translate" in f for f in draft.flags)


def test_challenge_flags_a_quote_in_another_language(workshop):
    notes, labels, embeddings = workshop
    english_only = [n for n, label in zip(notes, labels, strict=True) if n.lang == "en"]
    idx = [i for i, n in enumerate(notes) if n.lang == "en"]
    themes = describe_themes(
        english_only, [labels[i] for i in idx], embeddings[idx], DescribeConfig()
    )
    draft = draft_themes(themes, english_only, "fr", "extractive")[0]
    assert "(en)" in draft.challenge.text
    assert any("translate" in flag for flag in draft.flags)


def test_shorten():
    assert shorten("a b c.", 5) == "a b c"
    assert shorten(" ".join(["w"] * 30), 25) == " ".join(["w"] * 25) + " …"
