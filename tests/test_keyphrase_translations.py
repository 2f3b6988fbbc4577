"""A keyphrase and its translations in the room's other languages count as one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.config import Config, DescribeConfig
from pipeline.describe import (
    TERM_MODEL,
    TRANSLATION_SIMILARITY,
    Keyphrase,
    TermVectors,
    describe_themes,
    fold_translations,
    shown_keyphrases,
)
from pipeline.draft import draft_themes
from pipeline.embed import create_embedder
from pipeline.report import render_html
from pipeline.report.markdown import render_markdown
from pipeline.review.actions import apply_action, initial_state, reviewed_themes
from pipeline.run import keyphrase_vectors
from pipeline.schema import ActionKind, Note, ReviewAction, Theme
from tests.factories import build_run_result

# One theme about a monthly follow-up meeting, written in four languages, and one about
# training staff, so that c-TF-IDF has something to set the first theme against.
NOTES = [
    ("fr", "Une réunion de suivi tous les mois avec les habitants", 0),
    ("fr", "Publier le compte rendu chaque mois sur le site", 0),
    ("fr", "Un point d'étape tous les six mois", 0),
    ("nl", "Elke maand een opvolgvergadering met de bewoners", 0),
    ("nl", "Na drie maanden laten weten wat er met de ideeën gebeurd is", 0),
    ("nl", "Om de zes maanden een terugkoppeling", 0),
    ("en", "A follow-up meeting every few months", 0),
    ("en", "Report back to residents after three months", 0),
    ("de", "Alle drei Monate ein Treffen zur Rückmeldung", 0),
    ("fr", "Former les agents à l'animation de réunions", 1),
    ("nl", "Ambtenaren opleiden in het leiden van vergaderingen", 1),
    ("en", "Train staff in facilitation", 1),
    ("de", "Schulung der Mitarbeitenden in Moderation", 1),
]


@pytest.fixture(scope="module")
def workshop() -> tuple[list[Note], list[int], np.ndarray]:
    notes = [
        Note(
            id=f"n{i:02d}", text=t, original_text=t, source="s.csv", location=f"row {i}", lang=lang
        )
        for i, (lang, t, _) in enumerate(NOTES)
    ]
    embeddings = create_embedder("use-m3").embed([n.text for n in notes])
    return notes, [label for _, _, label in NOTES], embeddings


@pytest.fixture(scope="module")
def words() -> TermVectors:
    """The real term embedder, without a cache."""
    return create_embedder(TERM_MODEL).embed


def _candidate(term: str, language: str, count: int = 2) -> Keyphrase:
    return Keyphrase(
        term=term,
        count=count,
        total=count,
        theme_terms=40,
        average_terms=40.0,
        notes=count,
        language=language,
        notes_by_language={language: count},
        shared=True,
    )


def _vectors(pairs: dict[str, list[float]]) -> dict[str, np.ndarray]:
    return {t: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for t, v in pairs.items()}


def test_translations_fold_into_the_best_ranked_one_and_count_as_one_term():
    close = [1.0, 0.1, 0.0]  # cosine with [1, 0, 0] about 0.995
    vectors = _vectors({"mois": [1, 0, 0], "maanden": close, "months": close, "budget": [0, 1, 0]})
    candidates = [
        _candidate("mois", "fr", 3),
        _candidate("budget", "fr", 2),
        _candidate("maanden", "nl", 2),
        _candidate("months", "en", 1),
    ]
    folded = fold_translations(candidates, vectors)
    assert [k.term for k in folded] == ["mois", "budget"]
    mois = folded[0]
    assert mois.translations == ["maanden", "months"]
    assert (mois.count, mois.total, mois.notes) == (6, 6, 6)
    # Weighed as one term: its uses summed, here and in all notes.
    assert mois.weight == pytest.approx((6 / 40) * np.log(1 + 40 / 6))


BELOW = float(np.cos(np.arccos(TRANSLATION_SIMILARITY) + 0.05))
"""A cosine just under the threshold."""


@pytest.mark.parametrize(
    ("second", "language", "vector"),
    [
        ("transparent", "en", [1, 0.02]),  # as close as a translation, but the same language
        ("undurchsichtig", "de", [BELOW, np.sqrt(1 - BELOW**2)]),  # not close enough
        ("opaque algorithm", "fr", [1, 0.01]),  # shares a word: the bigram rule's business
    ],
)
def test_words_that_are_not_translations_stay_apart(second, language, vector):
    vectors = _vectors({"opaque": [1, 0], second: vector})
    folded = fold_translations([_candidate("opaque", "en"), _candidate(second, language)], vectors)
    assert [(k.term, k.translations) for k in folded] == [("opaque", []), (second, [])]


def test_a_group_takes_one_word_per_language():
    vectors = _vectors({"month": [1, 0, 0], "mois": [1, 0.01, 0], "mensuel": [1, 0.02, 0]})
    folded = fold_translations(
        [_candidate("month", "en"), _candidate("mois", "fr"), _candidate("mensuel", "fr")],
        vectors,
    )
    assert {k.term: k.translations for k in folded} == {"month": ["mois"], "mensuel": []}


def test_a_theme_in_four_languages_gets_one_keyphrase_for_months(workshop, words):
    notes, labels, embeddings = workshop
    config = DescribeConfig(n_keyphrases=8)
    plain = describe_themes(notes, labels, embeddings, config)[0]
    folded = describe_themes(notes, labels, embeddings, config, term_vectors=words)[0]
    month_words = {"mois", "maand", "maanden", "month", "monat", "monate"}
    assert len(month_words & set(plain.keyphrases)) >= 2  # the concept took several slots
    kept = [k for k in folded.keyphrases if k in month_words]
    assert len(kept) == 1
    assert set(folded.keyphrase_translations[kept[0]]) & month_words
    assert folded.label.split(" · ")[0] == kept[0]  # the concept the notes share leads
    # Nothing else in the theme was folded into a word it does not translate.
    for head, others in folded.keyphrase_translations.items():
        assert head in month_words | {"réunion", "meeting", "vergadering", "suivi", "follow"}
        assert others


def test_the_composed_title_is_said_in_the_output_language(workshop, words):
    notes, labels, embeddings = workshop
    themes = describe_themes(notes, labels, embeddings, DescribeConfig(), term_vectors=words)
    by_id = {n.id: n for n in notes}
    for language in ("fr", "en"):
        draft = draft_themes(themes[:1], notes, language, "compose")[0]
        assert "·" not in draft.title.text
        assert by_id[draft.title.cites[0]].lang == language, (language, draft.title.text)


def test_reports_and_review_show_the_translations():
    result = build_run_result()
    first, second = result.themes[0], result.themes[1]
    first.keyphrase_translations = {first.keyphrases[0]: ["überzetzt", "vertaald"]}
    second.keyphrase_translations = {second.keyphrases[0]: ["traduit"]}
    shown = f"{first.keyphrases[0]} / überzetzt / vertaald"
    assert shown_keyphrases(first)[0] == shown
    assert shown in render_markdown(result)
    assert shown in render_html(result)
    # The review keeps them through its own state, and a merge unions them.
    state = initial_state(result)
    assert reviewed_themes(state, result)[0].keyphrase_translations == (
        first.keyphrase_translations
    )
    merge = ReviewAction(kind=ActionKind.MERGE, theme_ids=[first.id, second.id])
    apply_action(state, merge, who="ana", at="")
    merged = reviewed_themes(state, result)[0]
    assert merged.keyphrase_translations == {
        **first.keyphrase_translations,
        **second.keyphrase_translations,
    }


def test_the_run_turns_folding_off_with_the_setting(tmp_path):
    config = Config()
    config.embed.cache_dir = tmp_path
    assert keyphrase_vectors(config) is not None
    config.describe.fold_translations = False
    assert keyphrase_vectors(config) is None


def test_themes_written_before_translations_still_load():
    old = {
        "id": "T01",
        "label": "mois",
        "note_ids": ["a"],
        "size": 1,
        "languages": {"fr": 1},
        "keyphrases": ["mois"],
        "representative_ids": ["a"],
    }
    assert Theme.model_validate(old).keyphrase_translations == {}


def test_the_review_pages_show_the_translations(tmp_path):
    from fastapi.testclient import TestClient

    from pipeline.report import write_run
    from pipeline.review.app import create_app

    result = build_run_result()
    theme = result.themes[0]
    theme.keyphrase_translations = {theme.keyphrases[0]: ["vertaald"]}
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(result, folder)
    client = TestClient(create_app(folder), base_url="http://127.0.0.1:8765")
    shown = f"{theme.keyphrases[0]} / vertaald"
    assert shown in client.get("/").text
    assert shown in client.get(f"/themes/{theme.id}").text


def test_a_language_model_is_shown_every_word_of_a_keyphrase(workshop, words):
    """So that it can write the output language's word."""
    from pipeline.draft.llm import build_prompt, load_prompt

    notes, labels, embeddings = workshop
    theme = describe_themes(notes, labels, embeddings, DescribeConfig(), term_vectors=words)[0]
    head, others = next(iter(theme.keyphrase_translations.items()))
    prompt = build_prompt(load_prompt("fr"), theme, {n.id: n for n in notes}, "fr")
    text = "\n".join(m["content"] for m in prompt.messages)
    assert " / ".join([head, *others]) in text


