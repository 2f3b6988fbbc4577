"""Drafting with a language model, whatever serves it: prompt, validation, retries, fallback.

The backends (``llama_cpp.py``, ``openai_compat.py``) only move a chat request to a model and
its answer back (``ChatClient``). Everything a reviewer relies on is here, once:

- the prompt comes from a file per output language (``prompts/<lang>.txt`` or the user's own
  ``draft.prompts_dir``), filled with the theme's keyphrases and notes, where notes are shown
  under short aliases (``n1``, ``n2``, …) that are mapped back to note ids locally;
- e-mails, phone numbers and names are replaced by placeholders before the prompt is sent
  (``pipeline.privacy``) and restored in the answer;
- the answer must be JSON of a fixed schema, cite only notes of the theme, be in the requested
  language, stay within length limits and not repeat the prompt's instructions; an invalid
  answer is asked for again, a failed call is retried with back-off;
- after the last attempt the theme gets the extractive draft, flagged with the reason, so a
  run never loses a theme to a model;
- calls, tokens, retries, fallbacks and seconds are counted for the manifest.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any, Protocol

from pipeline.config import SUPPORTED_LANGUAGES, ConfigError, DraftConfig
from pipeline.describe import shown_keyphrases
from pipeline.draft.compose.drafter import ComposingDrafter
from pipeline.i18n import words
from pipeline.privacy import PLACEHOLDER, Pseudonymizer
from pipeline.schema import Draft, DraftingStats, Note, Sentence, Theme

MAX_PROMPT_NOTES = 15
"""Notes shown to the model per theme: representatives first, then other members."""
MAX_NOTE_CHARS = 300
"""A longer note is cut in the prompt (the full note stays citable)."""
LIMITS = {"title": (1, 15), "challenge": (5, 80), "proposal": (5, 200)}
"""Words allowed per field (min, max)."""
MAX_CITED = 8
"""Citations per answer: the schema's limit keeps a small model from listing ids forever."""
ECHO_WORDS = 8
"""An answer sharing this many consecutive words with the prompt's instructions repeats them."""

