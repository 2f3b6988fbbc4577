"""A short idea split from a list note is placed with its note's context; drafting keeps its
own vector. Real splitting (``prepare``) and a real embedder (USE-multilingual)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import Config
from pipeline.embed.context import FRAGMENT_WORDS, OWN_WORDS, context_share, placed_in_context
from pipeline.embed.for_run import run_embedder, run_memo
from pipeline.prepare import prepare
from pipeline.prepare.split import written_as_list
from pipeline.run import embed_ideas
from pipeline.schema import Note, NoteStatus, RawNote


def test_context_share_falls_with_length():
    assert context_share("monthly meetup", 0.5) == 0.5
    assert context_share(" ".join(["w"] * FRAGMENT_WORDS), 0.5) == 0.5
    middle = context_share(" ".join(["w"] * ((FRAGMENT_WORDS + OWN_WORDS) // 2)), 0.5)
    assert 0 < middle < 0.5
    assert context_share(" ".join(["w"] * OWN_WORDS), 0.5) == 0.0
    assert context_share("monthly meetup", 0.0) == 0.0


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("- crèche sur place\n- horaires variés (midi, samedi)\n- transport remboursé", True),
        ("1) thank-you email 2) summary of what we heard 3) what happens next", True),
        ("shared drive for methods; monthly meetup; one contact person per dept", True),
        ("• Radwege bauen • Busse öfter fahren lassen", True),
        # a sentence's two clauses, and sentences of prose
        (
            "es sollte eine Rolle spielen wo der Strom herkommt; Flexibilität von Verbrauch "
            "und Tarifen nutzen",
            False,
        ),
        ("Minimum wage will not just lead to robots. It will lead to unionized robots.", False),
    ],
)
def test_a_note_written_as_a_list(text: str, listed: bool) -> None:
    assert written_as_list(text) is listed


def _note(note_id: str, text: str, parent: str | None = None) -> Note:
    return Note(
        id=note_id,
        text=text,
        original_text=text,
        source="s.csv",
        location="row 2",
        lang="en",
        parent_id=parent,
    )


def test_placed_in_context_moves_only_short_split_ideas():
    own = np.eye(3, dtype=np.float32)
    parent = _note("p", "a list")
    ideas = [
        _note("a", "monthly meetup", "p"),
        _note("b", "a whole sentence of a long answer that says its own topic well", "p"),
        _note("c", "a note of its own"),
    ]
    asked: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return np.array([[0.0, 0.0, 1.0]], dtype=np.float32)

    placed = placed_in_context(own, ideas, {"p": parent}, embed, 0.5)
    assert asked == [["a list"]]  # the note's text, once
    assert placed[0] == pytest.approx(np.array([1, 0, 1]) / np.sqrt(2))
    assert np.array_equal(placed[1], own[1])  # a sentence keeps its own topic
    assert np.array_equal(placed[2], own[2])  # not split from anything
    assert np.linalg.norm(placed[0]) == pytest.approx(1.0)
    assert placed_in_context(own, ideas, {"p": parent}, embed, 0.0) is own


@pytest.fixture
def config(tmp_path) -> Config:
    """Default settings with USE-multilingual alone, on a cache of the test's own."""
    config = Config()
    config.embed.model = "use-m3"
    config.embed.cache_dir = tmp_path / "cache"
    return config


def test_run_places_list_items_near_their_note_and_drafts_from_their_own(config):
    raw = [
        RawNote(
            id="r1",
            text="- thank-you email\n- summary of what we heard\n- what happens next and when",
            source="s.csv",
            location="row 2",
        ),
        RawNote(id="r2", text="Monthly brown-bag sessions", source="s.csv", location="row 3"),
    ]
    notes = prepare(raw, config.prepare, run_memo(config.embed))
    ideas = [n for n in notes if n.status == NoteStatus.ACTIVE]
    assert [n.text for n in ideas if n.parent_id] == [
        "thank-you email",
        "summary of what we heard",
        "what happens next and when",
    ]
    embedded = embed_ideas(ideas, notes, config.embed)
    assert len(embedded) == len(ideas)
    list_note = next(n for n in notes if n.status == NoteStatus.SPLIT)
    whole = run_embedder(config.embed).embed([list_note.text])[0]
    for i, idea in enumerate(ideas):
        if idea.parent_id:
            assert embedded.placing[i] @ whole > embedded.own[i] @ whole
        else:
            assert np.array_equal(embedded.placing[i], embedded.own[i])
    config.embed.split_context = 0.0
    assert np.array_equal(embed_ideas(ideas, notes, config.embed).placing, embedded.own)


def test_the_sentences_of_a_note_written_as_prose_keep_their_own_vectors(config):
    raw = [
        RawNote(
            id="r1",
            text="Effective marginal tax rates matter a lot for families. The highest rates "
            "hit those moving off a benefit. A tax free threshold would help them.",
            source="s.csv",
            location="row 2",
        )
    ]
    notes = prepare(raw, config.prepare, run_memo(config.embed))
    ideas = [n for n in notes if n.status == NoteStatus.ACTIVE]
    assert len(ideas) > 1 and all(n.parent_id for n in ideas)
    embedded = embed_ideas(ideas, notes, config.embed)
    assert np.array_equal(embedded.placing, embedded.own)
