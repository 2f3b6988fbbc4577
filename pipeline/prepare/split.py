"""Split a note that holds several ideas into atomic ideas, conservatively.

A sticky note with three bullets is three ideas and must be clustered as three, or the
themes blur. But "We need a charter. It must be public." is one idea explained, and cutting
it would give a theme an orphan "It must be public." So explicit structure (bullets,
numbering, ";") splits readily, while sentence boundaries split only long notes into
parts that can stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline import nlp
from pipeline.memo import IN_MEMORY, TextMemo
from pipeline.prepare.abbreviations import rejoin
from pipeline.prepare.language import letter_words
from pipeline.prepare.normalize import flatten, strip_noise

MIN_STRUCTURED_WORDS = 2
"""Each part of a bullet/numbered/";" split needs this many words, or the note stays whole."""
MIN_SENTENCE_WORDS = 5
"""A sentence shorter than this is merged into its neighbour rather than made its own idea."""
LONG_NOTE_CHARS = 200
MIN_SENTENCES = 3
"""Sentence splitting only for notes longer than LONG_NOTE_CHARS or with this many sentences."""
SHORT_HEADER_WORDS = 3
"""A line before the first bullet this short (or ending with ":") is a heading, not an idea."""

_BULLET_LINE = re.compile(
    r"^\s*(?:[-*•·▪◦●○►–—](?:\s+|(?=[^\W\d_]))|(?:\(?\d{1,2}[.)]|\(?[a-zA-Z]\))\s+)"
    r"(?P<item>\S.*)$"
)
"""A bullet line; a dash or star may touch its item ("-fermer les usines", "*Aucune …") when
a letter follows it, never a digit ("-5 %")."""
_INLINE_BULLET = re.compile(r"\s*[•▪◦●]\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)\(?(?P<marker>\d{1,2}|[a-z])\)\s+")
"""Inline markers close with ")"; "1." inside a line is an ordinal ("am 1. Mai") unless it
opens a sentence (``_INLINE_DOTTED``)."""
_INLINE_DOTTED = re.compile(r"(?:^|(?<=[.:;!?] ))(?P<marker>\d{1,2})\.\s+(?=[^\W\d_])")
"""A numbered item inside a line: "… adopted: 1. Set strict standards. 2. End public
irrigation subsidies. 3. …", the number at the start or after a sentence's end or a colon
(never "am 1. Mai und am 2. Juni"); such a run must count up from 1."""
_TIGHT_DASH = re.compile(r"(?:^|(?<=\s))[-–—](?=[^\W\d_])")
"""An inline dash touching the word it opens, after a space: " -fermer les usines"."""
_SPACED_DASH = re.compile(r"(?<=\s)[-–—]\s+")
"""An inline dash between spaces: " – fermer les usines" (also a parenthesis' dash)."""
MIN_SPACED_DASHES = 3
"""A pair of spaced dashes is a parenthesis ("le vélo – surtout électrique – est …"); a list
needs more."""
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")

_WORD = re.compile(r"[^\W\d_]+(?:['’](?=[^\W\d_]))?")
"""A word; an elided one keeps its apostrophe ("C’est" is "c'" and "est")."""


def sentence_words(sentence: str) -> list[str]:
    """The lowercase words of ``sentence``, apostrophes written "'"."""
    return [word.lower().replace("’", "'") for word in _WORD.findall(sentence)]


def _word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    """Comma-separated words or phrases, each as its tuple of words (``sentence_words``)."""
    return frozenset(
        tuple(sentence_words(phrase)) for phrase in text.split(",") if sentence_words(phrase)
    )


FOLLOW_ON: dict[str, frozenset[tuple[str, ...]]] = {
    "en": _phrases(
        """
        it, this, that, these, those, they, which, such, so, but, because, therefore, thus,
        hence, otherwise, likewise, similarly, in that case, for that reason, that way,
        as a result, the same goes, the same applies, for example, for instance, e. g.,
        especially, in particular, and, or, nor, then, them, its, their,
        provided that, providing, as long as, on condition that, unless, even so, instead,
        in which case, if so, if not, makes, means, causes, creates, helps, gives, seems,
        sounds, looks, leads, brings
        """
    ),
    "fr": _phrases(
        """
        ce, c'est, cela, ça, ceci, celui, celle, ceux, celles, elle, elles, ils, mais, car,
        donc, sinon, aussi, ainsi, alors, d'où, par conséquent, de même, pareil, idem, en effet,
        pour cela, pour ça, dans ce cas, du coup, cependant, pourtant, toutefois, là,
        par exemple, p. ex., surtout, notamment, en particulier, cet, cette, ces, son, sa, ses,
        leur, leurs, et, ou, or, ni, quitte à, quit à, à condition que, à condition qu',
        à condition de, pourvu que, pourvu qu', sauf si, sauf que, en revanche, par contre,
        au contraire, néanmoins, d'ailleurs, il y a là, c'est là, là aussi, sans quoi, voilà,
        en voilà, à l'inverse, inversement, permet, évite, coûte, crée, entraîne, rapporte
        """
    ),
    "nl": _phrases(
        """
        dit, dat, deze, die, ze, zij, hij, maar, want, dus, anders, ook, daarom, daardoor,
        daarmee, daarbij, daarvoor, hierdoor, hiermee, hierbij, hiervoor, zo,
        zo'n, zulke, eveneens, evenzo, idem, in dat geval, toch, echter, bijvoorbeeld,
        bijv., vooral, met name, zoals, en, of, noch, hun, hem, mits, tenzij, zolang,
        op voorwaarde dat, dan, daar, in plaats daarvan, zorgt, maakt, kost, helpt, leidt,
        brengt
        """
    ),
    "de": _phrases(
        """
        das, dies, diese, dieser, dieses, diesen, diesem, sie, er, aber, denn, sonst, auch,
        ebenfalls, ebenso, genauso, daher, deshalb, deswegen, darum, dafür, dabei, dadurch,
        damit, dazu, dagegen, davon, also, somit, folglich, trotzdem, dennoch, jedoch, solche,
        dort, in diesem fall, aus diesem grund, vor allem, zum beispiel, z. b., insbesondere,
        besonders, und, oder, sein, seine, seinen, seinem, seiner, deren, dessen, ihn, ihm,
        ihnen, sofern, vorausgesetzt, solange, es sei denn, allerdings, hingegen,
        stattdessen, dann, macht, bringt, kostet, führt, schafft, hilft
        """
    ),
}
"""Sentence openers that point back to the sentence before: a pronoun or demonstrative
("Dies …", "Cela …", "Ces …", "Son montant …"), a consequence ("Daher …", "Donc …",
"Therefore …"), a contrast ("Aber …"), an addition to what was just said ("Auch beim
Belvedere …", "Ook bij …"), an example or a stress on it ("Vor allem im ländlichen Raum.",
"Par exemple …"), a verb whose subject is the sentence before ("Makes a bad impression on
visitors to our city.", "Permet de …", "Kostet …"), a condition or a concession on it
("Quitte à adapter le tarif …", "À condition que …", "Sofern …", "Mits …", "Provided that
…") or a coordination ("Et …", "Und …", "Or …"). Such a sentence cannot stand alone in a
theme: it is merged into the sentence before. Openers that
start a new point ("Außerdem", "De plus", "Bovendien", "Also" in English, "Too many …") are
not in the lists, nor words that open a sentence of its own as often ("Il faut …", "Es
braucht …", "Het park …"). ``tests/test_prepare_split.py`` holds an example per language."""

BACK_REFERENCES: dict[str, frozenset[tuple[str, ...]]] = {
    "en": _phrases("likewise"),
    "fr": _phrases("également, de même, non plus, pareillement, ça"),
    "nl": _phrases("eveneens, evenzeer, evenmin"),
    "de": _phrases("ebenfalls, ebenso, gleichfalls, genauso, gleichermaßen"),
}
"""Words that point back to the sentence before wherever they stand in a sentence: German
puts "ebenfalls" after the verb ("Jetzt sind die Netzkosten ebenfalls zu hoch."), English
"likewise" or French "également" or "ça" anywhere. A sentence holding one is merged into
the sentence before, as one opening with a word of ``FOLLOW_ON`` is."""

CLOSING: dict[str, frozenset[tuple[str, ...]]] = {
    "en": _phrases("as well, too, either, for example, for instance"),
    "fr": _phrases("aussi, non plus, par exemple"),
    "nl": _phrases("ook, bijvoorbeeld"),
    "de": _phrases("auch, zum beispiel"),
}
"""Words that point back to the sentence before when they end a sentence: "The evening
buses should be free as well.", "Die Bibliotheken auch." ("as well as" inside a sentence
does not)."""

REPLY_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"yes", "no"}),
    "fr": frozenset({"oui", "non", "si"}),
    "nl": frozenset({"ja", "nee", "neen"}),
    "de": frozenset({"ja", "nein", "doch"}),
}
"""A bare answer before an opener of ``FOLLOW_ON``: "Oui à condition que …" answers the
question and sets a condition on what was said before, as "À condition que …" does."""