def test_recurring_challenges_count_a_concept_once_across_workshops():
    from pipeline.recurring import shared_keyphrases
    from pipeline.schema import RecurringTheme

    def member(workshop, size, keyphrases, translations):
        return RecurringTheme(
            workshop=workshop,
            theme_id="T01",
            label=keyphrases[0],
            size=size,
            keyphrases=keyphrases,
            keyphrase_translations=translations,
            run_dir=f"runs/{workshop}/1",
        )

    members = [
        member("liege", 10, ["budget", "mois"], {"mois": ["maanden"]}),
        member("gent", 8, ["maanden", "begroting"], {"maanden": ["months"]}),
        member("bonn", 6, ["monate", "haushalt"], {}),  # a run that folded nothing
    ]
    shared = shared_keyphrases(members)
    # mois (10/2 = 5) and maanden (8/1 = 8) are one concept, 13, named by its best word.
    assert shared[0] == "maanden"
    assert "mois" not in shared and "months" not in shared
    assert shared[1:] == ["budget", "monate", "begroting", "haushalt"]
    # Without translations, every word stands alone, as before.
    plain = [m.model_copy(update={"keyphrase_translations": {}}) for m in members]
    assert shared_keyphrases(plain) == [
        "budget",
        "maanden",
        "monate",
        "mois",
        "begroting",
        "haushalt",
    ]


