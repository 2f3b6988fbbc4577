"""Text column detection and metadata keys, in the four workshop languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
from pipeline.ingest.columns import (
    ColumnError,
    detect_layout,
    find_text_column,
    metadata_keys,
    normalize_name,
)

LONG = "Une phrase assez longue pour être une note"


@pytest.mark.parametrize(
    "header",
    [
        # en
        "Text", "Note", "Ideas", "Content", "Sticky note", "Post-it", "Card", "Comment",
        # fr
        "Texte", "Idée", "IDEE", "Contenu", "Commentaire", "Proposition", "Votre idée", "Remarques",
        # nl
        "Tekst", "Notitie", "Inhoud", "Opmerking", "Ideeën",
        # de
        "Notiz", "Inhalt", "Kommentar", "Beitrag", "Vorschläge", "Bemerkung",
        # spacing, case and punctuation do not matter
        " post it ", "POST_IT", "  idée  ",
    ],
)  # fmt: skip
def test_text_column_is_found_by_name(header: str) -> None:
    assert find_text_column(["Auteur", header, "Tafel"]) == 1


@pytest.mark.parametrize("headers", [["Note ID", "Auteur"], ["Nr", "Name"], ["Tisch", "Runde"]])
def test_ids_counts_and_metadata_are_not_text(headers: list[str]) -> None:
    assert find_text_column(headers) is None


def test_most_specific_name_wins() -> None:
    assert find_text_column(["Commentaire", "Idée"]) == 1
    assert find_text_column(["Votre idée", "Note"]) == 1  # a whole-header match beats a word


def test_normalize_name_ignores_case_accents_and_punctuation() -> None:
    assert normalize_name(" Übung-Nr. ") == "ubungnr"
    assert normalize_name("Catégorie") == normalize_name("CATEGORIE") == "categorie"
    assert normalize_name("Straße") == "strasse"


def test_metadata_headers_map_to_canonical_keys() -> None:
    headers = ["Pseudonyme", "Idée", "Tisch", "Übung", "Jour", "SWOT", "Couleur", ""]

    assert metadata_keys(headers, text_index=1) == {
        0: "author",
        2: "table",
        3: "exercise",
        4: "day",
        5: "category",
        6: "couleur",
        7: "column 8",
    }


@pytest.mark.parametrize(
    "headers",
    [
        ["Naam", "Tafel", "Oefening", "Dag", "Categorie"],
        ["Autor", "Gruppe", "Uebung", "Tag", "Kategorie"],
        ["Author", "Group", "Round", "Day", "Type"],
        ["Nom", "Groupe", "Activité", "Jour", "Catégorie"],
    ],
)
def test_metadata_in_each_language(headers: list[str]) -> None:
    keys = metadata_keys(["Text", *headers], text_index=0)

    assert list(keys.values()) == ["author", "table", "exercise", "day", "category"]


@pytest.mark.parametrize(("header", "key"), [("Date", "date"), ("Datum", "datum")])
def test_a_date_column_keeps_its_own_name(header: str, key: str) -> None:
    assert metadata_keys(["Contribution", header], text_index=0) == {1: key}


def test_two_columns_with_the_same_meaning_keep_both() -> None:
    assert metadata_keys(["Text", "Auteur", "Name"], text_index=0) == {1: "author", 2: "name"}


def test_override_matches_exactly_or_loosely() -> None:
    assert detect_layout(["Idée", "Couleur"], [], "Couleur").text_index == 1
    assert detect_layout(["Idée", "Couleur"], [], "couleur ").text_index == 1


def test_override_that_is_absent_lists_the_columns() -> None:
    with pytest.raises(ColumnError) as error:
        detect_layout(["a", "b", "c"], [], "X")

    assert error.value.message() == "column 'X' not found (columns: a, b, c)"


def test_unnamed_column_with_long_text_is_chosen() -> None:
    rows = [["1", LONG, "Ann"], ["2", LONG + " encore", "Bob"]]

    layout = detect_layout(["#", "Q1", "Qui"], rows, None)

    assert layout.text_column == "Q1"


def test_short_unnamed_columns_are_not_guessed() -> None:
    rows = [["1", "oui", "Ann"], ["2", "non", "Bob"]]

    with pytest.raises(ColumnError) as error:
        detect_layout(["#", "Q1", "Qui"], rows, None)

    assert error.value.message() == (
        "no text column found (columns: #, Q1, Qui); set ingest.text_column"
    )


@pytest.mark.parametrize("header", ["Idée;Auteur", "Tekst;Naam", "Notiz;Autor", "Comment;Author"])
def test_csv_in_each_language(tmp_path: Path, header: str) -> None:
    path = tmp_path / "n.csv"
    path.write_text(f"{header}\nBetter buses at night;Ann\n", encoding="utf-8")

    result = ingest(path, IngestConfig())

    assert [note.text for note in result.notes] == ["Better buses at night"]
    assert result.notes[0].metadata == {"author": "Ann"}
    assert result.files[0].text_column == header.split(";")[0]


def test_config_override_on_a_file(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("Idée;Q1\nignored;chosen\n", encoding="utf-8")

    result = ingest(path, IngestConfig(text_column="Q1"))

    assert [note.text for note in result.notes] == ["chosen"]
    assert result.notes[0].metadata == {"idée": "ignored"}
    assert result.files[0].text_column == "Q1"


def test_config_override_absent_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("Idée;Auteur\nx;y\n", encoding="utf-8")

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig(text_column="Notes"))

    assert str(error.value) == "n.csv: column 'Notes' not found (columns: Idée, Auteur)"


def test_a_column_chosen_by_its_text_is_recorded_and_warned(tmp_path: Path) -> None:
    """Columns no name recognises (foo, bar, baz): the longest text is read, and the
    manifest's warnings say which column, so a wrong guess is seen."""
    from pipeline.ingest.problems import input_warnings

    path = tmp_path / "notes.csv"
    path.write_text(f"foo,bar,baz\n1,{LONG},x\n2,{LONG} encore,y\n", encoding="utf-8")
    result = ingest(path, IngestConfig())
    assert [n.text for n in result.notes] == [LONG, f"{LONG} encore"]
    (file,) = result.files
    assert file.text_column == "bar" and file.guessed_columns == ["bar"]
    assert input_warnings(result) == ["notes.csv: no text column named; read column 'bar'"]
    # Named by the settings, or by its header, it is no guess.
    named = ingest(path, IngestConfig(text_column="bar"))
    assert named.files[0].guessed_columns == [] and input_warnings(named) == []
    path.write_text(f"id,Idée\n1,{LONG}\n", encoding="utf-8")
    assert ingest(path, IngestConfig()).files[0].guessed_columns == []
