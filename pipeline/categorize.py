"""Sort notes and themes into the facilitator's own categories (a SWOT, priority areas, …).

Why by description similarity: a workshop's categories are known before it starts, but no one
labels notes with them. Each category's short description is embedded with the run's embedder,
so a Dutch note finds a French description through the shared multilingual space, and each
note or theme goes to the most similar description.

Why in the language-centred space: a multilingual embedder places a French note closer to any
French text than to the same idea in Dutch. Notes are centred on their language's mean, as for
clustering, and each description on the mean of the notes in its own language, so a category
described in French does not attract the French notes.

Why a softmax margin for confidence: cosine values of short texts are small and their scale
depends on the embedder, while what matters is whether one category clearly beats the others.
The confidence is p(best) − p(second) under a softmax of the similarities at temperature
``temperature``: 0 when the two best are tied, towards 1 when one description stands out.
Below ``min_confidence`` the note's category is ``none`` rather than a forced guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.cluster.language import centre_by_language, language_offsets
from pipeline.config import CategorizeConfig, CategoryConfig
from pipeline.embed.base import l2_normalise
from pipeline.schema import Note, NoteStatus, Theme

NO_CATEGORY = "none"
"""The category of a note or theme that no description claims with enough confidence."""


@dataclass(frozen=True)
class CategoryChoice:
    """The best category for one item (``NO_CATEGORY`` below the threshold), its confidence
    (softmax margin, 0–1) and the category that scored highest even when rejected."""

    category: str
    confidence: float
    best: str


def centre_descriptions(
    descriptions: np.ndarray,
    description_langs: Sequence[str],
    notes: np.ndarray,
    note_langs: Sequence[str],
    prior: float = 10.0,
) -> np.ndarray:
    """Centre each description by what :func:`centre_by_language` subtracts from the notes of
    its language (``language_offsets``); by the overall mean in a language no note has."""
    if len(notes) == 0:
        return l2_normalise(descriptions)
    overall = notes.mean(axis=0)
    offsets = language_offsets(notes, note_langs, prior)
    out = np.array(descriptions, dtype=np.float32, copy=True)
    for i, lang in enumerate(description_langs):
        out[i] -= offsets.get(lang, overall)
    return l2_normalise(out)


def softmax_margin(similarity: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row: index of the best column and p(best) − p(second) under softmax(sim / T)."""
    best = similarity.argmax(axis=1)
    if similarity.shape[1] < 2:
        return best, np.ones(len(similarity))
    scaled = similarity / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    p = np.exp(scaled)
    p /= p.sum(axis=1, keepdims=True)
    top2 = np.sort(p, axis=1)[:, -2:]
    return best, top2[:, 1] - top2[:, 0]


def choose_categories(
    vectors: np.ndarray,
    descriptions: np.ndarray,
    names: Sequence[str],
    *,
    temperature: float,
    min_confidence: float,
) -> list[CategoryChoice]:
    """Best category per row of ``vectors`` (unit vectors in the same space as
    ``descriptions``); ``NO_CATEGORY`` where the margin is below ``min_confidence``."""
    if len(vectors) == 0:
        return []
    best, margin = softmax_margin(vectors @ descriptions.T, temperature)
    return [
        CategoryChoice(
            category=names[b] if m >= min_confidence else NO_CATEGORY,
            confidence=round(float(m), 4),
            best=names[b],
        )
        for b, m in zip(best.tolist(), margin.tolist(), strict=True)
    ]


@dataclass(frozen=True)
class ThemeCategory:
    """A theme's category, its confidence, and the share of its notes given that category."""

    category: str
    confidence: float
    share: float


