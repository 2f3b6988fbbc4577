"""The words ideasynth shows a person, in the workshop's language: one gettext catalogue per
language (fr, nl, de, en), managed with Babel.

The catalogues are ``pipeline/locale/<lang>/LC_MESSAGES/ideasynth.po``, compiled to ``.mo``
beside them (both are committed and shipped with the package); ``ideasynth.pot`` is the
template Babel extracts from the Python code and the Jinja templates (``babel.cfg``). The
commands to extract, update, compile and add a language are in ``docs/translation.md``.

A message's id is its English wording. Values go in by name, ``%(name)s``, so that a
translation may put them in another order; a count takes ``ngettext`` and its ``%(num)d``.
Notes, labels and drafts are the run's own and are never translated; only the words around
them are.

In Python, mark a message where it is written with ``words(lang).gettext("…")``; a message
written before its language is known (a module constant) with ``N_("…")``, and translate it
where it is shown. In a template, ``{{ _("…") }}`` and ``{{ ngettext("…", "…", n) }}``
(Jinja's i18n extension), with ``gettext`` and ``ngettext`` of ``words(lang)`` passed to the
render.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.schema import RunResult

DOMAIN = "ideasynth"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("fr", "nl", "de", "en")
"""The languages with a catalogue: the workshops' languages."""
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (it is translated where it
    is shown)."""
    return message


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang``; an unknown language gets the English ids."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


DECIMAL_COMMA = frozenset({"fr", "nl", "de"})
"""Languages that write a decimal comma."""


@dataclass(frozen=True)
class Words:
    """One language's catalogue, with the values put in: ``gettext("Notes (%(n)s)", n=3)``."""

    lang: str

    @property
    def _catalogue(self) -> _gettext.NullTranslations:
        return translations(self.lang)

    def gettext(self, message: str, /, **values: object) -> str:
        text = self._catalogue.gettext(message)
        return text % values if values else text

    def decimal(self, value: float, digits: int = 2) -> str:
        """``value`` with ``digits`` decimals as the language writes it: "0,128" in French,
        Dutch and German, "0.128" in English."""
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if self.lang in DECIMAL_COMMA else text

    def ngettext(self, singular: str, plural: str, num: int, /, **values: object) -> str:
        """The form ``num`` takes in this language; ``%(num)d`` is the count."""
        return self._catalogue.ngettext(singular, plural, num) % {"num": num, **values}

    def backing(self, total: int, said_by: int | None = None) -> str:
        """The notes behind a proposal: "3 notes", or where only ``said_by`` of the
        ``total`` make its idea, "1 note, 23 close to it": counted by closeness alone, a
        reader took "(25 notes)" for 25 people saying what one note said."""
        if said_by is None or not 0 < said_by < total:
            return self.ngettext("%(num)d note", "%(num)d notes", total)
        return ", ".join(
            (
                self.ngettext("%(num)d note", "%(num)d notes", said_by),
                self.ngettext("%(num)d close to it", "%(num)d close to it", total - said_by),
            )
        )

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """A message whose English is the same as another's, told apart by ``context``."""
        text = self._catalogue.pgettext(context, message)
        return text % values if values else text


@functools.cache
def words(lang: str | None) -> Words:
    """The words of ``lang``, English for a language without a catalogue."""
    return Words(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def is_language(lang: str | None) -> bool:
    return lang in LANGUAGES


class SaidError(ValueError):
    """An error for people, one line, that can be said in their language.

    Its text is in English (``message``, a catalogue message, with its ``values`` put in),
    as logs and tests keep it; ``said`` gives it in a person's language, the values (paths,
    addresses, the system's own words) kept as written."""

    def __init__(self, message: str, values: dict[str, str] | None = None) -> None:
        self.message = message
        self.values = dict(values or {})
        super().__init__(message % self.values if self.values else message)

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuilt from its message and values when a task runner pickles it."""
        return (type(self), (self.message, self.values))

    def said(self, lang: str | None) -> str:
        """The error in ``lang`` (English for ``None`` or a language without a catalogue)."""
        return words(lang).gettext(self.message, **self.values)


def run_language(run: RunResult) -> str:
    """The language a run's own words are shown in (its reports, review app, handout and
    console): its configured output language (``--lang``, ``draft.language``, else the
    notes' most common), else its drafts' language, the first with a catalogue; else
    English."""
    configured = run.manifest.config.get("output_language")
    candidates = [configured] if isinstance(configured, str) else []
    candidates += [d.language for d in run.drafts]
    return next((lang for lang in candidates if lang in LANGUAGES), DEFAULT_LANGUAGE)


class RecordedMessages:
    """Texts the pipeline records in English (because code compares them, or because they
    were written before their language was known), each matched by a pattern to its
    catalogue message, so that a person reads them in their language: ``(pattern, N_(…))``
    pairs, the pattern's named groups filling the message's ``%(name)s``."""

    def __init__(self, pairs: list[tuple[str, str] | str]) -> None:
        """A bare message (``N_(…)`` alone) is recorded word for word: its pattern is the
        message itself."""
        self.pairs = [
            (re.compile(re.escape(pair)), pair)
            if isinstance(pair, str)
            else (re.compile(pair[0]), pair[1])
            for pair in pairs
        ]

    def knows(self, text: str) -> bool:
        return any(pattern.fullmatch(text) for pattern, _ in self.pairs)

    def said(self, text: str, lang: str) -> str:
        """``text`` in ``lang`` where a pattern matches it whole, else as it was written."""
        for pattern, message in self.pairs:
            found = pattern.fullmatch(text)
            if found is not None:
                return words(lang).gettext(message, **found.groupdict())
        return text


# The flags the review puts on a draft are written in English, because the review compares
# them (``pipeline.review.actions``); they are translated where they are shown.
_REVIEW_FLAGS = RecordedMessages(
    [
        N_("drafted again after the review"),
        N_("edited by an analyst"),
        (
            r"approved as it read in an earlier run; the pipeline now proposes: “(?P<text>.*)”",
            N_("approved as it read in an earlier run; the pipeline now proposes: “%(text)s”"),
        ),
        (
            r"approved before a merge brought in more notes \((?P<n>\d+)\): check it again",
            N_("approved before a merge brought in more notes (%(n)s): check it again"),
        ),
    ]
)


def shown_flag(lang: str, flag: str) -> str:
    """A draft's flag as a person reads it in ``lang``: the review's own flags translated,
    a drafter's flag as it was written (in its draft's language)."""
    return _REVIEW_FLAGS.said(flag, lang)


def is_review_flag(flag: str) -> bool:
    return _REVIEW_FLAGS.knows(flag)
