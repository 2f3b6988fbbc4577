"""Normalisation: how a note is written changes, what it says does not."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.prepare.normalize import (
    clean,
    comparison_key,
    flatten,
    normalize_text,
    plain_typography,
    strip_noise,
)


def test_decomposed_accents_become_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Formation des agents à l'écoute")
    assert nfd != "Formation des agents à l'écoute"
    assert normalize_text(nfd) == "Formation des agents à l'écoute"


def test_non_breaking_and_other_spaces_become_single_spaces() -> None:
    assert normalize_text("Plus\u00a0de\u202fbancs\u2009 \t !") == "Plus de bancs !"
    assert normalize_text("  trop   d'espaces  ") == "trop d'espaces"


def test_zero_width_and_invisible_characters_are_removed() -> None:
    text = "\ufeffpar\u200bti\u00adci\u200dpation\u2060 citoyenne\u200e"
    assert normalize_text(text) == "participation citoyenne"


def test_control_characters_are_removed_but_line_breaks_kept() -> None:
    assert normalize_text("un\x07deux\r\ntrois\rquatre\u2028cinq") == "un deux\ntrois\nquatre\ncinq"
    assert normalize_text("a\n\n\n  \nb") == "a\nb"


def test_fullwidth_forms_are_kept_as_written_and_folded_only_to_compare() -> None:
    assert normalize_text("ＡＩ ｒｅｇｉｓｔｅｒ！") == "ＡＩ ｒｅｇｉｓｔｅｒ！"
    assert plain_typography("ＡＩ ｒｅｇｉｓｔｅｒ！") == "AI register!"


def test_ligatures_become_their_letters() -> None:
    assert normalize_text("ﬁnancement de la ﬂotte") == "financement de la flotte"
    assert normalize_text("ĳsbaan") == "ijsbaan"


def test_superscripts_fractions_and_circled_digits_are_kept() -> None:
    assert normalize_text("10 m² par ½ heure ①") == "10 m² par ½ heure ①"


def test_apostrophes_curly_quotes_and_dashes_are_kept_and_unified_only_to_compare() -> None:
    assert normalize_text("l’écoute “active” ‚so‘") == "l’écoute “active” ‚so‘"
    assert plain_typography("l’écoute “active” ‚so‘") == "l'écoute \"active\" 'so'"
    assert normalize_text("co\u2010construction \u2212 5") == "co\u2010construction \u2212 5"
    assert plain_typography("co\u2010construction \u2212 5") == "co-construction - 5"


def test_french_guillemets_and_dashes_are_kept() -> None:
    assert normalize_text("« co-construction » – vraiment ?") == "« co-construction » – vraiment ?"


def test_flatten_joins_wrapped_lines() -> None:
    assert flatten("Formation des agents\nà l'écoute") == "Formation des agents à l'écoute"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Plus de bancs", "Plus de bancs"),
        ("• Plus de bancs ;", "Plus de bancs"),
        ('"Plus de bancs"', "Plus de bancs"),
        ("« Plus de bancs »", "Plus de bancs"),
        ("Plus de bancs !!!", "Plus de bancs !"),
        ("Pourquoi pas ???", "Pourquoi pas ?"),
        ("*important*", "important"),
        ("+ de bancs", "+ de bancs"),  # "+" means "more", not noise
        ('Le "bon" exemple', 'Le "bon" exemple'),
        ("(a) et (b)", "(a) et (b)"),
    ],
)
def test_surrounding_noise_is_stripped(text: str, expected: str) -> None:
    assert strip_noise(text) == expected


def test_noise_stripping_never_empties_a_note() -> None:
    assert strip_noise("- ") == "-"
    assert strip_noise("???") == "?"


def test_clean_is_the_whole_chain() -> None:
    assert clean("  - « Ateliers\u00a0itinérants\n dans les villages » ;") == (
        "Ateliers itinérants dans les villages"
    )


def test_comparison_key_ignores_case_accents_and_punctuation() -> None:
    assert comparison_key("Café, à l'Écoute !") == comparison_key("cafe a l ecoute")
    assert comparison_key("Straße") == "strasse"
    assert comparison_key("n/a") == "n a"
