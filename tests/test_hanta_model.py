"""HanTa's tagger with its word transitions kept compact tags as HanTa's own, whether it
was built from HanTa's file or loaded from the compact copy written then."""

from __future__ import annotations

import pickle

import pytest
from HanTa import HanoverTagger

from pipeline.draft.compose.hanta_model import Transitions, _from_copy, load_tagger

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
