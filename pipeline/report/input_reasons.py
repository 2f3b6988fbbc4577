"""Why a reader could not turn a source row into a note, as a facilitator reads it.

The readers (``pipeline.ingest``) record their reasons in English, with the row's own values in
them ("invalid JSON: Expecting ',' delimiter at column 12: fix this line"), and rejected.json
and the ledger keep them so. The reports recognise each one here, values included, and say it
in the run's language. What is the file's own (a column name, a formula, a value, a JSON
parser's or a library's message) stays as it was written; a reason not recognised is shown as
written.
"""

from __future__ import annotations

import re

from pipeline.i18n import N_, RecordedMessages, words

_GOT = "not a note: expected an object or a string, got"

_READER_REASONS = RecordedMessages(
    [
        (
            r"invalid JSON: nested too deeply: fix this line",
            N_("invalid JSON: nested too deeply: fix this line"),
        ),
        (
            r"invalid JSON: (?P<problem>.*) at column (?P<column>\d+): fix this line",
            N_("invalid JSON: %(problem)s at column %(column)s: fix this line"),
        ),
        (
            r"invalid JSON: (?P<problem>.*): fix this line",
            N_("invalid JSON: %(problem)s: fix this line and run again"),
        ),
        (
            r"not a note: its text is true/false \((?P<text>.*)\), not words",
            N_("not a note: its text is true/false (%(text)s), not words"),
        ),
        (
            r"not a note: its text is a number \((?P<text>.*)\), not words",
            N_("not a note: its text is a number (%(text)s), not words"),
        ),
        (
            rf"{_GOT} list: remove it",
            N_("not a note: expected an object or a string, got a list: remove it"),
        ),
        (
            rf"{_GOT} (?:int|float): remove it",
            N_("not a note: expected an object or a string, got a number: remove it"),
        ),
        (
            rf"{_GOT} bool: remove it",
            N_("not a note: expected an object or a string, got true/false: remove it"),
        ),
        (
            rf"{_GOT} NoneType: remove it",
            N_("not a note: expected an object or a string, got an empty value (null): remove it"),
        ),
        (
            rf"{_GOT} (?P<kind>\w+): remove it",
            N_("not a note: expected an object or a string, got %(kind)s: remove it"),
        ),
        (
            rf"{_GOT} (?P<value>-?Infinity|NaN)",
            N_("not a note: expected an object or a string, got %(value)s"),
        ),
        (
            r"not a note: a TRUE/FALSE cell \(a checkbox or a formula's test\)",
            N_("not a note: a TRUE/FALSE cell (a checkbox or a formula’s test)"),
        ),
        (
            r"formula =(?P<formula>.*) gives no text: its result is an error or was never "
            r"saved \(open the file in Excel or LibreOffice and save it again\)",
            N_(
                "formula =%(formula)s gives no text: its result is an error or was never "
                "saved (open the file in Excel or LibreOffice and save it again)"
            ),
        ),
        (
            r"cannot read this table \((?P<error>.*)\); open it in Word and save it again",
            N_("cannot read this table (%(error)s); open the document in Word and save it again"),
        ),
    ]
)
"""Reasons whose values are shown as written."""

_TOO_LONG = re.compile(
    r"text too long \((?P<num>\d+) characters?; ingest\.max_note_chars is (?P<limit>\d+)\): "
    r"split it into notes or raise the limit"
)
_TOO_DEEP = re.compile(r"a table nested more than (?P<num>\d+) deep in tables; not read")
_NO_TEXT_COLUMN = re.compile(
    r"no text column found \(columns: (?P<columns>.*)\); set ingest\.text_column"
)
_COLUMN_NOT_FOUND = re.compile(r"column '(?P<column>.*)' not found \(columns: (?P<columns>.*)\)")
_BLANK_HEADER = re.compile(r"column (?P<n>\d+)")
_MORE_COLUMNS = re.compile(r"… (?P<num>\d+) more")


def shown_input_reason(reason: str, lang: str) -> str:
    """Why a reader rejected a source row, in ``lang``: "empty text", "invalid JSON: … at
    column 3: fix this line", "text too long (…)", … ; as written when not recognised."""
    said = words(lang)
    found = _TOO_LONG.fullmatch(reason)
    if found is not None:
        return said.ngettext(
            "text too long (%(num)d character; ingest.max_note_chars is %(limit)s): "
            "split it into notes or raise the limit",
            "text too long (%(num)d characters; ingest.max_note_chars is %(limit)s): "
            "split it into notes or raise the limit",
            int(found["num"]),
            limit=found["limit"],
        )
    found = _TOO_DEEP.fullmatch(reason)
    if found is not None:
        return said.ngettext(
            "a table nested more than %(num)d level deep in tables; not read",
            "a table nested more than %(num)d levels deep in tables; not read",
            int(found["num"]),
        )
    found = _NO_TEXT_COLUMN.fullmatch(reason)
    if found is not None:
        return said.gettext(
            "no text column found (columns: %(columns)s); set ingest.text_column",
            columns=_shown_columns(found["columns"], lang),
        )
    found = _COLUMN_NOT_FOUND.fullmatch(reason)
    if found is not None:
        return said.gettext(
            "column “%(column)s” not found (columns: %(columns)s)",
            column=found["column"],
            columns=_shown_columns(found["columns"], lang),
        )
    return _READER_REASONS.said(reason, lang)


def _shown_columns(listing: str, lang: str) -> str:
    """A table's columns as a reader lists them: the headers as written, a blank one as
    "column 3" and the columns past the first twenty as "… 4 more", both in ``lang``."""
    said = words(lang)
    shown = []
    for part in listing.split(", "):
        blank = _BLANK_HEADER.fullmatch(part)
        more = _MORE_COLUMNS.fullmatch(part)
        if blank is not None:
            shown.append(said.gettext("column %(n)s", n=blank["n"]))
        elif more is not None:
            num = int(more["num"])
            shown.append(said.ngettext("… %(num)d more", "… %(num)d more", num))
        else:
            shown.append(part)
    return ", ".join(shown)
