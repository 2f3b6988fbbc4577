"""What a note's first clause says, by rules per language: its **form**.

A note is first cut to its first clause (before a comma, colon, semicolon, bracket, dash,
"=", "?" or "!"): "Train staff in facilitation, not just project mgmt" keeps "Train staff in
facilitation". Its form is then one of:

- an **action**, led by an infinitive or imperative ("Former les agents à l'écoute", "Tell
  people what happened to their input") or, in Dutch and German, ending on one ("Ambtenaren
  opleiden in actief luisteren", "Jugendliche direkt ansprechen");
- a **proposal** noun phrase ("Registre public des algorithmes", "Charta gegen
  Alibi-Beteiligung");
- a **problem** noun phrase, headed by a word such as "manque", "bias", "gebrek" or
  "Diskriminierung".

Anything else, a full sentence ("Les citoyens ne sont pas dupes …"), a question, a negation
or a fragment, has no form: ``form_of`` returns ``None`` rather than stitching one. The same
analysis tells whether a note refuses what it names, points at another note, or wishes
something passively; ``questions.py`` turns a form into a question.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from pipeline.draft.compose.clauses import BECAUSE, QUOTE_MARKS, SENTENCE_BREAKS, clauses
from pipeline.draft.compose.nouns import first_noun, german_declined, german_gender, head_noun
from pipeline.draft.compose.pointing import (
    opens_on_what_came_before,
    points_at_other_note,
    points_elsewhere,
)
from pipeline.draft.compose.rules import RULES, LanguageRules
from pipeline.draft.compose.tagging import (
    Word,
    is_acronym,
    join,
    lower_first,
    tag,
    word_in,
)
from pipeline.draft.compose.wording import word_list
from pipeline.ground import match_key

MIN_WORDS = 2
MAX_WORDS = 18
"""Words of the clause a question is built from (the whole question then has 5 to 24)."""
SENTENCE_END = frozenset({".", "!", "?", ";", ":", "=", "→"})
MAX_SENTENCES = 3
"""Sentences of a note whose first clause may be the one a question is built from."""
DEFINITE = frozenset({"le", "la", "les", "l'", "l’", "de", "het", "der", "die", "das", "the"})
"""A noun phrase led by a definite article is a topic ("Les données des participants …?"),
not a proposal."""
NEGATIONS = frozenset(
    word_list(
        """
        non nein nee no not pas niet nicht geen kein keine jamais nooit nie never
        """
    )
)
"""A short clause of these after a noun phrase rejects it ("… : non !", "… – nein")."""
PERSONAL = frozenset(
    word_list(
        "i we you they he she it there this that je j nous on il elle ils elles ce c ik wij ze zij "
        "jij ich wir sie es man du"
    )
)
MODALS = frozenset(
    [
        "moeten",
        "kunnen",
        "willen",
        "mogen",
        "zullen",
        "hoeven",
        "müssen",
        "sollen",
        "wollen",
        "dürfen",
    ]
)
CONTRAST = frozenset(
    ["juste", "seulement", "que", "just", "only", "alleen", "enkel", "nur", "bloß"]
)
QUESTION_WORDS = frozenset(["comment", "pourquoi", "hoe", "waarom", "warum", "how", "why"])
"""After a noun phrase, these make it the topic of a question ("…, comment on les touche ?")."""
NEEDED = frozenset(["besoin", "nodig", "nötig", "needed", "need", "nécessaire", "attention"])


class FormKind(StrEnum):
    ACTION = "action"
    PROPOSAL = "proposal"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Form:
    """What a note's first clause is, and its words."""

    kind: FormKind
    words: tuple[Word, ...]
    agent: tuple[Word, ...] = ()
    """Who the note asks to act, when the question keeps them ("Fahrschulen müssen …" →
    "Wie könnten wir erreichen, dass Fahrschulen …?"); empty when "we" act."""

    @property
    def text(self) -> str:
        return join(self.words)


def _alpha(words: Sequence[Word]) -> int:
    return sum(1 for w in words if any(c.isalpha() for c in w.text))


def _finite_before_clause(words: Sequence[Word], start: int = 0) -> bool:
    """A finite verb in the main clause: before any relative pronoun or subordinator, which
    may carry verbs of their own ("Opaque algorithms deciding who gets support")."""
    for i, word in enumerate(words[start:], start):
        if word.pos == "SCONJ" or (word.pos == "PRON" and i > 0):
            return False
        if word.pos in {"VERB", "AUX"} and word.verb_form in {"fin", "base"}:
            return True
        if word.verb_form == "inf?" and i < len(words) - 1:
            return True  # a Dutch plural present before the clause's end: "Mensen haken af …"
    return False


def form_of(text: str, language: str, words: Sequence[Word] | None = None) -> Form | None:
    """The form of ``text`` in ``language``, from the first clause of its first sentences
    that can become a question ("Yes, it will change the game. The solution is to make
    helmets soft …" uses its second sentence), or ``None`` when none can (no rules for the
    language, sentences, negations, fragments)."""
    if language not in RULES:
        return None
    tagged = list(tag(text, language) if words is None else words)
    found = clauses(tagged, language)
    if not found:
        return None  # "et", "…", ":)": no words a question could be built from
    starts = [0] + [i for i in range(1, len(found)) if found[i - 1][1] in SENTENCE_BREAKS]
    for k in starts[:MAX_SENTENCES]:
        if _asks(found, k, language):
            continue  # "Sind Ärzte/Spitäler vorbereitet?": a question, not a proposal
        if k + 1 < len(found) and _sets_aside(found[k][0]) and found[k][1] == ",":
            # "Given inflation, we need a higher minimum wage", "Statt Vermögen zu
            # besteuern, Anreize … forcieren": the sentence's own clause.
            k += 1
        clause, separator = found[k]
        if len(clause) > 1 and clause[0].text.lower() in LEADING_ANSWERS:
            # "Oui tout le monde s'accorde …", "OUI On est citoyen …": the reply's own words.
            found = [*found[:k], (clause[1:], separator), *found[k + 1 :]]
        if all(w.text.lower() in ANSWERS for w in found[k][0]) or _judges_another(found[k][0]):
            # "Oui évidemment, il faut …", "Yes, …": a reply's answer word, then what it says;
            # "Good idea. Build more bike lanes": its verdict on another comment, then its own.
            if k + 1 < len(found) and found[k][1] not in SENTENCE_BREAKS:
                k += 1
            else:
                continue
        if opens_on_what_came_before(found[k][0]):
            continue  # "Im Gegenteil niedrigere Steuern", "Such as laneway houses": of another
        form = _form_at(found, k, tagged, language)
        if form is not None and _object_in_last_sentence(form, language):
            continue  # "Viele Dachböden stehen leer. Als Wohnraum nutzen …": of what?
        if form is not None and _cut_before_its_noun(form.words, tagged):
            continue  # "Expand public access to affordable, organic": to affordable what?
        if form is not None and not _first_person(form, tagged, language):
            if not form.agent and _considers_a_thing(form.words, language):
                # "(We should) consider Score/Approval voting systems": the note proposes
                # the thing; "How might we consider …?" asks for no action.
                return Form(FormKind.PROPOSAL, form.words[1:])
            return _one_predicate(form)
    return None


def _cut_before_its_noun(words: Sequence[Word], tagged: Sequence[Word]) -> bool:
    """Whether the clause ``words`` (of the note's ``tagged`` words) was cut at a comma
    inside a list of adjectives, before the noun they qualify: after its last preposition
    only adjectives, and the note goes on with a comma ("Expand public access to
    affordable, organic | , and locally sourced foods …"). "Transports en commun", whose
    clause ends there, stays."""
    if not words or words[-1].pos != "ADJ":
        return False
    end = next((k for k, w in enumerate(tagged) if w is words[-1]), None)
    if end is None or end + 1 >= len(tagged) or tagged[end + 1].text != ",":
        return False
    last = max((k for k, w in enumerate(words) if w.pos == "ADP"), default=None)
    if last is None:
        return False
    rest = [w for w in words[last + 1 :] if w.pos != "PUNCT"]
    return bool(rest) and all(w.pos in {"ADJ", "DET", "ADV", "CCONJ"} for w in rest)


def _one_predicate(form: Form) -> Form:
    """``form`` up to a conjunction that opens a second predicate with its own finite
    auxiliary ("improve officer training and should be held accountable …"): the question
    asks for the action, and "… and should be held …" after it stacks a second verb."""
    words = form.words
    for i in range(1, len(words) - 1):
        if (
            words[i].pos == "CCONJ"
            and words[i + 1].pos == "AUX"
            and words[i + 1].verb_form == "fin"
        ):
            return replace(form, words=words[:i])
    return form


def _sets_aside(clause: Sequence[Word]) -> bool:
    """The clause opens the sentence's setting ("Given inflation") or what its own clause is
    set against ("Statt Vermögen zu besteuern", "Instead of new roads", "Au lieu de
    taxer", "In plaats van nieuwe wegen"): what the note proposes follows it."""
    first = clause[0]
    opening = tuple(w.text.lower() for w in clause[:2])
    return (
        word_in(first, INTRODUCERS)
        or word_in(first, CONTRASTS)
        or (len(clause) > 2 and opening in {("au", "lieu"), ("in", "plaats")})
    )


AS_WHAT = {"de": "als", "nl": "als"}
"""The word that says what something is used as ("als Wohnraum nutzen")."""


def _object_in_last_sentence(form: Form, language: str) -> bool:
    """Whether a German or Dutch action opens with what its object is used as, the object
    itself left in the sentence before ("Viele Dachböden stehen leer. Als Wohnraum nutzen"):
    asked alone, "Wie könnten wir als Wohnraum nutzen?" says not what."""
    words = form.words
    if form.kind is not FormKind.ACTION or language not in AS_WHAT:
        return False
    if words[0].text.lower() != AS_WHAT[language]:
        return False
    # One noun, what it is used as; a second one is the object ("Als Gemeinde mehr
    # Radwege bauen").
    return sum(1 for w in words if w.pos in {"NOUN", "PROPN", "PRON"}) == 1


def _first_person(form: Form, tagged: Sequence[Word], language: str) -> bool:
    """Whether the form keeps the writer speaking of themselves ("… vote against candidates
    I disagree with", "… my vote to count"), which a question asked in the room's "we"
    cannot; quoted speech aside ("Savoir dire « je ne sais pas »")."""
    if any(w.text in QUOTE_MARKS for w in tagged):
        return False
    mine = FIRST_PERSON.get(language, frozenset())
    return any(w.text.lower() in mine for w in form.words)


FIRST_PERSON = {
    "en": frozenset(word_list("i me my mine myself")),
    "fr": frozenset(word_list("je j' j’ moi mon ma mes")),
    "nl": frozenset(word_list("ik mij mijn")),
    "de": frozenset(word_list("ich mich mir mein meine meinen meinem meiner meines")),
}


def _asks(found: list[tuple[list[Word], str]], k: int, language: str) -> bool:
    """Whether the sentence that starts at clause ``k`` asks a question: it ends with a
    question mark and opens with its verb ("Sind Ärzte/Spitäler vorbereitet?", "Is the
    council ready?"). A proposal put as a question ("Un comité indépendant … ?") and a
    topic before its question ("Terugkoppeling naar deelnemers: wat is er …?") do not."""
    clause, _ = found[k]
    if clause[0].pos != "AUX" and (clause[0].pos != "VERB" or language == "en"):
        return False  # (an English command opens with its verb too: "Reach young people …")
    for _, separator in found[k:]:
        if separator in SENTENCE_BREAKS or not separator:
            return separator == "?"
    return False


