"""A note is shown as its participant wrote it: cleaning removes what no one means (controls,
invisible characters, broken spaces) and keeps punctuation, quotes and full-width forms.

The notes here are real comments of public Polis consultations (compdemocracy/openData: the
Taiwanese UberX consultation, the New Zealand tax one, the Austrian climate council), written
to a CSV file and read as a run reads them.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.config import IngestConfig, PrepareConfig
from pipeline.ingest import ingest
from pipeline.prepare import prepare
from pipeline.prepare.normalize import (
    TOKENS,
    clean,
    comparison_key,
    normalize_text,
    plain_typography,
    same_words,
    strip_noise,
    words,
)
from pipeline.schema import Note, NoteStatus

POLIS = {
    "uberx-69": "我覺得即使Uber X沒有職業駕照或車體有明顯標示以辨識，"
    "但因其每趟行程皆有行程紀錄，也感到安全 。",
    "uberx-13": "我覺得計程車身一定要塗裝成黃色的，和其他車輛顏色不同。",
    "uberx-135": "外縣市白牌車坐地起價，時有所聞，若能像über 有公開透明的費率，"
    "并且不會亂繞路，會吸引更多乘客搭乘！",
    "taxes-37": "NZ’s current tax settings have encouraged property speculation, which has "
    "contributed to making housing unaffordable for many New Zealanders.",
    "minwage-4": "While the arguments for the raise in the minimum wage law have been trumpeted "
    "as being “anti corporate greed”, those larger companies are, ironically, the most able "
    "to pay for the increase in wages.",
    "energie-552": "Windräder sind keine gute Lösung, da ein Recycling der GFK´s bis jetzt "
    "nicht geklärt ist und viel Nutzfläche für Felder verloren geht",
    "energie-596": "Ich will weniger Konsumieren und glücklicher werden durch Verzicht auf "
    "Überfluss. Entschleunigung hat viele positive Wirkungen. #degrowth",
}
CJK_PUNCTUATION = frozenset("，。、；：！？「」『』（）《》〈〉【】〔〕…～・")


def _prepared(tmp_path: Path, texts: dict[str, str]) -> dict[str, Note]:
    path = tmp_path / "consultation.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uid", "text"])
        writer.writerows(texts.items())
    raw = ingest(path, IngestConfig())
    notes = prepare(raw.notes, PrepareConfig())
    by_text = {note.original_text: note for note in notes if note.parent_id is None}
    return {uid: by_text[text] for uid, text in texts.items()}


def test_real_notes_are_stored_as_written(tmp_path: Path) -> None:
    notes = _prepared(tmp_path, POLIS)

    assert notes["uberx-13"].text == POLIS["uberx-13"]  # "，" and "。" kept
    assert notes["uberx-135"].text == POLIS["uberx-135"]  # "！" kept, not "!"
    assert notes["uberx-69"].text == POLIS["uberx-69"]
    assert notes["taxes-37"].text.startswith("NZ’s current")  # the typographic apostrophe
    assert "“anti corporate greed”" in notes["minwage-4"].text
    # An acute accent typed as an apostrophe: never a space and a stray combining accent.
    assert "GFK’s" in notes["energie-552"].text
    assert not any(unicodedata.combining(c) for c in notes["energie-552"].text)
    assert notes["energie-596"].text.endswith("#degrowth")


def test_no_note_differs_from_what_was_read_in_punctuation_only(tmp_path: Path) -> None:
    """The report shows a note's original beside it only where the two differ in words: here
    no note is cut or cleaned of anything but its words' look, so none needs it."""
    notes = _prepared(tmp_path, POLIS)
    for note in notes.values():
        if note.status is NoteStatus.ACTIVE:
            assert same_words(note.original_text, note.text), note.text


def test_typographic_quotes_around_the_whole_note_are_stripped_like_straight_ones() -> None:
    assert clean("“Plus de bancs”") == clean('"Plus de bancs"') == "Plus de bancs"
    assert clean("„Mehr Bänke“") == "Mehr Bänke"
    assert clean("„Das „Wie“ klären“") == "„Das „Wie“ klären“"  # not a pair around all


