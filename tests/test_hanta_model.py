"""HanTa's tagger with its word transitions kept compact tags as HanTa's own, whether it
was built from HanTa's file or loaded from the compact copy written then."""

from __future__ import annotations

import pickle

import pytest
from HanTa import HanoverTagger

from pipeline.draft.compose import hanta_model
from pipeline.draft.compose.hanta_model import (
    Transitions,
    _from_copy,
    _Tie,
    _viterbi,
    load_tagger,
    tag_sent_viterbi,
)

MODEL = "morphmodel_en.pgz"  # the smallest: the same code loads the Dutch one
SENTENCES = [
    "We need a cycle lane separated from the road to the station",
    "Young people are never invited to the decisions that concern them",
    "Stop the cars",
]


def test_compact_transitions_are_hantas_table() -> None:
    own = HanoverTagger.HanoverTagger(MODEL).LP_trans_word
    compact = Transitions.of(own)
    assert compact is not None and len(compact) == len(own)
    for state, row in own.items():
        assert list(compact[state].items()) == list(row.items())  # order and floats
    again = pickle.loads(pickle.dumps(compact))
    state = next(iter(own))
    assert list(again[state].items()) == list(own[state].items())
    with pytest.raises(KeyError):
        compact[(-99, -99)]


def test_a_tagger_from_the_file_and_from_the_copy_tag_as_hanta(tmp_path) -> None:
    own = HanoverTagger.HanoverTagger(MODEL)
    built = load_tagger(MODEL, tmp_path)
    assert isinstance(built.LP_trans_word, Transitions)
    (copy,) = tmp_path.iterdir()  # written by a child process, for the next process
    assert _from_copy(copy) is not None  # and it loads (its classes importable by name)
    loaded = load_tagger(MODEL, tmp_path)
    assert isinstance(loaded.LP_trans_word, Transitions)
    assert own.strict is built.strict is loaded.strict is False
    for sentence in SENTENCES:
        words = sentence.split()
        for level in (1, 3):
            expected = own.tag_sent(words, taglevel=level)
            assert built.tag_sent(words, taglevel=level) == expected
            assert loaded.tag_sent(words, taglevel=level) == expected


def test_a_damaged_copy_is_set_aside_for_hantas_file(tmp_path) -> None:
    load_tagger(MODEL, tmp_path)
    (copy,) = tmp_path.iterdir()
    copy.write_bytes(b"not a pickle")
    tagger = load_tagger(MODEL, tmp_path)
    words = SENTENCES[0].split()
    assert tagger.tag_sent(words) == HanoverTagger.HanoverTagger(MODEL).tag_sent(words)


def test_the_quick_viterbi_keeps_hantas_reserved_tags_and_bounds() -> None:
    assert (hanta_model.EMPTY, hanta_model.START, hanta_model.END, hanta_model.UNKNOWN) == (
        HanoverTagger.EMPTY,
        HanoverTagger.START,
        HanoverTagger.END,
        HanoverTagger.UNKNOWN,
    )


def test_the_quick_viterbi_tags_as_hantas_own(tmp_path) -> None:
    own = HanoverTagger.HanoverTagger.tag_sent_viterbi
    for tagger in (HanoverTagger.HanoverTagger(MODEL), load_tagger(MODEL, tmp_path)):
        for sentence in [
            *SENTENCES,
            "Xqzvbnk plorf",  # unknown words: every tag may follow
            "Cycle",
            "We need more benches , trees and shade in the park near the school !",
        ]:
            words = sentence.split()
            assert tag_sent_viterbi(tagger, words) == own(tagger, words)
            assert tag_sent_viterbi(tagger, words, casesensitive=False) == own(tagger, words, False)
        hanta_model.use_quick_viterbi(tagger)
        assert tagger.tag_sent(SENTENCES[0].split()) == HanoverTagger.HanoverTagger(MODEL).tag_sent(
            SENTENCES[0].split()
        )


def test_where_two_paths_tie_hantas_own_decides() -> None:
    """A French note read as Dutch: two paths reach a state with the same log probability,
    and HanTa keeps the first it meets; the quick Viterbi hands the sentence over."""
    from pipeline.draft.compose.tagging import _hanta_tagger, _tokens

    tagger = _hanta_tagger("nl")
    text = "Les îles de l'Afrique de l'Est se situent dans l'océan Indien, au large de la côte."
    words = [token for token, _ in _tokens(text)]
    with pytest.raises(_Tie):
        _viterbi(tagger, words, True)
    own = HanoverTagger.HanoverTagger.tag_sent_viterbi(tagger, words)
    assert tag_sent_viterbi(tagger, words) == own
    assert tagger.tag_sent_viterbi.__func__ is tag_sent_viterbi  # the drafter's tagger uses it
    assert tagger.tag_sent_viterbi(words) == own


WORDS = [
    "cycle",  # in HanTa's lexicon
    "lanes",
    "decarbonisation",  # not: analysed letter by letter
    "bikeshedding",
    "xqzvbnk",  # nothing like a word
    "ab",  # shorter than four letters: guessed morphemes of any length
    "uk",
    "supercalifragilisticexpialidocious",  # longer than HanTa's length table
    "",
    "re-zoning",
    "2026",
]


def test_the_quick_word_analysis_is_hantas_own(tmp_path) -> None:
    """The same parts of speech with the same log probabilities, the same morphemes, for
    words HanTa knows, guesses, or cannot analyse; and the tagger uses it."""
    own = HanoverTagger.HanoverTagger
    tagger = load_tagger(MODEL, tmp_path)
    guesses = hanta_model._guesses(tagger)
    for word in WORDS:
        forward = own.analyze_forward(tagger, word)
        assert hanta_model.analyze_forward(tagger, guesses, word) == forward, word
        tags = {tag for tag, _ in forward if tag != hanta_model.UNKNOWN} | {
            tagger.tag2int["NN1"],
            tagger.tag2int["VVB"],
        }
        for tag in sorted(tags):
            expected = own.analyze_viterbi(tagger, word, -tag)
            assert hanta_model.analyze_viterbi(tagger, guesses, word, -tag) == expected, word
    hanta_model.use_quick_analysis(tagger)
    plain = HanoverTagger.HanoverTagger(MODEL)
    for sentence in [*SENTENCES, "Decarbonisation of the bikeshedding xqzvbnk"]:
        words = sentence.split()
        assert tagger.tag_sent(words, taglevel=3) == plain.tag_sent(words, taglevel=3)
    assert tagger.analyze_forward.cache_info().currsize > 0
