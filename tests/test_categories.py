"""Facilitator categories: real USE-multilingual embeddings, real config files, a real run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from pipeline.categorize import (
    NO_CATEGORY,
    categorize,
    centre_descriptions,
    choose_categories,
    softmax_margin,
)
from pipeline.config import ConfigError, load_config
from pipeline.embed import create_embedder

CATEGORIES = {
    "Mobilité": "Les transports, le vélo, les bus, la circulation et le stationnement en ville.",
    "Alimentation": "La nourriture, les repas à la cantine, les marchés et les produits locaux.",
    "Numérique": "Les ordinateurs, internet, les applications et la fibre optique.",
}

NOTES = [
    # (text, language, intended category)
    ("Plus de pistes cyclables sécurisées vers la gare", "fr", "Mobilité"),
    ("Les bus passent trop rarement le soir", "fr", "Mobilité"),
    ("Meer fietspaden en minder auto's in het centrum", "nl", "Mobilité"),
    ("De bus rijdt te weinig in het weekend", "nl", "Mobilité"),
    ("Des repas bio et locaux à la cantine scolaire", "fr", "Alimentation"),
    ("Un marché de producteurs le samedi matin", "fr", "Alimentation"),
    ("Gezonde lunch met lokale groenten op school", "nl", "Alimentation"),
    ("Een boerenmarkt met streekproducten", "nl", "Alimentation"),
    ("La fibre optique dans tous les villages", "fr", "Numérique"),
    ("Une application pour signaler les problèmes", "fr", "Numérique"),
    ("Snel internet en wifi in de bibliotheek", "nl", "Numérique"),
    ("Een app om afspraken met de gemeente te maken", "nl", "Numérique"),
]


@pytest.fixture(scope="module")
def embedded() -> tuple[np.ndarray, np.ndarray]:
    embedder = create_embedder("use-m3")
    notes = embedder.embed([text for text, _, _ in NOTES])
    descriptions = embedder.embed(list(CATEGORIES.values()))
    return notes, descriptions


def test_french_and_dutch_notes_get_the_category_they_are_about(embedded):
    notes, descriptions = embedded
    langs = [lang for _, lang, _ in NOTES]
    choices, _ = categorize(
        notes, langs, descriptions, ["fr"] * 3, list(CATEGORIES), [-1] * len(NOTES)
    )
    got = [c.best for c in choices]
    assert got == [category for _, _, category in NOTES]
    assert all(0.0 <= c.confidence <= 1.0 for c in choices)


def test_a_theme_gets_the_category_of_its_notes_with_their_share(embedded):
    notes, descriptions = embedded
    langs = [lang for _, lang, _ in NOTES]
    # Theme 0: the four mobility notes; theme 1: three food notes and one digital note.
    labels = [0, 0, 0, 0, 1, 1, 1, -1, -1, -1, -1, 1]
    choices, themes = categorize(
        notes, langs, descriptions, ["fr"] * 3, list(CATEGORIES), labels, min_confidence=0.0
    )
    assert [t.category for t in themes] == ["Mobilité", "Alimentation"]
    assert themes[0].share == 1.0
    assert themes[1].share == 0.75  # the digital note disagrees
    assert choices[11].category == "Numérique"
    assert themes[0].confidence > 0.2


def test_below_the_threshold_the_category_is_none():
    # Two descriptions equally close to the note: a tie, whatever the threshold.
    descriptions = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    tied = np.array([[np.sqrt(0.5), np.sqrt(0.5)]], dtype=np.float32)
    clear = np.array([[1.0, 0.0]], dtype=np.float32)
    names = ["A", "B"]
    (choice,) = choose_categories(tied, descriptions, names, temperature=0.05, min_confidence=0.2)
    assert choice.category == NO_CATEGORY
    assert choice.confidence == pytest.approx(0.0, abs=1e-6)
    (choice,) = choose_categories(clear, descriptions, names, temperature=0.05, min_confidence=0.2)
    assert choice.category == "A"
    assert choice.confidence > 0.99
    # A higher threshold than the margin turns the same clear-but-not-certain note to none.
    near = np.array([[0.8, 0.6]], dtype=np.float32)
    (loose,) = choose_categories(near, descriptions, names, temperature=0.5, min_confidence=0.05)
    (strict,) = choose_categories(near, descriptions, names, temperature=0.5, min_confidence=0.5)
    assert loose.category == "A"
    assert strict.category == NO_CATEGORY
    assert strict.best == "A"


def test_softmax_margin_grows_with_the_gap():
    similarity = np.array([[0.30, 0.29, 0.0], [0.30, 0.20, 0.0], [0.30, 0.0, 0.0]])
    best, margin = softmax_margin(similarity, temperature=0.05)
    assert best.tolist() == [0, 0, 0]
    assert margin[0] < margin[1] < margin[2]


def test_descriptions_are_centred_on_their_own_language():
    # French notes share an offset (the language signal); a French description must lose it.
    offset = np.array([0.0, 0.0, 1.0], dtype=np.float32)
    notes = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32) + np.array(
        [offset, offset, -offset, -offset]
    )
    langs = ["fr", "fr", "nl", "nl"]
    description = np.array([[1.0, 0.0, 0.0]], dtype=np.float32) + offset
    centred = centre_descriptions(description, ["fr"], notes, langs, prior=0.0)
    assert abs(float(centred[0, 2])) < 1e-6
    assert centred[0, 0] > 0.5


def _write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ideasynth.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[categories]]\nname = "A"\ndescription = "x"\n', "at least two categories"),
        (
            '[[categories]]\nname = "A"\ndescription = "x"\n'
            '[[categories]]\nname = "a"\ndescription = "y"\n',
            "given twice",
        ),
        (
            '[[categories]]\nname = "A"\ndescription = "x"\n'
            '[[categories]]\nname = "None"\ndescription = "y"\n',
            "reserved",
        ),
        ('[[categories]]\nname = "A"\n[[categories]]\nname = "B"\n', "description"),
        ('[[categories]]\nname = "A"\ndescription = "x"\ncolour = "red"\n', "colour"),
        ("[categorize]\nmin_confidence = 2\n", "min_confidence"),
    ],
)
def test_bad_categories_config_is_one_line_naming_the_file(tmp_path, body, expected):
    path = _write_config(tmp_path, body)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert "\n" not in message
    assert str(path) in message
    assert expected in message


def test_sample_config_has_the_workshops_four_categories():
    config = load_config(Path(__file__).parents[1] / "data" / "sample" / "ideasynth.toml")
    assert len(config.categories) == 4
    assert all(c.description for c in config.categories)


def test_a_run_writes_categories_to_every_output(tmp_path):
    from pipeline.run import run_workshop

    workshop = tmp_path / "workshop"
    workshop.mkdir()
    # Eleven notes: below the size where UMAP runs, so they form one theme and the test
    # stays fast; the notes' own categories are what is checked.
    lines = [text for text, _, _ in NOTES[:11]]
    (workshop / "notes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config_path = _write_config(
        workshop,
        "".join(
            f'[[categories]]\nname = "{name}"\ndescription = "{text}"\n'
            for name, text in CATEGORIES.items()
        ),
    )
    config = load_config(config_path)
    result, run_dir = run_workshop(workshop, config, tmp_path / "runs")
    active = [n for n in result.notes if n.theme_id is not None]
    assert active and all(n.category is not None for n in active)
    assert all(n.category_confidence is not None for n in active)
    by_text = {n.text: n.category for n in active}
    right = sum(by_text[text] == category for text, _, category in NOTES[:11])
    assert right == 11  # each of them is far above the default threshold (margin > 0.85)
    table = pq.read_table(run_dir / "notes.parquet")
    assert "category" in table.column_names
    themes = json.loads((run_dir / "themes.json").read_text(encoding="utf-8"))
    assert themes and all("category" in t and t["category"] for t in themes)
    from pipeline.i18n import run_language, words

    said = words(run_language(result)).gettext("category: %(category)s", category="").rstrip()
    assert said in (run_dir / "report.md").read_text(encoding="utf-8")  # in the run's words
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'class="badge category"' in html
