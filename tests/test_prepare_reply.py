"""Notes that only answer another note are rejected with a reason; a reply that goes on to
say something is kept."""

from __future__ import annotations

import pytest

from pipeline.config import PrepareConfig
from pipeline.prepare import prepare
from pipeline.prepare.reject import REPLY_REASON, reject_reason
from pipeline.prepare.reply import is_bare_reply
from pipeline.schema import NoteStatus, RawNote


@pytest.mark.parametrize(
    "text",
    [
        "entièrement d'accord",
        "Je suis tout à fait d'accord avec ces propositions.",
        "Je partage complètement ce point de vue",
        "Tout à fait d'accord avec Justin TIME.",
        "Pas d'accord",
        "Bonne idée !",
        "I agree",
        "Agreed!",
        "I totally agree with this",
        "Helemaal mee eens",
        "Eens",
        "Dem stimme ich voll zu",
        "Oui, d'accord",
    ],
)
def test_replies_that_only_answer(text: str) -> None:
    assert is_bare_reply(text)
    assert reject_reason(text, PrepareConfig()) == REPLY_REASON


@pytest.mark.parametrize(
    "text",
    [
        "D'accord, et il faut aussi des bus le soir",
        "D'accord avec ça, et il faut aussi des bus le soir",
        "I agree we need more buses",
        "Je suis pour un budget participatif",
        "Eens, maar de bus moet vaker rijden",
        "Good idea: more benches",
        "Ich stimme zu, dass wir mehr Radwege brauchen",
        "Gute Idee, aber zu teuer",
    ],
)
def test_replies_that_say_something_are_kept(text: str) -> None:
    assert not is_bare_reply(text)
    assert reject_reason(text, PrepareConfig()) is None


def test_prepare_keeps_replies_as_rejected_notes_and_can_keep_them_active() -> None:
    raws = [
        RawNote(id=f"n{i}", text=t, source="notes.csv", location=f"row {i + 2}")
        for i, t in enumerate(["Tout à fait d'accord !", "Ouvrir la médiathèque le dimanche"])
    ]
    notes = prepare(raws, PrepareConfig())
    assert [n.status for n in notes] == [NoteStatus.REJECTED, NoteStatus.ACTIVE]
    assert notes[0].reject_reason == REPLY_REASON
    kept = prepare(raws, PrepareConfig(reject_replies=False))
    assert [n.status for n in kept] == [NoteStatus.ACTIVE, NoteStatus.ACTIVE]
