"""Decode text files the way workshop exports are actually encoded, without loading them whole.

Files come from Excel on Windows (cp1252, or UTF-8 with a BOM), LibreOffice and online tools
(UTF-8), and sometimes from both at once (two exports pasted into one file). UTF-8 is checked
first, over the whole file, because cp1252 accepts almost any bytes and would silently garble
UTF-8 accents. A file that is not pure UTF-8 is read byte run by byte run: every valid UTF-8
sequence as UTF-8, whatever bytes it holds (``Ý`` is ``C3 9D``, and 0x9D means nothing in
cp1252), and every other byte as cp1252, so a mixed file loses no accent on either side.
Only when a byte outside any UTF-8 sequence is one that cp1252 leaves undefined (0x81, 0x8D,
0x8F, 0x90, 0x9D) is the file in some other encoding: charset-normalizer then guesses it, and
the guess is flagged (``TextEncoding.guessed``, `` (guessed)`` in the manifest's encoding and a
warning), because a wrong guess garbles every accent.

Detection reads the file once in chunks and decoding streams it line by line, so memory does
not grow with the file. NUL bytes are never text: a few stray ones are dropped, many mean a
binary file.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from pipeline.ingest.errors import ReaderError
from pipeline.ingest.magic import describe_binary

SAMPLE_BYTES = 65536
"""Bytes looked at to tell text from binary data and to guess an unusual encoding."""
_CHUNK_BYTES = 1 << 20
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_RATIO = 0.01
"""Text exports hold essentially no control characters; random bytes hold about 10 %."""
_MAX_NUL_RATIO = 0.1
"""A few stray NULs (a glitch in an export) are dropped; binary formats are full of them."""
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\0")
_SAVE_AS_TEXT = "save it again as UTF-8 text"
MIXED = "ideasynth-cp1252-fallback"
"""Error handler: bytes that are not valid UTF-8 are read as cp1252 (latin-1 where cp1252
leaves a byte undefined), so decoding never fails and never garbles valid UTF-8."""
_MIXED_CHECK = "ideasynth-cp1252-strict"
"""Error handler: as ``MIXED``, but a stray byte that cp1252 leaves undefined raises."""
MIXED_LABEL = "utf-8 + cp1252"
"""The encoding label of a file read as UTF-8 with cp1252 where UTF-8 fails."""
GUESSED = " (guessed)"
"""Ends the encoding label of a file whose encoding was guessed."""


class EncodingError(ReaderError):
    """Bytes that are not text, or not in the forced encoding."""


@dataclass(frozen=True)
class TextEncoding:
    """How to decode one file: a codec and its error handling."""

    codec: str
    errors: str = "strict"
    guessed: bool = False
    """Chosen by charset-normalizer's guess, not known: the text may be garbled."""

    @property
    def label(self) -> str:
        """For messages and the manifest: ``utf-8``, ``cp1252``, ``utf-8 + cp1252``,
        ``cp1251 (guessed)``, …"""
        name = MIXED_LABEL if self.errors == MIXED else self.codec
        return name + GUESSED if self.guessed else name


def is_guessed(label: str | None) -> bool:
    """Whether an ``InputFile.encoding`` label says the encoding was guessed."""
    return bool(label) and str(label).endswith(GUESSED)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_cp1252_char(byte) for byte in bad), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D
        return chr(byte)