HAPPENING = frozenset(word_list("come go happen remain stay exist arise"))
"""Verbs of what happens to a thing: "X to come from Y" says where X should come from, a
sentence a noun phrase's "set up" cannot carry."""


CLAIMING = frozenset(word_list("would will could might may"))
"""English modals after a noun phrase: what follows is a claim about it, not a proposal."""
TOPIC_MARKS = frozenset({":", "-", "–"})
"""After a noun phrase, what follows these says what it is about ("Rural areas: bring …")."""
RELATIVE = {
    "en": frozenset(word_list("who which that whose")),
    "fr": frozenset(word_list("qui que qu' dont lequel laquelle lesquels lesquelles")),
    "nl": frozenset(word_list("die dat welke wie waarin waar")),
    "de": frozenset(word_list("der die das welche welcher welches wo")),
}
"""Relative pronouns: a noun phrase closed by a comma before one is cut from what
restricts it."""


CONTRASTS = frozenset(word_list("instead rather statt anstatt stattdessen plutôt lieu liever"))
"""Openers of a clause that sets what it names against another thing ("…, statt
Verschwendung"): a problem named there is not the clause's own verdict."""


ANSWERS = frozenset(
    word_list(
        """
        yes no yeah yep nope agreed agree exactly absolutely definitely indeed sure ok okay
        oui non d' d’ accord tout à fait évidemment absolument exactement bien sûr
        effectivement certes entièrement totalement pour contre
        ja nee neen eens zeker inderdaad precies absoluut helemaal
        nein genau stimmt richtig einverstanden natürlich sicher
        """
    )
)
"""Words that answer another comment ("Oui évidemment", "Yes", "Helemaal eens", "Genau"): a
clause of nothing else says nothing a question could ask."""


REMARKS = frozenset(
    word_list(
        """
        idea point question suggestion comment remark thought proposal
        idée point question suggestion remarque proposition commentaire réflexion
        idee punkt frage vorschlag anmerkung gedanke kommentar einwand
        punt vraag voorstel suggestie opmerking gedachte
        """
    )
)
"""The nouns of a verdict on another comment ("Good idea", "Très bonne remarque", "Guter
Punkt", "Goed voorstel"): said alone, they name no action; the reply's own words follow."""


def _judges_another(clause: Sequence[Word]) -> bool:
    """A clause of one ``REMARKS`` noun with only determiners, adjectives and adverbs around
    it: "Good idea", "Une très bonne idée", "Gute Idee": a verdict on another comment."""
    nouns = [w for w in clause if w.pos in {"NOUN", "PROPN"}]
    return (
        len(nouns) == 1
        and nouns[0].text.lower() in REMARKS
        and all(w is nouns[0] or w.pos in {"DET", "ADJ", "ADV"} for w in clause)
    )


LEADING_ANSWERS = frozenset(word_list("oui yes ja"))
"""Answer words a reply opens with, before what it says, with or without a comma. Not the
negatives: "Non à la vidéosurveillance", "No more cars" say what they refuse with them."""


INTRODUCERS = frozenset(
    word_list(
        """
        given considering regarding concerning despite vu malgré concernant gezien ondanks
        angesichts trotz bezüglich hinsichtlich
        """
    )
)
"""Words that open a sentence's setting ("Given inflation, …", "Malgré le coût, …"): its own
clause comes after the comma."""


SEPARABLE_PARTICLES = {
    "de": frozenset(
        word_list("ab an auf aus bei durch ein fest her hin los mit nach um vor weg zu zurück")
    ),
    "nl": frozenset(word_list("aan af bij door in los mee na om op terug toe uit vast voor weg")),
}
"""Particles a German or Dutch imperative leaves at the end of its clause ("Stelle den Wecker
früher ein", "Zet de verwarming uit"): their verb is the particle and the stem together."""
IMPERATIVE_REFUSED_NEXT = frozenset(word_list("des der eines einer von vom"))
"""After a German verb-like first word, these begin a genitive or a "von" phrase: the first
word is an action noun ("Ausbau der Radwege", "Umbau von Straßen"), not an imperative."""


def _imperative(clause: Sequence[Word], language: str) -> list[Word] | None:
    """The action an imperative clause asks for, with its verb in the infinitive ("Stelle den
    Wecker früher ein" → "den Wecker früher einstellen", "Zet de verwarming lager" → "de
    verwarming lager zetten", "Achetez des produits locaux" → "acheter des produits locaux"),
    or ``None`` when the clause does not start with an imperative.

    Why: citizens write proposals as commands as often as infinitives; read as a noun phrase,
    "Stelle den Wecker … ein" gave "Wie könnten wir eine Stelle den Wecker … ein einführen?".
    Only the forms that say it unmistakably are taken: a German or Dutch stem whose
    infinitive the tagger knows, with its separated particle at the end or tagged as a finite
    verb, or a French "-ez" form of a verb."""
    if len(clause) < 2 or language not in {"de", "nl", "fr"}:
        return None
    first, rest = clause[0], list(clause[1:])
    word = first.text.lower()
    if language == "fr":
        if not word.endswith("ez"):
            return None  # before tagging the word: most clauses do not open with a command
        retagged = tag(lower_first(first.text), "fr")[0]
        lemma = retagged.lemma.lower()
        if (
            lemma != word
            and lemma.endswith(("er", "ir", "re"))
            and (retagged.pos in {"VERB", "AUX"} or retagged.lemma != retagged.text)
        ):
            return [Word(lemma, lemma, "VERB", "inf"), *rest]
        return None
    particles = SEPARABLE_PARTICLES[language]
    if any(w.pos in {"VERB", "AUX"} and w.verb_form in {"inf", "inf?"} for w in rest) or any(
        w.pos == "PRON" and w.text.lower() in PERSONAL for w in rest[:1]
    ):
        return None  # "Stelle für Klimaschutz schaffen": a noun, then its own verb
    if language == "de" and rest[0].text.lower() in IMPERATIVE_REFUSED_NEXT:
        return None
    particle = rest[-1] if rest[-1].text.lower() in particles and len(rest) > 1 else None
    if particle is None:
        # One tagging of the clause first: most clauses that get here are noun phrases.
        retagged = tag(lower_first(join(clause)), language)[0]
        if retagged.pos not in {"VERB", "AUX"} or retagged.verb_form != "fin":
            return None  # "Fahrt zur Arbeit …" may be a noun: only a sure verb is taken
    verb = _infinitive_of_stem(word, language)
    if verb is None:
        return None
    if particle is None:
        body = [*rest[:-1], replace(rest[-1], space_after=True)]
    else:
        verb = particle.text.lower() + verb
        body = [*rest[:-2], replace(rest[-2], space_after=True)] if len(rest) > 2 else rest[:1]
    return [*body, Word(verb, verb, "VERB", "inf")]


@lru_cache(maxsize=4096)
def _infinitive_of_stem(word: str, language: str) -> str | None:
    """The infinitive of a German or Dutch imperative (``stelle``, ``kauft``, ``zet``), when
    the tagger reads one of its candidates as that verb's infinitive; else ``None``. Cached:
    it tags up to four candidates, and a workshop repeats its first words."""
    if not word.isalpha() or len(word) < 2:
        return None
    if language == "de":
        candidates = [word + "n", word + "en"]
        if word.endswith("et"):
            candidates.append(word[:-2] + "en")
        if word.endswith("t"):
            candidates.append(word[:-1] + "en")
        frame = "wir"
    else:
        # "wij willen …": HanTa reads "we planten" as a noun, and takes almost any "-en"
        # for a verb, so the spelling puts the right one first.
        stems = [word, word[:-1]] if word.endswith("t") and len(word) > 3 else [word]
        candidates = [verb for stem in stems for verb in _dutch_infinitives(stem)]
        frame = "wij willen"
    for candidate in candidates:
        tagged = tag(f"{frame} {candidate}", language)
        if (
            len(tagged) == len(frame.split()) + 1
            and tagged[-1].pos == "VERB"
            and tagged[-1].lemma == candidate
        ):
            return candidate
    return None


_DUTCH_STEM = re.compile(r"(.*?)(ij|[aeiouy]+)([^aeiouy]*)")
DUTCH_INSEPARABLE = ("be", "ge", "ver", "ont", "her", "er")


def _dutch_infinitives(stem: str) -> list[str]:
    """The infinitives a Dutch stem ("maak", "leg", "plant") is written in, likeliest first,
    by Dutch spelling: a long vowel written double in the closed stem is single before
    "-en" ("maak" → "maken"; "leef" → "leven"), a short vowel doubles the one consonant
    after it when stressed ("leg" → "leggen", "bestel" → "bestellen") and not when it is a
    later syllable's "e" or "-ig" ("wandel" → "wandelen", "verbeter" → "verbeteren"), and
    any other stem takes "-en" ("plant" → "planten", "wacht" → "wachten", "bouw" →
    "bouwen"); "ga", "doe" take "-an", "-n"."""
    match = _DUTCH_STEM.fullmatch(stem)
    if match is None:
        return []
    head, vowel, coda = match.groups()
    if not coda:
        return [stem + ("an" if vowel == "a" else "n")]
    if len(coda) > 1 or coda in {"w", "j", "x"}:
        if coda[-1] == "f" and coda[-2] in "lr":
            return [stem[:-1] + "ven", stem + "en"]  # "verf" → "verven"
        return [stem + "en"]
    voiced = {"f": "v", "s": "z"}.get(coda, coda)
    if vowel in {"aa", "ee", "oo", "uu"}:
        return list(dict.fromkeys([f"{head}{vowel[0]}{voiced}en", f"{head}{vowel[0]}{coda}en"]))
    if len(vowel) > 1:
        return [f"{head}{vowel}ven", stem + "en"] if coda == "f" else [stem + "en"]
    root = next((stem[len(p) :] for p in DUTCH_INSEPARABLE if stem.startswith(p)), stem)
    syllables = len(re.findall(r"ij|[aeiouy]+", root))
    if syllables > 1 and vowel in {"e", "i"}:
        return [stem + "en"]  # unstressed: "wandel-en", "bevestig-en"
    return [stem + coda + "en"]


