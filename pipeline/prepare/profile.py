"""Notes that describe their writer, not an idea: "I am under 30 years of age".

Why: consultation platforms (Polis above all) seed a conversation with statements that
participants vote on to describe themselves: an age band, an income, where they live, what they
can explain ("I can explain Duverger's Law"). Exported with the comments, they read as notes.
Embedded, they sit close to one another (same form, different topics), so they form a theme of
their own that no title or question can speak for, and they pull a stray comment or two with
them. They are kept in the output, rejected with a reason a reviewer can read, like an empty
note.

Only a whole note that is nothing but such a statement counts: "J'habite à la campagne et il n'y
a pas de bus le soir" is an idea with its context and stays. Each pattern matches the whole
note, in English, French, Dutch or German, and a note of more than ``MAX_WORDS`` words is never
one. The attribute words are closed lists (age, income, ethnicity, occupation, residence,
knowledge of a named thing), so a statement of opinion in the first person ("I am worried
about …", "Je suis pour …") does not match.
"""

from __future__ import annotations

import re

MAX_WORDS = 18
MAX_CHARS = 200
"""Longer notes say more than who wrote them (and the patterns never scan a long text)."""

_N = r"\d{1,3}(?:[.,]\d{3})*(?:\s?(?:k|€|\$|eur|euros?))?"
_RANGE = rf"(?:\w+\s+){{0,3}}[$€]?{_N}(?:\s*(?:-|–|to|and|et|à|en|tot|und|bis)\s*[$€]?{_N})?"
"""A number or a range after up to three words: "under 30", "between 30 and 55", "30-55"."""

_I_AM = r"(?:i am|i'm|i’m)"
_DECADE = (
    r"(?:early |late |mid[- ])?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|"
    r"eighties|nineties|\d0['’]?s)"
)
_CONNECTOR = re.compile(
    r"\b(?:and|but|so|because|where|which|et|mais|donc|car|où|qui|maar|dus|want|waar|und|aber|"
    r"also|weil|denn|wo)\b|\ben (?:er|ik|we|wij|het|dat|daar)\b|[,;:]",
    re.IGNORECASE,
)
"""A clause after the attribute: the note then says something about it and is kept."""

_ATTRIBUTES = (
    r"ethnicity|ethnic background|race|gender|sex|age|income|household income|religion|"
    r"nationality|occupation|profession|job|education|"
    r"origine|origine ethnique|revenu|revenus|revenu du ménage|âge|genre|sexe|nationalité|"
    r"métier|niveau d'études|"
    r"etniciteit|afkomst|inkomen|gezinsinkomen|leeftijd|geslacht|nationaliteit|beroep|"
    r"opleiding|"
    r"einkommen|haushaltseinkommen|alter|geschlecht|herkunft|nationalität|beruf|ausbildung"
)

