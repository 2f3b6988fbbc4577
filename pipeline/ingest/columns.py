"""Which column holds the note text, and what the other columns mean.

Workshop exports come from many tools and four languages, so headers are matched by name
ignoring case, accents, spaces and punctuation ("Idée", "IDEE", "post-it" = "Post It").
When no header is recognised, the column with the longest text is taken if it is clearly
prose; otherwise the user is asked to name it (``ingest.text_column``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.ingest.errors import ReaderError

TEXT_NAMES: tuple[str, ...] = (
    # Most specific first: a sheet with both "Idée" and "Commentaire" holds its notes in "Idée".
    "idea", "ideas", "idee", "idees", "ideeen", "ideen",
    "proposition", "propositions", "proposal", "suggestion", "suggestions",
    "voorstel", "voorstellen", "vorschlag", "vorschlage", "vorschlaege",
    "stickynote", "sticky", "postit", "card", "carte", "kaart", "karte",
    "note", "notes", "notitie", "notities", "notiz", "notizen",
    "text", "texte", "tekst",
    "content", "contenu", "inhoud", "inhalt",
    "beitrag", "bijdrage", "contribution",
    "comment", "comments", "commentaire", "commentaires", "remarque", "remarques",
    "opmerking", "opmerkingen", "kommentar", "kommentare", "bemerkung", "anmerkung",
    "message", "description",
)  # fmt: skip
"""Normalised header names that hold the note text, in order of preference."""

METADATA_NAMES: dict[str, tuple[str, ...]] = {
    "author": ("author", "auteur", "pseudonyme", "pseudonym", "naam", "name", "nom", "autor",
               "participant", "participante", "deelnemer", "teilnehmer", "teilnehmerin"),
    "table": ("table", "tafel", "tisch", "group", "groupe", "groep", "gruppe", "team"),
    "exercise": ("exercise", "exercice", "oefening", "ubung", "uebung", "activity", "activite",
                 "activiteit", "aktivitat", "aktivitaet", "round", "ronde", "runde"),
    "day": ("day", "jour", "dag", "tag"),
    "category": ("category", "categorie", "kategorie", "swot", "type", "typ"),
}  # fmt: skip
"""Canonical metadata keys and the normalised headers that mean them. A "Date" or "Datum"
column is no workshop day: it keeps its own name, so a French export's dates do not read
"day: 12/03/2024"."""

_NOT_TEXT_WORDS = frozenset({"id", "nr", "no", "num", "number", "numero", "nummer", "count"})
"""Words that make a header an identifier or a count even if it mentions "note"."""

_TEXTUAL_AVERAGE_CHARS = 15
_MAX_LISTED_COLUMNS = 20


class ColumnError(ReaderError):
    """No usable text column in a table."""


def normalize_name(name: str) -> str:
    """Lower-case, accent-free, letters and digits only: the form headers are compared in."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _words(name: str) -> list[str]:
    return [normalize_name(word) for word in re.split(r"[\W_]+", name) if word]


_TEXT_RANK = {name: rank for rank, name in reversed(list(enumerate(TEXT_NAMES)))}
_METADATA_KEY = {name: key for key, names in METADATA_NAMES.items() for name in names}


def find_text_column(headers: Sequence[str]) -> int | None:
    """Index of the header that names the note text, or ``None``.

    A whole-header match ("Idée") beats a word match ("Votre idée"); among equals the most
    specific name wins. Headers naming an id or a count ("Note ID") never match by word.
    """
    best: tuple[int, int, int] | None = None
    for index, header in enumerate(headers):
        rank = _TEXT_RANK.get(normalize_name(header))
        if rank is not None:
            candidate = (0, rank, index)
        else:
            words = _words(header)
            if _NOT_TEXT_WORDS.intersection(words):
                continue
            ranks = [_TEXT_RANK[word] for word in words if word in _TEXT_RANK]
            if not ranks:
                continue
            candidate = (1, min(ranks), index)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]