def _form_at(
    found: list[tuple[list[Word], str]], k: int, tagged: list[Word], language: str
) -> Form | None:
    """The form of clause ``k`` of a note, seen with the clauses that follow it."""
    rules = RULES[language]
    clause, separator = found[k]
    lowered = tuple(w.text.lower() for w in clause)
    if lowered in TIME_FRAMES.get(language, ()) and len(found) > k + 1:
        # "Höchste Zeit, Flachdächer zu begrünen": the frame, then its action after a comma.
        clause, separator = [*clause, *found[k + 1][0]], found[k + 1][1]
        found = [*found[:k], (clause, separator), *found[k + 2 :]]
    timely = _after_time_frame(clause, language)
    if timely is not None:
        # "Höchste Zeit, Einfamilienhäuser zu verbieten", "Time to act on …": the action.
        return _form_at([*found[:k], (timely, separator), *found[k + 1 :]], k, tagged, language)
    done = _as_action(clause, language)
    if done is not None:
        # "Création d'une maison des associations": the noun names an action; say it.
        return Form(FormKind.ACTION, tuple(done)) if done else None
    needed = _needed(clause, language)
    if needed is not None:
        # "Wir brauchen dringend mehr bezahlbare Wohnungen", "We need safer crossings".
        return None if points_elsewhere(needed) else Form(FormKind.ACTION, tuple(needed))
    more = _more_of(clause, language)
    if more is not None:
        # "More bike lanes", "Mehr Radwege", "Meer fietspaden": what there should be more of.
        return None if points_elsewhere(more) else Form(FormKind.ACTION, tuple(more))
    ended = _after_end_frame(clause, language)
    if ended is not None:
        # "Stop à la concertation de façade": a problem to end.
        if _noun_phrase(ended) and not points_elsewhere(ended):
            return Form(FormKind.PROBLEM, tuple(ended))
        return None
    commanded = _imperative(clause, language)
    if commanded is not None:
        # "Stelle den Wecker früher ein", "Achetez local": the action the command asks for.
        return None if points_elsewhere(commanded) else Form(FormKind.ACTION, tuple(commanded))
    wished = _wished(clause, language) if language == "fr" else None
    if wished is not None:
        # "Il faudrait que la mairie installe plus de bancs", "Que les commerces ferment …".
        action, agent = wished
        if points_elsewhere(action):
            return None
        return Form(FormKind.ACTION, tuple(action), tuple(agent))
    passive = _passive_wish(clause, language)
    if passive is not None:
        # "Im Wiener Prater müssen Windräder aufgestellt werden", "Higher rates should be
        # charged on holiday homes": what is to be done, said as the action.
        return None if points_elsewhere(passive) else Form(FormKind.ACTION, tuple(passive))
    after_modal = _after_modal(clause, language)
    if after_modal is not None:
        # "We should invest in bike lanes", "Il faut former les agents": what is wanted.
        wanted, subject = after_modal
        agent = _agent(subject, clause[len(subject)], wanted, language) if subject else []
        if agent and language in {"de", "nl"}:
            # "Bewoners moeten hun mening kunnen geven": they are to be able to, so the
            # "kunnen" the question drops for "we" stays with them.
            at = next(i for i, w in enumerate(clause) if w is wanted[0])
            wanted = [w for w in clause[at:] if w in wanted or word_in(w, ABILITY_WORDS)]
        if agent:
            # "Fahrschulen müssen ihre Flotten … umstellen": others are to act, so the
            # question keeps who ("… erreichen, dass Fahrschulen ihre Flotten …"); what they
            # are to do must not point at another note ("L'état doit impulser ce mouvement").
            if points_at_other_note(wanted):
                return None
            return Form(FormKind.ACTION, tuple(wanted), tuple(agent))
        return None if points_elsewhere(wanted) else Form(FormKind.ACTION, tuple(wanted))
    if points_elsewhere(clause):
        return None
    kind = _kind(clause, language, rules)
    rest = [w for c, _ in found[k + 1 :] for w in c]
    if found[k + 1 :] and word_in(found[k + 1][0][0], CONTRASTS):
        rest = []  # "Optimale Nutzung von Grauwasser …, statt Verschwendung": not its verdict
    end = next((i + 1 for i, w in enumerate(tagged) if w is clause[-1]), len(clause))
    if kind is not FormKind.ACTION and _subject_of_sentence(tagged, end):
        return None  # "Winner-take-all voting systems (such as FPTP) encourage …"
    warned = any(word_in(w, rules.problem_words) for w in rest)
    if (
        kind is FormKind.PROPOSAL
        and separator in TOPIC_MARKS
        and len(found) > k + 1
        and not warned
        and not _complement(found[k + 1][0], language)  # "Pflicht … - Dächer zu begrünen"
    ):
        # "Rural areas: bring the meeting to the village": the topic, then the proposal.
        after = found[k + 1][0]
        then = _kind(after, language, rules)
        if then is FormKind.ACTION:
            return Form(FormKind.ACTION, tuple(after))
        if separator != ":":
            # "Elderly & offline ppl - phone and paper options": the topic, then what it needs.
            if then is FormKind.PROPOSAL and not points_elsewhere(after):
                return _form_at(found, k + 1, tagged, language)
            return None  # "Bundes- und Landstrassen - …": no topic is asked to be set up
    if kind is not FormKind.ACTION and len(found) > k + 1 and separator == ",":
        following = found[k + 1][0]
        if word_in(following[0], RELATIVE.get(language, frozenset())):
            return None  # "Subventionen fürs Autofahren nur für Menschen, die …": cut short
        if language in {"de", "nl"} and _object_of_later_verb(found, k):
            return None  # "Tierische Produkte, insbesondere … Fleisch, höher besteuern"
    if kind is None:
        return None
    if kind is not FormKind.ACTION and len(found) > k + 1:
        if separator in VERDICT and not any(word_in(w, rules.problem_words) for w in rest):
            return None  # "Schrankenloser Konsum=klimaschädlich": a topic and its verdict
        if _complement(found[k + 1][0], language):
            return None  # "Verpflichtung der Energiebetriebe - Strom einzuspeisen"
    if kind is FormKind.ACTION and any(
        word_in(w, rules.problem_words) for w in _sentence_on(found, k)
    ):
        # "AI om reacties samen te vatten: risico dat …": a warning, not a proposal. (A
        # sentence after it is another thought: "Make areas … livable. Eliminating … will
        # lead to less crime".)
        return None
    if kind is not FormKind.ACTION:
        if clause[0].lemma in DEFINITE or clause[0].text.lower() in DEFINITE:
            return None  # "La participation-washing, ça détruit …": a topic, then a comment
        if any(word_in(w, rules.problem_words) for w in rest):
            kind = FormKind.PROBLEM  # "Algorithmes opaques … = danger"
        elif any(word_in(w, QUESTION_WORDS) for w in rest) or any(
            _negates(c) for c, _ in found[k + 1 :]
        ):
            return None  # "Un chatbot à la place d'un humain : non !", "…, comment on les touche ?"
    if kind is FormKind.PROPOSAL and _is_problem(clause, rules):
        kind = FormKind.PROBLEM
    stacks = language == "de" or (language == "nl" and kind is FormKind.PROBLEM)
    if kind is not FormKind.ACTION and stacks and _has_own_verb(clause):
        # "… überbauen und Lärmschutzwände dafür verwenden einführen": the verb the rules
        # add at the end would follow the clause's own (Dutch puts "werk maken van" first).
        return None
    if kind is FormKind.PROPOSAL and language == "fr" and _finite_before_relative(clause):
        return None  # "tout le monde s'accorde à le dire": a sentence, not a thing to set up
    if kind is FormKind.ACTION and _infinitive_subject(clause, language):
        return None  # "Voter blanc est un choix", "Se nourrir doit être local": a claim
    if kind is not FormKind.ACTION and language == "en" and _claims_after_relative(clause):
        return None  # "Doctors who prescribe meds too easily fuel the drug crisis": a claim
    if kind is FormKind.PROPOSAL and _compares(clause):
        return None  # "Zusammenarbeit zum Klimaschutz weniger Frage der Ressourcen als …"
    if kind is FormKind.PROPOSAL and _names_a_view(clause, language):
        return None  # "Mehrheitsmeinung von A (?): …": a view reported, nothing to set up
    if kind is FormKind.PROPOSAL and any(
        a.text.lower() == "to" and (word_in(b, WEAK_VERBS) or word_in(b, HAPPENING))
        for a, b in itertools.pairwise(clause)
    ):
        return None  # "Leadership of fixing the housing crisis to come from city leaders"
    if (
        kind is not FormKind.ACTION
        and language == "en"
        and any(word_in(a, CLAIMING) and b.pos == "VERB" for a, b in itertools.pairwise(clause[1:]))
    ):
        return None  # "A permanent … tax would decrease Land Bank accountability": a claim
    if kind is not FormKind.ACTION and _verdict_last(clause, language):
        return None  # "Zigarettenverbot auf Ämtern etc. ok", "… Einbau verpflichtend"
    if kind is FormKind.PROPOSAL and language == "de" and not _german_article_known(clause):
        return None  # "Verbot fossiler Heizungen": "ein" or "eine" unknown, so no question
    return Form(kind, tuple(clause))


def _considers_a_thing(clause: Sequence[Word], language: str) -> bool:
    """An English action "consider" + a noun phrase ("consider a four-day week"), not
    "consider raising the minimum wage", whose own verb says the action."""
    return (
        language == "en"
        and len(clause) > 1
        and clause[0].lemma.lower() == "consider"
        and _noun_phrase(clause[1:])
        and not any(w.pos in {"VERB", "AUX"} for w in clause[1:])
    )


def _sentence_on(found: Sequence[tuple[list[Word], str]], k: int) -> list[Word]:
    """The words of the clauses after clause ``k`` up to the end of its sentence, or up to
    a reason ("Ban cars downtown because of the pollution": the pollution is why, not a
    warning against the ban)."""
    out: list[Word] = []
    for j in range(k + 1, len(found)):
        ended = found[j - 1][1]
        if ended in SENTENCE_BREAKS or ended.lower() in REASONS:
            break
        if found[j][0] and found[j][0][0].text.lower() in REASONS:
            break  # "…, weil der Lärm krank macht"
        out.extend(found[j][0])
    return out


REASONS = frozenset().union(*(words for words in BECAUSE.values()))
"""The words that open a reason, in any language ("because", "parce", "weil", "omdat")."""


VERDICT = frozenset({"=", "→"})
"""Separators after which a note judges the noun phrase before them ("X = danger"): the
noun phrase is its topic, not what it proposes."""
PURPOSE = frozenset(word_list("um ohne statt anstatt pour afin"))
"""Openings of a purpose clause ("…, um Strom zu sparen"): what follows is why, not what the
noun before it needs."""


def _object_of_later_verb(found: list[tuple[list[Word], str]], k: int) -> bool:
    """Whether the sentence of clause ``k`` ends, after commas, with an infinitive that has
    no subject of its own: clause ``k`` is then that verb's object, set apart by an aside
    ("Tierische Produkte, insbesondere Fleisch aus Massentierhaltung, höher besteuern")."""
    for clause, separator in found[k + 1 :]:
        if any(w.pos == "PRON" for w in clause):
            return False
        if separator in SENTENCE_BREAKS or not separator:
            last = clause[-1]
            return last.pos == "VERB" and last.verb_form in {"inf", "inf?"}
        if separator != ",":
            return False
    return False


def _after_time_frame(clause: Sequence[Word], language: str) -> list[Word] | None:
    """The action after "Höchste Zeit, … zu …", "It's time to …", "Il est temps de …",
    "Het is tijd om … te …", without the frame and its "zu"/"te"; ``None`` without one."""
    lowered = [w.text.lower() for w in clause]
    for frame in TIME_FRAMES.get(language, ()):
        if tuple(lowered[: len(frame)]) == frame and len(clause) > len(frame) + 1:
            rest = [w for w in clause[len(frame) :] if w.text != ","]
            if language in {"de", "nl"} and len(rest) > 2 and rest[-2].text.lower() in {"zu", "te"}:
                rest = [*rest[:-2], rest[-1]]
            return rest
    return None


TIME_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (("it's", "time", "to"), ("it", "is", "time", "to"), ("high", "time", "to"),
           ("about", "time", "to"), ("time", "to")),
    "fr": (("il", "est", "grand", "temps", "de"), ("il", "est", "temps", "de")),
    "nl": (("het", "is", "hoog", "tijd", "om"), ("het", "is", "tijd", "om"), ("hoog", "tijd", "om"),
           ("tijd", "om")),
    "de": (("es", "ist", "höchste", "zeit"), ("es", "ist", "zeit"), ("es", "wird", "zeit"),
           ("höchste", "zeit")),
}  # fmt: skip
"""Openings that say it is time to act: what follows is the action."""


