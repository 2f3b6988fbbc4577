"""Word documents: paragraphs, headings as sections, tables with and without header."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest


def report_docx(path: Path) -> None:
    document = Document()
    document.add_paragraph("Note libre avant tout titre")
    document.add_heading("Mobilité", level=1)
    document.add_paragraph("Plus de pistes cyclables")
    document.add_paragraph("")
    document.add_paragraph("• Des navettes le dimanche")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [["Idée", "Auteur", "Tafel"], ["Un parking vélo", "Ann", "2"], ["", "Bob", "3"]],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("Grille", level=2)
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text = "Bancs"
    grid.cell(0, 1).text = "Ombre"
    grid.cell(1, 1).text = "Fontaine"
    document.add_paragraph("Dernier paragraphe")
    document.save(str(path))


def test_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "rapport.docx"
    report_docx(path)

    result = ingest(path, IngestConfig())

    assert [(n.text, n.location, n.metadata) for n in result.notes] == [
        ("Note libre avant tout titre", "paragraph 1", {}),
        ("Plus de pistes cyclables", "paragraph 3", {"section": "Mobilité"}),
        ("Des navettes le dimanche", "paragraph 4", {"section": "Mobilité"}),
        (
            "Un parking vélo",
            "table 1 row 2",
            {"section": "Mobilité", "author": "Ann", "table": "2"},
        ),
        ("Bancs", "table 2 row 1 cell 1", {"section": "Grille"}),
        ("Ombre", "table 2 row 1 cell 2", {"section": "Grille"}),
        ("Fontaine", "table 2 row 2 cell 2", {"section": "Grille"}),
        ("Dernier paragraphe", "paragraph 6", {"section": "Grille"}),
    ]
    assert [(r.location, r.reason) for r in result.rejected] == [("table 1 row 3", "empty text")]
    file = result.files[0]
    assert (file.format, file.notes, file.rejected, file.text_column) == ("docx", 8, 1, "Idée")


def test_merged_cells_count_once(tmp_path: Path) -> None:
    document = Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Large"
    table.cell(0, 2).merge(table.cell(1, 2)).text = "Haute"
    table.cell(1, 0).text = "Seule"
    document.save(str(tmp_path / "merged.docx"))

    result = ingest(tmp_path / "merged.docx", IngestConfig())

    assert [(n.text, n.location) for n in result.notes] == [
        ("Large", "table 1 row 1 cell 1"),
        ("Haute", "table 1 row 1 cell 2"),
        ("Seule", "table 1 row 2 cell 1"),
    ]


def test_document_that_is_a_workbook(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "wrong.docx")

    with pytest.raises(IngestError) as error:
        ingest(tmp_path / "wrong.docx", IngestConfig())

    assert str(error.value) == (
        "wrong.docx: not a Word document: this is an Excel workbook (rename it to .xlsx)"
    )


def test_table_header_named_by_the_config(tmp_path: Path) -> None:
    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Q1"
    table.cell(0, 1).text = "Qui"
    table.cell(1, 0).text = "Un atelier vélo"
    table.cell(1, 1).text = "Ann"
    document.save(str(tmp_path / "q.docx"))

    as_cells = ingest(tmp_path / "q.docx", IngestConfig())
    as_rows = ingest(tmp_path / "q.docx", IngestConfig(text_column="Q1"))

    assert [n.text for n in as_cells.notes] == ["Q1", "Qui", "Un atelier vélo", "Ann"]
    assert [(n.text, n.location, n.metadata) for n in as_rows.notes] == [
        ("Un atelier vélo", "table 1 row 2", {"qui": "Ann"})
    ]
