"""Long consultation answers: time of a cold run, and the themes' quality, per embedder.

    python benchmarks/long_answers.py                    # 2,000 answers, one cold run
    python benchmarks/long_answers.py --n 500 --embedder use-m3
    python benchmarks/long_answers.py --evaluate use-m3 use-m3+e5-small:300 use-m3+e5-small

Writes ``--n`` answers of about 600 characters (550 to 650) in French, German and English,
composed for this benchmark from the sentence templates below: each answer argues one topic
of a town's consultation (mobility, housing, energy, schools, green spaces, participation) in
four to seven sentences, then sentences on no topic ("Thank you for asking us.") up to its
length, and three in ten end with a sentence on another topic, as real answers stray. No
answer is copied from real data.

Default: one cold run of the whole pipeline through the Prefect flow in a fresh process, on
an empty embedding cache, with the default embedder (or ``--embedder``); prints wall time
(process start to exit), peak resident memory, the time of each step, the embedder the run
used and why, and the numbers of ideas and themes.

``--evaluate SPEC …`` instead scores the answers, labelled with their topic, as
``ideasynth evaluate`` does (``pipeline.evaluate.evaluate_file``: no splitting, so rows and
labels stay aligned), once per embedder, each on an empty cache: NMI_all and AMI at the fine
and the challenges' level, and the seconds, embedding included.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scale import EMBEDDER_ENV, _result, measured  # noqa: E402

PLACES = {
    "fr": ["la gare", "le centre-ville", "le quartier nord", "la zone artisanale", "Valmont"],
    "de": ["am Bahnhof", "in der Altstadt", "im Nordviertel", "im Gewerbegebiet", "in Valmont"],
    "en": ["the station", "the town centre", "the north estate", "the business park", "Valmont"],
}

OPENERS = {
    "fr": ["Je vis ici depuis {n} ans.", "En tant que parent, je voudrais dire ceci.", ""],
    "de": ["Ich wohne seit {n} Jahren hier.", "Als Mutter von zwei Kindern sehe ich das so.", ""],
    "en": ["I have lived here for {n} years.", "As a parent, this is how I see it.", ""],
}

ASIDES = {
    "fr": [
        "C'est un vrai problème pour beaucoup de familles.",
        "J'espère que cette consultation servira à quelque chose cette fois.",
        "Merci de nous demander notre avis.",
        "Mes voisins pensent la même chose.",
        "On en parle depuis des années sans que rien ne change.",
    ],
    "de": [
        "Das ist für viele Familien ein echtes Problem.",
        "Ich hoffe, dass diese Befragung diesmal etwas bewirkt.",
        "Danke, dass Sie uns fragen.",
        "Meine Nachbarn sehen das genauso.",
        "Darüber wird seit Jahren geredet, ohne dass sich etwas ändert.",
    ],
    "en": [
        "This is a real problem for many families.",
        "I hope this consultation leads somewhere this time.",
        "Thank you for asking us.",
        "My neighbours feel the same.",
        "People have talked about this for years and nothing changes.",
    ],
}
"""Sentences on no topic, as answers have them, between an answer's topic sentences and its
end, until it is about 600 characters long."""

TOPICS: dict[str, dict[str, list[str]]] = {
    "mobility": {
        "fr": [
            "Le bus qui dessert {place} ne passe plus après {h} heures.",
            "Il faudrait une piste cyclable séparée de la route vers {place}.",
            "Les voitures roulent trop vite devant l'école, une zone 30 s'impose.",
            "Un abonnement de transport moins cher aiderait les jeunes et les retraités.",
            "Le parking relais près de {place} est plein dès {h} heures.",
            "Les trottoirs sont trop étroits pour les poussettes et les fauteuils.",
            "Un vélo en libre-service éviterait de prendre la voiture pour {n} kilomètres.",
        ],
        "de": [
            "Der Bus {place} fährt nach {h} Uhr nicht mehr.",
            "Wir brauchen einen getrennten Radweg {place}.",
            "Vor der Schule fahren die Autos zu schnell, Tempo 30 wäre nötig.",
            "Ein günstigeres Monatsticket würde Jugendlichen und Rentnern helfen.",
            "Der Parkplatz {place} ist schon um {h} Uhr voll.",
            "Die Gehwege sind für Kinderwagen und Rollstühle zu schmal.",
            "Mit Leihrädern müsste niemand für {n} Kilometer das Auto nehmen.",
        ],
        "en": [
            "The bus to {place} stops running after {h} o'clock.",
            "We need a cycle lane separated from the road to {place}.",
            "Cars drive too fast past the school, a 20 mph limit is needed.",
            "A cheaper travel pass would help young people and pensioners.",
            "The car park near {place} is full by {h} o'clock.",
            "The pavements are too narrow for prams and wheelchairs.",
            "Shared bikes would save a car trip of {n} kilometres.",
        ],
    },
    "housing": {
        "fr": [
            "Les loyers autour de {place} ont augmenté de {n} % en trois ans.",
            "Les jeunes couples ne trouvent plus de logement abordable ici.",
            "Trop de logements restent vides alors que des familles attendent.",
            "Il faut plus de logements sociaux près de {place}.",
            "La rénovation des vieux immeubles devrait être aidée par la commune.",
            "Les locations touristiques retirent des appartements aux habitants.",
            "Un habitat partagé pour les seniors leur permettrait de rester dans le quartier.",
        ],
        "de": [
            "Die Mieten {place} sind in drei Jahren um {n} % gestiegen.",
            "Junge Paare finden hier keine bezahlbare Wohnung mehr.",
            "Zu viele Wohnungen stehen leer, während Familien warten.",
            "Es braucht mehr Sozialwohnungen {place}.",
            "Die Gemeinde sollte die Sanierung alter Häuser fördern.",
            "Ferienwohnungen nehmen den Einwohnern die Wohnungen weg.",
            "Gemeinschaftliches Wohnen für Ältere würde ihnen erlauben, im Viertel zu bleiben.",
        ],
        "en": [
            "Rents around {place} have gone up {n} % in three years.",
            "Young couples can no longer find an affordable home here.",
            "Too many homes stand empty while families are waiting.",
            "We need more social housing near {place}.",
            "The council should help renovate the old buildings.",
            "Holiday lets take flats away from the people who live here.",
            "Shared housing for older people would let them stay in the neighbourhood.",
        ],
    },
    "energy": {
        "fr": [
            "Les toits des bâtiments publics pourraient porter des panneaux solaires.",
            "Une coopérative d'énergie permettrait aux habitants d'investir ensemble.",
            "L'éclairage public reste allumé toute la nuit autour de {place}.",
            "Isoler les écoles ferait baisser la facture de chauffage de {n} %.",
            "Un réseau de chaleur alimenté au bois local serait une bonne idée.",
            "Les ménages modestes ont besoin d'aide pour changer leur chaudière.",
            "Une éolienne citoyenne près de {place} mérite d'être étudiée.",
        ],
        "de": [
            "Auf die Dächer der öffentlichen Gebäude gehören Solaranlagen.",
            "Eine Energiegenossenschaft würde es den Bürgern erlauben, gemeinsam zu investieren.",
            "Die Straßenbeleuchtung {place} brennt die ganze Nacht.",
            "Eine Dämmung der Schulen würde die Heizkosten um {n} % senken.",
            "Ein Wärmenetz mit Holz aus der Region wäre eine gute Idee.",
            "Haushalte mit wenig Geld brauchen Hilfe beim Heizungstausch.",
            "Ein Bürgerwindrad {place} sollte geprüft werden.",
        ],
        "en": [
            "The roofs of public buildings could carry solar panels.",
            "An energy cooperative would let residents invest together.",
            "The street lights around {place} stay on all night.",
            "Insulating the schools would cut the heating bill by {n} %.",
            "A heat network fed with local wood would be a good idea.",
            "Low-income households need help to replace their boilers.",
            "A community wind turbine near {place} deserves a study.",
        ],
    },
    "schools": {
        "fr": [
            "Les classes de l'école près de {place} comptent {n} élèves, c'est trop.",
            "La cantine devrait servir des produits locaux et bio.",
            "Il manque une garderie le mercredi après-midi.",
            "Les enseignants n'ont pas de salle pour travailler ensemble.",
            "La cour de récréation est entièrement goudronnée et brûlante en été.",
            "Un soutien scolaire gratuit aiderait les enfants en difficulté.",
            "Le trajet à pied vers l'école n'est pas sûr le matin.",
        ],
        "de": [
            "Die Klassen der Schule {place} haben {n} Kinder, das ist zu viel.",
            "Die Mensa sollte regionale Bio-Produkte anbieten.",
            "Am Mittwochnachmittag fehlt eine Betreuung.",
            "Die Lehrkräfte haben keinen Raum, um gemeinsam zu arbeiten.",
            "Der Pausenhof ist ganz asphaltiert und im Sommer glühend heiß.",
            "Kostenlose Nachhilfe würde Kindern mit Schwierigkeiten helfen.",
            "Der Schulweg zu Fuß ist am Morgen nicht sicher.",
        ],
        "en": [
            "Classes at the school near {place} have {n} pupils, which is too many.",
            "The canteen should serve local and organic food.",
            "There is no childcare on Wednesday afternoons.",
            "Teachers have no room where they can work together.",
            "The playground is all tarmac and scorching in summer.",
            "Free tutoring would help children who struggle.",
            "Walking to school is not safe in the morning.",
        ],
    },
    "green_spaces": {
        "fr": [
            "Le parc près de {place} manque de bancs et d'ombre.",
            "Planter {n} arbres le long des rues rafraîchirait le quartier.",
            "Des jardins partagés rapprocheraient les voisins.",
            "Les pelouses sont tondues trop souvent, laissons pousser les fleurs.",
            "Il faudrait un espace de jeux pour les enfants à {place}.",
            "Les berges de la rivière pourraient devenir une promenade.",
            "Les chiens manquent d'un espace clos où courir.",
        ],
        "de": [
            "Im Park {place} fehlen Bänke und Schatten.",
            "{n} Bäume entlang der Straßen würden das Viertel abkühlen.",
            "Gemeinschaftsgärten würden die Nachbarn zusammenbringen.",
            "Der Rasen wird zu oft gemäht, lasst die Blumen wachsen.",
            "Es bräuchte einen Spielplatz für Kinder {place}.",
            "Das Flussufer könnte eine Promenade werden.",
            "Für Hunde fehlt eine eingezäunte Auslauffläche.",
        ],
        "en": [
            "The park near {place} lacks benches and shade.",
            "Planting {n} trees along the streets would cool the neighbourhood.",
            "Community gardens would bring neighbours together.",
            "The grass is mown too often, let the flowers grow.",
            "There should be a playground for children at {place}.",
            "The riverbanks could become a promenade.",
            "Dogs need a fenced area where they can run.",
        ],
    },
    "participation": {
        "fr": [
            "Les réunions publiques ont lieu à {h} heures, quand les gens travaillent.",
            "On nous consulte mais on ne voit jamais ce que deviennent nos avis.",
            "Un budget participatif de {n} euros par quartier serait un vrai signal.",
            "Les comptes rendus devraient être publiés en ligne et en plusieurs langues.",
            "Les jeunes ne sont jamais invités aux décisions qui les concernent.",
            "Un conseil de quartier tiré au sort donnerait la parole à d'autres habitants.",
            "La mairie devrait expliquer pourquoi une proposition est refusée.",
        ],
        "de": [
            "Die Bürgerversammlungen finden um {h} Uhr statt, wenn die Leute arbeiten.",
            "Man fragt uns, aber wir erfahren nie, was aus unseren Meinungen wird.",
            "Ein Bürgerhaushalt von {n} Euro pro Viertel wäre ein echtes Zeichen.",
            "Die Protokolle sollten online und in mehreren Sprachen erscheinen.",
            "Jugendliche werden nie zu Entscheidungen eingeladen, die sie betreffen.",
            "Ein ausgeloster Quartiersrat würde anderen Bewohnern eine Stimme geben.",
            "Die Gemeinde sollte erklären, warum ein Vorschlag abgelehnt wird.",
        ],
        "en": [
            "Public meetings are held at {h} o'clock, when people are at work.",
            "We are consulted but never see what becomes of our views.",
            "A participatory budget of {n} euros per neighbourhood would be a real signal.",
            "Minutes should be published online and in several languages.",
            "Young people are never invited to the decisions that concern them.",
            "A neighbourhood council drawn by lot would give other residents a voice.",
            "The town hall should explain why a proposal is turned down.",
        ],
    },
}

LANGUAGES = {"fr": 0.5, "de": 0.3, "en": 0.2}


def _fill(template: str, lang: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(PLACES[lang]), n=rng.randint(3, 40), h=rng.choice((17, 18, 19, 20))
    )


def long_answers(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """``n`` distinct (language, topic, answer) triples, answers of 550 to 650 characters."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    seen: set[str] = set()
    answers: list[tuple[str, str, str]] = []
    while len(answers) < n:
        lang = rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0]
        topic = rng.choice(topics)
        opener = _fill(rng.choice(OPENERS[lang]), lang, rng)
        sentences = [opener] if opener else []
        pool = rng.sample(TOPICS[topic][lang], len(TOPICS[topic][lang]))
        asides = rng.sample(ASIDES[lang], len(ASIDES[lang]))
        stray = rng.random() < 0.3
        while (pool or asides) and len(" ".join(sentences)) < (500 if stray else 560):
            sentences.append(_fill(pool.pop(), lang, rng) if pool else asides.pop())
        if stray:
            other = rng.choice([t for t in topics if t != topic])
            sentences.append(_fill(rng.choice(TOPICS[other][lang]), lang, rng))
        text = " ".join(sentences)
        if not 550 <= len(text) <= 650 or text in seen:  # a few, the last sentence too long
            continue
        seen.add(text)
        answers.append((lang, topic, text))
    return answers


