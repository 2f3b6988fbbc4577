"""Untrusted text (file names, cell values, exception messages) made safe for one terminal or
log line.

A file name may hold a newline, an ANSI escape or a right-to-left override. Printed raw, the
newline starts a line the file name chose (``warning: forged.csv: all rows read fine``), an
escape sequence recolours or clears the terminal, and a bidi override shows the line's text in
another order than it has. :func:`one_line` writes each such character as a visible escape
(``\\n``, ``\\x1b``, ``\\u202e``), so one message is always exactly one line. Everything else,
accents and scripts included, is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder how a line is displayed (embeddings, overrides, isolates, marks)."""
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _needs_escape(ch: str) -> bool:
    if ch in _NAMED or ch in BIDI_CONTROLS or ch in _LINE_BREAKS:
        return True
    category = unicodedata.category(ch)
    # Cc: C0/C1 controls (ESC starts ANSI sequences); Cs: lone surrogates (undecodable names).
    return category in ("Cc", "Cs")


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def one_line(text: str) -> str:
    """``text`` with every control, line break and bidi control written as a visible escape."""
    if text.isprintable():
        return text  # the common case, with no per-character work
    return "".join(_escape(ch) if _needs_escape(ch) else ch for ch in text)


_NOT_IN_DOCUMENTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 forbids (C0 controls but tab and line breaks, lone surrogates, U+FFFE and
U+FFFF) and the C1 controls HTML forbids: never text a participant meant."""


def document_text(text: str) -> str:
    """``text`` without the characters a DOCX, XLSX or HTML document cannot hold (an ESC in a
    label, a NUL in an author's name), which would make the writer raise or the page invalid;
    everything else as it is."""
    if text.isprintable():
        return text
    return _NOT_IN_DOCUMENTS.sub("", text)


def visible_text(text: str) -> str:
    """``text`` with the characters a document cannot hold written as visible escapes
    (``\\x1b``), for the reports: a file name with an ESC or a BEL shows what it holds."""
    if text.isprintable():
        return text
    return _NOT_IN_DOCUMENTS.sub(lambda m: "".join(_escape(ch) for ch in m.group(0)), text)