DANGLING: dict[str, frozenset[str]] = {
    "en": _word_set("or and but nor of to for the a an with by from at into"),
    "fr": _word_set(
        "ou et mais ni car donc de du des à au aux pour le la les l' un une avec que qu' "
        "qui dont sur par dans sans vers chez entre"
    ),
    "nl": _word_set("of en maar noch van voor met een te aan bij naar door"),
    "de": _word_set("oder und aber sowie zu für mit von ein eine einen dass als bei"),
}
"""Words a piece cannot end on: a conjunction, a preposition or an article. A piece ending
on one ("la localisation ou") is joined to the piece after it. Words that also end a
sentence as pronouns ("das", "dat", "that", "en" in French) are not in the lists."""

FRENCH_CLITICS = frozenset({"l", "l'", "le", "la", "les", "lui", "leur", "y", "en"})
"""Object pronouns that open a French piece pointing back: "L'imposer dans les cantines" (also
written "L imposer"), "Les interdire …", "En faire …"."""

FRENCH_INFINITIVES = _word_set(
    """faire dire mettre prendre rendre interdire réduire produire construire reconstruire
    détruire inscrire écrire permettre remettre soumettre transmettre promouvoir suivre
    poursuivre vendre défendre comprendre apprendre reprendre étendre traduire conduire
    introduire restreindre inclure exclure combattre résoudre connaître reconnaître voir
    prévoir revoir recevoir"""
)
"""French infinitives that ``_opens_with_clitic`` cannot tell by their ending (-re, -oir)."""