def write_workshop(folder: Path, answers: list[tuple[str, str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "answers.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Note"])
        writer.writerows([text] for _, _, text in answers)


def write_labelled(path: Path, answers: list[tuple[str, str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["uid", "lang", "label", "text", "source"])
        for i, (lang, topic, text) in enumerate(answers):
            writer.writerow([f"answer-{i}", lang, topic, text, "long_answers"])


def child_run(workshop: Path, out: Path) -> None:
    """One cold run through the flow, in this process; prints the manifest's figures."""
    from flows.synthesize import synthesize_workshop
    from pipeline.config import Config

    config = Config()
    if spec := os.environ.get(EMBEDDER_ENV):
        config.embed.model = spec
    result, _ = synthesize_workshop(workshop, config, out)
    manifest = result.manifest
    figures = {
        "ideas": manifest.counts.ideas,
        "themes": len(result.themes),
        "challenges": len(result.broad_themes),
        "embedder": manifest.embedder,
        "embedder_choice": getattr(manifest, "embedder_choice", None),
        **manifest.timings,
    }
    print("RESULT " + json.dumps(figures))


def cold_run(answers: list[tuple[str, str, str]], tmp: Path) -> None:
    workshop = tmp / "long-answers"
    write_workshop(workshop, answers)
    env = {
        **os.environ,
        "IDEASYNTH_CACHE_DIR": str(tmp / "cache"),
        "PREFECT_HOME": str(tmp / "prefect"),
        "PREFECT_LOGGING_LEVEL": "ERROR",
    }
    command = [sys.executable, __file__, "--child-run", str(workshop), str(tmp / "runs")]
    wall, peak, text = measured(command, env)
    figures = _result(text)
    print(f"{len(answers):,} answers, cold run: {wall:.1f} s, peak RSS {peak:,.0f} MB")
    print(f"  embedder {figures.pop('embedder')}")
    if choice := figures.pop("embedder_choice", None):
        print(f"  because  {choice}")
    print(
        f"  {figures.pop('ideas'):,} ideas, {figures.pop('themes')} themes, "
        f"{figures.pop('challenges')} challenges"
    )
    for step, seconds in figures.items():
        print(f"    {step:<12} {seconds:8.1f} s")


def evaluate(answers: list[tuple[str, str, str]], specs: list[str], tmp: Path) -> None:
    from pipeline.config import Config
    from pipeline.evaluate import evaluate_file

    path = tmp / "long_answers.tsv"
    write_labelled(path, answers)
    print(f"{len(answers):,} labelled answers, 6 topics; each embedder on an empty cache")
    print("| embedder | fine NMI_all | AMI | themes | challenges NMI_all | AMI | groups | s |")
    print("|---|---|---|---|---|---|---|---|")
    for k, spec in enumerate(specs):
        config = Config()
        config.embed.model = spec
        started = time.perf_counter()
        result = evaluate_file(path, config, tmp / f"cache-{k}")
        seconds = time.perf_counter() - started
        fine, broad = result.fine, result.challenges
        print(
            f"| `{spec}` | {fine.nmi_all:.3f} | {fine.ami:.3f} | {fine.themes} | "
            f"{broad.nmi_all:.3f} | {broad.ami:.3f} | {broad.themes} | {seconds:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="answers (default 2,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embedder", help="embedder to use instead of the default")
    parser.add_argument("--evaluate", nargs="+", metavar="SPEC", help="score these embedders")
    parser.add_argument("--child-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_run:
        child_run(*args.child_run)
        return
    if args.embedder:
        os.environ[EMBEDDER_ENV] = args.embedder
    answers = long_answers(args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="ideasynth-long-") as name:
        if args.evaluate:
            evaluate(answers, args.evaluate, Path(name))
        else:
            cold_run(answers, Path(name))


if __name__ == "__main__":
    main()
