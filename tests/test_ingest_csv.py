"""CSV/TSV reading: delimiters, encodings, quoting, ragged and empty rows."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
from pipeline.schema import IngestResult

ACCENTED = "Crème brûlée à 5 € pour l'été, ça: Übergröße ß, Zoë, naïef"


def ingest_bytes(tmp_path: Path, name: str, data: bytes, **config: object) -> IngestResult:
    path = tmp_path / name
    path.write_bytes(data)
    return ingest(path, IngestConfig.model_validate(config))


def texts(result: IngestResult) -> list[str]:
    return [note.text for note in result.notes]


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("comma.csv", ","), ("semicolon.csv", ";"), ("tab.csv", "\t"), ("tab.tsv", "\t")],
)
def test_delimiters_are_sniffed(tmp_path: Path, name: str, delimiter: str) -> None:
    rows = [
        ["Idée", "Auteur", "Table"],
        ['"Des bancs, des arbres et de l\'ombre"', "Zoë", "3"],
        ["Un marché local le samedi", "Jan", "1"],
    ]
    data = "\n".join(delimiter.join(row) for row in rows).encode()

    result = ingest_bytes(tmp_path, name, data)

    assert texts(result) == ["Des bancs, des arbres et de l'ombre", "Un marché local le samedi"]
    assert [note.location for note in result.notes] == ["row 2", "row 3"]
    assert result.notes[0].metadata == {"author": "Zoë", "table": "3"}
    assert result.notes[0].source == name
    assert result.files[0].text_column == "Idée"
    assert result.files[0].format == "csv"


def test_commas_in_notes_do_not_fool_the_sniffer(tmp_path: Path) -> None:
    lines = ["texte;auteur"] + [f"un, deux, trois, quatre, {n};P{n}" for n in range(5)]

    result = ingest_bytes(tmp_path, "notes.csv", "\n".join(lines).encode())

    assert texts(result)[0] == "un, deux, trois, quatre, 0"
    assert result.notes[0].metadata == {"author": "P0"}


def test_single_column_file_keeps_commas(tmp_path: Path) -> None:
    data = "Note\nMoins de voitures, plus de vélos\nUne fête, un dimanche\n".encode()

    result = ingest_bytes(tmp_path, "one.csv", data)

    assert texts(result) == ["Moins de voitures, plus de vélos", "Une fête, un dimanche"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("cp1252", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    content = f"Commentaire;Pseudonyme\r\n{ACCENTED};Jürgen\r\n"
    data = prefix + content.encode(encoding)

    result = ingest_bytes(tmp_path, "accents.csv", data)

    assert texts(result) == [ACCENTED]
    assert result.notes[0].metadata == {"author": "Jürgen"}
    assert result.files[0].text_column == "Commentaire"


def test_cp1252_and_utf8_give_the_same_ids(tmp_path: Path) -> None:
    content = f"text\n{ACCENTED}\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = ingest_bytes(tmp_path / "a", "n.csv", content.encode("cp1252"))
    second = ingest_bytes(tmp_path / "b", "n.csv", content.encode("utf-8"))

    assert first.notes[0].id == second.notes[0].id


def test_forced_encoding_is_used(tmp_path: Path) -> None:
    # UTF-8 bytes read as cp1252 on purpose: the configured encoding wins over detection.
    result = ingest_bytes(tmp_path, "n.csv", "text\nété\n".encode(), encoding="cp1252")

    assert texts(result) == ["Ã©tÃ©"]


@pytest.mark.parametrize(
    ("encoding", "problem"),
    [
        ("utf-8", "cannot decode as utf-8 at line 2 (byte 5)"),
        # "utf-16" fails before any byte is decoded when there is no byte-order mark.
        ("utf-16", "cannot decode as utf-16 (UTF-16 stream does not start with BOM)"),
    ],
)
def test_forced_encoding_that_does_not_fit_is_one_line(
    tmp_path: Path, encoding: str, problem: str
) -> None:
    with pytest.raises(IngestError) as error:
        ingest_bytes(tmp_path, "n.csv", "text\nété\n".encode("cp1252"), encoding=encoding)

    assert str(error.value) == (
        f"n.csv: {problem} (fix ingest.encoding or leave it unset to detect the encoding)"
    )


def test_multiline_quoted_cells_and_row_numbers(tmp_path: Path) -> None:
    data = (
        'note,author\r\n"Première ligne\r\ndeuxième ligne",Ann\r\n'
        '"Avec ""guillemets""",Bob\r\n\r\nAprès une ligne vide,Cy\r\n'
    ).encode()

    result = ingest_bytes(tmp_path, "multi.csv", data)

    assert texts(result) == [
        "Première ligne\ndeuxième ligne",
        'Avec "guillemets"',
        "Après une ligne vide",
    ]
    # Records, not physical lines: the blank record 4 still counts, as in a spreadsheet.
    assert [note.location for note in result.notes] == ["row 2", "row 3", "row 5"]