def categorize(
    note_embeddings: np.ndarray,
    note_langs: Sequence[str],
    description_embeddings: np.ndarray,
    description_langs: Sequence[str],
    names: Sequence[str],
    labels: Sequence[int],
    *,
    temperature: float = 0.05,
    min_confidence: float = 0.2,
    language_centering: bool = True,
) -> tuple[list[CategoryChoice], list[ThemeCategory]]:
    """Categories of the notes (rows of ``note_embeddings``) and of the themes given by
    ``labels`` (theme index per note, -1 unassigned; themes 0..max label, in order).

    A theme is scored by its centroid, so a theme of many weakly leaning notes can be
    confident while each note is not; ``share`` says how many of its notes agree.
    """
    notes = note_embeddings
    if language_centering and len(set(note_langs)) > 1:
        notes = centre_by_language(note_embeddings, note_langs)
        descriptions = centre_descriptions(
            description_embeddings, description_langs, note_embeddings, note_langs
        )
    else:
        descriptions = l2_normalise(description_embeddings)
    notes = l2_normalise(notes)
    note_choices = choose_categories(
        notes, descriptions, names, temperature=temperature, min_confidence=min_confidence
    )
    label_array = np.asarray(labels)
    n_themes = int(label_array.max()) + 1 if len(label_array) and label_array.max() >= 0 else 0
    if n_themes == 0:
        return note_choices, []
    centroids = l2_normalise(
        np.stack([notes[label_array == t].mean(axis=0) for t in range(n_themes)])
    )
    theme_choices = choose_categories(
        centroids, descriptions, names, temperature=temperature, min_confidence=min_confidence
    )
    themes = []
    for t, choice in enumerate(theme_choices):
        members = np.flatnonzero(label_array == t)
        votes = Counter(note_choices[i].category for i in members)
        themes.append(
            ThemeCategory(
                category=choice.category,
                confidence=choice.confidence,
                share=round(votes[choice.category] / max(len(members), 1), 3),
            )
        )
    return note_choices, themes


def _with_category(theme: Theme, choice: ThemeCategory) -> Theme:
    return theme.model_copy(
        update={
            "category": choice.category,
            "category_confidence": choice.confidence,
            "category_share": choice.share,
        }
    )


def apply_categories(
    notes: Sequence[Note],
    labels: Sequence[int],
    embeddings: np.ndarray,
    description_embeddings: np.ndarray,
    description_langs: Sequence[str],
    themes: Sequence[Theme],
    broad_themes: Sequence[Theme],
    categories: Sequence[CategoryConfig],
    config: CategorizeConfig,
    language_centering: bool = True,
) -> tuple[list[Note], list[Theme], list[Theme]]:
    """Copies of ``notes`` (active ones, in the order of ``embeddings`` and ``labels``),
    ``themes`` (aligned with the labels) and ``broad_themes`` (via each theme's
    ``parent_id``) with their category set; unchanged when there are no categories."""
    if not categories:
        return list(notes), list(themes), list(broad_themes)
    names = [c.name for c in categories]
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    langs = [n.lang for n in active]
    note_choices, theme_categories = categorize(
        embeddings,
        langs,
        description_embeddings,
        description_langs,
        names,
        labels,
        temperature=config.temperature,
        min_confidence=config.min_confidence,
        language_centering=language_centering,
    )
    by_id = {n.id: c for n, c in zip(active, note_choices, strict=True)}
    out_notes = [
        n.model_copy(
            update={"category": by_id[n.id].category, "category_confidence": by_id[n.id].confidence}
        )
        if n.id in by_id
        else n
        for n in notes
    ]
    out_themes = [_with_category(t, c) for t, c in zip(themes, theme_categories, strict=True)]
    out_broad = list(broad_themes)
    if broad_themes:
        index = {b.id: i for i, b in enumerate(broad_themes)}
        parent_of = [index.get(t.parent_id or "", -1) for t in themes]
        broad_labels = [parent_of[label] if label >= 0 else -1 for label in labels]
        _, broad_categories = categorize(
            embeddings,
            langs,
            description_embeddings,
            description_langs,
            names,
            broad_labels,
            temperature=config.temperature,
            min_confidence=config.min_confidence,
            language_centering=language_centering,
        )
        out_broad = [
            _with_category(b, c) for b, c in zip(broad_themes, broad_categories, strict=True)
        ]
    return out_notes, out_themes, out_broad