FRENCH_NOT_INFINITIVES = _word_set(
    """hiver cancer enfer danger étranger boulanger potager berger verger foyer loyer rocher
    clocher super leader manager laser poster dîner déjeuner goûter coucher lever avenir
    plaisir loisir désir souvenir soupir devenir saphir élixir martyr"""
)
"""French nouns ending like an infinitive ("L'avenir …", "Le danger …")."""


def _parts_ok(parts: Sequence[str], min_words: int) -> bool:
    return len(parts) >= 2 and all(letter_words(part) >= min_words for part in parts)


def _clean_parts(parts: Sequence[str]) -> list[str]:
    cleaned = (strip_noise(flatten(part)) for part in parts)
    return [part for part in cleaned if part]


def _is_heading(line: str) -> bool:
    return line.rstrip().endswith(":") or letter_words(line) <= SHORT_HEADER_WORDS


def _completes_lead_in(heading: str, items: Sequence[str]) -> bool:
    """Whether the items are what a lead-in that is an idea of its own lists: "Für jede
    Region soll es zwei Darstellungen geben - a) gesamter Energieverbrauch, b) erzeugte
    Bio-Energie". The note is then one idea; split, its items would stand as ideas of their
    own ("… einen gesamten Energieverbrauch einführen?") and the lead-in would name nothing.
    A lead-in that is a heading ("Wir brauchen:") or a sentence of its own ("Der Verkehr
    muss sich ändern. 1) Radwege ausbauen 2) …") leaves its items as ideas."""
    return (
        bool(heading)
        and not _is_heading(heading)
        and not heading.rstrip(" -–—").endswith((".", "!", "?", "…"))
        and all(letter_words(strip_noise(flatten(item))) <= SHORT_HEADER_WORDS for item in items)
    )