def test_ragged_rows_are_tolerated(tmp_path: Path) -> None:
    data = b"idea,author,table\nshort row\nlong row,Ann,2,extra\n"

    result = ingest_bytes(tmp_path, "ragged.csv", data)

    assert texts(result) == ["short row", "long row"]
    assert result.notes[0].metadata == {}
    assert result.notes[1].metadata == {"author": "Ann", "table": "2", "column 4": "extra"}


def test_empty_text_cells_are_rejected_not_lost(tmp_path: Path) -> None:
    data = b"idea;author\nfirst;Ann\n   ;Bob\n;;\nsecond;\n"

    result = ingest_bytes(tmp_path, "gaps.csv", data)

    assert texts(result) == ["first", "second"]
    assert [(r.location, r.reason, r.source) for r in result.rejected] == [
        ("row 3", "empty text", "gaps.csv")
    ]
    assert (result.files[0].notes, result.files[0].rejected) == (2, 1)


def test_runaway_quote_is_cut_at_the_field_limit(tmp_path: Path) -> None:
    big = "x" * 200_000
    data = f'text\n"never closed {big}\n'.encode()

    with pytest.raises(IngestError) as error:
        ingest_bytes(tmp_path, "quote.csv", data)

    assert str(error.value) == (
        "quote.csv: no notes found (1 rows rejected, first at row 2: text too long "
        "(200014 characters; ingest.max_note_chars is 5000): split it into notes or raise the "
        "limit)"
    )


def test_an_unclosed_quote_does_not_swallow_the_rows_below(tmp_path: Path) -> None:
    data = (
        b'idea,author\nfirst,Ann\n"never closed,Bob\nthird,Cy\n"quoted, with comma",Dee\n'
        b'multi "line,Eve\n'
    )

    result = ingest_bytes(tmp_path, "quote.csv", data)

    assert [(n.text, n.location, n.metadata) for n in result.notes] == [
        ("first", "row 2", {"author": "Ann"}),
        ('"never closed', "row 3", {"author": "Bob"}),
        ("third", "row 4", {"author": "Cy"}),
        ("quoted, with comma", "row 5", {"author": "Dee"}),
        ('multi "line', "row 6", {"author": "Eve"}),
    ]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    data = (
        "Atelier citoyen du 12 mars – Table 3;;\n"
        ";;\n"
        "Thème;Contribution des habitants;Votes\n"
        "Mobilité;Plus de bus le soir vers les villages;4\n"
        "Énergie;Des panneaux solaires sur les écoles;2\n"
    ).encode()
    result = ingest_bytes(tmp_path, "atelier.csv", data)
    assert texts(result) == [
        "Plus de bus le soir vers les villages",
        "Des panneaux solaires sur les écoles",
    ]
    assert result.files[0].header_rows == ["row 3"]
    assert ("row 1", "title above the header row") in [
        (row.location, row.reason) for row in result.rows
    ]


def test_a_one_column_file_keeps_its_first_row_as_header(tmp_path: Path) -> None:
    data = b"Post-its\nPlus de bancs\nUn composteur collectif\n"
    result = ingest_bytes(tmp_path, "postits.csv", data)
    assert texts(result) == ["Plus de bancs", "Un composteur collectif"]
    assert result.files[0].header_rows == []