def test_a_concept_is_named_in_the_drafts_language_when_it_has_a_word_in_it():
    close = [1.0, 0.1, 0.0]
    vectors = _vectors({"maanden": [1, 0, 0], "mois": close, "months": close})
    candidates = [
        _candidate("maanden", "nl", 3),
        _candidate("mois", "fr", 2),
        _candidate("months", "en", 1),
    ]
    named = {
        prefer: (k.term, k.translations)
        for prefer in ("fr", "en", "de", None)
        for k in fold_translations(candidates, vectors, prefer)
    }
    assert named == {
        "fr": ("mois", ["maanden", "months"]),
        "en": ("months", ["maanden", "mois"]),
        "de": ("maanden", ["mois", "months"]),  # no German word: the best-ranked one
        None: ("maanden", ["mois", "months"]),
    }


def test_a_concept_is_named_by_the_word_the_drafts_language_uses_most():
    # English notes write "participation" more than French ones do, so the word counts as
    # English; French notes still use it more than "participatif".
    vectors = _vectors({"participation": [1, 0], "participatif": [1, 0.05]})
    participation = replace(
        _candidate("participation", "en", 7), notes_by_language={"en": 4, "fr": 3}
    )
    participatif = replace(_candidate("participatif", "fr", 1), notes_by_language={"fr": 1})
    (french,) = fold_translations([participation, participatif], vectors, "fr")
    assert (french.term, french.translations) == ("participation", ["participatif"])
    assert french.notes_by_language == {"en": 4, "fr": 4}
    (dutch,) = fold_translations([participation, participatif], vectors, "nl")
    assert dutch.term == "participation"  # no Dutch word: the best-ranked one


def test_a_theme_label_takes_the_drafts_language(workshop, words):
    notes, labels, embeddings = workshop
    config = DescribeConfig()
    for language, word in (("fr", "mois"), ("nl", "maand"), ("en", "month")):
        theme = describe_themes(
            notes, labels, embeddings, config, term_vectors=words, language=language
        )[0]
        assert theme.label.split(" · ")[0].startswith(word), (language, theme.label)
        assert theme.keyphrases[0].startswith(word)


def test_a_keyphrase_does_not_repeat_a_word_of_anothers_translations():
    from pipeline.describe import pick

    algorithme = replace(_candidate("algorithme", "fr", 5), translations=["algorithm"])
    scored = [algorithme, _candidate("algorithm decide", "en", 3), _candidate("opaque", "en")]
    assert [k.term for k in pick(scored, 3)] == ["algorithme", "opaque"]


def test_a_keyphrase_cites_the_notes_that_use_any_of_its_words(workshop, words):
    notes, labels, embeddings = workshop
    theme = describe_themes(
        notes, labels, embeddings, DescribeConfig(), term_vectors=words, language="fr"
    )[0]
    assert theme.keyphrases[0] == "mois"
    assert any(w.startswith("maand") for w in theme.keyphrase_translations["mois"])
    draft = draft_themes([theme], notes, "fr", "compose")[0]
    assert draft.cited_ids() <= set(theme.note_ids)