_CLOSED = (
    # An age or an age band; what the writer does for a living or is in the household.
    rf"{_I_AM} {_RANGE}\s*(?:years?|yrs)(?: of age| old)?(?: or (?:older|younger|more|over))?"
    r"(?: but (?:less|more|younger|older) than \d{1,3})?",
    rf"j['’]ai {_RANGE}\s*ans(?: ou (?:plus|moins))?",
    rf"ik ben {_RANGE}\s*jaar(?: oud)?(?: of (?:ouder|jonger|meer))?",
    rf"ich bin {_RANGE}\s*jahre?(?: alt)?(?: oder (?:älter|jünger|mehr))?",
    rf"{_I_AM} (?:an? )?(?:self[- ]employed|retired|student|unemployed|pensioner|parent|mother|"
    r"father|homeowner|home owner|tenant|renter|business owner)"
    r"(?: or (?:i )?own a (?:small )?business)?",
    r"i (?:own|run) a (?:small )?business",
    r"i (?:have|don't have|do not have) (?:children|kids|dependants|dependents|a disability|a car)",
    r"j['’]ai (?:\d+|un|une|deux|trois|pas d['’]|plusieurs) ?(?:enfants?|petits-enfants)",
    r"ik heb (?:\d+|een|geen|twee|drie) ?(?:kinderen|kind|kleinkinderen)",
    r"ich habe (?:\d+|ein|eine|keine|zwei|drei) ?(?:kinder|kind|enkel|enkelkinder)",
    r"je suis (?:une? )?(?:retraité|retraitée|étudiant|étudiante|indépendant|indépendante|"
    r"au chômage|chômeur|chômeuse|demandeur d['’]emploi|demandeuse d['’]emploi|parent|mère|"
    r"père|propriétaire|locataire)(?: de famille)?",
    r"ik ben (?:een )?(?:gepensioneerd|student|studente|zelfstandige|zzp['’]er|werkloos|"
    r"werkzoekende|ouder|moeder|vader|huiseigenaar|huurder)",
    r"ich bin (?:eine? )?(?:rentner|rentnerin|pensionär|pensionärin|student|studentin|"
    r"selbstständig|selbständig|arbeitslos|mutter|vater|eigentümer|eigentümerin|mieter|"
    r"mieterin)",
    # An age in decades ("I am in my forties or fifties").
    rf"{_I_AM} in my {_DECADE}(?: or (?:in )?(?:my )?{_DECADE})?",
    # An identity, or a list of them ("I identify as an atheist, agnostic, …"): commas
    # there join the list, so the words that would open a clause are named instead.
    r"i identify (?:myself )?(?:neither )?as (?!.*\b(?:but|so|because|we|should|need|must|"
    r"think|want|believe|and i)\b)[\w\s,/()'’.-]{1,100}",
)
"""Statements whose every word the pattern gives."""
_OPEN = (
    # An attribute with its value ("My household income is above …"), where the writer lives,
    # works, votes or volunteers, what they can explain, what they own ("I own 2 [rental]
    # houses"): the pattern has words of the note's own.
    r"i (?:own|rent|have) (?:\d+|one|two|a|an|no|more than \d+|several) (?:\w+ )?(?:housing units?|"
    r"homes?|houses?|flats?|apartments?|propert(?:y|ies)|cars?|children|kids|dependants|"
    r"dependents|grandchildren)",
    rf"(?:my|mon|ma|mes|mijn|mein|meine) (?:annual |yearly |total |monthly )?(?:{_ATTRIBUTES})"
    r"(?: \w+){0,2}(?: is| was| est| sont| se situe| zijn| ligt| bedraagt| ist| sind| liegt|"
    r" beträgt|:) .+",
    r"(?:i live|i'm living|i’m living|i am living|j['’]habite|je vis|je réside|ik woon|"
    r"ich wohne|ich lebe) (?:in|at|on|outside|à|en|dans|au|aux|hors|op|buiten|auf|im|in der|"
    r"außerhalb) .{1,60}",
    r"i (?:own|rent) (?:real[- ]estate|property|land|a farm|farmland|a home|a house)"
    r"(?: in .{1,40})?",
    rf"{_I_AM} (?:registered to vote|a registered voter|a voter|eligible to vote|"
    r"a member of|employed by|a volunteer)(?: .{1,50})?",
    r"je suis (?:inscrite? sur les listes électorales|électeur|électrice|en âge de voter)"
    r"(?: .{1,50})?",
    r"ik ben (?:stemgerechtigd|kiesgerechtigd)(?: .{1,50})?",
    r"ich bin (?:wahlberechtigt|stimmberechtigt)(?: .{1,50})?",
    r"i (?:volunteer|attend|go to)(?: with| for| at)? .{1,50}",
    r"i (?:access|get|drink) (?:my )?(?:tap ?water|water|drinking water) from .{1,50}",
    r"my (?:primary |main )?(?:residence|home|house) is (?:in|on|at|outside) .{1,50}",
    r"i (?:work|am working) (?:in|for|at|as) .{1,50}",
    r"i (?:voted|did not vote|didn't vote)(?: to| for| against)? .{1,40}",
    r"i consider myself .{1,40}",
    r"je m['’]identifie comme .{1,60}|ik identificeer me als .{1,60}|"
    r"ich identifiziere mich als .{1,60}",
    # Where the writer's family comes from.
    r"(?:my parents|my family|mes parents|ma famille|mijn ouders|mijn familie|meine eltern|"
    r"meine familie) (?:came|come|were born|are|was|is|immigrated|emigrated|moved|sont venus|"
    r"viennent|sont nés|est venue|vient|komen|kwamen|zijn geboren|komt|kwam|kamen|kommen|"
    r"sind|stammen|stammt|kam|kommt) .{1,50}",
    r"i (?:can )?speak .{1,40}",
    r"je travaille (?:dans|à|au|pour|comme|en) .{1,50}",
    r"ik werk (?:in|bij|als|voor) .{1,50}",
    r"ich arbeite (?:in|bei|als|für|im) .{1,50}",
    r"i (?:can|could) (?:\w+ )?explain .{1,60}",
    r"i (?:understand|know) (?:specifically |exactly )?(?:what|how) .{1,60} "
    r"(?:does|do|is|are|means|works|work)",
    r"je (?:peux|sais|pourrais) (?:\w+ )?expliquer .{1,60}",
    r"ik kan .{1,60} uitleggen|ik kan uitleggen .{1,60}",
    r"ich kann .{1,60} erklären|ich kann erklären,? .{1,60}",
)
"""Statements that end in words of the note's own ("I live in …", "My income is …"): a
clause of its own there ("…, il n'y a pas de bus le soir") makes the note an idea."""
_CLOSED_PROFILE = re.compile(rf"(?:{'|'.join(_CLOSED)})", re.IGNORECASE)
_OPEN_PROFILE = re.compile(rf"(?:{'|'.join(_OPEN)})", re.IGNORECASE)
_NOT_A_CLAUSE = re.compile(
    r"(?i:\bbut (?:less|more|not more|under|over|below|above)\b)"
    r"|,\s*(?=(?i:was|wie|wat|hoe)\b|\d|[A-Z])"
)
"""What looks like a clause and is not: a range's other end ("above $50,000 per year but less
than …"), a comma inside a number or before another category of a list ("$150,000", "Black,
Black British"), German and Dutch commas before what is explained ("Ich kann erklären, was …")."""
_TRAILING = re.compile(r"[\s.!…]+$")
_PARENTHESES = re.compile(r"\s*\([^()]{0,40}\)")
"""An aside in brackets ("an urban (not a rural) area") qualifies the attribute."""


def is_profile_statement(text: str) -> bool:
    """Whether the whole ``text`` only describes its writer (an age band, an income, where
    they live, what they do or can explain). Whitespace-normalised text expected."""
    stripped = _PARENTHESES.sub("", _TRAILING.sub("", text.strip()))
    if not stripped or len(stripped) > MAX_CHARS or len(stripped.split()) > MAX_WORDS:
        return False
    if _CLOSED_PROFILE.fullmatch(stripped):
        return True
    if not _OPEN_PROFILE.fullmatch(stripped):
        return False
    # An open tail with a clause of its own says something about the writer's situation.
    return not _CONNECTOR.search(_NOT_A_CLAUSE.sub(" ", _tail(stripped)))


def _tail(text: str) -> str:
    """The words after the pattern's fixed opening (its first three words), where a clause of
    the note's own would be."""
    return " ".join(text.split()[3:])
