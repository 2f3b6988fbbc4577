"""Recognise common binary files by their first bytes, to tell people what they really have.

"looks like a PDF document" helps more than a decoder's complaint when someone renamed an
export or picked the wrong file.
"""

from __future__ import annotations

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (such as .xlsx or .docx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls or .doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


def describe_binary(data: bytes) -> str | None:
    """What kind of file ``data`` starts like, or ``None`` when it is not a known format."""
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            return description
    return None
