"""Plain text and Markdown: one note per line, bullets stripped, headings as sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
from pipeline.schema import IngestResult


def ingest_text(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> IngestResult:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return ingest(path, IngestConfig())


def test_bullets_and_numbering_are_stripped(tmp_path: Path) -> None:
    text = (
        "- tiret\n"
        "* étoile\n"
        "• puce\n"
        "1. numéro point\n"
        "12) numéro parenthèse\n"
        "- [ ] case à cocher\n"
        "ligne simple, 2024. sans puce\n"
        "\n"
        "   \n"
        "-\n"
    )

    result = ingest_text(tmp_path, "notes.txt", text)

    assert [(n.text, n.location) for n in result.notes] == [
        ("tiret", "line 1"),
        ("étoile", "line 2"),
        ("puce", "line 3"),
        ("numéro point", "line 4"),
        ("numéro parenthèse", "line 5"),
        ("case à cocher", "line 6"),
        ("ligne simple, 2024. sans puce", "line 7"),
    ]
    assert [(r.location, r.reason) for r in result.rejected] == [("line 10", "empty text")]
    assert result.files[0].format == "text"
    assert result.files[0].text_column is None


def test_indented_lines_continue_a_bullet(tmp_path: Path) -> None:
    text = (
        "- Des bancs le long\n"
        "  du canal\n"
        "\tet à l'ombre\n"
        "  - sous-puce\n"
        "Pas une suite\n"
        "  indentée mais sans puce\n"
    )

    result = ingest_text(tmp_path, "notes.txt", text)

    assert [(n.text, n.location) for n in result.notes] == [
        ("Des bancs le long du canal et à l'ombre", "line 1"),
        ("sous-puce", "line 4"),
        ("Pas une suite", "line 5"),
        ("indentée mais sans puce", "line 6"),
    ]


def test_markdown_headings_become_sections(tmp_path: Path) -> None:
    text = (
        "# Dag 1\n"
        "- Meer groen\n"
        "## Tafel 2 ##\n"
        "Fietsenstalling\n"
        "\n"
        "Tag 2\n"
        "=====\n"
        "- Mehr Bänke\n"
        "\n"
        "---\n"
        "#hashtag is geen titel\n"
    )

    result = ingest_text(tmp_path, "verslag.md", text)

    assert [(n.text, n.location, n.metadata) for n in result.notes] == [
        ("Meer groen", "line 2", {"section": "Dag 1"}),
        ("Fietsenstalling", "line 4", {"section": "Tafel 2"}),
        ("Mehr Bänke", "line 8", {"section": "Tag 2"}),
        ("#hashtag is geen titel", "line 11", {"section": "Tag 2"}),
    ]
    assert result.files[0].format == "markdown"


def test_cp1252_text_file(tmp_path: Path) -> None:
    result = ingest_text(tmp_path, "windows.txt", "Straße für Übung – 5 €\r\nçà\r\n", "cp1252")

    assert [n.text for n in result.notes] == ["Straße für Übung – 5 €", "çà"]


def test_headings_only_gives_no_notes(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as error:
        ingest_text(tmp_path, "titres.md", "# Jour 1\n## Table 2\n")

    assert str(error.value) == (
        "titres.md: no notes found (add files with one note per row or line; supported: "
        ".csv, .docx, .json, .jsonl, .markdown, .md, .tsv, .txt, .xlsm, .xlsx)"
    )