def _verdict_last(clause: Sequence[Word], language: str) -> bool:
    """A noun phrase that ends with a word saying what it should be or how good it is
    ("Zigarettenverbot auf Ämtern etc. ok", "Regenwassernutzung … verpflichtend"): a topic
    and its verdict, which the verb the rules add would contradict. In French an adjective
    follows its noun ("Transports gratuits"), so only the verdict words count there; an
    adverb closes a phrase of time as well ("Follow-up meeting 6 months later")."""
    last = clause[-1]
    if last.text.lower() in VERDICT_WORDS:
        return True
    if language == "fr" or len(clause) < 2 or clause[-2].pos in {"DET", "ADP"}:
        return False
    if last.text.lower() in TIME_WORDS:
        return False  # "Follow-up meeting 6 months later", "Radwege jetzt"
    # German and Dutch say a predicate's adjective as an adverb ("… Einbau verpflichtend").
    return last.pos == "ADJ" or (language in {"de", "nl"} and last.pos == "ADV")


TIME_WORDS = frozenset(
    word_list(
        """
        later earlier sooner now today tomorrow again beforehand afterwards first jetzt sofort
        heute morgen bald später wieder nun endlich vorab vorher nachher zuerst nu direct meteen
        vandaag morgen binnenkort weer eindelijk vooraf achteraf eerst
        """
    )
)
"""Words of time that may close a proposal without judging it."""


VERDICT_WORDS = frozenset(
    word_list(
        """
        ok okay oké top super prima gut good great bien génial goed matter matters key
        important essential crucial wichtig essentiell belangrijk essentieel essentiel
        """
    )
)
"""Words that close a note's verdict on its topic rather than a proposal."""


def _complement(clause: Sequence[Word], language: str) -> bool:
    """The clause is an infinitive that completes the noun before it ("Verpflichtung der
    Energiebetriebe - Strom einzuspeisen", "Obligation : de publier les comptes"): without
    it, the noun names nothing. Only German and French say so unambiguously (English "to"
    and Dutch "om te" also say why)."""
    if not clause or word_in(clause[0], PURPOSE):
        return False
    if language == "fr":
        return (
            clause[0].text.lower() in {"de", "d'", "d’"}
            and len(clause) > 1
            and clause[1].verb_form == "inf"
        )
    if language != "de":
        return False
    for before, word in itertools.pairwise(clause):
        if before.text.lower() == "zu" and word.pos in {"VERB", "AUX"}:
            return True
    last = clause[-1]
    lowered = last.text.lower()
    return last.pos == "VERB" and "zu" in lowered and lowered.replace("zu", "", 1) == last.lemma


OPPOSING = frozenset(
    word_list(
        """
        verzichten abschaffen aufgeben renoncer abandonner abolir afschaffen opgeven
        abolish abandon scrap repeal
        """
    )
)
"""Verbs that ask to give something up ("Auf die Energiewende verzichten", "scrap the
tax"): a question built on one such note speaks against the theme it heads, unless other
notes say the same. Verbs that prevent or stop something ("prevent floods", "supprimer les
voitures du centre") are proposals like any other and are not listed."""


def opposes(form: Form) -> bool:
    """The action asks to give up or prevent what it names."""
    return form.kind is FormKind.ACTION and any(
        w.pos in {"VERB", "AUX"} and word_in(w, OPPOSING) for w in form.words
    )


JUDGING = frozenset(
    word_list(
        """
        être est sont serait seraient sera doit doivent devrait devraient devoir pouvoir peut
        peuvent pourrait sembler semble paraître paraît rester reste devenir devient faire
        fait permettre permet coûter coûte valoir vaut suffire suffit représenter représente
        constituer constitue signifier signifie
        """
    )
)
"""French verbs a sentence uses to say what an action is or is worth ("… est un choix", "…
doit être local", "… fait partie du devoir", "… ne suffit pas"), in their lemmas and the
forms a tagger may leave unlemmatised."""


FRENCH_SUBORDINATE = RELATIVE["fr"] | {"où"}


def _opens_french_subordinate(word: Word) -> bool:
    """Whether ``word`` opens a relative or subordinate clause, whose verb is not the
    sentence's own ("… qui sont trop longs", "… où les voitures roulent vite")."""
    return word.text.lower() in FRENCH_SUBORDINATE or word.pos == "SCONJ"


def _finite_before_relative(clause: Sequence[Word]) -> bool:
    """A French clause with a conjugated verb of its own, before any relative clause: a
    sentence ("tout le monde s'accorde à le dire"), which "mettre en place un …" cannot take,
    unlike "des bancs qui sont confortables"."""
    for word in clause:
        if _opens_french_subordinate(word):
            return False
        if word.pos in {"VERB", "AUX"} and word.verb_form == "fin":
            return True
    return False


def _infinitive_subject(clause: Sequence[Word], language: str) -> bool:
    """A French clause whose leading infinitive is the subject of a finite verb after it
    ("Voter blanc est un choix", "Réduire le nombre de députés n'est pas suffisant",
    "Reconnaître le vote blanc, c'est …"): it says what the action is worth, not what to
    do. A relative or subordinate clause after the infinitive ("Limiter les mandats qui
    sont trop longs") ends the search."""
    if language != "fr":
        return False
    start = 1 if clause and clause[0].text.lower() in {"se", "s'", "s’"} else 0
    if len(clause) <= start or not clause[start].verb_form.startswith("inf"):
        return False
    before: Word | None = None  # the word before, "ne" aside
    for word in clause[start + 1 :]:
        lowered = word.text.lower()
        if _opens_french_subordinate(word):
            return False
        if word.pos in {"VERB", "AUX"} and word.verb_form == "fin" and word_in(word, JUDGING):
            # A pronoun before it is its own subject ("Savoir dire je ne sais pas"), but
            # "c'est", "cela est" take up the infinitive.
            if before is None or before.pos != "PRON":
                return True
            return before.text.lower() in {"c'", "c’", "ce", "ça", "cela"}
        if lowered not in {"ne", "n'", "n’"}:
            before = word
    return False


def _claims_after_relative(clause: Sequence[Word]) -> bool:
    """An English clause whose relative clause ("doctors who prescribe …") is followed by a
    second verb, the sentence's own ("… fuel the drug dependency crisis"): a claim about
    its subject, not a noun phrase the question can address."""
    opened = next(
        (i for i, w in enumerate(clause) if w.text.lower() in RELATIVE["en"] and i > 0), None
    )
    if opened is None:
        return False
    verbs = [
        w
        for w in clause[opened + 1 :]
        if w.pos in {"VERB", "AUX"} and not w.text.lower().endswith(("ing", "ed"))
    ]
    return len(verbs) >= 2


def _has_own_verb(clause: Sequence[Word]) -> bool:
    """A noun phrase that holds a verb of its own."""
    return any(w.pos in {"VERB", "AUX"} and w.verb_form in {"inf", "inf?", "fin"} for w in clause)


def _german_article_known(words: Sequence[Word]) -> bool:
    """The German proposal can be said with its article: it has one, its head is plural or
    abstract, or its gender is known from the noun's ending."""
    noun = head_noun(words)
    if words[0].pos == "DET" or noun is None or noun.number == "pl":
        return True
    if noun.lemma in RULES["de"].abstract_words:
        return True
    first = words[0]
    if first.pos == "ADJ" and first.text.endswith(("er", "e")):
        return True  # "Gesetzlicher Rahmen", "Leichte Sprache": the strong ending says it
    return bool(german_gender(noun.text))


END_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("no", "more"), ("enough", "with"), ("enough", "of"), ("an", "end", "to"),
        ("stop", "to"),
    ),
    "fr": (
        ("stop", "à"), ("stop", "au"), ("stop", "aux"), ("non", "à"), ("non", "au"),
        ("non", "aux"), ("halte", "à"), ("halte", "au"), ("halte", "aux"), ("fini",),
        ("finie",), ("finis",), ("finies",), ("assez", "de"), ("assez", "des"),
        ("en", "finir", "avec"),
    ),
    "nl": (("stop", "met"), ("weg", "met"), ("genoeg", "van"), ("nooit", "meer")),
    "de": (("schluss", "mit"), ("weg", "mit"), ("stopp",), ("stop",), ("nie", "wieder")),
}  # fmt: skip
"""Openings that ask for something to end ("Stop à …", "Schluss mit …", "No more …"): what
follows is a problem, and the question asks how to remedy it."""
_DATIVE = frozenset({"dem", "der", "den"})


ACTION_NOUNS: dict[str, dict[str, str]] = {
    "fr": {
        "création": "créer", "développement": "développer", "amélioration": "améliorer",
        "organisation": "organiser", "renforcement": "renforcer", "installation": "installer",
        "construction": "construire", "ouverture": "ouvrir", "rénovation": "rénover",
        "réduction": "réduire", "augmentation": "augmenter", "simplification": "simplifier",
        "introduction": "introduire", "extension": "étendre", "sécurisation": "sécuriser",
        "aménagement": "aménager", "réalisation": "réaliser", "généralisation": "généraliser",
        "valorisation": "valoriser", "modernisation": "moderniser", "suppression": "supprimer",
        "limitation": "limiter", "protection": "protéger", "plantation": "planter",
        "publication": "publier", "formation": "former",
    },
    "en": {
        "creation": "create", "development": "develop", "improvement": "improve",
        "introduction": "introduce", "expansion": "expand", "construction": "build",
        "reduction": "reduce", "installation": "install", "establishment": "establish",
        "implementation": "implement", "extension": "extend", "renovation": "renovate",
        "simplification": "simplify", "publication": "publish", "protection": "protect",
    },
    "nl": {
        "aanleg": "aanleggen", "invoering": "invoeren", "verbetering": "verbeteren",
        "uitbreiding": "uitbreiden", "oprichting": "oprichten", "bouw": "bouwen",
        "verlaging": "verlagen", "versterking": "versterken", "vereenvoudiging": "vereenvoudigen",
        "renovatie": "renoveren", "opening": "openen", "publicatie": "publiceren",
    },
    "de": {
        "einführung": "einführen", "verbesserung": "verbessern", "schaffung": "schaffen",
        "erweiterung": "erweitern", "förderung": "fördern", "errichtung": "errichten",
        "einrichtung": "einrichten", "senkung": "senken", "erhöhung": "erhöhen",
        "stärkung": "stärken", "vereinfachung": "vereinfachen", "sanierung": "sanieren",
        "veröffentlichung": "veröffentlichen", "öffnung": "öffnen", "ausbau": "ausbauen",
        "reduktion": "reduzieren", "reduzierung": "reduzieren", "verringerung": "verringern",
        "abschaffung": "abschaffen", "umsetzung": "umsetzen",
    },
}  # fmt: skip
"""Nouns that name an action, and the verb that says it: "Création d'une maison des
associations" asks to create one, not to "set up a creation". Only the ones whose object
follows as "de …", "of …", "van …" or a German genitive article are turned into actions."""
_FRENCH_OBJECT = {"d'": "", "d’": "", "du": "le ", "des": "les "}
"""What "de" and its contractions become before the object of the verb: "création d'une
maison" → "créer une maison", "… du parc" → "… le parc", "… des pistes" → "… les pistes"."""
_GERMAN_OBJECT = {"der": "die", "einer": "eine"}
"""German genitives that become accusatives by their article alone (feminine and plural);
"des", "eines" would need the noun's ending changed too, so those make no question."""


