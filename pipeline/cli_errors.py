"""The command line's one-line errors about a whole file, in the run's language.

The readers (``pipeline.ingest``) raise their errors in English, and the ledger and the
tests keep them so; the command line recognises the common ones here, the file's name and
its own values (a column name) kept as written, and says them in the language the run was
asked for (``--lang``, or ``draft.language`` in the settings). What is not recognised is
said as written. The settings are named as a facilitator sets them ("text_column = … under
[ingest] in ideasynth.toml"), not by their internal path ("ingest.text_column").
"""

from __future__ import annotations

from pipeline.i18n import N_, RecordedMessages

_FILE = r"(?P<file>.+)"

_WHOLE_FILE = RecordedMessages(
    [
        (
            rf"{_FILE}: file is empty \(export the notes again or remove the file\)",
            N_("%(file)s: file is empty (export the notes again or remove the file)"),
        ),
        (
            rf"{_FILE}: file is empty \(write one note per line or remove the file\)",
            N_("%(file)s: file is empty (write one note per line or remove the file)"),
        ),
        (
            rf"{_FILE}: no text column found \(columns: (?P<columns>.*)\); set "
            r"ingest\.text_column",
            N_(
                "%(file)s: no text column found (columns: %(columns)s); name it in a "
                'settings file: text_column = "…" under [ingest], in the workshop folder\'s '
                "ideasynth.toml or in a file given with --config"
            ),
        ),
        (
            rf"{_FILE}: column '(?P<column>.*)' not found \(columns: (?P<columns>.*)\)",
            N_(
                "%(file)s: column “%(column)s” not found (columns: %(columns)s); correct "
                "text_column under [ingest] in the settings file"
            ),
        ),
        (
            rf"{_FILE}: not found \(check the path\)",
            N_("%(file)s: not found (check the path)"),
        ),
        (rf"{_FILE}: no such file or folder", N_("%(file)s: no such file or folder")),
    ]
)


def said_error(message: str, lang: str | None) -> str:
    """``message`` in ``lang`` (English when ``None``) where it is recognised, else as it
    was written."""
    return _WHOLE_FILE.said(message, lang or "en")