LANGUAGE_NAMES = {"fr": "français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


class PromptError(ConfigError):
    """A prompt file that cannot be used (missing, unknown placeholder); one line."""


class LLMError(Exception):
    """A call that failed: ``kind`` names the failure for the accounting ("timeout",
    "http 500", "connection"); ``transient`` ones are retried after a back-off."""

    def __init__(self, kind: str, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.kind = kind
        self.transient = transient


class InvalidAnswer(ValueError):
    """A model answer that cannot become a draft; ``kind`` as in ``LLMError``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Completion:
    text: str
    tokens_in: int
    tokens_out: int


class ChatClient(Protocol):
    """Sends chat messages to one model and returns its answer; raises ``LLMError``."""

    model: str
    max_parallel: int
    """How many requests it may have in flight at once (1 for an in-process model)."""

    def complete(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> Completion: ...


# --- prompts -------------------------------------------------------------------------------

PROMPT_FIELDS = ("language", "language_name", "keyphrases", "notes", "n_notes", "aliases")


@dataclass(frozen=True)
class PromptTemplate:
    path: Path
    system: str
    user: str

    def render(self, values: Mapping[str, str]) -> list[dict[str, str]]:
        messages = []
        for role, text in (("system", self.system), ("user", self.user)):
            if not text.strip():
                continue
            try:
                filled = Template(text).substitute(values)
            except KeyError as exc:
                raise PromptError(
                    f"{self.path}: unknown placeholder ${exc.args[0]} (use: "
                    + ", ".join("$" + f for f in PROMPT_FIELDS)
                    + ")"
                ) from None
            except ValueError as exc:
                raise PromptError(f"{self.path}: {exc} (write $$ for a dollar sign)") from None
            messages.append({"role": role, "content": filled.strip()})
        return messages


def prompt_path(language: str, prompts_dir: Path | None) -> Path:
    if prompts_dir is not None:
        return Path(prompts_dir) / f"{language}.txt"
    return Path(str(files("pipeline.draft").joinpath("prompts", f"{language}.txt")))


def load_prompt(language: str, prompts_dir: Path | None = None) -> PromptTemplate:
    """The prompt file for ``language``: ``[system]`` and ``[user]`` sections, ``#`` comments.

    ``$notes`` must appear in the user section: a prompt without the notes cannot be grounded.
    """
    path = prompt_path(language, prompts_dir)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"{path}: no prompt file for language {language!r}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PromptError(f"{path}: cannot read the prompt file ({exc})") from None
    sections: dict[str, list[str]] = {"system": [], "user": []}
    current: str | None = None
    for line in raw.splitlines():
        marker = line.strip().lower()
        if marker in ("[system]", "[user]"):
            current = marker[1:-1]
        elif line.lstrip().startswith("#"):
            continue
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            raise PromptError(f"{path}: text before the first [system] or [user] section")
    user = "\n".join(sections["user"])
    if "$notes" not in user and "${notes}" not in user:
        raise PromptError(f"{path}: the [user] section must contain $notes")
    return PromptTemplate(path=path, system="\n".join(sections["system"]), user=user)


@dataclass(frozen=True)
class ThemePrompt:
    messages: list[dict[str, str]]
    aliases: dict[str, str]
    """Alias shown to the model (``n3``) → note id."""
    instructions: str
    """The prompt without the notes: an answer repeating it is rejected."""
    pseudonyms: Pseudonymizer


def prompt_notes(theme: Theme, notes: Mapping[str, Note]) -> list[Note]:
    ordered = list(dict.fromkeys([*theme.representative_ids, *theme.note_ids]))
    return [notes[i] for i in ordered if i in notes][:MAX_PROMPT_NOTES]


def build_prompt(
    template: PromptTemplate,
    theme: Theme,
    notes: Mapping[str, Note],
    language: str,
    pseudonyms: Pseudonymizer | None = None,
) -> ThemePrompt:
    """The chat messages for one theme, with personal data replaced by placeholders."""
    pseudonyms = pseudonyms or Pseudonymizer()
    shown = prompt_notes(theme, notes)
    aliases = {f"n{i + 1}": note.id for i, note in enumerate(shown)}
    lines = []
    for alias, note in zip(aliases, shown, strict=True):
        text = " ".join(note.text.split())
        if len(text) > MAX_NOTE_CHARS:
            text = text[: MAX_NOTE_CHARS - 1] + "…"
        lines.append(f"[{alias}] ({note.lang}) {pseudonyms.redact(text, note.lang)}")
    redacted_words = {
        word.casefold() for value in pseudonyms.table.values() for word in value.split()
    }
    # Each with its translations ("mois / maanden"): the model picks the output language's.
    keyphrases = [
        k for k in shown_keyphrases(theme) if not set(k.casefold().split()) & redacted_words
    ]
    values = {
        "language": language,
        "language_name": LANGUAGE_NAMES.get(language, language),
        "keyphrases": ", ".join(keyphrases) or "-",
        "n_notes": str(len(shown)),
        "aliases": ", ".join(aliases),
    }
    messages = template.render({**values, "notes": "\n".join(lines)})
    instructions = "\n".join(m["content"] for m in template.render({**values, "notes": ""}))
    return ThemePrompt(messages, aliases, instructions, pseudonyms)


def answer_schema(aliases: Sequence[str]) -> dict[str, Any]:
    """The JSON schema of an answer; cited ids are limited to the aliases shown. Lengths are
    checked after the answer, not in the schema: llama.cpp turns ``maxLength`` into a grammar
    too large to build."""
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "challenge": {"type": "string"},
            "proposal": {"type": "string"},
            "cited_ids": {
                "type": "array",
                "items": {"type": "string", "enum": list(aliases)},
                "minItems": 1,
                "maxItems": MAX_CITED,
            },
        },
        "required": ["title", "challenge", "proposal", "cited_ids"],
        "additionalProperties": False,
    }


# --- validation ----------------------------------------------------------------------------

MIN_DETECTED_WORDS = 5
"""A sentence this long or longer must be detected in the output language; shorter ones
are too short for the language identifier to judge."""

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Answer:
    title: str
    challenge: str
    proposal: str
    cites: list[str]


def parse_answer(text: str, prompt: ThemePrompt, theme: Theme, language: str) -> Answer:
    """A valid answer with placeholders restored, or ``InvalidAnswer`` saying what is wrong."""
    fenced = _FENCE.match(text)
    try:
        data = json.loads(fenced.group(1) if fenced else text)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer("json", f"not valid JSON ({exc.msg} at char {exc.pos})") from None
    if not isinstance(data, dict):
        raise InvalidAnswer("json", "the answer is not a JSON object")
    fields: dict[str, str] = {}
    for name in ("title", "challenge", "proposal"):
        value = data.get(name)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = " ".join(value)
        if not isinstance(value, str) or not value.strip():
            raise InvalidAnswer("schema", f"{name!r} is missing or not a text")
        fields[name] = prompt.pseudonyms.restore(" ".join(value.split()))
    raw_ids = data.get("cited_ids")
    if not isinstance(raw_ids, list) or not raw_ids or not all(isinstance(i, str) for i in raw_ids):
        raise InvalidAnswer("schema", "'cited_ids' must be a non-empty list of note ids")
    members = set(theme.note_ids)
    cites: list[str] = []
    unknown: list[str] = []
    for raw in raw_ids:
        key = raw.strip().strip("[]")
        note_id = prompt.aliases.get(key.lower(), key)
        (cites if note_id in members else unknown).append(note_id)
    if unknown:
        raise InvalidAnswer(
            "cites", f"cites notes that are not in theme {theme.id}: {', '.join(unknown)}"
        )
    for name, (low, high) in LIMITS.items():
        words = len(_WORD.findall(fields[name]))
        if not low <= words <= high:
            raise InvalidAnswer("length", f"{name!r} has {words} words (allowed {low}-{high})")
    if not fields["challenge"].rstrip().endswith("?"):
        raise InvalidAnswer("format", "the challenge statement is not a question")
    body = f"{fields['challenge']} {fields['proposal']}"
    found = detected_language(PLACEHOLDER.sub(" ", body))
    if found != language:
        raise InvalidAnswer(
            "language", f"the text is in {found!r}, not in the requested {language!r}"
        )
    for name in ("title", "challenge", "proposal"):
        if repeats(fields[name], prompt.instructions):
            raise InvalidAnswer("echo", f"{name!r} repeats the prompt's instructions")
    _check_form(fields, cites, prompt, language)
    return Answer(
        fields["title"], fields["challenge"], fields["proposal"], list(dict.fromkeys(cites))
    )


def _folded(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _check_form(
    fields: dict[str, str], cites: list[str], prompt: ThemePrompt, language: str
) -> None:
    """What small models get wrong and a reader cannot hand out: the title copying the
    question, a sentence said twice, a sentence in another language, citing every note."""
    from pipeline.draft.compose.rules import RULES

    title, challenge = _folded(fields["title"]), _folded(fields["challenge"])
    stem = _folded(RULES[language].stem) if language in RULES else ""
    if (
        title == challenge
        or fields["title"].rstrip().endswith("?")
        or (stem and title.startswith(stem))
        or (stem and challenge.startswith(stem) and title == challenge[len(stem) :].strip())
    ):
        raise InvalidAnswer("title", "the title repeats the challenge question")
    from pipeline.nlp import sentences

    said = [challenge] + [_folded(s) for s in sentences(fields["proposal"], language)]
    said = [s for s in said if s]
    if len(set(said)) < len(said):
        raise InvalidAnswer("repeat", "a sentence is said twice")
    for sentence in [fields["challenge"], *sentences(fields["proposal"], language)]:
        text = PLACEHOLDER.sub(" ", sentence)
        if len(_WORD.findall(text)) >= MIN_DETECTED_WORDS:
            found = detected_language(text)
            if found != language:
                raise InvalidAnswer(
                    "language", f"a sentence is in {found!r}, not in {language!r}: {sentence!r}"
                )
    if len(prompt.aliases) > 2 and len(set(cites)) >= len(prompt.aliases):
        raise InvalidAnswer("cites", "it cites every note given: cite the notes each text uses")


def detected_language(text: str) -> str:
    from pipeline.prepare.language import detect_language

    return detect_language(text, SUPPORTED_LANGUAGES).lang


def repeats(text: str, instructions: str, n: int = ECHO_WORDS) -> bool:
    """Whether ``text`` shares ``n`` consecutive words with ``instructions``."""
    words = [w.casefold() for w in _WORD.findall(text)]
    source = [w.casefold() for w in _WORD.findall(instructions)]
    grams = {tuple(source[i : i + n]) for i in range(len(source) - n + 1)}
    return any(tuple(words[i : i + n]) in grams for i in range(len(words) - n + 1))


def to_draft(answer: Answer, theme: Theme, language: str, drafter: str) -> Draft:
    from pipeline.nlp import sentences

    proposal = sentences(answer.proposal, language) or [answer.proposal]
    return Draft(
        theme_id=theme.id,
        language=language,
        drafter=drafter,
        title=Sentence(text=answer.title, cites=answer.cites),
        challenge=Sentence(text=answer.challenge, cites=answer.cites),
        proposal=[Sentence(text=s, cites=answer.cites) for s in proposal],
    )


# --- pacing and accounting -----------------------------------------------------------------


class RateLimiter:
    """At most ``per_minute`` calls a minute, evenly spaced, across threads."""

    def __init__(self, per_minute: float | None) -> None:
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


class Accounting:
    """Thread-safe counters behind ``DraftingStats``."""

    def __init__(self, drafter: str, model: str) -> None:
        self.stats = DraftingStats(drafter=drafter, model=model)
        self._lock = threading.Lock()

    def add(self, **increments: float) -> None:
        with self._lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    def failure(self, kind: str) -> None:
        with self._lock:
            self.stats.failures[kind] = self.stats.failures.get(kind, 0) + 1


# --- the drafter ---------------------------------------------------------------------------


class LLMDrafter:
    """A ``Drafter`` over any ``ChatClient``; ``draft_all`` drafts themes concurrently."""

    def __init__(self, name: str, client: ChatClient, config: DraftConfig) -> None:
        self.name = name
        self.client = client
        self.config = config
        self.accounting = Accounting(name, client.model)
        self._limiter = RateLimiter(config.requests_per_minute)
        self._fallback = ComposingDrafter()
        self._prompts: dict[str, PromptTemplate] = {}
        self._prompt_lock = threading.Lock()

    @property
    def stats(self) -> DraftingStats:
        return self.accounting.stats

    def with_vectors(
        self, vectors: Mapping[str, Any], embed: Callable[[list[str]], Any] | None = None
    ) -> LLMDrafter:
        """The same drafter, whose fallback drafts with the run's embeddings."""
        self._fallback = ComposingDrafter(vectors, embed)
        return self

    def _template(self, language: str) -> PromptTemplate:
        with self._prompt_lock:
            if language not in self._prompts:
                self._prompts[language] = load_prompt(language, self.config.prompts_dir)
            return self._prompts[language]

    def draft_all(
        self, themes: Sequence[Theme], notes: Mapping[str, Note], language: str
    ) -> list[Draft]:
        self._template(language)  # a bad prompt file fails once, before any call
        workers = max(1, min(self.config.concurrency, self.client.max_parallel, len(themes)))
        started = time.perf_counter()
        try:
            if workers == 1:
                return [self.draft(theme, notes, language) for theme in themes]
            with ThreadPoolExecutor(max_workers=workers) as pool:
                return list(pool.map(lambda t: self.draft(t, notes, language), themes))
        finally:
            self.accounting.add(seconds=round(time.perf_counter() - started, 3))

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        prompt = build_prompt(self._template(language), theme, notes, language)
        schema = answer_schema(list(prompt.aliases))
        messages = list(prompt.messages)
        reason = "no attempt was made"
        self.accounting.add(drafts=1)
        for attempt in range(self.config.retries + 1):
            if attempt:
                self.accounting.add(retries=1)
            self._limiter.wait()
            self.accounting.add(calls=1)
            try:
                completion = self.client.complete(messages, schema, self.config.max_tokens)
            except LLMError as exc:
                self.accounting.failure(exc.kind)
                reason = f"{exc.kind}: {exc}"
                if not exc.transient:
                    break
                if attempt < self.config.retries:
                    time.sleep(self.config.backoff_seconds * 2**attempt)
                continue
            self.accounting.add(tokens_in=completion.tokens_in, tokens_out=completion.tokens_out)
            try:
                answer = parse_answer(completion.text, prompt, theme, language)
            except InvalidAnswer as exc:
                self.accounting.failure(exc.kind)
                reason = f"{exc.kind}: {exc}"
                # Ask again, saying what was wrong; the first two messages stay the prompt.
                messages = [
                    *prompt.messages,
                    {"role": "assistant", "content": completion.text[:2000]},
                    {"role": "user", "content": correction(exc, language)},
                ]
                continue
            return to_draft(answer, theme, language, self.name)
        return self._fall_back(theme, notes, language, reason)

    def _fall_back(
        self, theme: Theme, notes: Mapping[str, Note], language: str, reason: str
    ) -> Draft:
        self.accounting.add(fallbacks=1)
        draft = self._fallback.draft(theme, notes, language)
        attempts = self.config.retries + 1
        flag = words(language).ngettext(
            "the %(drafter)s drafter's answer was not used after %(num)d attempt "
            "(%(reason)s); this is the composed draft instead",
            "the %(drafter)s drafter's answer was not used after %(num)d attempts "
            "(%(reason)s); this is the composed draft instead",
            attempts,
            drafter=self.name,
            reason=reason,
        )
        return draft.model_copy(
            update={
                "fallback": reason,
                "requested_drafter": self.name,
                "flags": [flag, *draft.flags],
            }
        )


CORRECTIONS = {
    "fr": "Réponse refusée : {problem}. Répondez uniquement avec l'objet JSON demandé, en {name}.",
    "nl": "Antwoord geweigerd: {problem}. Antwoord alleen met het gevraagde JSON-object, in het "
    "{name}.",
    "de": "Antwort abgelehnt: {problem}. Antworten Sie nur mit dem verlangten JSON-Objekt, auf "
    "{name}.",
    "en": "Answer rejected: {problem}. Reply with the requested JSON object only, in {name}.",
}


def correction(problem: InvalidAnswer, language: str) -> str:
    text = CORRECTIONS.get(language, CORRECTIONS["en"])
    return text.format(problem=problem, name=LANGUAGE_NAMES.get(language, language))