def _as_action(clause: Sequence[Word], language: str) -> list[Word] | None:
    """The action a clause led by an action noun asks for, as words ([] when it cannot be
    said well), or ``None`` when the clause is not led by one."""
    nouns = ACTION_NOUNS.get(language)
    if not nouns or len(clause) < 3:
        return None
    start = 1 if clause[0].pos == "DET" else 0
    head = clause[start].text.lower()
    if (
        language == "fr"
        and head == "mise"
        and [w.text.lower() for w in clause[1:3]]
        == [
            "en",
            "place",
        ]
    ):
        verb, rest = "mettre en place", list(clause[3:])
    elif head in nouns:
        verb, rest = nouns[head], list(clause[start + 1 :])
    else:
        return None
    if not rest:
        return None
    link = rest[0].text.lower()
    if language == "fr":
        if link in _FRENCH_OBJECT:
            article = _FRENCH_OBJECT[link]
            rest = rest[1:]
        elif link == "de" and len(rest) > 1:
            rest = rest[1:]
            article = "" if rest[0].pos == "DET" else ("des " if _plural(rest) else "")
        else:
            return None  # "Formation facilitation pour …": a thing to set up, as before
        if not rest:
            return None
        return [Word(v, v, "VERB", "inf") for v in verb.split()] + [*_words_of(article), *rest]
    if language == "en":
        if link != "of" or len(rest) < 2:
            return None
        return [Word(verb, verb, "VERB", "inf"), *rest[1:]]
    if language == "nl":
        if link != "van" or len(rest) < 2:
            return None
        return _around((), rest[1:], (verb,))
    if link not in _GERMAN_OBJECT or len(rest) < 2:
        # "Ausbau des Radwegenetzes", "Förderung von Vereinen": the object would need its
        # case ending changed; no question rather than a wrong one.
        return [] if link in {"des", "eines", "von", "vom"} else None
    accusative = _GERMAN_OBJECT[link]
    return [Word(accusative, accusative, "DET"), *_around((), rest[1:], (verb,))]


def _plural(words: Sequence[Word]) -> bool:
    noun = first_noun(words)
    return noun is not None and (noun.number == "pl" or noun.text.lower().endswith(("s", "x")))


def _words_of(text: str) -> list[Word]:
    return [Word(w, w, "DET") for w in text.split()]


MORE_OF: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "en": (("more", ("provide",), ()), ("fewer", ("get", "to"), ()), ("less", ("get", "to"), ())),
    "de": (("mehr", ("für",), ("sorgen",)), ("weniger", ("für",), ("sorgen",))),
    "nl": (("meer", ("voor",), ("zorgen",)), ("minder", ("voor",), ("zorgen",))),
    "fr": (("moins", ("avoir",), ()), ("davantage", ("avoir",), ())),
}  # fmt: skip
"""A note that asks for more or less of something: its word, and the words around it that
make it an action ("provide more …", "get to fewer cars …", "für weniger Autos … sorgen",
"voor meer … zorgen", "avoir moins de voitures …"). French "Plus de …" is left out: "Plus
de photos …" means "no more photos" as often as "more photos"."""


NEED_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (("we", "need"), ("we", "want"), ("i", "want"), ("i", "think", "we", "need")),
    "de": (("wir", "brauchen"), ("ich", "wünsche", "mir"), ("wir", "wünschen", "uns")),
}
"""Openings that say what is needed, followed by a thing rather than an action: the question
asks how we might provide it ("für … sorgen")."""
NEED_WORDS = {"en": (("provide",), ()), "de": (("für",), ("sorgen",))}
NEEDS = {"en": frozenset({"needs", "need"}), "de": frozenset({"braucht", "brauchen"})}
"""After a noun that opens the clause, what it needs follows."""
COMPARED = frozenset({"than", "als", "statt", "rather", "instead"})
"""After these, a need is weighed against another, not asked for."""
QUANTITY = frozenset({"a", "lot", "lots", "much", "far", "way", "many", "even"})
"""How much more is needed ("a lot more", "much more"): the question asks for more."""
INTENSIFIERS = frozenset(
    word_list(
        """
        dringend unbedingt urgently really definitely absolutely absolument vraiment
        impérativement urgemment echt absoluut endlich eindelijk enfin finally
        """
    )
)
"""Words that only say how much the writer wants it ("Il faut absolument sécuriser …") or
how long they have waited ("… endlich intensiv … nutzen"): the question leaves them out."""


def _needed(clause: Sequence[Word], language: str) -> list[Word] | None:
    lowered = [w.text.lower() for w in clause]
    for frame in NEED_FRAMES.get(language, ()):
        if tuple(lowered[: len(frame)]) == frame:
            return _what_is_needed(list(clause[len(frame) :]), language)
    for p in range(1, min(4, len(clause))):
        # "BG needs more R&D", "Die Stadt braucht mehr Radwege": a place or a body, then
        # what it needs.
        if (
            lowered[p] in NEEDS.get(language, ())
            and clause[p - 1].pos in {"NOUN", "PROPN"}
            and all(w.pos in {"DET", "NOUN", "PROPN", "ADJ"} for w in clause[:p])
            and not any(w in COMPARED for w in lowered[p + 1 :])
        ):
            # (Not "Staff need confidence more than toolkits": which need matters more.)
            needed = _what_is_needed(list(clause[p + 1 :]), language)
            return _for_whom(needed, list(clause[:p]), language)
    return None


OWN_BODIES = frozenset(
    word_list("city town village council government state region municipality country county")
)
"""Bodies and places a workshop speaks as or for: "The city needs more bike lanes" asks
what "we" provide, without "for the city"."""


def _for_whom(needed: list[Word] | None, subject: list[Word], language: str) -> list[Word] | None:
    """What is needed, and in English for whom, when the subject is a common noun phrase:
    "Threatened plants need legal protection" asks to "provide legal protection for
    threatened plants", not only "provide legal protection". A name ("BG needs …", "NZ
    needs …") is the workshop's own place or body, whom "we" speak for."""
    if needed is None or language != "en" or points_elsewhere(subject):
        return needed
    # A name: a proper noun, an acronym ("BG"), or a capital after the first word ("The
    # Land Bank", "Parks Department"). A plural common head is not one, however written:
    # "Threatened Plants need …", "BG Parks need …" ask "… for threatened plants", "… for
    # BG parks".
    head = head_noun(subject)
    if head is None or head.lemma.lower() in OWN_BODIES:
        return needed
    plural = head.pos == "NOUN" and head.number == "pl" and not is_acronym(head.text)
    named = (
        head.pos == "PROPN"
        or is_acronym(head.text)
        or (
            not plural
            and (
                any(w.pos == "PROPN" or is_acronym(w.text) for w in subject)
                or any(w.text[:1].isupper() for w in subject[1:])
            )
        )
    )
    if named:
        return needed
    subject = [
        replace(w, text=w.text.lower())
        if w.text[:1].isupper() and w.text[1:].islower() and w.pos in {"NOUN", "ADJ", "DET"}
        else w
        for w in subject
    ]
    joined = [*needed[:-1], replace(needed[-1], space_after=True)]
    return [
        *joined,
        Word("for", "for", "ADP"),
        *subject[:-1],
        replace(subject[-1], space_after=False),
    ]


def _what_is_needed(rest: list[Word], language: str) -> list[Word] | None:
    while rest and rest[0].text.lower() in INTENSIFIERS:
        rest = rest[1:]
    lowered = [w.text.lower() for w in rest[:4]]
    if "more" in lowered and all(w in QUANTITY for w in lowered[: lowered.index("more")]):
        rest = rest[lowered.index("more") :]  # "a lot more nightlife", "much more shade"
    if len(rest) < 1 or rest[0].text.lower() == "to":
        return None  # "we need to …": an action, which the wishes handle
    if len(rest) == 1 and rest[0].text.lower().endswith("ing"):
        return None  # "Construction methods need streamlining": what is done to them
    if any(
        a.text.lower() in {"to", "zu"} and word_in(b, WEAK_VERBS)
        for a, b in itertools.pairwise(rest[1:])
    ):
        return None  # "I want BG to be filled with …": how something should be, not a thing
    if (more := _more_of(rest, language)) is not None:
        return more
    if not _noun_phrase(rest) or (language == "de" and _has_own_verb(rest)):
        return None
    before, after = NEED_WORDS[language]
    first = rest[0].text.lower()
    if language == "en" and rest[0].pos == "ADJ" and first in COMPARATIVES - {"more"}:
        before = ("achieve",)  # "NZ needs better integration of …": achieved, not provided
    elif language == "en" and (verb := head_verb(rest)) is not None:
        before = (verb,)  # "We need grocery store competition": encouraged, not provided
    return _around(before, rest, after)


def head_verb(words: Sequence[Word]) -> str | None:
    """The verb ``ENGLISH_HEAD_VERBS`` gives the phrase's head noun, if any."""
    noun = head_noun(words)
    head = noun.text.lower() if noun is not None else ""
    return next((verb for verb, heads in ENGLISH_HEAD_VERBS.items() if head in heads), None)


_ADDED_PREPOSITIONS = frozenset({"für", "voor"})


def _around(before: Sequence[str], words: Sequence[Word], after: Sequence[str]) -> list[Word]:
    """``words`` with the words the rules add before and after them ("provide …", "für …
    sorgen"): a preposition, else an infinitive."""

    def added(texts: Sequence[str]) -> list[Word]:
        return [
            Word(w, w, "ADP") if w in _ADDED_PREPOSITIONS else Word(w, w, "VERB", "inf")
            for w in texts
        ]

    if after:  # a word follows the last one now
        words = [*words[:-1], replace(words[-1], space_after=True)]
    return [*added(before), *words, *added(after)]


def _more_of(clause: Sequence[Word], language: str) -> list[Word] | None:
    if language not in MORE_OF or len(clause) < 2:
        return None
    frame = next((f for f in MORE_OF[language] if clause[0].text.lower() == f[0]), None)
    if frame is None:
        return None
    _, before, after = frame
    if language == "fr":
        # "Moins de voitures en ville": the noun phrase follows "de".
        if clause[1].text.lower() not in {"de", "d'", "d’"} or len(clause) < 3:
            return None
        if not _noun_phrase(clause[2:]):
            return None
    elif not _noun_phrase(clause[1:]):
        return None
    if language in {"de", "nl"} and _has_own_verb(clause[1:]):
        return None  # "Mehr Windräder bauen": an action of its own, asked as it is
    more = replace(clause[0], text=clause[0].text.lower())
    if language == "en" and _to_do(clause[1:]):
        before = ("get",)  # "more locals to organize festivals": people to do something
    return _around(before, [more, *clause[1:]], after)


def _to_do(words: Sequence[Word]) -> bool:
    """An English "to" and a verb right after the phrase's noun ("locals to organize")."""
    for k in range(len(words) - 2):
        if words[k].pos in {"NOUN", "PROPN"} and words[k + 1].text.lower() == "to":
            return words[k + 2].pos == "VERB"
    return False


def _after_end_frame(clause: Sequence[Word], language: str) -> list[Word] | None:
    """What a note asks to end, after its opening ("Stop à …", "Schluss mit der …"), also
    after an adjective ("Sofortiger Stopp von …", "Immediate stop to …")."""
    lowered = [w.text.lower() for w in clause]
    skip = 1 if len(clause) > 2 and clause[0].pos == "ADJ" else 0
    for start in sorted({0, skip}):
        for frame in END_FRAMES.get(language, ()):
            end = start + len(frame)
            if tuple(lowered[start:end]) == frame and len(clause) > end:
                rest = list(clause[end:])
                linked = rest[0].text.lower() in _DATIVE | END_LINKS
                if language == "de" and linked and len(rest) > 1:
                    rest = rest[1:]  # "Schluss mit der Alibi-Beteiligung": the frame's case
                while len(rest) > 1 and rest[-1].text.lower() in URGENCY:
                    rest = rest[:-1]  # "Stopp von Zuzug sofort": the stop's, not the problem's
                return rest
    return None


