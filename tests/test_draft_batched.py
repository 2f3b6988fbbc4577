"""A challenge's facets are drafted side by side: the phrases they need embedded are embedded
together, one call per stage rather than per facet and stage, and each facet's draft is the
one it gets drafted alone.

The run's real embedder (``use-m3``); the embedding is counted, not replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from pipeline.draft.compose import ComposingDrafter
from pipeline.schema import Draft, Note, Theme

FACETS = {
    "T1": [
        "Traduire les invitations dans les langues parlées dans les quartiers",
        "Invitations traduites en arabe et en turc",
        "Traduire les invitations en plusieurs langues",
        "Des invitations en langage clair",
        "Des interprètes aux réunions publiques",
    ],
    "T2": [
        "Former les chefs de projet à la facilitation",
        "Une formation à la facilitation pour les agents",
        "Du coaching par des facilitateurs expérimentés",
        "Former les élus à l'animation des réunions",
    ],
    "T3": [
        "Organiser les réunions publiques le soir après le travail",
        "Des horaires de réunion adaptés aux parents",
        "Proposer une garde d'enfants pendant les réunions publiques",
        "Tenir les réunions le samedi matin",
    ],
}


class CountedEmbedder:
    """The real embedder, with the texts of each call it was asked."""

    def __init__(self) -> None:
        from pipeline.embed import create_embedder

        self.inner = create_embedder("use-m3")
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def counted() -> CountedEmbedder:
    return CountedEmbedder()


def _challenge() -> tuple[Theme, list[Theme], dict[str, Note]]:
    notes: dict[str, Note] = {}
    facets = []
    for facet_id, texts in FACETS.items():
        ids = []
        for text in texts:
            note_id = f"n{len(notes)}"
            notes[note_id] = Note(
                id=note_id,
                text=text,
                original_text=text,
                source="s.csv",
                location=note_id,
                lang="fr",
            )
            ids.append(note_id)
        facets.append(
            Theme(
                id=facet_id,
                label="",
                note_ids=ids,
                size=len(ids),
                languages={"fr": len(ids)},
                keyphrases=[],
                representative_ids=[],
                parent_id="B1",
            )
        )
    challenge = Theme(
        id="B1",
        label="",
        note_ids=list(notes),
        size=len(notes),
        languages={"fr": len(notes)},
        keyphrases=[],
        representative_ids=[],
    )
    return challenge, facets, notes


def _vectors(notes: dict[str, Note], counted: CountedEmbedder) -> dict[str, np.ndarray]:
    texts = [n.text for n in notes.values()]
    return dict(zip(notes, counted.inner.embed(texts), strict=True))


def _alone(
    facets: Sequence[Theme],
    notes: dict[str, Note],
    vectors: dict[str, np.ndarray],
    embed: CountedEmbedder,
) -> tuple[list[Draft], list[int]]:
    """Each facet drafted on its own by a fresh drafter, and the embedder calls each made."""
    drafts, calls = [], []
    for facet in facets:
        embed.calls.clear()
        drafts.append(ComposingDrafter(vectors, embed.embed).draft(facet, notes, "fr"))
        calls.append(len(embed.calls))
    return drafts, calls


def test_facets_embed_their_phrases_together_and_draft_as_alone(
    counted: CountedEmbedder,
) -> None:
    challenge, facets, notes = _challenge()
    vectors = _vectors(notes, counted)
    alone, calls_alone = _alone(facets, notes, vectors, counted)
    assert all(calls >= 2 for calls in calls_alone)  # each asked for its phrases and title

    counted.calls.clear()
    drafter = ComposingDrafter(vectors, counted.embed)
    challenge_draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    together = [drafter.draft(facet, notes, "fr") for facet in facets]  # remembered ones

    # One call per stage (candidates, titles, phrases near the question), for all three.
    assert len(counted.calls) <= 3 < sum(calls_alone)
    assert len(counted.calls[0]) > max(len(c) for c in counted.calls[1:])
    assert together == alone
    # It asks a facet's question, or (six of its thirteen notes name public meetings) about
    # what most of its notes name, a facet's question its first alternative.
    asked = [
        challenge_draft.challenge.text,
        *(a.text for a in challenge_draft.challenge_alternatives),
    ]
    assert asked[0] in [d.challenge.text for d in alone] or asked[1] in [
        d.challenge.text for d in alone
    ]
    assert challenge_draft == ComposingDrafter(vectors, counted.embed).draft_challenge(
        challenge, facets, notes, "fr"
    )


def test_a_failed_batch_gives_each_facet_the_flagged_draft_it_gets_alone(
    counted: CountedEmbedder,
) -> None:
    """The embedder fails on the call all facets wait on: each facet's draft says so, as
    its own call's failure would, and the challenge is still drafted from them."""
    challenge, facets, notes = _challenge()
    vectors = _vectors(notes, counted)

    def broken(texts: list[str]) -> np.ndarray:
        raise RuntimeError("the embedder went away")

    drafter = ComposingDrafter(vectors, broken)
    challenge_draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    together = [drafter.draft(facet, notes, "fr") for facet in facets]
    alone = [ComposingDrafter(vectors, broken).draft(facet, notes, "fr") for facet in facets]
    assert together == alone
    assert all("RuntimeError: the embedder went away" in d.flags[0] for d in together)
    assert challenge_draft.theme_id == "B1" and challenge_draft.title.text
    assert challenge_draft.cited_ids() <= set(notes)
