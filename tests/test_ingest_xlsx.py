"""Excel workbooks: several sheets, formulas, empty sheets, sheets without notes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest


def patch_part(path: Path, part: str, pattern: str, replacement: str) -> None:
    """Edit one XML part of a saved workbook, to write what openpyxl itself does not."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml, count = re.subn(pattern, replacement, parts[part].decode())
    assert count == 1
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def set_cached_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell of the first sheet the value Excel would have cached."""
    patch_part(
        path,
        "xl/worksheets/sheet1.xml",
        rf'<c r="{cell}"><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
        rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v></c>',
    )


def workshop_workbook(path: Path) -> None:
    workbook = Workbook()
    swot = workbook.active
    assert swot is not None
    swot.title = "SWOT"
    swot.append(["Catégorie", "Idée", "Auteur", "Jour"])
    swot.append(["Force", "Un quartier solidaire", "Ann", 1.0])
    swot.append(["Faiblesse", "", "Bob", 1])
    swot.append(["Menace", '=B2&" !"', "Cy", 2])
    workbook.create_sheet("Vide")
    ideen = workbook.create_sheet("Ideen")
    ideen["A3"] = "Notiz"
    ideen["B3"] = "Tisch"
    ideen["A4"] = "Mehr Grün im Viertel"
    ideen["B4"] = 4
    ideen["A6"] = "Ein Repair-Café"
    scores = workbook.create_sheet("Scores")
    scores.append(["Nr", "Votes"])
    scores.append([1, 12])
    workbook.save(path)
    set_cached_value(path, "B4", "Un quartier solidaire !")


def test_every_non_empty_sheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "atelier.xlsx"
    workshop_workbook(path)

    result = ingest(path, IngestConfig())

    assert [(n.text, n.location) for n in result.notes] == [
        ("Un quartier solidaire", "sheet SWOT row 2"),
        ("Un quartier solidaire !", "sheet SWOT row 4"),  # the formula's cached value
        ("Mehr Grün im Viertel", "sheet Ideen row 4"),  # header on row 3
        ("Ein Repair-Café", "sheet Ideen row 6"),
    ]
    assert result.notes[0].metadata == {"category": "Force", "author": "Ann", "day": "1"}
    assert result.notes[2].metadata == {"table": "4"}
    assert [(r.location, r.reason) for r in result.rejected] == [
        ("sheet SWOT row 3", "empty text"),
        ("sheet Scores", "no text column found (columns: Nr, Votes); set ingest.text_column"),
    ]
    file = result.files[0]
    assert (file.format, file.notes, file.rejected) == ("xlsx", 4, 2)
    assert file.text_column == "Idée, Notiz"


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Text"])
    sheet.append(["Macro workbook note"])
    workbook.save(tmp_path / "macro.xlsm")

    result = ingest(tmp_path / "macro.xlsm", IngestConfig())

    assert [note.text for note in result.notes] == ["Macro workbook note"]


def test_bogus_sheet_dimensions_do_not_inflate_the_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nr", "Votes"])
    sheet.append([1, 3])
    path = tmp_path / "claims.xlsx"
    workbook.save(path)
    bogus = '<dimension ref="A1:XFD1048576"'
    patch_part(path, "xl/worksheets/sheet1.xml", r'<dimension ref="[^"]*"', bogus)

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig())

    # Only the two real columns, not the 16 384 the stored dimensions claim.
    assert str(error.value) == (
        "claims.xlsx: no text column found (columns: Nr, Votes); set ingest.text_column"
    )


def test_workbook_without_any_text_column_fails(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Votes"
    sheet.append(["Nr", "Votes"])
    sheet.append([1, 3])
    workbook.save(tmp_path / "votes.xlsx")

    with pytest.raises(IngestError) as error:
        ingest(tmp_path / "votes.xlsx", IngestConfig())

    assert str(error.value) == (
        "votes.xlsx: no text column found (columns: Nr, Votes); set ingest.text_column"
    )


def test_workbook_with_only_empty_sheets_fails(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "blank.xlsx")

    with pytest.raises(IngestError) as error:
        ingest(tmp_path / "blank.xlsx", IngestConfig())

    assert str(error.value) == (
        "blank.xlsx: every sheet is empty (put the notes on a sheet under a header row)"
    )


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Text"])
    for _ in range(100):
        sheet.append(["a" * 3000])
    path = tmp_path / "bomb.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 0.02 * 1024 * 1024  # small on disk, large once inflated

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig(max_file_mb=0.02))

    assert re.fullmatch(
        r"bomb\.xlsx: archive would expand to 0\.\d MB, more than 10× ingest\.max_file_mb "
        r"\(0\.02 MB\); refused as a possible zip bomb \(raise ingest\.max_file_mb if the "
        r"file is genuine\)",
        str(error.value),
    )


def titled_workbook(path: Path) -> None:
    """A sheet as a facilitator types it: a title on row 1, row 2 empty, the header on row 3."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Table 3"
    sheet["A1"] = "Atelier citoyen du 12 mars – Table 3"
    sheet.append([])
    sheet.append(["Thème", "Contribution des habitants", "Votes"])
    sheet.append(["Mobilité", "Plus de bus le soir vers les villages", 4])
    sheet.append(["Énergie", "Des panneaux solaires sur les écoles", 2])
    workbook.save(path)


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "atelier.xlsx"
    titled_workbook(path)
    result = ingest(path, IngestConfig())
    assert [note.text for note in result.notes] == [
        "Plus de bus le soir vers les villages",
        "Des panneaux solaires sur les écoles",
    ]
    assert [note.location for note in result.notes] == [
        "sheet Table 3 row 4",
        "sheet Table 3 row 5",
    ]
    assert result.notes[0].metadata["votes"] == "4"
    assert result.files[0].text_column == "Contribution des habitants"
    assert result.files[0].header_rows == ["sheet Table 3 row 3"]
    structure = {row.location: row.reason for row in result.rows if row.status.value == "structure"}
    assert structure == {
        "sheet Table 3 row 1": "title above the header row",
        "sheet Table 3 row 3": "header row (column names)",
    }
    assert "header_rows" not in result.files[0].model_copy(update={"header_rows": []}).model_dump()


def test_a_lone_header_naming_the_text_column_is_no_title(tmp_path: Path) -> None:
    path = tmp_path / "idees.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Idée"])
    sheet.append(["Plus de bancs", "Mobilité"])
    sheet.append(["Un composteur collectif", "Déchets"])
    workbook.save(path)
    result = ingest(path, IngestConfig())
    assert [note.text for note in result.notes] == ["Plus de bancs", "Un composteur collectif"]
    assert result.files[0].header_rows == []


def test_a_header_of_unknown_names_below_a_title_is_still_the_header(tmp_path: Path) -> None:
    path = tmp_path / "table2.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Table 2 – propositions"])
    sheet.append(["Ce que vous proposez", "Table", "Votes"])
    sheet.append(["Un composteur collectif au pied des immeubles", "2", 5])
    sheet.append(["Des bancs à l'ombre le long du canal", "2", 3])
    workbook.save(path)
    result = ingest(path, IngestConfig())
    assert [note.text for note in result.notes] == [
        "Un composteur collectif au pied des immeubles",
        "Des bancs à l'ombre le long du canal",
    ]
    assert result.notes[0].metadata == {"table": "2", "votes": "5"}
    assert result.files[0].header_rows == ["sheet Sheet row 2"]
