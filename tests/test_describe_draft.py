"""Describing themes and composing drafts on a small hand-written workshop."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import DescribeConfig, DraftConfig
from pipeline.describe import class_tfidf, describe_themes, representatives
from pipeline.draft import draft_all
from pipeline.draft.compose import CHALLENGE_OPENINGS
from pipeline.draft.compose.drafter import ANSWERING, MIN_PROPOSALS, _as_proposal, repeats
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


# How a flag that no note in the output language can word something begins, in that language.
NO_NOTE_IN = {
    "fr": "aucune note en",
    "nl": "geen notitie in",
    "de": "keine Notiz auf",
    "en": "no note in",
}


def _drafts(themes, notes, embeddings, language, ids=None):
    ids = ids or [n.id for n in notes]
    vectors = dict(zip(ids, embeddings, strict=True))
    return draft_all(themes, notes, language, DraftConfig(), vectors)[0]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_composed_drafts_ask_a_question_in_the_output_language(workshop, language):
    notes, labels, embeddings = workshop
    themes = describe_themes(notes, labels, embeddings, DescribeConfig())
    drafts = _drafts(themes, notes, embeddings, language)
    assert len(drafts) == len(themes)
    for theme, draft in zip(themes, drafts, strict=True):
        assert draft.language == language and draft.drafter == "compose"
        question = draft.challenge.text
        assert question.startswith(CHALLENGE_OPENINGS[language]) and question.endswith("?")
        assert not any(q in question for q in '«»“”„"')  # no quoted note
        assert 6 <= len(question.split()) <= 30
        assert "·" not in draft.title.text and len(draft.title.text.split()) <= 8
        assert draft.cited_ids() <= set(theme.note_ids)
        assert all(s.cites for s in [draft.title, draft.challenge, *draft.proposal])
        lead = next(n for n in notes if n.id == draft.challenge.cites[0])
        assert lead.lang == language  # every theme here has notes in each language
        assert not any(NO_NOTE_IN[language] in f for f in draft.flags)
        assert 3 <= len(draft.proposal) <= 6
        proposals = list(draft.proposal)
        own = next(
            (k for k, p in enumerate(proposals) if p.cites[:1] == draft.challenge.cites[:1]), None
        )
        # The question's own idea, said in the question's words, comes after the answers
        # (fourth): the ranking below is checked on the others.
        moved = own == MIN_PROPOSALS and repeats(
            proposals[MIN_PROPOSALS].text, [question, draft.title.text], language
        )
        if moved:
            proposals.pop(MIN_PROPOSALS)
        counts = [len(s.cites) for s in proposals]
        # Ranked by support; the question's idea may lead with half the best support, so
        # that the first proposal names what the question asks; the next ``ANSWERING``
        # are ideas several notes back, closest to the question; an idea of one note
        # never comes before one several notes share, but one in another language that
        # says a listed one again comes after them all.
        voice = {n.id: n.lang for n in notes}
        said = [voice[s.cites[0]] == language for s in proposals]
        while len(said) > 1 and not said[-1]:
            said.pop()  # translations, last
        rest = counts[0 if moved else 1 : len(said)]
        assert rest == [c for c in rest if c > 1] + [c for c in rest if c == 1]
        assert rest[ANSWERING:] == sorted(rest[ANSWERING:], reverse=True)
        if moved:
            continue
        assert counts[0] >= max(counts) / 2 and counts[0] > 1
        if counts[0] < max(counts):
            asked = set(draft.challenge.cites)
            assert asked & set(proposals[0].cites)


def test_the_same_idea_in_four_languages_is_one_proposal_said_in_the_output_language(workshop):
    notes, labels, embeddings = workshop
    themes = describe_themes(notes, labels, embeddings, DescribeConfig())
    training = next(t for t in themes if "n00" in t.note_ids)
    draft = _drafts([training], notes, embeddings, "fr")[0]
    # The question's own idea (listed after the answers where it says the question again).
    top = next(p for p in draft.proposal if p.cites[:1] == draft.challenge.cites[:1])
    by_id = {n.id: n for n in notes}
    assert len(top.cites) >= 2 and len({by_id[i].lang for i in top.cites}) >= 2
    assert by_id[top.cites[0]].lang == "fr" and "(" not in top.text


def test_a_challenge_only_another_language_can_word_is_flagged(workshop):
    notes, labels, embeddings = workshop
    english_only = [n for n, label in zip(notes, labels, strict=True) if n.lang == "en"]
    idx = [i for i, n in enumerate(notes) if n.lang == "en"]
    themes = describe_themes(
        english_only, [labels[i] for i in idx], embeddings[idx], DescribeConfig()
    )
    draft = _drafts(themes, english_only, embeddings[idx], "fr")[0]
    assert draft.challenge.text.startswith("How might we")
    # Flagged in the draft's language: a French reviewer reads it.
    assert any("aucune note en «\u00a0fr\u00a0»" in flag for flag in draft.flags)
    assert all(s.text.endswith("(en)") for s in draft.proposal)


def test_a_note_becomes_a_proposal_line():
    assert _as_proposal("- crèche sur place\n- horaires variés") == "Crèche sur place"
    assert _as_proposal("close the feedback loop!!") == "Close the feedback loop"
    assert _as_proposal(" ".join(["mot"] * 30)).endswith(" …")


def test_a_proposal_line_is_the_sentence_its_idea_was_read_from():
    # The idea "ban boxing and its variations" is read from the note's second sentence,
    # its words reordered: the line is that sentence, not the note's opening agreement.
    note = "I agree with Gladwell. Boxing and its variations (e.g., Kickboxing) need to be banned."
    assert _as_proposal(note, "ban Boxing and its variations", "en").startswith("Boxing and")
    # A clause no sentence holds most of keeps the first sentence.
    assert _as_proposal(note, "lower taxes", "en") == "I agree with Gladwell"


def test_the_question_speaks_of_what_the_title_names():
    """A theme about sham consultation that also caught two childcare notes: the question is
    about sham consultation, as its title is, not about the childcare proposal."""
    from pipeline.schema import Theme

    texts = [
        "Stop à la concertation de façade",
        "stop à la concertation de façade",
        "Les citoyens ne sont pas dupes, ils sentent quand tout est ficelé d'avance",
        "Consultation alibi : la décision est déjà prise",
        "Transparence sur ce qui a déjà été décidé avant l'atelier",
        "Garde d'enfants pendant les ateliers",
        "crèche sur place",
    ]
    notes = [
        Note(id=f"c{i}", text=t, original_text=t, source="s.csv", location=f"row {i}", lang="fr")
        for i, t in enumerate(texts)
    ]
    embedder = create_embedder("use-m3")
    vectors = dict(zip([n.id for n in notes], embedder.embed(texts), strict=True))
    theme = Theme(
        id="T1",
        label="façade",
        note_ids=[n.id for n in notes],
        size=len(notes),
        languages={"fr": len(notes)},
        keyphrases=["concertation", "façade"],
        representative_ids=["c0", "c2", "c5"],
    )
    draft = draft_all([theme], notes, "fr", DraftConfig(), vectors, embedder.embed)[0][0]
    assert "concertation" in draft.title.text.lower()
    assert "enfants" not in draft.challenge.text and "crèche" not in draft.challenge.text
    assert draft.challenge.text == "Comment pourrions-nous remédier à la concertation de façade ?"


@pytest.mark.parametrize(("language", "label"), [("fr", "Thème 1"), ("de", "Thema 1")])
def test_a_theme_without_keyphrases_is_numbered_in_the_runs_language(
    language: str, label: str
) -> None:
    texts = ["我覺得計程車身一定要塗裝成黃色的。", "我覺得 UberX 的司機都應該先考取職業駕駛執照。"]
    notes = [
        Note(id=f"n{i}", text=t, original_text=t, source="s.csv", location=str(i), lang="zh")
        for i, t in enumerate(texts)
    ]
    themes = describe_themes(notes, [0, 0], np.eye(2), DescribeConfig(), language=language)
    assert themes[0].keyphrases == [] and themes[0].label == label


def test_verbs_that_say_how_are_never_keyphrases():
    """ "falloir · prendre · pouvoir" named a French theme: such verbs are no topic."""
    from pipeline.nlp import lemmas_many

    texts = [
        "Il faut prendre des mesures pour pouvoir protéger les haies",
        "Wir müssen die Hecken schützen können",
        "We should make the hedges a protected habitat",
    ]
    found = lemmas_many(texts, ["fr", "de", "en"])
    assert "haie" in found[0] and "hecke" in found[1] and "hedge" in found[2]
    for lemmas in found:
        assert not {"falloir", "prendre", "pouvoir", "müssen", "können", "make"} & set(lemmas)


def test_one_notes_words_fill_a_themes_keyphrases_only_while_it_has_few():
    """Words one note uses, alphabetical among equals ("aufwändig · bagger"), say nothing of
    a theme: after the words several notes share, they fill at most the first few chips."""
    from pipeline.describe import LONE_KEYPHRASES

    shared_by_four = [["steuer", "vermögen"], ["steuer", "erbe"], ["steuer"], ["vermögen"]]
    lone = [["aufwändig"], ["bagger"], ["beton"], ["dach"], ["zement"]]
    classes = {0: shared_by_four + lone, 1: [["wind"], ["wind"], ["rad"]]}
    assert class_tfidf(classes, top=8)[0] == ["steuer", "vermögen", "aufwändig"]
    # A theme whose notes share no word still shows a few of them.
    classes = {0: lone, 1: [["wind"], ["wind"], ["rad"]]}
    assert len(class_tfidf(classes, top=8)[0]) == LONE_KEYPHRASES


def test_the_german_je_desto_is_no_keyphrase():
    from pipeline.nlp import lemmas_many

    texts = ["Je mehr Autos jemand besitzt, desto höher muss die Steuer sein"] * 2
    assert not {"desto", "je"} & {w for lemmas in lemmas_many(texts, ["de", "de"]) for w in lemmas}
