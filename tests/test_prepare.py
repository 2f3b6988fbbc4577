"""``prepare`` end to end: statuses, children, duplicates, languages, and the invariants."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.config import PrepareConfig
from pipeline.prepare import prepare
from pipeline.schema import Note, NoteStatus, RawNote

CSV = "table1_postits.csv"
TXT = "plenary_notes.txt"


def raw(id: str, text: str, source: str = CSV, location: str | None = None) -> RawNote:
    return RawNote(
        id=id,
        text=text,
        source=source,
        location=location or f"row {id}",
        metadata={"author": "Sam"},
    )


RAW = [
    raw("n1", "Formation des agents à l'écoute"),
    raw("n2", "- crèche sur place\n- horaires variés (midi, samedi)\n- transport remboursé"),
    raw("n3", "ok"),
    raw("n4", "Burgers beter informeren over besluiten", TXT, "line 4"),
    raw("n5", "formation des agents a l'ecoute !"),
    raw("n6", "Moderation üben; Feedback geben lernen; Konflikte aushalten können", TXT),
    raw("n7", "👍👍", TXT),
    raw("n8", "Close the feedback loop with participants", TXT),
    raw("n9", "test"),
    raw("n10", "   "),
    raw("n11", "Close the feedback loop with participant", TXT),
    raw("n12", "We need a charter. It must be public.", TXT),
    raw("n13", "Mehr Transparenz bei Algorithmen", TXT),
]


@pytest.fixture(scope="module")
def notes() -> list[Note]:
    return prepare(RAW, PrepareConfig())


def by_id(notes: list[Note]) -> dict[str, Note]:
    return {note.id: note for note in notes}


def test_every_raw_note_appears_exactly_once_as_a_root(notes: list[Note]) -> None:
    roots = [note.id for note in notes if note.parent_id is None]
    assert roots == [note.id for note in RAW]
    assert len({note.id for note in notes}) == len(notes)


def test_statuses(notes: list[Note]) -> None:
    status = {note.id: note.status for note in notes}
    assert status["n2"] is NoteStatus.SPLIT
    assert status["n6"] is NoteStatus.SPLIT
    assert {status[i] for i in ("n3", "n7", "n9", "n10")} == {NoteStatus.REJECTED}
    assert status["n12"] is NoteStatus.ACTIVE  # one idea explained: not split
    counts = Counter(note.status for note in notes)
    assert counts == {NoteStatus.ACTIVE: 13, NoteStatus.SPLIT: 2, NoteStatus.REJECTED: 4}


def test_children_follow_their_parent_with_ids_locations_and_provenance(
    notes: list[Note],
) -> None:
    ids = [note.id for note in notes]
    start = ids.index("n2")
    assert ids[start : start + 4] == ["n2", "n2-1", "n2-2", "n2-3"]
    parent = by_id(notes)["n2"]
    children = [by_id(notes)[f"n2-{k}"] for k in (1, 2, 3)]
    assert [c.text for c in children] == [
        "crèche sur place",
        "horaires variés (midi, samedi)",
        "transport remboursé",
    ]
    for number, child in enumerate(children, start=1):
        assert child.status is NoteStatus.ACTIVE
        assert child.parent_id == "n2"
        assert child.location == f"row n2 idea {number}"
        assert child.source == parent.source and child.metadata == parent.metadata
        assert child.original_text == parent.original_text
        assert child.lang == "fr"
    assert parent.text == RAW[1].text  # the split note keeps its lines for reviewers


def test_children_get_their_own_language(notes: list[Note]) -> None:
    assert [by_id(notes)[f"n6-{k}"].lang for k in (1, 2, 3)] == ["de", "de", "de"]


def test_rejected_notes_say_why(notes: list[Note]) -> None:
    reasons = {n.id: n.reject_reason for n in notes if n.status is NoteStatus.REJECTED}
    assert reasons == {
        "n3": "too short: 2 characters",
        "n7": "no words: only symbols, emoji or numbers",
        "n9": "placeholder: 'test'",
        "n10": "empty",
    }
    assert all(n.reject_reason is None for n in notes if n.status is not NoteStatus.REJECTED)


def test_duplicates_point_to_the_first_active_occurrence(notes: list[Note]) -> None:
    index = by_id(notes)
    assert (index["n5"].duplicate_of, index["n5"].duplicate_kind) == ("n1", "exact")
    assert (index["n11"].duplicate_of, index["n11"].duplicate_kind) == ("n8", "near")
    assert index["n1"].duplicate_of is None
    assert index["n5"].status is NoteStatus.ACTIVE  # duplicates are kept and clustered
    marked = [n for n in notes if n.duplicate_of]
    assert all(n.status is NoteStatus.ACTIVE for n in marked)
    assert {n.id for n in marked} == {"n5", "n11"}


def test_languages_and_text(notes: list[Note]) -> None:
    index = by_id(notes)
    assert [index[i].lang for i in ("n1", "n4", "n8", "n13")] == ["fr", "nl", "en", "de"]
    assert index["n1"].lang_confidence > 0.5
    assert index["n7"].lang == "und" and index["n10"].lang == "und"
    assert index["n5"].text == "formation des agents a l'ecoute !"
    assert index["n5"].original_text == "formation des agents a l'ecoute !"


def test_prepare_is_deterministic(notes: list[Note]) -> None:
    assert prepare(RAW, PrepareConfig()) == notes


def test_splitting_can_be_turned_off() -> None:
    result = prepare(RAW[:2], PrepareConfig(split=False))
    assert [n.status for n in result] == [NoteStatus.ACTIVE, NoteStatus.ACTIVE]
    assert result[1].text.startswith("crèche sur place")  # noise stripped, one line


def test_original_text_is_the_raw_text() -> None:
    text = "\ufeff  « Plus\u00a0de bancs »\u200b ;"
    (note,) = prepare([raw("a", text)], PrepareConfig())
    assert note.text == "Plus de bancs"
    assert note.original_text == text


def test_short_uncertain_notes_lean_towards_their_file_language() -> None:
    french = [
        "Former les agents à l'écoute active",
        "Rendre compte aux habitants après chaque réunion",
        "Une charte contre la participation alibi",
        "Toujours les mêmes retraités aux réunions",
    ]
    notes = [raw(f"f{i}", text) for i, text in enumerate(french)]
    notes.append(raw("short", "budget formation"))
    result = prepare(notes, PrepareConfig())
    assert result[-1].lang == "fr"


def test_empty_input() -> None:
    assert prepare([], PrepareConfig()) == []


def test_invariants_on_a_mixed_batch() -> None:
    texts = [
        "1) thank-you email 2) summary of what we heard 3) what happens next and when",
        "Plus de bancs",
        "plus de bancs",
        "?",
        "a) meer groen b) minder auto's",
        "Wer kontrolliert eigentlich die Einhaltung der Charta?",
    ] * 5
    notes = [raw(f"m{i}", text) for i, text in enumerate(texts)]
    result = prepare(notes, PrepareConfig())
    roots = [n for n in result if n.parent_id is None]
    assert [n.id for n in roots] == [n.id for n in notes]
    index = by_id(result)
    for note in result:
        if note.parent_id is not None:
            assert index[note.parent_id].status is NoteStatus.SPLIT
        if note.duplicate_of is not None:
            canonical = index[note.duplicate_of]
            assert canonical.status is NoteStatus.ACTIVE and canonical.duplicate_of is None
    children = Counter(n.parent_id for n in result if n.parent_id)
    assert all(children[n.id] >= 2 for n in result if n.status is NoteStatus.SPLIT)


def test_notes_in_other_scripts_are_found_and_prepared() -> None:
    """Arabic, Ukrainian and Japanese notes beside the four languages: found, detected, split
    and lemmatised by the fallbacks spaCy has for them, with no error."""
    from pipeline import nlp
    from tests.test_prepare_language import WORKSHOP

    others = {
        "ar": [
            "نحتاج إلى مزيد من المساحات الخضراء في الحي",
            "يجب إشراك الشباب في القرارات المحلية",
            "الاجتماعات يجب أن تكون في المساء",
            "لا أحد يشرح لنا ماذا حدث لأفكارنا",
        ],
        "uk": [
            "Потрібно більше зелених зон у нашому районі",
            "Молодь треба залучати через школи та клуби",
            "Зустрічі мають бути ввечері або у вихідні",
            "Ніхто не пояснює, що сталося з нашими ідеями",
        ],
        # No spaces between words: found by its number of characters.
        "ja": [
            "私たちの地域にもっと緑地が必要です",
            "若者を学校を通じて参加させるべきです",
            "会議は夕方か週末に開くべきです",
            "誰も私たちのアイデアがどうなったか説明しません",
        ],
    }
    texts = WORKSHOP + [text for group in others.values() for text in group]
    notes = prepare([raw(f"n{i}", text) for i, text in enumerate(texts)], PrepareConfig())
    for lang, group in others.items():
        found = [n for n in notes if n.text in group]
        assert [n.lang for n in found] == [lang] * len(group)
        lemmas = nlp.lemmas_many([n.text for n in found], [lang] * len(found))
        assert all(lemmas)
