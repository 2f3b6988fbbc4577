"""Nothing read wrong, nothing dropped unseen: mixed encodings byte run by byte run, guessed
encodings flagged, oversized workbook cells refused while streaming, every file in the ledger.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
from pipeline.ingest.encoding import TextEncoding, decode_text, detect_encoding, is_guessed
from pipeline.ingest.ooxml import MAX_CELL_BYTES
from pipeline.ingest.problems import StrictInputError, input_problems, input_warnings
from pipeline.schema import RowStatus
from tests.hostile_files import write_inline_workbook

CP1252_UNDEFINED_IN_UTF8 = {
    "Ý": "C3 9D",
    "Á": "C3 81",
    "Í": "C3 8D",
    "”": "E2 80 9D",
    "Ő": "C5 90",
    "ŏ": "C5 8F",
}
"""UTF-8 characters holding a byte that cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
0x9D): each one made a mixed file fall through to a charset guess, or be dropped as binary."""


@pytest.mark.parametrize("char", list(CP1252_UNDEFINED_IN_UTF8))
def test_a_mixed_file_is_read_exactly_whatever_its_utf8_holds(tmp_path: Path, char: str) -> None:
    assert char.encode().hex(" ").upper() == CP1252_UNDEFINED_IN_UTF8[char]
    lines = [
        ("café à la carte", "cp1252"),
        (f"für die Straße {char} „quoted” – 5 €", "utf-8"),
        ("Ça coûte 5 € – déjà vu", "cp1252"),
        (f"{char}{char} ‘single’ œuvre", "utf-8"),
    ]
    data = b"".join(f"{text}\n".encode(codec) for text, codec in lines)
    (tmp_path / "mixed.txt").write_bytes(data)
    result = ingest(tmp_path, IngestConfig())
    assert [n.text for n in result.notes] == [text for text, _ in lines]
    assert result.files[0].encoding == "utf-8 + cp1252"
    assert result.errors == [] and input_warnings(result) == []


def test_the_probe_s_mojibake_case_is_exact(tmp_path: Path) -> None:
    """``Ý`` in the UTF-8 half made the whole file cp1250: ``café à`` became ``café ŕ``."""
    data = "café à\n".encode("cp1252") + "für Ýmir … Straße\n".encode()
    text, label = decode_text(data)
    assert text == "café à\nfür Ýmir … Straße\n" and label == "utf-8 + cp1252"


def test_an_encoding_that_is_neither_is_guessed_and_flagged(tmp_path: Path) -> None:
    # Windows Cyrillic: 0x81 (Ѓ) and 0x90 (ђ) are bytes cp1252 leaves undefined.
    text = "Ѓорад треба више ђачких паркова и клупа у хладу\nЈош једна идеја о граду\n"
    (tmp_path / "cyrillic.txt").write_bytes(text.encode("cp1251"))
    with (tmp_path / "cyrillic.txt").open("rb") as stream:
        encoding = detect_encoding(stream)
    assert encoding.guessed and encoding.label.endswith(" (guessed)")
    result = ingest(tmp_path, IngestConfig())
    assert result.notes  # read, not dropped
    assert is_guessed(result.files[0].encoding)
    [warning] = input_warnings(result)
    assert warning.startswith("cyrillic.txt: read as ") and "not certain" in warning
    assert input_problems(result) == [warning]
    with pytest.raises(StrictInputError, match=r"cyrillic\.txt"):
        ingest(tmp_path, IngestConfig(strict=True))


def test_certain_encodings_are_not_flagged() -> None:
    for label in ("utf-8", "utf-8 + cp1252", "utf-8-sig", "cp1252", None):
        assert not is_guessed(label)
    assert TextEncoding("cp1250", "replace", guessed=True).label == "cp1250 (guessed)"
    assert decode_text(codecs.BOM_UTF8 + "Ý”".encode())[0] == "Ý”"


def _workbook(path: Path, cells: list[str]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Note"])
    for cell in cells:
        sheet.append([cell])
    book.save(path)
    return path


def test_an_oversized_cell_is_refused_while_streaming(tmp_path: Path) -> None:
    folder = tmp_path / "atelier"
    folder.mkdir()
    write_inline_workbook(folder / "huge.xlsx", ["Note", "Une note", MAX_CELL_BYTES + 10])
    _workbook(folder / "fine.xlsx", ["Une note normale", "y" * 20_000])
    result = ingest(folder, IngestConfig())
    [error] = result.errors
    assert error.startswith("huge.xlsx: ") and "more than 1 MB of text" in error
    assert {n.source for n in result.notes} == {"fine.xlsx"}
    assert [r.source for r in result.rows if r.status is RowStatus.SKIPPED_FILE] == ["huge.xlsx"]


def test_an_oversized_sheet_is_refused_while_streaming(tmp_path: Path) -> None:
    """Many cells, each small: the sheet's XML is over ingest.max_file_mb although the
    compressed file is far under it (the declared-total check alone let it through)."""
    folder = tmp_path / "atelier"
    folder.mkdir()
    path = _workbook(folder / "wide.xlsx", [f"{i} " + "z" * 4000 for i in range(400)])
    assert path.stat().st_size < 100_000
    with zipfile.ZipFile(path) as archive:
        size = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/"))
    max_mb = 1.0
    assert size > max_mb * 1_000_000
    with pytest.raises(IngestError, match=r"more than 1 MB of XML"):
        ingest(path, IngestConfig(max_file_mb=max_mb))
    assert ingest(path, IngestConfig(max_file_mb=5)).notes


def test_every_file_not_read_has_a_ledger_row_hidden_ones_included(tmp_path: Path) -> None:
    folder = tmp_path / "atelier"
    for name in ("notes.txt", ".hidden.txt", "..dots.csv", ".git/notes.txt", "_labels.csv"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("Une idée\n", encoding="utf-8")
    (folder / "~$lock.xlsx").write_bytes(b"lock")
    (folder / "ideasynth.toml").write_text("[ingest]\n", encoding="utf-8")
    result = ingest(folder, IngestConfig())
    skipped = {r.source: r.reason for r in result.rows if r.status is RowStatus.SKIPPED_FILE}
    assert set(skipped) == {
        ".hidden.txt",
        "..dots.csv",
        ".git",
        "_labels.csv",
        "~$lock.xlsx",
        "ideasynth.toml",
    }
    assert skipped[".git"].startswith("hidden folder, not read")
    assert skipped["..dots.csv"].startswith("hidden file, not read")
    assert all(skipped.values())
    assert len(result.skipped) == len(skipped)
    # Not read by design: a ledger row each, but no warning, and the input is complete.
    assert result.errors == [] and input_problems(result) == []
    assert [n.source for n in result.notes] == ["notes.txt"]