def split_bullets(text: str) -> list[str] | None:
    """Lines starting with "- ", "* ", "• ", "1. ", "1) ", "a) ": one idea per bullet.

    A line without a bullet continues the bullet above it; lines before the first bullet
    are a heading (dropped from the parts; it stays in the parent's text) unless they read
    like an idea of their own.
    """
    lines = text.split("\n")
    if sum(1 for line in lines if _BULLET_LINE.match(line)) < 2:
        return None
    parts: list[str] = []
    preamble: list[str] = []
    for line in lines:
        match = _BULLET_LINE.match(line)
        if match:
            parts.append(match.group("item"))
        elif parts:
            parts[-1] += " " + line
        else:
            preamble.append(line)
    heading = " ".join(preamble)
    if _completes_lead_in(heading, parts):
        return None
    if heading and not _is_heading(heading):
        parts.insert(0, heading)
    parts = _clean_parts(parts)
    return parts if _parts_ok(parts, MIN_STRUCTURED_WORDS) else None


def _is_sequence(markers: Sequence[str], start: int) -> bool:
    if markers[0].isdigit():
        return all(m.isdigit() and int(m) == i for i, m in enumerate(markers, start=start))
    return all(m == chr(ord("a") + i - 1) for i, m in enumerate(markers, start=start))


def split_inline_numbering(text: str) -> list[str] | None:
    """ "1) … 2) … 3) …" or "a) … b) …" on one line; the markers must count up from 1 (or a)
    so that a stray "3)" never splits a note. A run "… 2) … 3) …" whose "1)" was removed
    upstream (readers strip a leading list marker) counts the text before it as idea 1.
    """
    flat = flatten(text)
    found = _numbered_run(list(_INLINE_NUMBER.finditer(flat)), starts=("1", "a", "2", "b"))
    if found is None:
        found = _numbered_run(list(_INLINE_DOTTED.finditer(flat)), starts=("1",))
    if found is None:
        return None
    best, best_start = found
    heading = flat[: best[0].start()].strip()
    if best_start == 2 and not heading:
        return None
    bounds = [m.start() for m in best] + [len(flat)]
    parts = [flat[m.end() : bounds[i + 1]] for i, m in enumerate(best)]
    if best_start == 1 and _completes_lead_in(heading, parts):
        return None
    if best_start == 2 or (heading and not _is_heading(heading)):
        parts.insert(0, heading)
    parts = _clean_parts(parts)
    return parts if _parts_ok(parts, MIN_STRUCTURED_WORDS) else None


def _numbered_run(
    matches: list[re.Match[str]], starts: Sequence[str]
) -> tuple[list[re.Match[str]], int] | None:
    """The longest run of ``matches`` whose markers count up (from 1 or a, or from 2 or b
    when the first marker was removed upstream), with the number it starts from; ``None``
    for fewer than two markers."""
    best: list[re.Match[str]] = []
    best_start = 1
    for position, first in enumerate(matches):
        marker = first.group("marker")
        if marker not in starts:
            continue
        start = 1 if marker in ("1", "a") else 2
        run = [first]
        for match in matches[position + 1 :]:
            if _is_sequence([m.group("marker") for m in [*run, match]], start):
                run.append(match)
        if len(run) > len(best) or (len(run) == len(best) and start < best_start):
            best, best_start = run, start
    return (best, best_start) if len(best) >= 2 else None


