"""The ingest step: folder walk, stable ids, and one clear line for every broken input."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ReaderError, ingest, note_id, readers
from pipeline.ingest.collect import ReadResult
from pipeline.ingest.source import Source

SUPPORTED = ".csv, .docx, .json, .jsonl, .markdown, .md, .tsv, .txt, .xlsm, .xlsx"


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def ids_by_text(path: Path) -> dict[str, str]:
    return {note.text: note.id for note in ingest(path, IngestConfig()).notes}


# --- stable ids -----------------------------------------------------------------------------


def test_note_id_formula() -> None:
    digest = hashlib.sha256(b"a.csv\0Plus de bancs\x000").hexdigest()

    assert note_id("a.csv", "Plus de bancs", 0) == "n" + digest[:12]
    assert len(note_id("a.csv", "x", 0)) == 13


def test_ids_are_stable_across_runs_and_reordering(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "idea\nalpha\nbeta\ngamma\n")
    first = ids_by_text(path)
    assert ids_by_text(path) == first

    write(tmp_path, "n.csv", "idea\ngamma\ndelta\nalpha\nbeta\n")
    reordered = ids_by_text(path)

    assert {text: reordered[text] for text in first} == first
    assert len(set(reordered.values())) == 4


def test_identical_notes_get_distinct_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "n.txt", "- même idée\n- autre\n- même idée\n")

    notes = ingest(path, IngestConfig()).notes

    assert [note.id for note in notes] == [
        note_id("n.txt", "même idée", 0),
        note_id("n.txt", "autre", 0),
        note_id("n.txt", "même idée", 1),
    ]
    assert len({note.id for note in notes}) == 3


def test_same_text_in_another_file_gets_another_id(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "idée\n")
    write(tmp_path, "b.txt", "idée\n")

    notes = ingest(tmp_path, IngestConfig()).notes

    assert [note.id for note in notes] == [note_id("a.txt", "idée", 0), note_id("b.txt", "idée", 0)]


# --- folder walk ----------------------------------------------------------------------------


def test_folder_walk_skips_annotations_hidden_and_unsupported(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "note b\n")
    write(tmp_path, "a.csv", "texte\nnote a\n")
    write(tmp_path, "jour 2/table 1.md", "- note in subfolder\n")
    write(tmp_path, "jour 2/README.md", "read: only the root README is documentation\n")
    write(tmp_path, "_labels.csv", "text,theme\nnote a,x\n")
    write(tmp_path, "jour 2/_intended_themes.csv", "text,theme\nnote b,x\n")
    write(tmp_path, ".hidden.txt", "hidden\n")
    write(tmp_path, ".git/notes.txt", "hidden dir\n")
    write(tmp_path, "~$atelier.xlsx", b"lock file written by Excel")
    write(tmp_path, "ideasynth.toml", "[ingest]\n")
    write(tmp_path, "README.md", "# About this folder\n")
    write(tmp_path, "README.txt", "about\n")
    write(tmp_path, "photos/board.pdf", b"%PDF-1.4\n")
    write(tmp_path, "LICENSE", "no extension\n")

    result = ingest(tmp_path, IngestConfig())

    assert [(n.source, n.text) for n in result.notes] == [
        ("a.csv", "note a"),
        ("b.txt", "note b"),
        ("jour 2/README.md", "read: only the root README is documentation"),
        ("jour 2/table 1.md", "note in subfolder"),
    ]
    assert [file.path for file in result.files] == [
        "a.csv",
        "b.txt",
        "jour 2/README.md",
        "jour 2/table 1.md",
    ]
    assert result.errors == [
        f"LICENSE: skipped, unsupported format without extension (supported: {SUPPORTED})",
        f"photos/board.pdf: skipped, unsupported format '.pdf' (supported: {SUPPORTED})",
    ]


def test_input_file_records_checksum_and_counts(tmp_path: Path) -> None:
    content = b"idea\nx\n\n \ny\n"
    write(tmp_path, "n.csv", content)

    file = ingest(tmp_path, IngestConfig()).files[0]

    assert file.model_dump() == {
        "path": "n.csv",
        "sha256": hashlib.sha256(content).hexdigest(),
        "format": "csv",
        "notes": 2,
        "rejected": 0,
        "text_column": "idea",
        "structure": 1,
        "encoding": "utf-8",
    }


def test_over_long_note_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "n.txt", "court\n" + "x" * 30 + "\n")

    result = ingest(path, IngestConfig(max_note_chars=20))

    assert [n.text for n in result.notes] == ["court"]
    assert [(r.location, r.reason, r.text) for r in result.rejected] == [
        (
            "line 2",
            "text too long (30 characters; ingest.max_note_chars is 20): split it into notes "
            "or raise the limit",
            "x" * 20,
        )
    ]


# --- broken inputs --------------------------------------------------------------------------

BROKEN: list[tuple[str, bytes, str]] = [
    ("empty.csv", b"", "file is empty (export the notes again or remove the file)"),
    ("blank.txt", b"  \n\n", "file is empty (write one note per line or remove the file)"),
    (
        "garbage.csv",
        random.Random(7).randbytes(4096),
        "binary data, not text (save it again as UTF-8 text)",
    ),
    (
        "controls.csv",
        bytes(range(1, 9)) * 200,
        "binary data, not text (save it again as UTF-8 text)",
    ),
    (
        "scan.csv",
        b"%PDF-1.7\n1 0 obj\n",
        "binary data, not text: looks like a PDF document (save it again as UTF-8 text)",
    ),
    (
        "budget.xlsx",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "not an Excel workbook: looks like a PDF document "
        "(open it in its application and save it as .xlsx)",
    ),
    (
        "old.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "not an Excel workbook: looks like an old Office file (.xls or .doc) "
        "(open it in its application and save it as .xlsx)",
    ),
    (
        "report.docx",
        b"Just text pretending to be Word",
        "not a Word document: not a ZIP container "
        "(open it in its application and save it as .docx)",
    ),
    (
        "broken.json",
        b'[{"text": "a",}]',
        "invalid JSON: Expecting property name enclosed in double quotes at line 1 column 15 "
        "(fix the file or export it again)",
    ),
    (
        "votes.csv",
        b"Nr;Votes\n1;3\n2;5\n",
        "no text column found (columns: Nr, Votes); set ingest.text_column",
    ),
]


@pytest.mark.parametrize(("name", "content", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_single_file_raises_one_line(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = write(tmp_path, name, content)

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig())

    assert str(error.value) == f"{name}: {problem}"


def test_broken_files_do_not_stop_the_folder(tmp_path: Path) -> None:
    for name, content, _ in BROKEN:
        write(tmp_path, f"in/{name}", content)
    write(tmp_path, "in/good.csv", "idée\nune bonne note\n")

    result = ingest(tmp_path, IngestConfig())

    assert [note.text for note in result.notes] == ["une bonne note"]
    assert sorted(result.errors) == sorted(f"in/{name}: {problem}" for name, _, problem in BROKEN)
    assert all("\n" not in line for line in result.errors)
    assert [file.path for file in result.files] == ["in/good.csv"]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "text\n" + "x" * 1995)

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig(max_file_mb=0.001))

    assert str(error.value) == (
        "big.csv: file is 0.002 MB, over the limit of 0.001 MB "
        "(raise ingest.max_file_mb or split the file)"
    )


def test_a_file_over_the_limit_is_said_in_megabytes_of_a_million_bytes(tmp_path: Path) -> None:
    """A 220,460,000-byte file is 220 MB, as file managers count, not the 210 "MB" its
    mebibytes made; the default limit of 200 MB is 200,000,000 bytes (a sparse file: no disk
    is used)."""
    path = tmp_path / "export.csv"
    with path.open("wb") as handle:
        handle.write(b"text\n")
        handle.truncate(220_460_000)
    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig())
    assert str(error.value) == (
        "export.csv: file is 220 MB, over the limit of 200 MB "
        "(raise ingest.max_file_mb or split the file)"
    )
    with path.open("r+b") as handle:
        handle.truncate(200_000_001)
    with pytest.raises(IngestError, match="file is 200,000,001 bytes, over the limit of 200 MB"):
        ingest(path, IngestConfig())


def test_workbook_renamed_docx_names_the_real_format(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "notes.docx")
    write(tmp_path, "ok.txt", "ok\n")

    result = ingest(tmp_path, IngestConfig())

    assert result.errors == [
        "notes.docx: not a Word document: this is an Excel workbook (rename it to .xlsx)"
    ]


def test_unexpected_reader_failure_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(source: Source, config: IngestConfig) -> ReadResult:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setitem(readers.READERS, ".txt", readers.Format("text", explode))
    write(tmp_path, "a.txt", "x\n")
    write(tmp_path, "b.csv", "text\ny\n")

    result = ingest(tmp_path, IngestConfig())

    assert [note.text for note in result.notes] == ["y"]
    assert result.errors == [
        "a.txt: unexpected error while reading: RuntimeError: boom second line "
        "(please report this together with the file)"
    ]


def test_reader_error_line_format() -> None:
    assert ReaderError("bad\nthing", "do this").line("a/b.csv") == "a/b.csv: bad thing (do this)"
    assert ReaderError("bad").line("x.csv") == "x.csv: bad"


def test_folder_without_notes(tmp_path: Path) -> None:
    write(tmp_path, "empty.csv", b"")
    write(tmp_path, "scan.pdf", b"%PDF")
    write(tmp_path, "_labels.csv", "text,theme\na,b\n")

    with pytest.raises(IngestError) as error:
        ingest(tmp_path, IngestConfig())

    assert str(error.value) == (
        f"{tmp_path}: no notes found in 2 files (first problem: empty.csv: file is empty "
        "(export the notes again or remove the file); 1 more)"
    )


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as error:
        ingest(tmp_path, IngestConfig())

    assert str(error.value) == (
        f"{tmp_path}: folder is empty (add files with one note per row or line; "
        f"supported: {SUPPORTED})"
    )
    write(tmp_path, "_labels.csv", "text,theme\na,b\n")
    with pytest.raises(IngestError, match=": only hidden files and files starting with _ "):
        ingest(tmp_path, IngestConfig())
    write(tmp_path, "empty.csv", b"")
    with pytest.raises(IngestError, match=": no notes found in 1 file \\(first problem: "):
        ingest(tmp_path, IngestConfig())


def test_file_with_only_empty_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "idée;auteur\n;Ann\n;Bob\n")

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig())

    assert str(error.value) == (
        "n.csv: no notes found (2 rows rejected, first at row 2: empty text)"
    )


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as error:
        ingest(tmp_path / "nope", IngestConfig())

    assert str(error.value) == f"{tmp_path / 'nope'}: not found (check the path)"


def test_single_unsupported_file(tmp_path: Path) -> None:
    path = write(tmp_path, "slides.pptx", b"PK\x03\x04")

    with pytest.raises(IngestError) as error:
        ingest(path, IngestConfig())

    assert str(error.value) == f"slides.pptx: unsupported format '.pptx' (supported: {SUPPORTED})"
