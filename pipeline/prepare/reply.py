"""Notes that only answer another note: "Tout à fait d'accord", "+1", "I agree with this".

Why: online consultations (Decidim, Cap Collectif, Polis-style comment threads) export the
replies with the contributions. A reply that only agrees or disagrees carries no idea of its
own; embedded, such replies sit close to one another and to nothing else, so they form a theme
whose heading became "Fait d'accord avec ces propositions" on a real French consultation, and
their words ended up as proposals ("Oui tout le monde s'accorde à le dire"). Like profile
statements (``pipeline.prepare.profile``), they are kept in the output, rejected with a reason
a reviewer can read.

Only a whole short note that is nothing but such an answer counts: "D'accord, et il faut aussi
des bus le soir" says something and stays. Each pattern matches the whole note, in English,
French, Dutch or German.
"""

from __future__ import annotations

import re

MAX_WORDS = 12
_WHOM = r"(?: (?:with|avec|met|mit) [\w'’ .-]{1,40})?"
"""Whom the reply answers: "… d'accord avec ces propositions", "… agree with Sam"."""
_MUCH = (
    r"(?:(?:totally|fully|completely|strongly|absolutely|really|entièrement|tout à fait|"
    r"complètement|totalement|parfaitement|absolument|helemaal|volledig|volkomen|völlig|voll|"
    r"vollkommen|absolut|ganz) )?"
)
_REPLIES = (
    r"\+ ?1+|👍+|same here|me too|moi aussi|ik ook|ich auch|idem|seconded|well said|"
    r"exactly(?: this)?|this|agreed|"
    rf"(?:i )?{_MUCH}(?:agree|disagree){_WHOM}(?: too| as well)?|"
    rf"(?:je suis |je ne suis pas |pas )?{_MUCH}d['’]accord{_WHOM}(?: aussi)?|"
    rf"je partage {_MUCH}(?:ce point de vue|cet avis|votre avis|ton avis|cette idée|"
    r"cette proposition)|"
    r"je suis (?:pour|contre)|"
    rf"(?:ik ben het )?(?:er )?{_MUCH}(?:mee )?(?:eens|oneens){_WHOM}|"
    rf"(?:ich )?stimme (?:dem |da |dir |ihnen )?{_MUCH}zu|dem stimme ich {_MUCH}zu|"
    rf"{_MUCH}(?:einverstanden|richtig)|sehe ich (?:auch |genauso )?so|"
    r"(?:good|great|excellent|bonne|excellente|très bonne|goed|prima|gute|sehr gute) "
    r"(?:idea|point|idée|idee)"
)
_REPLY = re.compile(rf"(?:(?:oui|yes|ja|non|no|nee|nein),? )?(?:{_REPLIES})", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.!…,;:)(]+$")
_LEADING = re.compile(r"^[\s\-–—•*]+")


def is_bare_reply(text: str) -> bool:
    """Whether the whole ``text`` only agrees or disagrees with another note (or thanks,
    seconds, "+1"), with nothing of its own. Whitespace-normalised text expected."""
    stripped = _LEADING.sub("", _TRAILING.sub("", text.strip()))
    if not stripped or len(stripped.split()) > MAX_WORDS:
        return False
    return _REPLY.fullmatch(stripped) is not None