def split_inline_bullets(text: str) -> list[str] | None:
    """ "• idea • idea" on one line (round bullets are never punctuation)."""
    flat = flatten(text)
    if len(_INLINE_BULLET.findall(flat)) < 2 and not re.match(r"^\s*[•▪◦●]", flat):
        return None
    parts = [p for p in _INLINE_BULLET.split(flat) if p.strip()]
    if parts and not re.match(r"^\s*[•▪◦●]", flat) and _is_heading(parts[0]):
        parts = parts[1:]
    parts = _clean_parts(parts)
    return parts if _parts_ok(parts, MIN_STRUCTURED_WORDS) else None


_SEMICOLON = re.compile("[;\uff1b]")
"""A semicolon, ASCII or full-width ("；")."""


def split_semicolons(text: str) -> list[str] | None:
    """ "idea; idea; idea" - only when every part has at least two words."""
    if ";" not in text and "\uff1b" not in text:
        return None
    parts = _clean_parts(_SEMICOLON.split(flatten(text)))
    return parts if _parts_ok(parts, MIN_STRUCTURED_WORDS) else None


def split_inline_dashes(text: str) -> list[str] | None:
    """ "interdire les pesticides -fermer les usines -développer le solaire" on one line: a
    dash opening each item. Dashes touching their word need two of them; dashes between
    spaces need ``MIN_SPACED_DASHES``, as two are a parenthesis. The text before the first
    dash is an idea of its own unless it is a heading."""
    flat = flatten(text)
    tight = list(_TIGHT_DASH.finditer(flat))
    spaced = list(_SPACED_DASH.finditer(flat))
    leading = bool(tight) and tight[0].start() == 0
    if len(tight) - leading >= 1 and len(tight) >= 2:
        markers = tight
    elif len(spaced) >= MIN_SPACED_DASHES:
        markers = spaced
    else:
        return None
    bounds = [m.start() for m in markers] + [len(flat)]
    heading = flat[: markers[0].start()].strip()
    parts = [flat[m.end() : bounds[i + 1]] for i, m in enumerate(markers)]
    if heading and not _is_heading(heading):
        parts.insert(0, heading)
    parts = _clean_parts(parts)
    return parts if _parts_ok(parts, MIN_STRUCTURED_WORDS) else None


def split_structure(text: str, lang: str = "") -> list[str] | None:
    """The first explicit structure that yields several ideas, or None. Items that cannot
    stand alone (``join_dependents``) are joined to their neighbour first."""
    rules = (
        split_bullets,
        split_inline_numbering,
        split_inline_bullets,
        split_inline_dashes,
        split_semicolons,
    )
    for rule in rules:
        parts = rule(text)
        if parts:
            joined = join_dependents(parts, lang, MIN_STRUCTURED_WORDS, list_items=True)
            return joined if _parts_ok(joined, MIN_STRUCTURED_WORDS) else None
    return None


LISTED_BY_SEMICOLONS = 3
"""Items a note separates with semicolons to be written as a list: two such parts are as
often one sentence's two clauses ("… wo der Strom herkommt; Flexibilität … nutzen")."""


def written_as_list(text: str) -> bool:
    """Whether a note is written as a list: bullets, numbers, round bullets or dashes opening
    its items, or at least ``LISTED_BY_SEMICOLONS`` items between semicolons. Its items are
    elliptical ("monthly meetup", "mail na 1 maand"): what they are about is the list's; the
    sentences of a note written as prose each say theirs."""
    marked = (split_bullets, split_inline_numbering, split_inline_bullets, split_inline_dashes)
    if any(rule(text) for rule in marked):
        return True
    return len(split_semicolons(text) or []) >= LISTED_BY_SEMICOLONS