URGENCY = frozenset(
    word_list("sofort now immediately asap jetzt endlich maintenant immédiatement nu meteen")
)
"""Words that say a stop is urgent; at the end of what is to stop they are the stop's."""


END_LINKS = frozenset({"von", "vom", "des"})
"""What links "Stopp" to what is to stop ("Stopp von Preisexplosionen", "Stopp des …")."""


MODAL_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("we", "should"), ("we", "must"), ("we", "need", "to"), ("we", "have", "to"),
        ("we", "ought", "to"), ("let's",), ("let", "us"), ("need", "to"), ("should",),
        ("must",), ("i", "think", "we", "should"), ("i", "think", "we", "need", "to"),
        ("the", "solution", "is", "to"), ("the", "answer", "is", "to"), ("why", "not"),
        ("i", "believe", "we", "should"), ("i", "feel", "we", "should"),
        ("it", "would", "be", "great", "to"), ("it", "would", "be", "good", "to"),
        ("it", "would", "be", "nice", "to"), ("it", "is", "important", "to"),
        ("want", "to"), ("we", "want", "to"), ("i", "want", "to"), ("i", "propose", "to"),
        ("we", "propose", "to"), ("i", "suggest", "we"), ("i", "suggest", "that", "we"),
    ),
    "fr": (
        ("il", "faut"), ("il", "faudrait"), ("nous", "devons"), ("nous", "devrions"),
        *((who, verb, de) for who, verb in (("je", "propose"), ("nous", "proposons"),
          ("je", "suggère"), ("nous", "suggérons")) for de in ("de", "d'", "d’")),
        ("on", "doit"), ("on", "devrait"), ("faut",), ("la", "solution", "est", "de"),
        ("pourquoi", "ne", "pas"),
        *(
            ("il", verb, adjective, de)
            for verb, adjective in (
                ("est", "nécessaire"), ("est", "important"), ("est", "essentiel"),
                ("est", "indispensable"), ("est", "urgent"), ("serait", "bien"),
                ("serait", "bon"), ("serait", "utile"),
            )
            for de in ("de", "d'", "d’")
        ),
        *(
            ("je", opinion, que, "il", need)
            for opinion in ("pense", "trouve", "crois")
            for que in ("qu'", "qu’")
            for need in ("faut", "faudrait")
        ),
    ),
    "nl": (
        ("we", "moeten"), ("wij", "moeten"), ("we", "zouden", "moeten"), ("men", "moet"),
        ("waarom", "niet"),
    ),
    "de": (
        ("wir", "müssen"), ("wir", "sollten"), ("man", "sollte"), ("man", "muss"),
        ("man", "müsste"), ("wir", "brauchen"),
    ),
}  # fmt: skip
"""Sentence openings that say what is wanted; what follows is the action ("we should")."""
WEAK_VERBS = frozenset(word_list("be have get être avoir zijn hebben worden sein haben werden"))


MODAL_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"should", "must", "need", "have", "ought"}),
    "fr": frozenset({"doit", "doivent", "devrait", "devraient", "devons", "devrions", "faut"}),
    "nl": frozenset({"moet", "moeten", "zou", "zouden"}),
    "de": frozenset({"muss", "müssen", "sollte", "sollten", "soll", "sollen", "müsste"}),
}
"""Modal verbs after a short subject ("The city should …", "Les élus doivent …"): what
follows says what is wanted, and the question asks how we might do it."""
BARE_MODALS = {"en": frozenset({"have", "need"})}
"""Modal words that are modal only with "to" after them ("have to", "need to"): "… settings
have encouraged property speculation" says what was done."""
SUBJECT = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM"})
SELF = frozenset(word_list("zelf selbst themselves itself eux-mêmes elles-mêmes lui-même"))


def _after_modal(clause: Sequence[Word], language: str) -> tuple[list[Word], list[Word]] | None:
    """The action after a modal opening ("we should", "il faut", "the council must"), when it
    is one a question can ask about: a lexical verb, not negated, not "be" or "have"; with
    the words before the modal when a subject other than "we" says it ("the council"), else
    none."""
    lowered = [w.text.lower() for w in clause]
    start = None
    for frame in MODAL_FRAMES.get(language, ()):
        if tuple(lowered[: len(frame)]) == frame:
            start = len(frame)
            break
    subject = start is None  # a subject other than "we": only actions on an object
    said_by: list[Word] = []
    if start is None:
        modal = next(
            (i for i, t in enumerate(lowered[:5]) if t in MODAL_WORDS.get(language, ())), None
        )
        if not modal or not all(w.pos in SUBJECT for w in clause[:modal]):
            return None
        bare = lowered[modal] in BARE_MODALS.get(language, ())
        if bare and lowered[modal + 1 : modal + 2] != ["to"]:
            return None  # "Tax settings have encouraged speculation": done, not to do
        if any(w.pos == "PRON" or w.text.lower() in PERSONAL for w in clause[:modal]):
            return None  # "You need to say this out loud …": talk, not a proposal
        said_by = list(clause[:modal])
        start = modal + 1
        if language == "nl" and start < len(clause) and lowered[start] == "moeten":
            start += 1  # "zouden moeten"
    action = list(clause[start:])
    if action and action[0].text.lower() == "to":
        action = action[1:]
    while len(action) > 1 and action[0].pos == "ADV" and word_in(action[0], INTENSIFIERS):
        action = action[1:]  # "Il faut absolument sécuriser …"
    if language in {"en", "fr"}:
        action = _without_weak_tail(action)
    action = without_ability(action, language)
    if not MIN_WORDS <= _alpha(action) <= MAX_WORDS:
        return None
    if word_in(action[0], NEGATIONS) or action[0].text.lower() == "n't":
        return None
    if action[0].lemma in WEAK_VERBS or action[0].text.lower() in WEAK_VERBS:
        return None
    if subject and any(word_in(w, SELF) for w in action):
        return None  # "Leidinggevenden moeten zelf …": about them, not something we do
    if language in {"nl", "de"}:
        action = _infinitive_closing(action)
    if language in {"en", "fr"}:
        if action[0].pos not in {"VERB", "AUX"}:
            retagged = tag(("to " if language == "en" else "") + join(action), language)
            first = retagged[1] if language == "en" and len(retagged) > 1 else retagged[0]
            if first.pos not in {"VERB", "AUX"} or first.lemma in WEAK_VERBS:
                return None
        if subject and not _starts_object(action[1]):
            return None  # "The council should act quickly": no object we could act on
    elif not _closes_with_infinitive(action, language) or any(
        word_in(w, NEGATIONS) for w in action
    ):
        return None  # Dutch and German: the infinitive closes the clause
    elif word_in(action[-1], WEAK_VERBS) or any(
        w.pos in {"VERB", "AUX"} and w.verb_form == "inf" and word_in(w, WEAK_VERBS) for w in action
    ):
        return None  # "… muss öffentliches Interesse werden": the subject would be lost
    elif action[-1].pos in {"VERB", "AUX"} and action[-1].verb_form == "part":
        return None  # "… ein Grundrecht sein und in der Verfassung verankert": no verb to ask
    elif subject and not _starts_object(action[0]):
        return None  # "Fortbildungszeit muss als Arbeitszeit zählen": no object
    elif subject and action[0].text.lower() in QUANTIFIERS and action[1].pos in {"VERB", "AUX"}:
        return None  # "Die Kilowattstunde muss mehr bringen als …": "mehr" is no object
    return action, said_by


WISH_OPENINGS = tuple(
    tuple(opening.split())
    for opening in (
        "il faudrait que", "il faut que", "il serait bien que", "il serait bon que",
        "il serait utile que", "je souhaite que", "nous souhaitons que", "que",
    )
)  # fmt: skip
"""French openings of a wish whose verb is in the subjunctive ("Il faudrait que la mairie
installe …"): the question asks for the verb's infinitive."""


def _wished(clause: Sequence[Word], language: str) -> tuple[list[Word], list[Word]] | None:
    """A French wish in the subjunctive: the action (its verb in the infinitive) and who is
    to act, kept when plural ("amener les commerces à fermer plus tard"), left to "nous"
    when singular ("la mairie installe …" → "installer …")."""
    lowered = [w.text.lower() for w in clause]
    start = next(
        (len(o) for o in WISH_OPENINGS if tuple(lowered[: len(o)]) == o and len(clause) > len(o)),
        None,
    )
    if start is None:
        return None
    verb = next((i for i in range(start, len(clause)) if clause[i].pos in {"VERB", "AUX"}), None)
    if verb is None or verb == start or clause[verb].verb_form != "fin":
        return None
    subject = list(clause[start:verb])
    if not all(w.pos in {"DET", "NOUN", "PROPN", "ADJ"} for w in subject) or not any(
        w.pos in {"NOUN", "PROPN"} for w in subject
    ):
        return None  # "qu'on …", "que les gens ne …", "que ça …": not a subject we can keep
    lemma = clause[verb].lemma
    if lemma in WEAK_VERBS or clause[verb].pos == "AUX" or not lemma.endswith(("er", "ir", "re")):
        return None
    rest = list(clause[verb + 1 :])
    if any(word_in(w, NEGATIONS) for w in rest):
        return None
    action = [Word(lemma, lemma, "VERB", verb_form="inf"), *rest]
    if not MIN_WORDS <= _alpha(action) <= MAX_WORDS:
        return None
    head = head_noun(subject)
    plural = clause[verb].number == "pl" or (head is not None and head.number == "pl")
    return action, subject if plural else []


PLURAL_MODALS = frozenset(word_list("müssen sollen sollten moeten zouden doivent devraient"))
"""Modal verbs whose subject is plural (German and Dutch say what the rules need: a plural
subject's verb at the end of a "dass"/"dat" clause is the infinitive's form)."""


def _agent(subject: list[Word], modal: Word, action: Sequence[Word], language: str) -> list[Word]:
    """The subject of a modal (``_after_modal`` found and checked it) the question keeps: a
    plural noun phrase (others the room would bring along: "Fahrschulen", "les bailleurs",
    "landlords"), or, in French and English, any noun phrase an action's possessive points
    back to ("The council must update its website"). Empty when the question may speak for
    it ("La Région doit …" → "… nous")."""
    head = head_noun(subject)
    if head is None or head.pos != "NOUN":
        return []
    plural = modal.text.lower() in PLURAL_MODALS or (
        language in {"en", "fr"} and head.number == "pl"
    )
    points_back = language in {"en", "fr"} and points_elsewhere(action)
    if not (plural or points_back) or points_elsewhere(subject):
        return []
    if points_back and points_elsewhere([w for w in action if w.pos != "DET"]):
        return []  # "… take care of it": the pronoun, not a possessive, points elsewhere
    return subject


def _without_weak_tail(action: list[Word]) -> list[Word]:
    """The action without a second one that only says how to be ("develop a code of safety
    & be smart, not hysterical"): "and be …" adds an attitude, not something to do; nor
    with a question joined to it ("look into the role of the police and how we want them to
    function"), which the clause may cut before its verb."""
    for k in range(1, len(action) - 1):
        if action[k].pos == "CCONJ" and (
            word_in(action[k + 1], WEAK_VERBS) or action[k + 1].text.lower() in JOINED_QUESTIONS
        ):
            return action[:k]
    return action


JOINED_QUESTIONS = frozenset(
    word_list("how what why where when which who comment pourquoi quand quel quelle quels quelles")
)
"""Words that open a question joined to an action by "and"/"et"."""


