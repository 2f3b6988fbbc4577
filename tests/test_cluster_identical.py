"""Identical notes at scale: 5,000 copies of one note beside 45 real notes, embedded by the
run's embedder and clustered as a run clusters them (``pipeline.run.cluster_notes``).

Clustered as they were, the copies split into three themes with the same title and 24
unassigned copies, and all 45 real notes stayed unassigned.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from pipeline.cluster.identical import MAX_COPIES, expand, identical_groups, seen_rows
from pipeline.config import Config, EmbedConfig
from pipeline.embed.for_run import run_embedder
from pipeline.run import cluster_notes
from pipeline.schema import Assignment

TOPICS = {
    "vélo": [
        "Plus de pistes cyclables séparées sur les grands axes",
        "Des parkings vélo sécurisés près des gares",
        "Des arceaux pour vélos devant chaque école",
        "Une piste cyclable continue le long du canal",
        "Réparer les pistes cyclables abîmées",
        "Des vélos en libre-service dans les quartiers",
        "Sécuriser les carrefours pour les cyclistes",
        "Un atelier de réparation de vélos gratuit",
        "Protected bike lanes on the main avenues",
        "Safe bike parking at every train station",
        "More cycle paths to schools for children",
        "Bike sharing stations in every neighbourhood",
        "Fix the potholes in the cycle lanes",
        "Cycle training for adults who never learned",
        "Separate cyclists from cars at junctions",
    ],
    "vert": [
        "Planter des arbres dans les rues minérales",
        "Plus d'ombre sur les places en été",
        "Des jardins partagés sur les terrains vides",
        "Végétaliser les cours d'école",
        "Des fontaines d'eau potable dans les parcs",
        "Transformer les parkings en espaces verts",
        "Des toitures végétalisées sur les bâtiments publics",
        "Un potager collectif dans chaque quartier",
        "Plant trees along every street",
        "More shade in the squares during heatwaves",
        "Turn empty lots into community gardens",
        "Green schoolyards instead of asphalt",
        "Drinking fountains in all the parks",
        "Green roofs on public buildings",
        "A community vegetable garden in each district",
    ],
    "info": [
        "Informer les habitants des travaux à l'avance",
        "Publier les comptes rendus des réunions de quartier",
        "Traduire les invitations dans les langues du quartier",
        "Un journal de quartier distribué chaque mois",
        "Expliquer les décisions du conseil communal",
        "Un site web simple pour suivre les projets",
        "Des réunions publiques le soir pour ceux qui travaillent",
        "Répondre aux courriers des habitants en un mois",
        "Tell residents about roadworks in advance",
        "Publish the minutes of every neighbourhood meeting",
        "Translate invitations into the languages spoken here",
        "A monthly newsletter for the neighbourhood",
        "Explain the council's decisions in plain language",
        "A simple website to follow local projects",
        "Evening meetings for people who work during the day",
    ],
}
COPIED = "Plus de bancs dans le parc"
COPIES = 5000


@pytest.fixture(scope="module")
def clustered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Assignment]:
    real = [text for texts in TOPICS.values() for text in texts]
    texts = [COPIED] * (COPIES // 2) + real + [COPIED] * (COPIES - COPIES // 2)
    embedder = run_embedder(EmbedConfig(cache_dir=tmp_path_factory.mktemp("cache")))
    vectors = embedder.embed(list(dict.fromkeys(texts)))
    by_text = dict(zip(dict.fromkeys(texts), vectors, strict=True))
    embeddings = np.stack([by_text[text] for text in texts])
    langs = ["en" if text.isascii() and text != COPIED else "fr" for text in texts]
    return texts, cluster_notes(embeddings, langs, Config())


def test_identical_notes_are_one_theme(clustered: tuple[list[str], Assignment]) -> None:
    texts, assignment = clustered
    copies = {label for text, label in zip(texts, assignment.labels, strict=True) if text == COPIED}
    assert len(copies) == 1 and copies != {-1}  # one theme, every copy in it
    assert assignment.params["identical_copies_not_clustered"] == COPIES - MAX_COPIES


def test_identical_notes_push_no_other_note_out(clustered: tuple[list[str], Assignment]) -> None:
    texts, assignment = clustered
    real = [label for text, label in zip(texts, assignment.labels, strict=True) if text != COPIED]
    assert len(real) == 45
    assert sum(label >= 0 for label in real) >= 40  # were all unassigned
    (copied,) = {
        label for text, label in zip(texts, assignment.labels, strict=True) if text == COPIED
    }
    themes_of_real = Counter(label for label in real if label >= 0 and label != copied)
    assert len(themes_of_real) >= 2  # the real topics are themes of their own


def test_a_few_identical_notes_are_clustered_as_before() -> None:
    rows = np.eye(6)[[0, 1, 1, 2, 3, 3, 3]]
    groups = identical_groups(rows)
    assert groups == [0, 1, 1, 3, 4, 4, 4]
    assert seen_rows(groups) == list(range(7))  # nothing left out under MAX_COPIES + 1


def test_an_idea_written_many_times_that_fits_no_theme_is_a_theme_of_its_own() -> None:
    groups = [0] * 10 + [10, 11, 12]
    keep = seen_rows(groups)
    assert keep == [0, 1, 2, 10, 11, 12]
    seen = Assignment(
        labels=[-1, -1, -1, 0, 0, -1],
        probabilities=[0.0, 0.0, 0.0, 0.9, 0.8, 0.0],
        coords_2d=[(0.0, 0.0)] * 3 + [(1.0, 1.0), (1.0, 2.0), (5.0, 5.0)],
    )
    full = expand(seen, groups, keep)
    assert full.labels == [0] * 10 + [1, 1, -1]  # the ten copies: the larger theme, first
    assert full.params["themes_of_identical_notes"] == 1
    assert full.probabilities[:10] == [1.0] * 10