def wants_sentence_split(text: str) -> bool:
    """Cheap pre-check so that spaCy runs only on notes that could be split at all."""
    flat = flatten(text)
    return len(flat) > LONG_NOTE_CHARS or len(_SENTENCE_END.findall(flat)) >= MIN_SENTENCES - 1


def _follows_on(sentence: str, lang: str) -> bool:
    """Whether ``sentence`` points back to the sentence before: a ``FOLLOW_ON`` phrase opens
    it, a ``CLOSING`` one ends it, or a ``BACK_REFERENCES`` one is anywhere in it."""
    words = sentence_words(sentence)
    opening = FOLLOW_ON.get(lang, frozenset())
    anywhere = BACK_REFERENCES.get(lang, frozenset())
    closing = CLOSING.get(lang, frozenset())
    return (
        any(tuple(words[:n]) in opening for n in range(1, 5))
        or any(tuple(words[-n:]) in closing for n in (1, 2) if len(words) > n)
        or any(tuple(words[i : i + n]) in anywhere for i in range(len(words)) for n in (1, 2))
    )


def _dangles(piece: str, lang: str) -> bool:
    """Whether ``piece`` stops mid-sentence: on a conjunction, a preposition or an article
    ("la localisation ou"), or on ",", ":", "&" or a dash."""
    stripped = piece.rstrip()
    if not stripped:
        return False
    if stripped[-1] in ",:&-–—+":
        return True
    if not (stripped[-1].isalpha() or stripped[-1] in "'’"):
        return False
    words = sentence_words(stripped)
    return bool(words) and words[-1] in DANGLING.get(lang, frozenset())


def _opens_with_clitic(words: Sequence[str], lang: str) -> bool:
    """French "L'imposer dans les cantines.", "Les interdire …": an object pronoun before an
    infinitive stands for something named in the sentence before."""
    if lang != "fr" or len(words) < 2 or words[0] not in FRENCH_CLITICS:
        return False
    verb = words[1]
    if verb in FRENCH_INFINITIVES:
        return True
    if verb in FRENCH_NOT_INFINITIVES or len(verb) < 4:
        return False
    if verb.endswith("ier"):
        return verb.endswith(("ifier", "plier", "blier", "udier"))
    return verb.endswith(("er", "ir")) and not verb.endswith("oir")


def _opens_pointing_back(words: Sequence[str], lang: str) -> bool:
    """Whether ``words`` open with a phrase of ``FOLLOW_ON``, also after a bare "Oui", "Non",
    "Yes" … (``REPLY_WORDS``), or (French) with an object pronoun before a verb."""
    if words and words[0] in REPLY_WORDS.get(lang, frozenset()):
        words = words[1:]
    opening = FOLLOW_ON.get(lang, frozenset())
    return any(tuple(words[:n]) in opening for n in range(1, 5)) or _opens_with_clitic(words, lang)


def _replies(words: Sequence[str], lang: str) -> bool:
    """Whether ``words`` answer something said before the note: a bare "Oui", "Yes", "Ja" …
    then a phrase pointing back ("Oui à condition que …")."""
    return (
        len(words) > 1
        and words[0] in REPLY_WORDS.get(lang, frozenset())
        and _opens_pointing_back(words[1:], lang)
    )


def points_back(piece: str, lang: str) -> bool:
    """Whether ``piece`` cannot be read without the piece before it: it opens pointing back
    (``_opens_pointing_back``), ends with a phrase of ``CLOSING`` or holds one of
    ``BACK_REFERENCES``."""
    return _follows_on(piece, lang) or _opens_pointing_back(sentence_words(piece), lang)