def _infinitive_closing(action: list[Word]) -> list[Word]:
    """The action with its closing infinitive where the tagger missed it: after a modal the
    clause needs one, so a last lowercase word in "-en" is it ("De gemeente moet meer
    bankjes plaatsen", where "plaatsen" was read as a noun)."""
    last = action[-1]
    if last.pos not in {"VERB", "AUX"} and last.text.islower() and last.text.endswith("en"):
        return [*action[:-1], replace(last, pos="VERB", verb_form="inf", lemma=last.text)]
    return action


def _closes_with_infinitive(action: Sequence[Word], language: str) -> bool:
    """Dutch and German close the action with its infinitive; Dutch may put a phrase after
    it ("scholen … openstellen na schooltijd")."""
    if any(w.pos in {"VERB", "AUX"} for w in action[-2:]):
        return True
    if language != "nl":
        return False
    verbs = [k for k, w in enumerate(action) if w.pos in {"VERB", "AUX"}]
    return bool(verbs) and verbs[-1] > 0 and action[verbs[-1] + 1].pos == "ADP"


QUANTIFIERS = frozenset(word_list("more less fewer plus moins davantage mehr weniger meer minder"))
"""Words that may open an object ("build more affordable housing", "créer plus d'espaces")."""
ABILITY = {"fr": ("pouvoir",), "en": ("be", "able", "to"), "de": ("können",), "nl": ("kunnen",)}
"""What "we should be able to vote" adds to "we should vote": the question already asks how
we might (and "pourrions-nous pouvoir" is no French)."""


THAN = frozenset(word_list("than als que dan"))
"""What a comparison weighs against ("weniger … als …", "more … than …")."""


VIEW_ENDINGS = {
    "de": ("meinung", "ansicht", "aussage", "behauptung"),
    "nl": ("mening", "standpunt", "uitspraak", "bewering"),
    "en": ("opinion", "view", "views", "statement", "claim"),
    "fr": ("opinion", "affirmation"),
}
"""Heads of nouns that name what someone thinks or said: a phrase headed by one reports a
view ("Mehrheitsmeinung von A"), which "einführen" or "set up" would turn into nonsense."""


def _names_a_view(clause: Sequence[Word], language: str) -> bool:
    """Whether the noun phrase is headed by a noun of ``VIEW_ENDINGS``: the first noun in
    French, Dutch and German ("Mehrheitsmeinung von A"), the last of the first run of
    nouns in English ("majority opinion", not "opinion survey")."""
    nouns = [i for i, w in enumerate(clause) if w.pos in {"NOUN", "PROPN"}]
    if not nouns:
        return False
    head = nouns[0]
    if language == "en":
        while head + 1 < len(clause) and clause[head + 1].pos in {"NOUN", "PROPN"}:
            head += 1
    word = clause[head]
    endings = VIEW_ENDINGS.get(language, ())
    keys = {match_key(word.text), match_key(word.lemma or word.text)}
    if language in {"de", "nl"}:  # compounds end in their head: "Mehrheitsmeinung"
        return any(key.endswith(endings) for key in keys)
    return bool(keys & set(endings))  # a word of its own: "review" is no view


def _compares(clause: Sequence[Word]) -> bool:
    """A noun phrase followed by "more/less … than …": a judgement of it ("X weniger Frage
    der Ressourcen als des guten Willens"), not a proposal."""
    nouns = [i for i, w in enumerate(clause) if w.pos in {"NOUN", "PROPN"}]
    if not nouns:
        return False
    after = [w.text.lower() for w in clause[nouns[0] + 1 :]]
    return any(
        word in QUANTIFIERS and any(later in THAN for later in after[k + 1 :])
        for k, word in enumerate(after)
    )


ABILITY_WORDS = frozenset(word_list("können kunnen"))
"""German and Dutch "can", kept with those the question asks to act (``ABILITY`` drops it
when "we" act)."""


def _starts_object(word: Word) -> bool:
    return word.pos in {"DET", "NOUN", "PROPN", "ADJ", "NUM"} or word.text.lower() in QUANTIFIERS


def without_ability(action: list[Word], language: str) -> list[Word]:
    words = ABILITY.get(language, ())
    lowered = [w.text.lower() for w in action]
    if language in {"fr", "en"}:
        if tuple(lowered[: len(words)]) == words and len(action) > len(words):
            return action[len(words) :]
        return action
    # Dutch and German put it among the verbs at the end: "online kunnen stemmen".
    return [w for w, text in zip(action, lowered, strict=True) if text not in words] or action


def _subject_of_sentence(words: Sequence[Word], start: int) -> bool:
    """A finite verb follows the noun phrase in the same sentence, past a comma or a
    bracket: the noun phrase is the subject of an opinion, not a proposal. The verb of a
    clause that a comma and a relative or interrogative word open is that clause's own
    ("Rückmeldung an die Teilnehmenden, was aus ihren Ideen wurde")."""
    depth = 0
    subordinate = False
    for k in range(start, len(words)):
        word = words[k]
        if word.text in SENTENCE_END and depth == 0:
            return False
        depth += word.text == "("
        depth -= word.text == ")" and depth > 0
        if word.text == "," and depth == 0:
            following = words[k + 1] if k + 1 < len(words) else None
            subordinate = following is not None and following.pos in {"PRON", "SCONJ"}
            continue
        if subordinate:
            continue
        if depth == 0 and word.pos in {"VERB", "AUX"} and word.verb_form in {"fin", "base"}:
            return True
    return False


def _negates(clause: Sequence[Word]) -> bool:
    """A clause that says no to what came before: "non !", "– nein", "pas de bus pour …";
    not a contrast ("pas juste un logo", "not only citizens")."""
    if not clause or not word_in(clause[0], NEGATIONS):
        return False
    return len(clause) < 2 or clause[1].text.lower() not in CONTRAST


def refuses(words: Sequence[Word], language: str) -> bool:
    """The note says no to what it names: it starts with a negation ("Pas d'IA pour
    décider …", "Geen chatbot aan het loket") or ends on a bare one ("Un chatbot à la place
    d'un humain : non !"). Its noun phrases would name the opposite of what it asks for, so
    they make no title. A topic followed by a negated comment ("Zones rurales : pas de bus
    …") still names its topic."""
    if not words:
        return False
    found = clauses(list(words), language)
    bare = any(_negates(c) and _alpha(c) <= 2 for c, _ in found[1:])
    return (bool(found) and _negates(found[0][0])) or bare


def _kind(clause: Sequence[Word], language: str, rules: LanguageRules) -> FormKind | None:
    if not MIN_WORDS <= _alpha(clause) <= MAX_WORDS:
        return None
    reflexive = language == "fr" and clause[0].text.lower() in {"se", "s'", "s’"}
    if not reflexive and (
        clause[0].pos == "PRON" or re.split("['’]", clause[0].text.lower())[0] in PERSONAL
    ):
        return None  # "I'm still going to watch football": a voice, not a proposal
    if word_in(clause[0], rules.refuse_first) or any(word_in(w, NEEDED) for w in clause):
        return None
    if "-" in clause[0].text and language == "en":
        if _english_sentence(clause):
            return None
        return FormKind.PROPOSAL if _noun_phrase(clause) else None  # "Easy-read materials"
    if language == "fr":
        kind = _french(clause)
    elif language == "en":
        kind = _english(clause)
    else:
        kind = _verb_final(clause, language)
    if kind is FormKind.PROPOSAL and not _headed_before_preposition(clause, language):
        return None
    return kind


def _noun_phrase(clause: Sequence[Word]) -> bool:
    return (
        clause[0].pos in {"DET", "ADJ", "NOUN", "PROPN"}
        and any(w.pos in {"NOUN", "PROPN"} for w in clause)
        and not _finite_before_clause(clause)
        and not any(w.pos in {"VERB", "AUX"} and w.verb_form in {"inf"} for w in clause[:2])
    )


OF = frozenset(word_list("de des du d' d’ von vom of van"))
"""Prepositions whose phrase completes the noun before it ("Form von …", "droit de …"): a
word before one is read as that noun, whatever the tagger says."""


def _headed_before_preposition(clause: Sequence[Word], language: str) -> bool:
    """Whether the proposal ``clause`` names its noun before its first preposition: "Public
    access to parks", "Recht auf Beteiligung", but not "Similar to the Dutch model" or "Open
    to all residents" (an adjective, whose question would "set up a similar to …"). A word
    before "of" or "von" is read as the noun it completes, whatever the tagger says. Not
    for French, whose tagger reads many a note's first noun as an adjective ("Plateforme
    en ligne", "Manque de coordination"), and whose lists of nouns hold adjectives too."""
    if language == "fr":
        return True
    for k, word in enumerate(clause):
        if word.pos in {"NOUN", "PROPN"}:
            return True
        if word.pos == "ADP":
            return k > 0 and word.text.lower() in OF
    return True


def _french(clause: Sequence[Word]) -> FormKind | None:
    first = clause[0]
    if first.pos in {"VERB", "AUX"} and first.verb_form == "inf":
        return FormKind.ACTION
    if (
        first.text.lower() in {"se", "s'", "s’"}
        and len(clause) > 1
        and clause[1].pos in {"VERB", "AUX"}
        and clause[1].verb_form == "inf"
    ):
        return FormKind.ACTION
    return FormKind.PROPOSAL if _noun_phrase(clause) else None


def _english(clause: Sequence[Word]) -> FormKind | None:
    if _finite_before_clause(clause, start=1):
        return None
    # Is the first word a verb? Tagged after "to", a base verb reads as an infinitive.
    retagged = tag("to " + lower_first(join(clause)), "en")
    verb_first = (
        len(retagged) > 1 and retagged[1].pos in {"VERB", "AUX"} and retagged[1].verb_form == "inf"
    )
    if (
        verb_first
        and clause[0].pos not in {"DET", "ADJ", "NUM"}
        and not clause[0].text.endswith("s")
    ):
        return FormKind.ACTION
    if _english_sentence(clause):
        return None
    return FormKind.PROPOSAL if _noun_phrase(clause) else None


def _english_sentence(clause: Sequence[Word]) -> bool:
    """A verb right after a noun, whatever its tag: "Winner-take-all voting systems
    encourage strategic voting" is a sentence, not a noun phrase (the tagger may read
    "encourage" as an infinitive once a bracketed aside is left out). Only in the main
    part: "Joint calendar so residents aren't over-consulted" says why, after "so"."""
    for before, word in itertools.pairwise(clause):
        if word.pos in {"SCONJ", "PRON"} or before.pos == "SCONJ":
            return False
        if (
            word.pos in {"VERB", "AUX"}
            and word.verb_form in {"inf", "base", "fin"}
            and before.pos in {"NOUN", "PROPN"}
        ):
            return True
    return False


