"""What the reader fuzz tests generate and check, shared with ``benchmarks/fuzz_readers.py``.

A reader may refuse a file, with a ``ReaderError`` that says why; it must never fail with
anything else (``read_input`` would report that as an "unexpected error", a bug). When it
reads a file, its rows must account for it: every note is a ``note`` row, every other row
has a reason, and locations are unique.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from docx import Document
from hypothesis import strategies as st
from openpyxl import Workbook

from pipeline.config import IngestConfig
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.source_file import FileNotes, read_input
from pipeline.schema import RowStatus

CONFIG = IngestConfig(max_note_chars=60, max_file_mb=1)
"""Small limits, so that long notes and the size guards are exercised too."""

_UNEXPECTED = "unexpected error while reading"


class ReaderCrash(AssertionError):
    """A reader failed with something other than a ReaderError: a bug to fix."""


def read_file(name: str, data: bytes, config: IngestConfig = CONFIG) -> FileNotes | ReaderError:
    """Write ``data`` as ``name`` in a fresh folder and read it; a ReaderError is returned."""
    with tempfile.TemporaryDirectory(prefix="ideasynth-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            read = read_input(path, name, config)
        except ReaderError as exc:
            if exc.problem.startswith(_UNEXPECTED):
                raise ReaderCrash(f"{name}: {exc.problem}") from exc.__cause__
            assert "\n" not in exc.line(name)
            return exc
    check_accounting(read)
    return read


def check_accounting(read: FileNotes) -> None:
    """Rows and notes agree, every row without a note says why, no place is used twice."""
    note_rows = [row.note_id for row in read.rows if row.status is RowStatus.NOTE]
    assert note_rows == [note.id for note in read.notes]
    assert len(set(note_rows)) == len(note_rows)
    rejected = [row for row in read.rows if row.status is RowStatus.REJECTED_ROW]
    assert [(r.location, r.reason) for r in rejected] == [
        (r.location, r.reason) for r in read.rejected
    ]
    for row in read.rows:
        assert row.status is RowStatus.NOTE or row.reason, row
    locations = [row.location for row in read.rows]
    assert len(set(locations)) == len(locations), locations
    for note in read.notes:
        assert note.text == note.text.strip() and note.text
        assert len(note.text) <= CONFIG.max_note_chars


# --- text-like inputs -----------------------------------------------------------------------

TEXTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\n\r\t ,;\"'#=-*•1.)[]xé€ßü{}:")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=300,
)
"""Text that looks like exports: separators, quotes, bullets and headings, any character."""

ANY_BYTES = st.binary(max_size=400)


def physical_lines(text: str) -> list[str]:
    """Lines as readers number them: ``\\r\\n``, ``\\r`` and ``\\n`` end a line."""
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _cell() -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.one_of(
            st.sampled_from(list(',;\t"\n\r  abcé€🎉')),
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        ),
        max_size=80,
    ).filter(lambda cell: "\ufeff" not in cell)


TABLES = st.tuples(
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.sampled_from(["author", "table", "tag", "votes"]), max_size=3, unique=True),
    st.lists(st.lists(_cell(), min_size=0, max_size=5), max_size=12),
)
"""(delimiter, other header names, data rows): tables a spreadsheet could save."""


# --- office files ---------------------------------------------------------------------------


@cache
def seed_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Idée", "Table"])
    sheet.append(["Plus de bancs", "Table 1"])
    sheet.append([None, "Table 2"])
    sheet.append(['=A2&"!"', 3])
    sheet.merge_cells("B2:B3")
    workbook.create_sheet("Vide")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@cache
def seed_docx() -> bytes:
    document = Document()
    document.add_heading("Titre", level=1)
    document.add_paragraph("Une note")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Idée"
    table.cell(0, 1).text = "Qui"
    table.cell(1, 0).text = "Un parc"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SEEDS: dict[str, Callable[[], bytes]] = {".xlsx": seed_xlsx, ".docx": seed_docx}

XML_NOISE = st.text(alphabet=list("<>/=\"' wtrcvfpsi:0123456789AB&;#x\n"), max_size=40)

OFFICE_MUTATIONS = (
    st.sampled_from(sorted(SEEDS)),
    st.sampled_from(["xml", "bytes", "truncate"]),
    st.integers(min_value=0, max_value=1 << 20),
    st.integers(min_value=0, max_value=64),
    XML_NOISE,
)
"""(extension, how, where, how much, what): an Office file damaged inside or outside its ZIP."""


def mutate_office(extension: str, how: str, where: int, size: int, noise: str) -> bytes:
    """The seed file of ``extension`` with one of its XML parts, or its bytes, damaged."""
    data = SEEDS[extension]()
    if how == "truncate":
        return data[: where % max(len(data), 1)]
    if how == "bytes":
        at = where % len(data)
        return data[:at] + noise.encode() + data[at + size :]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml_parts = sorted(name for name in parts if name.endswith(".xml"))
    name = xml_parts[where % len(xml_parts)]
    text = parts[name].decode("utf-8")
    at = (where // len(xml_parts)) % max(len(text), 1)
    parts[name] = (text[:at] + noise + text[at + size :]).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


# --- targets: one example each, shared by the tests and the benchmark -----------------------

TEXT_EXTENSIONS = (".csv", ".tsv", ".txt", ".md", ".json", ".jsonl")


def bytes_target(extension: str, data: bytes) -> None:
    """Any bytes under a text extension: refused or read, never a crash."""
    read_file(f"fuzz{extension}", data)


def text_target(extension: str, text: str) -> None:
    """Export-like text under a text extension, in UTF-8 and in cp1252 where it fits."""
    read_file(f"fuzz{extension}", text.encode("utf-8"))
    with contextlib.suppress(UnicodeEncodeError):
        read_file(f"fuzz{extension}", text.encode("cp1252"))


def office_target(extension: str, how: str, where: int, size: int, noise: str) -> None:
    """A damaged workbook or document: refused or read, never a crash."""
    read_file(f"fuzz{extension}", mutate_office(extension, how, where, size, noise))