def display_headers(headers: Sequence[str]) -> list[str]:
    """Headers as shown to people: blank ones get a "column N" name."""
    return [header.strip() or f"column {index + 1}" for index, header in enumerate(headers)]


def _listing(headers: Sequence[str]) -> str:
    shown = display_headers(headers)
    if len(shown) > _MAX_LISTED_COLUMNS:
        extra = len(shown) - _MAX_LISTED_COLUMNS
        shown = [*shown[:_MAX_LISTED_COLUMNS], f"… {extra} more"]
    return ", ".join(shown)


def metadata_keys(headers: Sequence[str], text_index: int) -> dict[int, str]:
    """Metadata key for every other column: canonical when recognised, else the header.

    When two columns would get the same key the later one keeps its own header name, so no
    column overwrites another.
    """
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(display_headers(headers)):
        if index == text_index:
            continue
        key = _METADATA_KEY.get(normalize_name(header), header.lower())
        if key in taken:
            key = header.lower()
        if key in taken:
            key = f"column {index + 1}"
        taken.add(key)
        keys[index] = key
    return keys


MAX_METADATA = 32
"""Metadata values kept per note (author, table, tags, colour, votes, …): the first that hold
something, in the table's order."""


@dataclass(frozen=True)
class TableLayout:
    """How to turn one row of a table into a note text and its metadata."""

    headers: tuple[str, ...]
    text_index: int
    metadata: dict[int, str]
    guessed: bool = False
    """No header named the text and nobody set ``ingest.text_column``: the column was chosen
    for its long text, which may be the wrong one, so the run says which it read."""

    @property
    def text_column(self) -> str:
        return display_headers(self.headers)[self.text_index]

    def split(self, cells: Sequence[str]) -> tuple[str, dict[str, str]]:
        """Text cell and metadata of one row; short rows miss cells, long rows keep extras.
        The metadata keeps the cells that hold something, the first ``MAX_METADATA`` of
        them: an export of thousands of columns would repeat them all in every note."""
        text = cells[self.text_index] if self.text_index < len(cells) else ""
        metadata: dict[str, str] = {}
        for index, value in enumerate(cells):
            if index == self.text_index or not value.strip():
                continue
            key = self.metadata.get(index, f"column {index + 1}")
            metadata[key] = value
            if len(metadata) >= MAX_METADATA:
                break
        return text, metadata


def detect_layout(
    headers: Sequence[str], rows: Sequence[Sequence[str]], override: str | None
) -> TableLayout:
    """Choose the text column by override, by name, or by longest prose. Raises ColumnError.

    A column chosen by its prose among several is ``guessed``: a table whose columns are
    "foo, bar, baz" is read from the one with the longest cells, and the run says so."""
    found = None
    if override is not None:
        index = _find_override(headers, override)
    else:
        found = find_text_column(headers)
        index = found if found is not None else _longest_text_column(headers, rows)
    guessed = override is None and found is None and len(headers) > 1
    return TableLayout(tuple(headers), index, metadata_keys(headers, index), guessed)


def _find_override(headers: Sequence[str], override: str) -> int:
    stripped = [header.strip() for header in headers]
    if override.strip() in stripped:
        return stripped.index(override.strip())
    wanted = normalize_name(override)
    for index, header in enumerate(headers):
        if wanted and normalize_name(header) == wanted:
            return index
    raise ColumnError(f"column '{override}' not found", f"columns: {_listing(headers)}")


def _longest_text_column(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The column whose non-empty cells are longest on average, if that is clearly prose."""
    best_index, best_average = -1, 0.0
    for index in range(len(headers)):
        lengths = [
            len(row[index].strip()) for row in rows if index < len(row) and row[index].strip()
        ]
        average = sum(lengths) / len(lengths) if lengths else 0.0
        if average > best_average:
            best_index, best_average = index, average
    if best_average <= _TEXTUAL_AVERAGE_CHARS:
        raise ColumnError(
            f"no text column found (columns: {_listing(headers)}); set ingest.text_column"
        )
    return best_index
