"""The gettext catalogues (``pipeline/locale/<lang>/LC_MESSAGES/ideasynth.po``) as the tests
read them: every message, in every language."""

from __future__ import annotations

import functools
import re

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from pipeline.i18n import DOMAIN, LANGUAGES, LOCALE_DIR


@functools.cache
def catalogue(lang: str) -> Catalog:
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        return read_po(po, locale=lang)


def messages(lang: str) -> list[Message]:
    return [m for m in catalogue(lang) if m.id]


def strings(message: Message) -> list[str]:
    """A message's translations: one, or one per plural form."""
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def translations() -> dict[str, dict[str, list[str]]]:
    """Each message (its first id) with its strings in every language."""
    table: dict[str, dict[str, list[str]]] = {}
    for lang in LANGUAGES:
        for m in messages(lang):
            table.setdefault(ids(m)[0], {})[lang] = strings(m)
    return table


def fragments(text: str) -> list[str]:
    """The literal pieces of a message, between its placeholders."""
    return [p.strip() for p in re.split(r"%\(\w+\)[sd]", text) if p.strip()]