def _cp1252_strict(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252"), error.end


codecs.register_error(MIXED, _cp1252_fallback)
codecs.register_error(_MIXED_CHECK, _cp1252_strict)


def detect_encoding(stream: BinaryIO, forced: str | None = None) -> TextEncoding:
    """The encoding of the seekable binary ``stream``; raises EncodingError for binary data.

    Reads the stream once in chunks and leaves it at its start.
    """
    stream.seek(0)
    head = stream.read(SAMPLE_BYTES)
    kind = describe_binary(head)
    if kind is not None:
        raise EncodingError(f"binary data, not text: looks like {kind}", _SAVE_AS_TEXT)
    encoding = _check_forced(stream, forced) if forced is not None else _detect(stream, head)
    if _looks_binary(_decode_head(head, encoding)):
        raise EncodingError("binary data, not text", _SAVE_AS_TEXT)
    stream.seek(0)
    return encoding


def _check_forced(stream: BinaryIO, forced: str) -> TextEncoding:
    try:
        codecs.lookup(forced)
    except LookupError:
        raise EncodingError(f"unknown encoding '{forced}'", "fix ingest.encoding") from None
    try:
        failure = _first_failure(stream, forced)
    except UnicodeError as exc:  # not a decoding error: "utf-16" without a byte-order mark
        raise EncodingError(
            f"cannot decode as {forced} ({exc})",
            "fix ingest.encoding or leave it unset to detect the encoding",
        ) from None
    if failure is not None:
        line, byte = failure
        raise EncodingError(
            f"cannot decode as {forced} at line {line} (byte {byte})",
            "fix ingest.encoding or leave it unset to detect the encoding",
        )
    return TextEncoding(forced)


def _detect(stream: BinaryIO, head: bytes) -> TextEncoding:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            failure = _first_failure(stream, codec)
            if failure is not None:
                raise EncodingError(
                    f"invalid {codec} text at line {failure[0]} (byte {failure[1]})",
                    _SAVE_AS_TEXT,
                )
            return TextEncoding(codec)
    utf16 = _bomless_utf16(head)
    if utf16 is not None:
        return TextEncoding(utf16, "replace")
    if head.count(0) > len(head) * _MAX_NUL_RATIO:
        raise EncodingError("binary data, not text (it holds NUL bytes)", _SAVE_AS_TEXT)
    if _first_failure(stream, "utf-8") is None:
        return TextEncoding("utf-8")
    if _first_failure(stream, "utf-8", _MIXED_CHECK) is None:
        return TextEncoding("utf-8", MIXED)
    stream.seek(0)
    best = from_bytes(stream.read(16 * SAMPLE_BYTES)).best()
    if best is not None and best.encoding and codecs.lookup(best.encoding).name != "utf-8":
        return TextEncoding(best.encoding, "replace", guessed=True)
    return TextEncoding("utf-8", MIXED, guessed=True)


def _bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for UTF-16 text saved without a BOM (every other byte NUL)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd >= 0.9 * half and even <= 0.1 * half:
        return "utf-16-le"
    if even >= 0.9 * half and odd <= 0.1 * half:
        return "utf-16-be"
    return None


def _first_failure(stream: BinaryIO, codec: str, errors: str = "strict") -> tuple[int, int] | None:
    """(line, byte offset) of the first byte ``codec`` cannot decode, or ``None``."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(codec)(errors)
    offset = lines = 0
    while True:
        chunk = stream.read(_CHUNK_BYTES)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            position = max(0, min(exc.start, len(chunk)))
            return lines + chunk.count(b"\n", 0, position) + 1, offset + position
        if not chunk:
            return None
        offset += len(chunk)
        lines += chunk.count(b"\n")


def _decode_head(head: bytes, encoding: TextEncoding) -> str:
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors=_lenient(encoding))
    return decoder.decode(head, final=False)


def _lenient(encoding: TextEncoding) -> str:
    return "replace" if encoding.errors == "strict" else encoding.errors


def _looks_binary(text: str) -> bool:
    sample = text[:SAMPLE_BYTES]
    if not sample:
        return False
    controls = sum(
        1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    return controls / len(sample) > _MAX_CONTROL_RATIO


def iter_lines(
    stream: BinaryIO, encoding: TextEncoding, cp1252_lines: list[int] | None = None
) -> Iterator[str]:
    """Decoded lines with their line endings (``\\r\\n``, ``\\n`` or ``\\r``), NULs dropped.

    A line whose UTF-8 gives characters no one types there, which its bytes read as cp1252
    would not (``cp1252_reading``), has its number added to ``cp1252_lines``, for a warning
    naming it. In a file that holds cp1252 text elsewhere (``utf-8 + cp1252``) those bytes
    are read as cp1252; in a file that is UTF-8 throughout the line is kept as written.
    Streams: only one buffer of the file is held at a time, whatever its size.
    """
    text = io.TextIOWrapper(stream, encoding=encoding.codec, errors=encoding.errors, newline="")
    utf8 = codecs.lookup(encoding.codec).name in ("utf-8", "utf-8-sig") and not encoding.guessed
    read = 0
    try:
        for line in text:
            read += 1
            if "\0" in line:
                line = line.replace("\0", "")
            if utf8 and not line.isascii() and (repaired := cp1252_reading(line)) is not None:
                if encoding.errors == MIXED:  # the file is known to hold cp1252 text
                    line = repaired
                if cp1252_lines is not None and len(cp1252_lines) < MAX_CP1252_LINES:
                    cp1252_lines.append(read)
            yield line
    except UnicodeDecodeError:
        raise EncodingError(
            f"cannot decode as {encoding.codec} at line {read + 1}", _SAVE_AS_TEXT
        ) from None
    finally:
        text.detach()


def open_lines(
    path: Path, forced: str | None = None, cp1252_lines: list[int] | None = None
) -> tuple[TextEncoding, Iterator[str]]:
    """The encoding of the file at ``path`` and a generator over its decoded lines (the
    numbers of lines read as cp1252 go to ``cp1252_lines``, see ``iter_lines``).

    The file is opened only while the generator runs, and closed when it ends or is closed.
    """
    with path.open("rb") as stream:
        encoding = detect_encoding(stream, forced)
    return encoding, _lines_of(path, encoding, cp1252_lines)


def _lines_of(path: Path, encoding: TextEncoding, cp1252_lines: list[int] | None) -> Iterator[str]:
    with path.open("rb") as stream:
        yield from iter_lines(stream, encoding, cp1252_lines)


MAX_CP1252_LINES = 1000
"""Line numbers kept per file for the warning (the first one is named)."""
_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
_REAL_LETTERS = frozenset("ƏəƒƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜȘșȚțʻʼ")
"""Letters above Latin Extended-A that languages write (Romanian, Vietnamese, pinyin,
Azerbaijani, the okina and the modifier apostrophe): never taken for cp1252 read as UTF-8."""


_ABOVE_LATIN_A = re.compile("[\u0180-\uffff]")
"""Where to look: Latin-1 and Latin Extended-A (French, German, Polish, Czech …) never are."""


def _script(char: str) -> str:
    return unicodedata.name(char, "").partition(" ")[0] if char else ""


def _is_latin_letter(char: str) -> bool:
    return bool(char) and char.isalpha() and (char.isascii() or _script(char) == "LATIN")


def _composes(line: str, index: int) -> bool:
    """Whether the combining mark at ``index`` composes with the letter it follows (a
    decomposed "é" is "e" and U+0301), rather than sitting on a letter it never marks."""
    start = index
    while start > 0 and unicodedata.combining(line[start - 1]):
        start -= 1
    if start == 0:
        return False
    base = unicodedata.normalize("NFC", line[start - 1 : index])
    return len(unicodedata.normalize("NFC", base + line[index])) == len(base)


def _cp1252_typed(line: str, index: int) -> bool:
    """Whether the character at ``index`` is more likely cp1252 bytes that happen to be valid
    UTF-8 than the character itself: its bytes read as cp1252 are an accented letter and
    punctuation ("É”" is C9 94, which is "ɔ" in UTF-8), and the character is out of place
    there: a combining mark on a letter it never marks, an IPA or rare Latin letter, or a
    letter of another script stuck to the end of a Latin word."""
    char = line[index]
    code = ord(char)
    data = char.encode("utf-8", "surrogatepass")
    if code < 0x180 or len(data) > 3 or char in _REAL_LETTERS:
        return False
    if any(byte in _UNDEFINED_IN_CP1252 for byte in data[1:]):
        return False
    if unicodedata.combining(char):
        return not _composes(line, index)
    if code < 0x300:
        return True
    if not char.isalpha():  # quotes, dashes, symbols: typed everywhere
        return False
    before = line[index - 1] if index else ""
    after = line[index + 1] if index + 1 < len(line) else ""
    if not _is_latin_letter(before) or _script(after) == _script(char):
        return False
    # "比uber好，": a line that writes the letter's script elsewhere is written in it.
    script = _script(char)
    return sum(1 for c in line if c.isalpha() and not c.isascii() and _script(c) == script) < 3


def cp1252_reading(line: str) -> str | None:
    """``line`` with the characters that are cp1252 bytes read as UTF-8 (``_cp1252_typed``)
    read as cp1252 instead ("ACCEPTɔ" → "ACCEPTÉ”"); ``None`` when there are none."""
    found = [m.start() for m in _ABOVE_LATIN_A.finditer(line) if _cp1252_typed(line, m.start())]
    if not found:
        return None
    chars = list(line)
    for i in found:
        chars[i] = line[i].encode("utf-8", "surrogatepass").decode("cp1252", "replace")
    return "".join(chars)


def decode_text(
    data: bytes, forced: str | None = None, cp1252_lines: list[int] | None = None
) -> tuple[str, str]:
    """Decode bytes already in memory (JSON); returns the text and the encoding's label (the
    numbers of lines that look like cp1252 go to ``cp1252_lines``, see ``iter_lines``)."""
    encoding = detect_encoding(io.BytesIO(data), forced)
    text = "".join(iter_lines(io.BytesIO(data), encoding, cp1252_lines))
    return text, encoding.label