def join_dependents(
    pieces: Sequence[str],
    lang: str,
    min_words: int = MIN_SENTENCE_WORDS,
    *,
    list_items: bool = False,
) -> list[str]:
    """``pieces`` with each one that cannot stand alone joined to its neighbour: a piece
    shorter than ``min_words`` words or pointing back (``points_back``) to the one before,
    the piece after a piece that dangles (``_dangles``) to it. At the start, where there is
    nothing before, a short or dangling piece waits for the next one, and so does a sentence
    answering something said before (``_replies``: "Oui à condition que …"), though not the
    first item of a list (``list_items``). Another first sentence pointing back ("C'est aux
    pollueurs de payer !") points at the question asked, and stands."""
    parts: list[str] = []
    pending = ""
    for piece in pieces:
        if parts and (
            _dangles(parts[-1], lang) or letter_words(piece) < min_words or points_back(piece, lang)
        ):
            parts[-1] = f"{parts[-1]} {piece}"
        elif parts:
            parts.append(piece)
        else:
            needs_more = not (pending or list_items) and _replies(sentence_words(piece), lang)
            pending = f"{pending} {piece}".strip()
            if not (needs_more or letter_words(pending) < min_words or _dangles(pending, lang)):
                parts.append(pending)
                pending = ""
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}"
        else:
            parts.append(pending)
    return parts


def group_sentences(sentences: Sequence[str], text: str, lang: str) -> list[str] | None:
    """Join sentences that cannot stand alone to their neighbour (``join_dependents``);
    None unless ≥ 2 ideas remain.

    Only for long notes (> LONG_NOTE_CHARS characters or ≥ MIN_SENTENCES sentences): a
    two-sentence sticky note is one idea with its explanation.
    """
    if not (len(flatten(text)) > LONG_NOTE_CHARS or len(sentences) >= MIN_SENTENCES):
        return None
    parts = _clean_parts(join_dependents(sentences, lang))
    if not _parts_ok(parts, MIN_SENTENCE_WORDS):
        return None
    return parts


def whole_words(sentences: Sequence[str], text: str) -> list[str]:
    """``sentences`` (pieces of ``text``, in order) joined again wherever two of them meet
    without a space between them: a sentence splitter may end a sentence inside a word it
    reads as two tokens ("… Wirkungen. #" and "degrowth"), which the text wrote as one
    ("#degrowth", an address, a URL). Each piece is then the very text between its ends, so a
    later join with one space gives back what was written. Pieces not found in ``text`` are
    returned as they are."""
    spans: list[list[int]] = []
    position = 0
    for sentence in sentences:
        start = text.find(sentence, position)
        if start < 0:
            return list(sentences)
        end = start + len(sentence)
        if spans and (start == spans[-1][1] or not text[start - 1].isspace()):
            spans[-1][1] = end
        else:
            spans.append([start, end])
        position = end
    return [text[start:end] for start, end in spans]


def split_notes(
    texts: Sequence[str], langs: Sequence[str], memo: TextMemo = IN_MEMORY
) -> list[list[str] | None]:
    """The ideas of each note (normalised text with its line breaks), or None to keep it whole.

    Structure first; sentence boundaries (spaCy, one batch per language) only for long notes,
    joined again where spaCy cut at an abbreviation ("bzw.", "z. B.").
    """
    out: list[list[str] | None] = [
        split_structure(text, lang) for text, lang in zip(texts, langs, strict=True)
    ]
    todo = [i for i, parts in enumerate(out) if parts is None and wants_sentence_split(texts[i])]
    if todo:
        flat = [flatten(texts[i]) for i in todo]
        found = nlp.sentences_many(flat, [langs[i] for i in todo], memo)
        for i, text, sentences in zip(todo, flat, found, strict=True):
            whole = whole_words(sentences, text)
            out[i] = group_sentences(rejoin(whole, langs[i]), text, langs[i])
    return out


def split_note(text: str, lang: str) -> list[str] | None:
    return split_notes([text], [lang])[0]
