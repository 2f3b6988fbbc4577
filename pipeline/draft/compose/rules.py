"""What the composing drafter knows of each output language (fr, nl, de, en): how a question
starts and ends, the words that refuse what follows them, those that make a noun phrase a
problem or an abstract thing to guarantee, and the courtesies dropped from a clause.
A language without an entry here is drafted in English, flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.draft.compose.wording import word_list


@dataclass(frozen=True)
class LanguageRules:
    stem: str
    """How the question starts: "Comment pourrions-nous"."""
    end: str
    """How it ends: " ?" in French, "?" elsewhere."""
    conjunction: str
    """What "+" and "&" become: "et"."""
    refuse_first: frozenset[str]
    """Words that make a clause no proposal when it starts with them (negations, "always",
    "same"): "Toujours les mêmes retraités" must not become "mettre en place …"."""
    problem_words: frozenset[str]
    """Lemmas of nouns and adjectives that make a noun phrase a problem to deal with."""
    abstract_words: frozenset[str]
    """Lemmas of nouns that take "guarantee" rather than "set up" (transparency, …)."""
    courtesy: frozenset[str]
    """Trailing words dropped from a clause ("svp", "please")."""


RULES: dict[str, LanguageRules] = {
    "fr": LanguageRules(
        stem="Comment pourrions-nous",
        end=" ?",
        conjunction="et",
        refuse_first=frozenset(
            word_list(
                """
                pas non jamais toujours plus stop trop aucun aucune même mêmes rien ne n' personne
                sans
                """
            )
        ),
        problem_words=frozenset(
            word_list(
                """
                manque absence défaut difficulté problème risque biais discrimination opacité
                dépendance fracture silo silos peur méfiance défiance perte exclusion isolement
                danger lourdeur lenteur inégalité flou opaque insuffisant dérive surcharge
                sur-sollicitation lassitude désintérêt abandon pire bidon nuisance nuisances
                pollution pauvreté gaspillage violence insécurité dangereux nocif néfaste
                chômage embouteillage embouteillages bruit incivilité incivilités vandalisme
                illégal illégale illégaux illégales criminalité
                solitude racisme sexisme harcèlement surpopulation pénurie précarité endettement
                ségrégation sécheresse inondations obésité
                """
            )
        ),
        abstract_words=frozenset(
            word_list(
                """
                transparence traçabilité honnêteté accessibilité protection confidentialité égalité
                sécurité neutralité indépendance continuité cohérence reconnaissance visibilité
                lisibilité
                """
            )
        ),
        courtesy=frozenset({"svp", "stp", "merci"}),
    ),
    "nl": LanguageRules(
        stem="Hoe kunnen we",
        end="?",
        conjunction="en",
        refuse_first=frozenset(
            word_list(
                """
                geen niet nooit altijd steeds zelfde dezelfde hetzelfde stop te niemand niets zonder
                """
            )
        ),
        problem_words=frozenset(
            word_list(
                """
                gebrek afwezigheid tekort risico vooringenomenheid discriminatie afhankelijkheid
                angst wantrouwen verlies uitsluiting probleem gevaar kloof ondoorzichtig vaag
                versnippering schade schadelijk gevaarlijk vervuiling armoede verspilling
                ongelijkheid onveilig overlast werkloosheid dakloosheid criminaliteit lawaai
                zwerfvuil vandalisme eenzaamheid racisme seksisme intimidatie pesten illegaal
                illegale
                overbevolking vertraging vertragingen schulden segregatie droogte verslaving
                """
            )
        ),
        abstract_words=frozenset(),
        courtesy=frozenset({"aub", "a.u.b", "alstublieft", "graag"}),
    ),
    "de": LanguageRules(
        stem="Wie könnten wir",
        end="?",
        conjunction="und",
        refuse_first=frozenset(
            word_list(
                """
                kein keine keinen nicht nie niemals immer stets gleich gleiche gleichen stopp zu
                niemand nichts ohne zuviel zuviele
                """
            )
        ),
        problem_words=frozenset(
            word_list(
                """
                mangel fehlen risiko diskriminierung abhängigkeit angst misstrauen verlust
                ausgrenzung problem gefahr silodenken intransparenz intransparent fehlend verzerrung
                überforderung schaden schädlich gefährlich verschmutzung armut verschwendung
                ungleichheit unsicher belastung arbeitslosigkeit obdachlosigkeit kriminalität
                lärm vandalismus einsamkeit rassismus sexismus belästigung mobbing überfüllung
                illegal illegale illegalen illegaler illegales
                verspätung verspätungen verschuldung dürre überschwemmung stau staus leerstand
                """
            )
        ),
        abstract_words=frozenset(
            word_list(
                """
                transparenz nachvollziehbarkeit rechtssicherheit barrierefreiheit verbindlichkeit
                datenschutz sicherheit
                """
            )
        ),
        courtesy=frozenset({"bitte", "danke"}),
    ),
    "en": LanguageRules(
        stem="How might we",
        end="?",
        conjunction="and",
        refuse_first=frozenset(
            word_list(
                """
                no not never always same too nobody nothing without don't given considering
                regarding concerning despite some remember imagine note notice love like hate
                enjoy
                """
            )
        ),
        problem_words=frozenset(
            word_list(
                """
                lack absence shortage risk bias discrimination opacity dependency dependence silo
                silos fear distrust mistrust loss exclusion problem issue danger tokenism gap opaque
                unchecked biased overload wrong false fake error harm harmful deleterious damage
                damaging dangerous unsafe abuse misuse violence pollution corruption inequality
                poverty congestion unemployment homelessness littering vandalism loneliness
                racism sexism harassment bullying overcrowding delays drought obesity addiction
                segregation neglect illegal crime noise
                """
            )
        ),
        abstract_words=frozenset(
            word_list(
                """
                transparency accountability accessibility traceability honesty protection privacy
                security compensation feedback support recognition
                """
            )
        ),
        courtesy=frozenset({"please", "pls", "plz", "thanks"}),
    ),
}


def stem(language: str) -> str:
    return RULES[language].stem
