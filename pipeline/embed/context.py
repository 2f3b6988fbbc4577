"""Where an item of a list note is placed: with the note it was split from.

A note written as a list ("- mail na 1 maand\n- infoavond na 6 maanden\n- online stand van
zaken per voorstel", "shared drive for methods; monthly meetup; one contact person per dept")
is split into ideas, and each short item, embedded alone, says less than its writer meant:
"monthly meetup" alone sits with other monthly meetings, not with the community of practice
the list was about; "mail na 1 maand" with other "after one month" notes, not with feedback
to participants. Themes are found on vectors that give such an item part of its note's
vector: ``weight`` of it (``embed.split_context``) for an item of ``FRAGMENT_WORDS`` words or
fewer, less as the item grows, none from ``OWN_WORDS`` words. Which notes count as lists is
the run's to say (``pipeline.run.embed_ideas``): the sentences of a note written as prose each
say their own topic, and placing them with their note reshuffled real German proposals'
challenges.

Only where notes are placed (clustering, challenges, categories, a re-run's late notes)
uses these vectors; the drafter and the grounding check read each idea's own vector, so two
items of one list are not taken for one idea said twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from pipeline.schema import Note

FRAGMENT_WORDS = 4
"""An idea of this many words or fewer takes the full ``weight`` of its note."""
OWN_WORDS = 12
"""From this many words an idea is placed by its own vector alone: a sentence says its topic."""


def context_share(text: str, weight: float) -> float:
    """How much of the idea's placing vector comes from its note's: ``weight`` up to
    ``FRAGMENT_WORDS`` words, falling linearly to nothing at ``OWN_WORDS``."""
    n = len(text.split())
    if n >= OWN_WORDS or weight <= 0:
        return 0.0
    return weight * min(1.0, (OWN_WORDS - n) / (OWN_WORDS - FRAGMENT_WORDS))


def placed_in_context(
    own: np.ndarray,
    ideas: Sequence[Note],
    notes: Mapping[str, Note],
    embed: Callable[[list[str]], np.ndarray],
    weight: float,
) -> np.ndarray:
    """The vectors that place ``ideas`` (rows of ``own``, unit length): each idea split from
    a note of ``notes`` (its ``parent_id``; the notes written as lists) and short enough
    (``context_share``) moved toward that note's vector and normalised again; every other
    row as it is. ``embed`` embeds the notes' texts as the run embeds its notes (its embedder
    and cache). Returns ``own`` itself when no idea takes any context."""
    shares = [
        context_share(idea.text, weight) if idea.parent_id in notes else 0.0 for idea in ideas
    ]
    if not any(shares):
        return own
    parents = sorted(
        {idea.parent_id for idea, s in zip(ideas, shares, strict=True) if s and idea.parent_id}
    )
    vectors = embed([notes[p].text for p in parents])
    of_parent = dict(zip(parents, np.asarray(vectors, dtype=own.dtype), strict=True))
    placed = own.copy()
    for i, (idea, share) in enumerate(zip(ideas, shares, strict=True)):
        if share and idea.parent_id:
            mixed = (1 - share) * own[i] + share * of_parent[idea.parent_id]
            placed[i] = mixed / max(float(np.linalg.norm(mixed)), 1e-12)
    return placed
