"""``report.html``: one self-contained page (inline CSS and JS, no network) to read a run.

Its templates, Jinja environment and stylesheet are shared with the review app
(``pipeline.review``): one look, one set of escaping rules for every page.

Autoescaping is on for every value, so a note such as ``<script>…</script>`` is shown as
text. As a second line of defence the page carries a Content-Security-Policy that allows no
network access at all and only the one inline script whose SHA-256 we compute here; an
injected inline handler or script could not run even if escaping were ever bypassed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from pipeline.describe import shown_keyphrases
from pipeline.i18n import shown_flag, words
from pipeline.prepare.normalize import same_words
from pipeline.progress import label as step_label
from pipeline.report.view import (
    LANGUAGE_NAMES,
    build_view,
    shown_category,
    shown_location,
    shown_reason,
)
from pipeline.safe_text import visible_text
from pipeline.schema import Note, RunResult

TEMPLATES = Path(__file__).parent / "templates"
REVIEW_TEMPLATES = Path(__file__).parents[1] / "review" / "templates"
STYLESHEET = "ideasynth.css"
"""The one stylesheet of the report (inlined) and the review app (served by its route)."""


def _json_pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def _document_value(value: Any) -> Any:
    """Every value a page shows with the characters HTML forbids (an ESC in a label, a BEL
    in a file name) written as visible escapes (``\\x1b``), before it is escaped."""
    if isinstance(value, Markup):
        return Markup(visible_text(str(value)))
    if isinstance(value, str):
        return visible_text(value)
    return value


@pass_context
def _language_name(context: Context, code: str) -> str:
    """A language's name in its own language; "undetermined" in the page's."""
    if code in ("und", ""):
        return str(context.resolve("gettext")("undetermined"))
    return LANGUAGE_NAMES.get(code, code)


@pass_context
def _decimal(context: Context, value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals as the page's language writes it (the report's
    view holds the language; other pages write English)."""
    return words(getattr(context.get("v"), "lang", "en")).decimal(value, digits)


@functools.cache
def template_environment() -> Environment:
    """The one Jinja environment of every page ideasynth makes, this report and the review
    app alike: their templates side by side, autoescaping on, undefined names an error, and
    the ``language_name``, ``shown_keyphrases`` and ``json_pretty`` filters."""
    env = Environment(
        loader=FileSystemLoader([TEMPLATES, REVIEW_TEMPLATES]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_document_value,
        # _() and ngettext(): the words of the page's language (pipeline.i18n), whose
        # gettext and ngettext each render passes.
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["language_name"] = _language_name
    env.filters["shown_keyphrases"] = shown_keyphrases
    env.filters["json_pretty"] = _json_pretty
    env.filters["decimal"] = _decimal
    env.filters["shown_flag"] = lambda flag, lang: shown_flag(lang, flag)
    env.filters["shown_reason"] = shown_reason
    env.filters["shown_location"] = shown_location
    env.filters["shows_original"] = shows_original
    env.filters["spoken_in"] = spoken_in
    env.filters["shown_step"] = lambda step, lang: step_label(step, words(lang))
    return env


_LANGUAGE_TAG = re.compile(r" \(([a-z]{2})\)$")
"""The drafter's tag of an idea said in another language: a two-letter code, last."""


def spoken_in(text: str, default: str) -> str:
    """The language a draft's sentence is in: the one its tag names ("Mail na 1 maand (nl)",
    an idea another language's note says, listed as written), else ``default``, the
    draft's; so that a screen reader reads it in its own language."""
    tagged = _LANGUAGE_TAG.search(text)
    return tagged.group(1) if tagged else default


def shows_original(note: Note) -> bool:
    """Whether a note's original goes beside it: cleaning or splitting changed its words,
    not only its punctuation, quotes or spaces (``same_words``)."""
    return bool(note.original_text) and not same_words(note.original_text, note.text)


@functools.cache
def _asset(name: str, closing_tag: str) -> str:
    """Our own CSS/JS, inlined verbatim; refuse one that could end its element early."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if closing_tag in text.lower():
        raise ValueError(f"{name} must not contain {closing_tag!r}")
    return text


def stylesheet() -> str:
    """The stylesheet both the report and the review app use."""
    return _asset(STYLESHEET, "</style")


def content_security_policy(script: str) -> str:
    """No network, no plugins; styles inline; scripts: only ``script``, pinned by its hash."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            f"script-src 'sha256-{digest}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_html(result: RunResult) -> str:
    """The whole ``report.html`` as one string, in the run's language."""
    css = stylesheet()
    js = _asset("report.js", "</script")
    template = template_environment().get_template("report.html.j2")
    view = build_view(result)
    said = words(view.lang)
    return template.render(
        v=view,
        gettext=said.gettext,
        ngettext=said.ngettext,
        backing=said.backing,
        category_name=lambda category: shown_category(category, said),
        # Markup: our own static files (checked above), never data from the run.
        css=Markup(css),
        js=Markup(js),
        csp=content_security_policy(js),
    )