def test_same_words_ignores_punctuation_quotes_bullets_and_spaces_only() -> None:
    assert same_words("- « Plus de bancs » !!!", "Plus de bancs !")
    assert same_words("l'écoute ＡＩ", "l’écoute AI")
    assert same_words("GFK´s", "GFK’s")
    assert not same_words("Plus de bancs. Et des arbres.", "Plus de bancs.")
    assert not same_words("#degrowth", "degrowth now")
    assert words("L’écoute, „active“ !") == ["l", "écoute", "active"]


def test_plain_typography_is_for_comparing_only() -> None:
    assert plain_typography("好！ l’écoute “x” ＡＩ") == '好! l\'écoute "x" AI'
    assert comparison_key("GFK´s") == comparison_key("GFK's")
    assert plain_typography("GFK´s") == "GFK's"  # never "GFK ́s"


def test_ellipsis_dashes_and_guillemets_stay() -> None:
    text = "« Vraiment » – oui… ½ m² ① ŀ"
    assert normalize_text(text) == text


def test_only_what_no_one_means_is_removed() -> None:
    assert normalize_text("a\u200bb\u00adc\ufeff d\x07e\u00a0f\u3000g") == "abc d e f g"
    assert normalize_text("GFK´s don`t") == "GFK’s don’t"
    assert normalize_text("´ alone and `code`") == "´ alone and `code`"


def test_hashtags_mentions_addresses_and_urls_survive_cleaning() -> None:
    assert strip_noise("voir https://example.org/wiki/;") == "voir https://example.org/wiki/"
    assert strip_noise("- écrire à anne.dupont@ville.fr ;") == "écrire à anne.dupont@ville.fr"
    assert strip_noise("#degrowth") == "#degrowth"
    assert strip_noise("merci @velo_") == "merci @velo_"
    assert clean("Le lien: https://x.org/?q=a_b#top .") == "Le lien: https://x.org/?q=a_b#top ."
    assert [m.group() for m in TOKENS.finditer("see www.x.org. or #tag, @me")] == [
        "www.x.org",
        "#tag",
        "@me",
    ]


def _combining(text: str) -> int:
    return sum(1 for c in text if unicodedata.combining(c))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
@example("GFK´s")
@example("a\u00a8b\u02dcc\u00b8d\u00af")
@example("好，是！「對」")
def test_normalising_never_adds_a_combining_mark_nor_changes_cjk_punctuation(text: str) -> None:
    out = normalize_text(text)
    assert _combining(out) <= _combining(unicodedata.normalize("NFC", text))
    assert [c for c in out if c in CJK_PUNCTUATION] == [
        c for c in unicodedata.normalize("NFC", text) if c in CJK_PUNCTUATION
    ]
    assert normalize_text(out) == out  # idempotent


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["#degrowth", "@anne_", "https://x.org/a_b/", "a.b@c.de", "Bus", "–"]),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["", " ;", " /", " _", " -", ","]),
)
def test_cleaning_keeps_every_token_whole(parts: list[str], tail: str) -> None:
    text = " ".join(parts) + tail
    cleaned = clean(text)
    for part in parts:
        if TOKENS.fullmatch(part):
            assert part in cleaned.split(), (text, cleaned)


def test_a_note_shown_as_written_is_embedded_as_its_plain_form(tmp_path: Path) -> None:
    """Showing „so“ and 好！ as written moves no theme: the embedder reads the plain typography."""
    import numpy as np

    from pipeline.config import EmbedConfig
    from pipeline.run import embed_notes

    def note(i: int, text: str) -> Note:
        return Note(id=f"n{i}", text=text, original_text=text, source="s", location=str(i))

    written = [note(0, "Mehr „Begegnungszonen“ in der Stadt"), note(1, "希望多一點公園！")]
    plain = [note(0, 'Mehr "Begegnungszonen" in der Stadt'), note(1, "希望多一點公園!")]
    config = EmbedConfig(cache_dir=tmp_path)
    assert np.allclose(embed_notes(written, config), embed_notes(plain, config))
