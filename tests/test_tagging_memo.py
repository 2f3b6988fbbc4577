"""What the tagger and the grammar checker remember changes no result: HanTa's analysis of a
word, a text's finished words and a sentence's grammar errors are each computed once."""

from __future__ import annotations

import pytest

from pipeline import memo
from pipeline.draft.compose import grammar, tagging
from pipeline.draft.compose.tagging import tag, tag_many

SENTENCES = [
    "Die Radwege in der Stadt müssen sicherer werden",
    "Sichere Radwege für Kinder in der Stadt bauen",
    "Stelle den Wecker früher ein",
]


def test_hanta_remembering_words_tags_as_hanta_alone() -> None:
    from HanTa import HanoverTagger

    alone = HanoverTagger.HanoverTagger(tagging.HANTA_MODELS["de"])
    remembering = tagging._hanta_tagger("de")
    assert remembering._tag_word.cache_info() is not None  # the memo is in place
    for sentence in [*SENTENCES, *SENTENCES]:  # the second time from what it remembers
        words = sentence.split()
        assert remembering.tag_sent(words, taglevel=1) == alone.tag_sent(words, taglevel=1)
    assert remembering._tag_word.cache_info().hits > 0


def test_finished_words_are_built_again_from_a_new_memo_entry(monkeypatch) -> None:
    first = tag_many(SENTENCES, ["de"] * 3)
    again = tag_many(SENTENCES, ["de"] * 3)
    assert again == first
    again[0].clear()  # a caller's list is its own
    assert tag(SENTENCES[0], "de") == first[0]
    # A memo whose entry differs (another process's, another tagger's): its words are used.
    kind = f"tags/de/{tagging._tagger_version('de')}/{tagging.TAG_VERSION}"
    monkeypatch.setattr(memo, "_memory", {})
    changed = [w.to_json() for w in first[2]]
    changed[0][2] = "NOUN"
    memo.IN_MEMORY.remember(kind, {SENTENCES[2]: changed})
    assert tag(SENTENCES[2], "de")[0].pos == "NOUN"
    assert tag(SENTENCES[1], "de") == first[1]  # tagged afresh: the same


@pytest.mark.skipif(not grammar.available(), reason="Grammalecte is not installed")
def test_grammar_errors_remembered_are_the_checkers_and_the_callers_own() -> None:
    text = "Comment pourrions-nous arreter les impôts sur le revenus ?"
    fresh_errors, fresh_misspelt = grammar._errors.__wrapped__(text)
    first = grammar.french_grammar_errors(text)
    assert first
    first.clear()
    assert grammar.french_grammar_errors(text) == list(fresh_errors) != []
    words = grammar.french_misspelt(text)
    assert words == ["arreter"]
    words.clear()
    assert grammar.french_misspelt(text) == list(fresh_misspelt) == ["arreter"]
