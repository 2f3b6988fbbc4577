"""Decode text files the way workshop exports are actually encoded.

Files come from Excel on Windows (cp1252, or UTF-8 with a BOM), LibreOffice and online
tools (UTF-8). UTF-8 is tried strictly first because cp1252 accepts almost any bytes and
would silently garble UTF-8 accents; charset-normalizer only breaks the tie when even
cp1252 cannot decode the bytes.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from pipeline.ingest.errors import ReaderError
from pipeline.ingest.magic import describe_binary

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_RATIO = 0.01
"""Text exports hold essentially no control characters; random bytes hold about 10 %."""
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_SAVE_AS_TEXT = "save it again as UTF-8 text"


class EncodingError(ReaderError):
    """Bytes that are not text, or not in the forced encoding."""


def decode_text(data: bytes, forced: str | None = None) -> tuple[str, str]:
    """Return the decoded text and the encoding used; raise EncodingError for binary data."""
    kind = describe_binary(data)
    if kind is not None:
        raise EncodingError(f"binary data, not text: looks like {kind}", _SAVE_AS_TEXT)
    if forced is not None:
        text, encoding = _decode_forced(data, forced), forced
    else:
        text, encoding = _detect_and_decode(data)
    if _looks_binary(text):
        raise EncodingError("binary data, not text", _SAVE_AS_TEXT)
    return text, encoding


def _decode_forced(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise EncodingError(f"unknown encoding '{encoding}'", "fix ingest.encoding") from None
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"cannot decode as {encoding} at byte {exc.start}",
            "fix ingest.encoding or leave it unset to detect the encoding",
        ) from None


def _detect_and_decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"invalid {encoding} text at byte {exc.start}", _SAVE_AS_TEXT
                ) from None
    if b"\0" in data:
        raise EncodingError("binary data, not text", _SAVE_AS_TEXT)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(
        1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    return controls / len(sample) > _MAX_CONTROL_RATIO