def _verb_final(clause: Sequence[Word], language: str) -> FormKind | None:
    """Dutch and German: an infinitive clause has its infinitive after the first word (mostly
    last: "Jugendliche direkt ansprechen"; Dutch may place a phrase after it) and no finite
    verb in its main part (a subordinate clause may have one: "Deelnemers laten weten wat er
    … gebeurd is")."""
    if clause[0].pos == "PRON" or any(word_in(w, MODALS) for w in clause):
        return None  # "Leidinggevenden moeten zelf ook de opleiding volgen": a sentence
    end = next(
        (i for i, w in enumerate(clause) if i > 0 and w.pos in {"SCONJ", "PRON"}), len(clause)
    )
    main = clause[:end]
    if any(w.pos in {"VERB", "AUX"} and w.verb_form == "fin" for w in main):
        return None
    if any(word_in(w, NEGATIONS) for w in main):
        return None  # "Holzheizungen nicht durch Auflagen gefährden": "How might we not …?"
    last = main[-1]
    for i, word in enumerate(main[:-1]):
        # Before the end, a Dutch verb form that is also a plural present is an infinitive
        # only when a phrase or another infinitive follows it ("Ambtenaren opleiden in actief
        # luisteren", "laten weten"); else it is the verb of a sentence ("Mensen haken af …").
        following = main[i + 1]
        if word.verb_form == "inf?" and not (
            following.pos == "ADP" or following.verb_form in {"inf", "inf?"}
        ):
            return None
    if (
        last.pos in {"VERB", "AUX"}
        and last.verb_form in {"inf", "inf?", "part"}
        and (last.verb_form != "part" or last.text.lower().endswith("en"))
    ):
        return FormKind.ACTION  # a participle in -en is an infinitive here ("niet vergeten")
    if (
        language == "de"
        and last.text.islower()
        and last.text.endswith(("en", "ern", "eln"))
        and last.pos in {"X", "NOUN", "VERB"}
    ):
        return FormKind.ACTION  # a verb the tagger does not know ("trainiren")
    if (
        language == "nl"
        and len(main) > 1
        and main[0].pos == "NOUN"
        and main[0].number != "pl"
        and main[1].pos == "VERB"
    ):
        return None  # "Training omgaan met boze burgers": a noun phrase, not an action
    if language == "nl" and any(
        w.pos == "VERB" and w.verb_form in {"inf", "inf?"} for w in main[1:]
    ):
        return FormKind.ACTION  # "Collega's uitnodigen bij je traject"
    return FormKind.PROPOSAL if _noun_phrase(clause) else None


def _is_problem(clause: Sequence[Word], rules: LanguageRules) -> bool:
    """The noun phrase names a problem: a noun or adjective of it does ("Algorithmes
    opaques", "Intransparente Algorithmen", "Chatbots giving wrong answers"); so does a
    German or Dutch head noun compounded with one ("Lärmbelastung", "Woningtekort")."""
    head = head_noun(clause)
    if head is not None and _compound_of(head, rules):
        return True  # (its head only: "Gesetz gegen Lichtverschmutzung" is no problem)
    return any(
        w.pos in {"NOUN", "PROPN", "ADJ"} and word_in(w, rules.problem_words) for w in clause
    )


def _compound_of(word: Word, rules: LanguageRules) -> bool:
    if rules is not RULES["de"] and rules is not RULES["nl"]:
        return False
    text = word.text.lower()
    return any(
        len(part) >= COMPOUND_PART and len(text) > len(part) and text.endswith(part)
        for part in rules.problem_words
    )


COMPOUND_PART = 5
"""Problem words shorter than this ("lärm", "stau") are not looked for at a compound's end:
they end too many other words."""


COMPARATIVES = frozenset(word_list("better worse more less fewer"))
ENGLISH_HEAD_VERBS = {
    "achieve": frozenset(word_list("transition integration coordination")),
    "organize": frozenset(
        word_list("meeting meetings event events workshop workshops forum forums session sessions")
    ),
    "establish": frozenset(word_list("basis framework")),
    "encourage": frozenset(
        word_list("competition cooperation collaboration participation engagement diversity")
    ),
    "offer": frozenset(word_list("loan loans grant grants subsidy subsidies")),
    "pass": frozenset(word_list("amendment amendments law laws bill bills ordinance ordinances")),
}
"""English heads that "set up" or "provide" would misname: a transition is achieved,
competition encouraged, loans offered, a law passed, a meeting organized, a legal basis
established."""


VERB_FINAL = frozenset({"de", "nl"})


PASSIVE_MODALS = {
    "de": frozenset(word_list("muss müssen soll sollen sollte sollten")),
    "nl": frozenset(word_list("moet moeten zou zouden")),
    "en": frozenset(word_list("should must")),
    "fr": frozenset(word_list("doit doivent devrait devraient")),
}
"""The modals of a passive wish ("… müssen aufgestellt werden", "… should be charged"):
obligation only; "can", "may" and "darf" say what is allowed, not what to do."""
PASSIVE_MODAL_PAIRS = {"en": frozenset({("need", "to"), ("needs", "to"), ("has", "to"),
                                        ("have", "to"), ("ought", "to")})}  # fmt: skip
PASSIVE_AUXILIARIES = {"de": "werden", "nl": "worden", "en": "be", "fr": "être"}
EXPLETIVES = frozenset(word_list("es er"))
""""Es muss mehr getan werden", "Er moeten meer bomen komen": a subject that is no one."""
BY_AGENT = {"en": "by", "fr": "par"}


def _passive_wish(clause: Sequence[Word], language: str) -> list[Word] | None:
    """The action a passive wish asks for, in the active: the participle's verb with what
    was its subject as its object ("Le vote blanc doit être pris en compte" → "prendre le
    vote blanc en compte", "Im Wiener Prater müssen Windräder aufgestellt werden" → "im
    Wiener Prater Windräder aufstellen", "Die Förderung sollte erleichtert, vereinheitlicht
    und beschleunigt werden" → "die Förderung erleichtern, vereinheitlichen und
    beschleunigen"); ``None`` for any other clause, a negated one ("… darf nicht …"), one
    whose subject is a person ("we should be allowed …"), or one the rules cannot turn
    safely (a noun after the participle: "should be required plantings"; an agent: "…
    encouraged by the council"). A tenth of the German dev file's proposals are worded so.
    """
    modals = PASSIVE_MODALS.get(language)
    if modals is None or len(clause) < 3:
        return None
    lowered = [w.text.lower() for w in clause]
    if any(t in NEGATIONS for t in lowered):
        return None
    pairs = PASSIVE_MODAL_PAIRS.get(language, frozenset())
    at = next(
        (
            i
            for i, t in enumerate(lowered[:8])
            if i and (t in modals or (i + 1 < len(lowered) and (t, lowered[i + 1]) in pairs))
        ),
        None,
    )
    if at is None:
        return None
    before = list(clause[:at])
    after = at + (2 if (lowered[at], lowered[at + 1] if at + 1 < len(lowered) else "") in pairs
                  else 1)  # fmt: skip
    auxiliary = PASSIVE_AUXILIARIES[language]
    if before and before[0].text.lower() in EXPLETIVES and language in VERB_FINAL:
        before = before[1:]
    if any(w.pos == "PRON" or (w.text.lower() in PERSONAL and w.pos != "ADP") for w in before):
        return None  # "We should be allowed to …", "Il doit être possible de …"
    if language in VERB_FINAL:
        end = len(clause)
        if lowered[-1] != auxiliary:
            return None
        end -= 1
        while end > after and lowered[end - 1] in {"moeten", "worden"}:
            end -= 1  # "… gemaakt moeten worden"
        verbs, start = _participles_back(clause, after, end)
        if not verbs:
            return None
        middle = list(clause[after:start])
        if any(w.pos in {"VERB", "AUX"} for w in [*before, *middle]):
            return None  # "Wohnungen die als Wertanlage leer stehen …": a clause inside
        if language == "de":
            before, middle = _german_objects(before, middle)
        words = [*before, *middle, *verbs]
    else:
        k = after
        while k < len(clause) and clause[k].pos == "ADV":
            k += 1  # "should also be", "doit aussi être"
        if k >= len(clause) or lowered[k] != auxiliary:
            return None
        verbs, end = _participles_on(clause, k + 1)
        if not verbs or not before or not any(w.pos in {"NOUN", "PROPN"} for w in before):
            return None
        said = [
            i for i, w in enumerate(before) if w.pos in {"VERB", "AUX"} and w.verb_form == "fin"
        ]
        relative = RELATIVE.get(language, frozenset())
        if said and not (said[0] and word_in(before[said[0] - 1], relative)):
            # "Agriculture is destructive and should be limited …": the subject is what
            # comes before its first finite verb ("Land that is farmed should be sold …"
            # keeps its relative clause, "Responsible hunting of introduced species …" its
            # participle).
            if not said[0] or before[-1].pos != "CCONJ":
                return None
            before = before[: said[0]]
        rest = list(clause[end:])
        if rest and (rest[0].pos in {"NOUN", "PROPN", "DET"} or lowered[end] == "to"):
            # "Shade trees should be required plantings …"; "Foreign companies should be
            # encouraged to invest …": "to" may be the verb's own, not a purpose.
            return None
        if any(w.text.lower() == BY_AGENT.get(language) for w in rest):
            return None  # "… encouraged and monitored by local and national government"
        subject = list(before)
        if len(before) > 1 and before[0].pos != "DET" and before[1].text[:1].isupper():
            # "Greek Life on campus should be monitored": a name the tagger lowercased.
            subject[0] = replace(before[0], text=before[0].text[:1].upper() + before[0].text[1:])
        words = [*verbs, *subject, *rest]
    return words if any(w.pos in {"NOUN", "PROPN"} for w in words) else None


def _as_infinitive(word: Word) -> Word:
    return Word(word.lemma, word.lemma, "VERB", "inf")


def _participles_on(clause: Sequence[Word], start: int) -> tuple[list[Word], int]:
    """The participles from ``start`` on, with the commas and conjunctions joining them, as
    infinitives, and where they end ("encouraged and monitored")."""
    out: list[Word] = []
    k = start
    while k < len(clause):
        word = clause[k]
        if word.pos == "VERB" and word.verb_form == "part" and word.lemma:
            out.append(_as_infinitive(word))
            k += 1
        elif out and word.pos in {"CCONJ", "PUNCT"} and word.text in {",", "and", "et", "or",
                                                                       "ou"}:  # fmt: skip
            if k + 1 < len(clause) and clause[k + 1].verb_form == "part":
                out.append(word)
                k += 1
            else:
                break
        else:
            break
    return out, k


def _participles_back(clause: Sequence[Word], floor: int, end: int) -> tuple[list[Word], int]:
    """The participles before ``end`` (the auxiliary) back to the first, with the commas and
    conjunctions joining them, as infinitives, and where they start ("erleichtert,
    vereinheitlicht und beschleunigt")."""
    k = end
    found: list[Word] = []
    while k > floor:
        word = clause[k - 1]
        if word.pos == "VERB" and word.verb_form == "part" and word.lemma:
            found.append(_as_infinitive(word))
            k -= 1
        elif found and (word.pos == "CCONJ" or word.text == ",") and k - 1 > floor:
            if clause[k - 2].verb_form == "part":
                found.append(word)
                k -= 1
            else:
                break
        else:
            break
    return list(reversed(found)), k


def _german_objects(before: list[Word], middle: list[Word]) -> tuple[list[Word], list[Word]]:
    """The passive's subject as the active's object: a masculine nominative ("Der
    öffentliche Verkehr", "Ein neuer Radweg") in the accusative ("den öffentlichen Verkehr",
    "einen neuen Radweg"), whether it opens the clause or follows the modal."""
    if before and before[0].pos in {"DET", "ADJ", "NOUN", "PROPN"}:
        return _german_accusative(before), middle
    return before, _german_accusative(middle)


def _german_accusative(words: list[Word]) -> list[Word]:
    if len(words) < 2 or words[0].pos != "DET":
        return words
    det = words[0].text.lower()
    if det not in {"der", "ein", "kein"}:
        return words
    k = 1
    while k < len(words) and words[k].pos == "ADJ":
        k += 1
    if k >= len(words) or words[k].pos != "NOUN":
        return words
    gender = german_gender(words[k].text)
    if det == "der" and gender == "f":
        return words
    if det in {"ein", "kein"} and gender != "m":
        return words
    article = {"der": "den", "ein": "einen", "kein": "keinen"}[det]
    adjectives = [replace(w, text=german_declined(w, "en")) for w in words[1:k]]
    return [replace(words[0], text=article), *adjectives, *words[k:]]
