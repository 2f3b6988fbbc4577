"""Build the bundled sample workshop in ``data/sample/``.

The sample is a *fictional* one-day workshop of a regional public service on citizen
participation: "Atelier participation citoyenne — Région fictive de Valmont", 20 participants
at 5 tables, writing in French, Dutch, German and English. It exists so that ideasynth can be
tried, tested and scored end to end without real (personal) data.

Every note is written inline below, grouped by the theme it was meant to illustrate. The script
spreads the notes over the file formats a real workshop produces (three CSV exports with different
delimiters, encodings and column names, an Excel workbook, Markdown, plain text and a Word
document), then writes ``_intended_themes.csv`` with the intended theme of every note so that a
run can be scored. On purpose the sample also holds notes with several ideas in one cell, exact
and near duplicates written by two tables, and junk entries that must be rejected.

Output is deterministic: running the script again gives byte-identical files (the XLSX/DOCX
core-properties timestamps and the ZIP entry timestamps are fixed). At the end the script reads
every file back with ordinary readers (pandas, openpyxl, python-docx) and checks that the notes
and their counts per theme and language are exactly the intended ones.

Usage::

    python data/build_sample.py            # writes data/sample/ and prints the counts
"""

# ruff: noqa: E501  (note texts and the README template stay one line each, as written)
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample"

WORKSHOP_TITLE = "Atelier participation citoyenne — Région fictive de Valmont"
FIXED_TIME = dt.datetime(2024, 3, 14, 9, 30, 0)
"""Timestamp written into XLSX/DOCX core properties and ZIP entries, so files are stable."""

LANGS = ("fr", "nl", "de", "en")

THEMES = {
    "charter_civic_washing": "a charter against civic washing / participation for show",
    "training_agents": "training public agents in participation, facilitation, active listening",
    "community_of_practice": "a cross-service community of practice (methods, peer exchange)",
    "legal_framework": "a legal framework for participation (rights, binding rules, budgets)",
    "ai_risks": "risks of unchecked AI in public services and participation",
    "reaching_underrepresented": "reaching under-represented citizens",
    "feedback_participants": "feedback to participants, closing the loop",
}

# --------------------------------------------------------------------------------------------
# Where notes go. Each destination code is one file (or one part of a file).
# --------------------------------------------------------------------------------------------

T1 = "table1_postits.csv"
T2 = "table2_postits_fr.csv"
T3 = "tafel3_notities.csv"
XLSX = "swot_matrix.xlsx"
MD = "brainwriting_table4.md"
TXT = "plenary_notes.txt"
DOCX = "transcript_atelier.docx"
LABELS = "_intended_themes.csv"

DEST_FILE = {
    "t1": T1,
    "t2": T2,
    "t3": T3,
    "swot": XLSX,  # sheet "SWOT"
    "bw": XLSX,  # sheet "Brainwriting"
    "md": MD,
    "plen": TXT,
    "docp": DOCX,  # body paragraphs
    "doct": DOCX,  # the table
}
LINE_BASED = {"md", "plen", "docp"}
"""Destinations where a note is one line/paragraph: no newline allowed inside a note."""

# A note without an explicit destination takes the next one in its language's cycle, so each
# file gets a realistic language mix and every theme is spread over the files.
ROUTES = {
    "fr": [
        "t2",
        "swot",
        "t2",
        "plen",
        "t2",
        "docp",
        "t2",
        "t1",
        "t2",
        "swot",
        "plen",
        "t2",
        "doct",
        "t3",
        "t2",
        "swot",
        "plen",
        "t2",
        "docp",
        "t1",
    ],
    "nl": ["t3", "doct", "t3", "swot", "t3", "bw", "t3", "docp", "plen", "t3"],
    "de": ["bw", "md", "bw", "md", "swot", "bw", "md", "plen", "docp", "md"],
    "en": ["t1", "md", "t1", "swot", "plen", "t1", "md", "doct", "swot", "t1"],
}

# The 20 (fictional) participants: first names only, with the language they write in.
TABLES = {
    1: [("Sam", "en"), ("Priya", "en"), ("Tom", "en"), ("Élodie", "fr")],
    2: [("Camille", "fr"), ("Julien", "fr"), ("Nadia", "fr"), ("Mathieu", "fr")],
    3: [("Jeroen", "nl"), ("Sanne", "nl"), ("Wouter", "nl"), ("Fatima", "fr")],
    4: [("Lena", "de"), ("Jonas", "de"), ("Katrin", "de"), ("Mehmet", "en")],
    5: [("Inès", "fr"), ("Pieter", "nl"), ("Anke", "de"), ("Luca", "en")],
}

SWOT_BY_THEME = {
    "charter_civic_washing": ["Menaces", "Faiblesses", "Opportunités"],
    "training_agents": ["Faiblesses", "Opportunités", "Forces"],
    "community_of_practice": ["Opportunités", "Forces", "Faiblesses"],
    "legal_framework": ["Opportunités", "Faiblesses", "Menaces"],
    "ai_risks": ["Menaces", "Menaces", "Faiblesses"],
    "reaching_underrepresented": ["Faiblesses", "Opportunités", "Menaces"],
    "feedback_participants": ["Faiblesses", "Opportunités", "Forces"],
    "": ["Forces"],
}

# --------------------------------------------------------------------------------------------
# The notes, grouped by intended theme: (language, text) or (language, text, destination).
# A destination is given for notes holding several ideas (they need a cell, not a line).
# --------------------------------------------------------------------------------------------

NOTES: dict[str, list[tuple[str, ...]]] = {
    "charter_civic_washing": [
        (
            "fr",
            "Charte anti participation-alibi : on ne consulte pas quand la décision est déjà prise",
        ),
        ("fr", "stop à la concertation de façade"),
        ("fr", "La participation-washing, ça détruit la confiance pour des années"),
        (
            "fr",
            "Engagement écrit des élus : dire clairement ce qui est négociable et ce qui ne l'est pas",
        ),
        ("fr", "charte signée par le DG et les élus, pas juste un logo sur une affiche"),
        ("fr", "Trop souvent on demande l'avis APRÈS le vote du budget…"),
        ("fr", "Définir des critères minimum avant d'appeler une démarche « participative »"),
        ("fr", "label ou contre-label ? qui vérifie que la charte est respectée"),
        ("fr", "Les citoyens ne sont pas dupes, ils sentent quand tout est ficelé d'avance"),
        ("fr", "Annoncer les marges de manœuvre dès le départ, par écrit"),
        (
            "fr",
            "plus de photos « co-construction » pour la com sans vraie co-construction derrière",
        ),
        (
            "fr",
            "Un comité indépendant (avec des habitants) pour contrôler le respect de la charte ?",
        ),
        ("fr", "Transparence sur ce qui a déjà été décidé avant l'atelier"),
        ("fr", "honnêteté plutôt que belle com"),
        (
            "fr",
            "La charte doit prévoir ce qui se passe si on ne la respecte pas, sinon c'est du vent",
        ),
        ("fr", "consultation bidon = pire que pas de consultation du tout"),
        (
            "fr",
            "Afficher le niveau de participation (information, consultation, co-décision) sur "
            "chaque démarche, pour que les gens sachent à quoi s'attendre avant de venir",
        ),
        (
            "fr",
            "- charte courte (1 page max)\n- signée par les élus et la direction\n"
            "- évaluée chaque année avec des habitants",
            "t2",
        ),
        ("nl", "Charter tegen schijnparticipatie"),
        ("nl", "Geen inspraak organiseren als de beslissing al genomen is!!"),
        ("nl", "Eerlijk zeggen waar burgers nog invloed op hebben en waar niet"),
        ("nl", "participatie als vinkje op de checklist → weg ermee"),
        ("nl", "Handvest laten ondertekenen door de schepenen én de top van de administratie"),
        ("nl", "Mensen haken af na één keer schijninspraak"),
        ("nl", "Duidelijke spelregels vooraf: wat ligt nog open?"),
        ("nl", "Bij elk project vermelden op welke trede van de participatieladder we zitten"),
        ("nl", "onafh. ombudsdienst die klachten over schijnparticipatie behandelt"),
        ("nl", "Geen mooie foto's voor de communicatie als er daarna niks mee gebeurt"),
        ("nl", "Het woord participatie-washing gewoon benoemen in het charter zelf"),
        ("nl", "Vertrouwen win je door beloftes na te komen, niet met een folder"),
        ("de", "Charta gegen Alibi-Beteiligung"),
        ("de", "Keine Scheinbeteiligung, wenn eh schon alles entschieden ist"),
        ("de", "Gestaltungsspielraum vorab offenlegen"),
        ("de", "Beteiligung darf kein PR-Instrument sein!"),
        (
            "de",
            "Selbstverpflichtung von Regionalregierung und Verwaltungsspitze, öffentlich unterschrieben",
        ),
        ("de", "Die Leute merken sofort, wenn es nur Show ist"),
        ("de", "Mindeststandards für echte Beteiligung festlegen"),
        ("de", "Wer kontrolliert eigentlich die Einhaltung der Charta?"),
        (
            "de",
            "Feigenblatt-Beteiligung schadet dem Vertrauen langfristig, das holt man so schnell "
            "nicht zurück",
        ),
        ("de", "ehrlich sagen: hier könnt ihr mitentscheiden, hier nicht"),
        ("en", "Charter against participation-washing"),
        ("en", "no consultation theatre when the decision is already made"),
        ("en", "Be upfront about what's actually on the table"),
        ("en", "public pledge signed by the leadership, not just a comms exercise"),
        ("en", "consulted ≠ listened to"),
        ("en", "Tokenism kills trust - ppl don't come back"),
        ("en", "minimum standards before anything gets called co-creation"),
        ("en", "independent check that the charter is respected?"),
        ("en", "Name fake participation for what it is, at least internally"),
        (
            "en",
            "1) publish the room for manoeuvre up front 2) no consultation once the decision "
            "is taken",
            "swot",
        ),
    ],
    "training_agents": [
        ("fr", "Former les agents à l'animation de réunions participatives"),
        ("fr", "écoute active : formation obligatoire pour les agents en contact avec le public"),
        ("fr", "Beaucoup d'agents ont peur des réunions publiques houleuses"),
        ("fr", "Module « gérer les conflits en réunion »"),
        ("fr", "formation facilitation pour les chefs de projet"),
        ("fr", "Apprendre à reformuler sans juger"),
        (
            "fr",
            "Les agents de terrain savent déjà beaucoup de choses, valoriser leur expérience "
            "dans les formations",
        ),
        ("fr", "Formation courte + mise en pratique accompagnée"),
        ("fr", "Coaching par des facilitateurs expérimentés pendant les premiers ateliers"),
        ("fr", "temps de formation reconnu dans le plan de formation annuel"),
        ("fr", "Sensibiliser les managers aussi, pas que les agents"),
        ("fr", "Savoir dire « je ne sais pas, je reviens vers vous »"),
        ("fr", "Se former aux méthodes : world café, forum ouvert, théâtre-forum"),
        ("fr", "e-learning pas suffisant, il faut du présentiel"),
        (
            "fr",
            "Formation à l'écriture en langage clair (FALC) pour les courriers et les invitations",
        ),
        ("fr", "formateurs internes ? réseau de facilitateurs relais"),
        (
            "fr",
            "Posture d'écoute : laisser les gens finir avant de répondre, même quand ils se trompent",
        ),
        ("nl", "Opleiding faciliteren voor ambetnaren"),
        ("nl", "Actief luisteren leren, ook aan het loket"),
        ("nl", "Veel collega's weten niet hoe je een inspraakavond begeleidt"),
        ("nl", "training omgaan met boze burgers"),
        ("nl", "Intervisie na elk participatietraject"),
        ("nl", "Vorming tijdens de werkuren, niet 's avonds"),
        ("nl", "leidinggevenden moeten zelf ook de opleiding volgen"),
        ("nl", "Train-the-trainer traject voor interne procesbegeleiders"),
        ("nl", "Oefenen met rollenspel"),
        ("nl", "Hoe stel je een open vraag? Klinkt simpel, is het niet"),
        ("nl", "basisopleiding participatie voor alle nieuwe medewerkers"),
        ("nl", "Moderatietechnieken leren: timeboxing, samenvatten, parkeerplaats"),
        (
            "nl",
            "- oefenen met rollenspelen\n- feedback van collega's op je begeleiding\n"
            "- opfrissessie na 3 maanden",
            "t3",
        ),
        ("de", "Schulungen in Moderation für Verwaltungsmitarbeitende"),
        ("de", "Aktives Zuhören trainiren"),
        ("de", "Fortbildung Bürgerdialog für alle Projektleitungen"),
        ("de", "Viele Kolleginnen und Kollegen fühlen sich bei Bürgerversammlungen unsicher"),
        ("de", "Deeskalationstraining für hitzige Bürgerversammlungen"),
        ("de", "Moderationskoffer + Schulung dazu"),
        ("de", "Führungskräfte zuerst schulen!"),
        ("de", "Praxisbegleitung statt nur Theorie im Seminarraum"),
        ("de", "Fortbildungszeit muss als Arbeitszeit zählen"),
        ("de", "Haltung vor Methode"),
        ("de", "Moderation üben; Feedback geben lernen; Konflikte aushalten können", "bw"),
        ("en", "Train staff in facilitation, not just project mgmt"),
        ("en", "active listening workshop for frontline staff"),
        ("en", "Shadowing experienced facilitators before running your own session"),
        ("en", "Mandatory basic training in participation for all new hires?"),
        ("en", "How to handle hostile meetings - practical training please"),
        ("en", "budget for external trainers"),
        ("en", "Staff need confidence more than toolkits"),
        ("en", "Plain language writing course"),
        (
            "en",
            "facilitation skills should count as a career skill and be recognised in appraisals",
        ),
    ],
    "community_of_practice": [
        ("fr", "Créer une communauté de pratique participation entre directions"),
        ("fr", "Partager les méthodes qui marchent (et celles qui ratent)"),
        ("fr", "Chaque service réinvente la roue"),
        ("fr", "Boîte à outils commune sur l'intranet"),
        ("fr", "Rencontres trimestrielles entre praticiens de la participation"),
        ("fr", "Mentorat entre services : un agent expérimenté accompagne un collègue qui débute"),
        ("fr", "Annuaire des personnes ressources par direction"),
        ("fr", "Retours d'expérience (RETEX) après chaque démarche"),
        ("fr", "Canal Teams « participation » commun à toutes les directions"),
        (
            "fr",
            "Les services travaillent en silos, même quand ils interviennent sur le même quartier",
        ),
        (
            "fr",
            "Calendrier partagé des concertations pour éviter de sur-solliciter les mêmes habitants",
        ),
        ("fr", "Un café des praticiens une fois par mois"),
        ("fr", "Fiches méthodes rédigées par les agents eux-mêmes"),
        ("fr", "Ouvrir la communauté aux communes et aux associations ?"),
        ("fr", "besoin d'un animateur de la communauté sinon ça s'essouffle"),
        ("fr", "Bibliothèque de cas concrets de la Région"),
        ("fr", "Échanges entre pairs plutôt que formations descendantes"),
        (
            "fr",
            "1) un espace intranet commun 2) des rencontres régulières entre services "
            "3) des fiches méthodes partagées",
            "docp",
        ),
        ("nl", "Lerend netwerk participatie over de diensten heen"),
        ("nl", "Kennisdeling tussen afdelingen"),
        ("nl", "Iedereen doet zijn eigen ding, niemand weet wat er bij de buren loopt"),
        ("nl", "gedeelde toolbox met sjablonen"),
        ("nl", "Intervisiegroep van procesbegeleiders uit verschillende diensten"),
        ("nl", "Jaarlijkse participatiedag voor alle medewerkers"),
        ("nl", "Successen én mislukkingen delen"),
        ("nl", "Een gemeenschappelijke kalender van inspraakmomenten"),
        ("nl", "coördinator nodig die het netwerk trekt"),
        ("nl", "Peer-to-peer leren werkt beter dan een dik handboek"),
        ("nl", "Collega's uit andere diensten uitnodigen bij je traject"),
        ("nl", "Praktijkgemeenschap ook openstellen voor de lokale besturen"),
        ("de", "Ämterübergreifende Praxisgemeinschaft Beteiligung"),
        ("de", "Methodenaustausch zwischen den Abteilungen"),
        ("de", "Jede Abteilung kocht ihr eigenes Süppchen"),
        ("de", "Gemeinsamer Methodenpool im Intranet"),
        ("de", "Regelmäßiger Erfahrungsaustausch, z.B. Mittagstisch"),
        ("de", "Kollegiale Beratung zu laufenden Projekten"),
        ("de", "Wissensmanagement: abgeschlossene Fälle dokumentieren"),
        ("de", "Netzwerk braucht Ressourcen + Koordination"),
        ("de", "Voneinander lernen statt Berater einkaufen"),
        ("de", "Silodenken in der Verwaltung überwinden!"),
        ("en", "Community of practice across departments"),
        ("en", "peer exchange on what works / what flopped"),
        ("en", "Shared toolkit & templates"),
        ("en", "Monthly brown-bag sessions"),
        ("en", "map who does participation where in the org"),
        ("en", "Stop reinventing the wheel in every dept"),
        ("en", "joint calendar so residents aren't over-consulted"),
        ("en", "CoP needs a host + some budget or it dies"),
        ("en", "Buddy system between depts"),
        ("en", "shared drive for methods; monthly meetup; one contact person per dept", "t1"),
    ],
    "legal_framework": [
        ("fr", "Inscrire le droit à être consulté dans un décret régional"),
        ("fr", "Cadre légal pour la participation : obligations minimales"),
        ("fr", "Sans base juridique, la participation dépend de la bonne volonté des élus"),
        ("fr", "Budget participatif garanti par la loi (ex. 1 % du budget d'investissement)"),
        ("fr", "Droit d'initiative citoyenne au niveau régional"),
        ("fr", "Obligation de motiver les décisions prises après consultation"),
        ("fr", "Décret participation : délais minimum de consultation"),
        ("fr", "Rendre certains avis contraignants ?"),
        ("fr", "Clarifier qui est responsable juridiquement"),
        ("fr", "Le cadre actuel est flou, chaque commune fait sa sauce"),
        ("fr", "Pétition au-delà de X signatures = débat obligatoire au parlement régional"),
        ("fr", "Attention à ne pas trop juridiciser, garder de la souplesse pour expérimenter"),
        ("fr", "Protection des données personnelles des participants (RGPD)"),
        ("fr", "Droit de recours si la consultation prévue n'a pas eu lieu"),
        ("fr", "Ligne budgétaire dédiée à la participation dans chaque direction"),
        ("fr", "Panel citoyen tiré au sort prévu par décret"),
        ("fr", "Statut et défraiement des participants (temps, transport)"),
        ("nl", "Een decreet burgerparticipatie"),
        ("nl", "Recht op inspraak wettelijk verankeren"),
        ("nl", "Bindende regels: wanneer MOET er geconsulteerd worden?"),
        ("nl", "Participatiebudget wettelijk vastleggen"),
        ("nl", "Adviezen motiveren: waarom wel/niet gevolgd"),
        ("nl", "Verplichte termijnen voor openbaar onderzoek"),
        ("nl", "Burgerinitiatief met wettelijke drempel"),
        ("nl", "juridisch kader is nu te vaag"),
        ("nl", "Loting voor burgerpanels in de regelgeving opnemen"),
        ("nl", "Vergoeding voor deelnemers regelen (vervoer, oppas)"),
        ("nl", "niet alles dichtregelen, ruimte voor experiment laten"),
        ("nl", "GDPR-regels voor online inspraakplatforms"),
        (
            "nl",
            "1) een participatiedecreet 2) een eigen budget per dienst 3) wettelijke termijnen "
            "voor inspraak",
            "plen",
        ),
        ("de", "Gesetzlicher Rahmen für Bürgerbeteiligung"),
        ("de", "Recht auf Anhörung verbindlich festschreiben"),
        ("de", "Beteiligungssatzung für die Region"),
        ("de", "Verbindliche Fristen für Stellungnahmen"),
        ("de", "Budget für Beteiligung gesetzlich absichern"),
        ("de", "Bürgerräte per Dekret verankern"),
        ("de", "Begründungspflicht: was wurde übernommen, was nicht"),
        ("de", "Rechtssicherheit für die Verwaltung schaffen"),
        ("de", "Verbindlichkeit vs. Flexibilität abwägen"),
        ("de", "Datenschutz bei Online-Beteiligung klären"),
        (
            "de",
            "- Anhörungsrecht im Gesetz\n- Begründungspflicht für Entscheidungen\n"
            "- eigenes Beteiligungsbudget",
            "bw",
        ),
        ("en", "Legal right to be consulted on major projects"),
        ("en", "binding rules, not guidelines"),
        ("en", "A participation decree with minimum standards"),
        ("en", "ring-fenced budget for participation"),
        ("en", "Citizens' initiative threshold in regional law"),
        ("en", "duty to give reasons when advice is ignored"),
        ("en", "Legal basis for citizens' assemblies"),
        ("en", "Clear deadlines for public inquiries"),
        ("en", "compensation for participants' time written into the rules"),
    ],
    "ai_risks": [
        ("fr", "Algorithmes opaques dans l'attribution des aides = danger"),
        ("fr", "Qui contrôle les décisions automatisées ?"),
        ("fr", "Biais des IA contre certains quartiers ou publics"),
        ("fr", "Un chatbot à la place d'un humain au guichet : non !"),
        ("fr", "Droit de savoir quand une décision est prise par un algorithme"),
        ("fr", "L'IA pour résumer les contributions citoyennes… mais qui vérifie ?"),
        ("fr", "Registre public des algorithmes utilisés par la Région"),
        ("fr", "Risque de perdre la nuance des avis si on laisse l'IA trier"),
        ("fr", "Toujours un recours humain possible"),
        ("fr", "Les données des participants utilisées pour entraîner des modèles ?"),
        ("fr", "Fournisseurs privés, boîte noire, dépendance"),
        ("fr", "audit indépendant des algos avant mise en service"),
        ("fr", "IA générative qui invente des réponses sur les démarches administratives"),
        ("fr", "Les chatbots excluent ceux qui ne maîtrisent pas l'écrit"),
        ("fr", "transparance sur les critères du scoring"),
        ("fr", "Pas d'IA pour décider qui a droit à quoi sans contrôle humain"),
        ("fr", "Former les agents aux limites de l'IA, ils font trop confiance à l'outil"),
        (
            "fr",
            "algorithmes opaques ; biais contre certains publics ; pas de recours humain",
            "swot",
        ),
        ("nl", "Ondoorzichtige algoritmes bij het toekennen van premies en uitkeringen"),
        ("nl", "Denk aan de toeslagenaffaire!"),
        ("nl", "Geautomatiseerde beslissingen altijd laten nakijken door een mens"),
        ("nl", "Algoritmeregister voor de regio"),
        ("nl", "Vooringenomenheid (bias) in data"),
        ("nl", "Chatbot geeft foute info over premies"),
        (
            "nl",
            "AI om inspraakreacties samen te vatten: risico dat minderheidsstandpunten verdwijnen",
        ),
        ("nl", "Wie is verantwoordelijk als het algoritme fout zit?"),
        ("nl", "Geen AI zonder impactanalyse op grondrechten"),
        ("nl", "Burgers moeten weten dat ze met een bot praten"),
        ("nl", "Afhankelijkheid van grote techbedrijven"),
        ("nl", "menselijke controle = niet onderhandelbaar"),
        ("de", "Intransparente Algorithmen in der Verwaltung"),
        ("de", "Automatisierte Bescheide ohne menschliche Prüfung – nein"),
        ("de", "Diskriminierung durch verzerrte Trainingsdaten"),
        ("de", "KI-Chatbots ersetzen keine persönliche Beratung"),
        ("de", "Kennzeichnungspflicht für KI-generierte Antworten"),
        ("de", "Algorithmen-Register öffentlich machen"),
        ("de", "KI-Auswertung von Beteiligungsbeiträgen kritisch prüfen"),
        ("de", "Wer haftet bei Fehlentscheidungen der KI?"),
        ("de", "Datenschutz: Beiträge nicht einfach an US-Anbieter schicken"),
        ("de", "Folgenabschätzung vor jedem KI-Einsatz"),
        ("en", "Opaque algorithms deciding who gets support"),
        ("en", "automated decisions need a human in the loop"),
        ("en", "AI bias against minorities & poorer areas"),
        ("en", "Chatbots giving wrong answers w/ total confidence"),
        ("en", "Right to an explanation"),
        ("en", "Who audits the vendor's model?"),
        ("en", "Don't let AI summarise citizen input unchecked"),
        ("en", "algorithm register, public"),
        ("en", "Risk: AI used to fake engagement (bots, synthetic comments)"),
        (
            "en",
            "- no black-box scoring\n- human review of every automated refusal\n"
            "- public algorithm register",
            "t1",
        ),
    ],
    "reaching_underrepresented": [
        ("fr", "Aller vers les jeunes là où ils sont : lycées, clubs de sport, réseaux sociaux"),
        ("fr", "Toujours les mêmes retraités aux réunions publiques"),
        ("fr", "Traduire les invitations dans les langues parlées dans les quartiers"),
        ("fr", "Faciliter la participation des personnes en situation de handicap"),
        ("fr", "Réunions le soir = impossible pour les parents solos"),
        ("fr", "Garde d'enfants pendant les ateliers"),
        ("fr", "Supports en FALC pour les personnes peu lettrées"),
        ("fr", "Passer par les associations de migrants"),
        ("fr", "Zones rurales : pas de bus pour venir à la réunion au chef-lieu"),
        ("fr", "Ateliers itinérants dans les villages"),
        ("fr", "Tirage au sort pour diversifier les profils"),
        ("fr", "Fracture numérique : pas tout en ligne svp"),
        ("fr", "Les personnes âgées isolées, comment on les touche ?"),
        ("fr", "Indemniser la participation des publics précaires"),
        ("fr", "Lieux accessibles PMR + boucle magnétique"),
        ("fr", "médiateurs de quartier comme relais"),
        (
            "fr",
            "Porte-à-porte dans les quartiers prioritaires, avec des habitants relais qui "
            "connaissent les gens et parlent leur langue",
        ),
        ("fr", "- crèche sur place\n- horaires variés (midi, samedi)\n- transport remboursé", "t2"),
        ("nl", "Jongeren bereiken via school en jeugdhuizen"),
        ("nl", "Altijd dezelfde mondige burgers aan tafel"),
        ("nl", "Nieuwkomers betrekken via taalcursussen en inburgering"),
        ("nl", "Eenvoudige taal in alle uitnodigingen"),
        ("nl", "Participatie op locatie: markt, bibliotheek, buurthuis"),
        ("nl", "Laaggeletterden haken af bij lange formulieren"),
        ("nl", "Ouderen zonder internet niet vergeten"),
        ("nl", "Toegankelijkheid voor rolstoelgebruikers"),
        ("nl", "platteland: mobiele inspraakbus die langs de dorpen rijdt"),
        ("nl", "Sleutelfiguren uit gemeenschappen inschakelen"),
        ("nl", "Vergaderen op zaterdagvoormiddag ipv doordeweeks 's avonds"),
        ("nl", "Loting + persoonlijke uitnodiging = diverser publiek"),
        ("de", "Jugendliche direkt ansprechen, z.B. über Schulen"),
        ("de", "Aufsuchende Beteiligung in den Stadtteilen"),
        ("de", "Migrantenorganisationen als Brücke nutzen"),
        ("de", "Leichte Sprache für alle Einladungen"),
        ("de", "Barrierefreie Veranstaltungsorte, auch mit Gebärdensprache"),
        ("de", "Ältere Menschen ohne Internet erreichen"),
        ("de", "ländlicher Raum: Mobilität ist das Problem"),
        ("de", "Kinderbetreuung während der Termine anbieten"),
        ("de", "Zufallsauswahl für mehr Vielfalt"),
        ("de", "immer nur die üblichen Verdächtigen"),
        (
            "de",
            "1) Jugendliche über Schulen erreichen 2) über Sportvereine 3) in Jugendzentren "
            "präsent sein",
            "md",
        ),
        ("en", "Reach young people where they are (schools, sport clubs, TikTok?)"),
        ("en", "Same usual suspects at every meeting"),
        ("en", "translate invites into community languages"),
        ("en", "Easy-read materials for low literacy"),
        ("en", "Accesible venues + sign language interpreters"),
        ("en", "Rural areas: bring the meeting to the village"),
        ("en", "pay people for their time, esp. low income"),
        ("en", "Work with trusted local orgs"),
        ("en", "Elderly & offline ppl - phone and paper options"),
    ],
    "feedback_participants": [
        ("fr", "Dire aux participants ce qu'on a fait de leurs idées"),
        ("fr", "Pas de retour = pas de deuxième participation"),
        ("fr", "Boucler la boucle : compte-rendu envoyé à tous sous 1 mois"),
        ("fr", "Tableau de suivi public des propositions (retenue / rejetée / pourquoi)"),
        ("fr", "Expliquer pourquoi une idée n'a pas été retenue"),
        ("fr", "Réunion de restitution quelques mois après"),
        ("fr", "Les gens ont participé et n'ont jamais eu de nouvelles"),
        ("fr", "Newsletter de suivi du projet"),
        ("fr", "Traçabilité : de l'idée à la décision"),
        ("fr", "Retour aussi aux agents qui ont animé"),
        ("fr", "Courrier personnel de remerciement + résultat"),
        ("fr", "Plateforme en ligne avec le statut de chaque contribution"),
        ("fr", "« Vous avez dit, nous avons fait »"),
        ("fr", "Rendre visible l'impact sur le terrain (photos, chiffres)"),
        ("fr", "Un référent suivi par démarche"),
        ("fr", "Délais de retour annoncés dès le début"),
        (
            "fr",
            "Retour en plusieurs formats (papier, SMS, réunion) parce que tout le monde ne lit "
            "pas ses mails, surtout les personnes qui ont participé par téléphone",
        ),
        ("nl", "Terugkoppeling naar deelnemers: wat is er met hun input gebeurd?"),
        ("nl", "Nooit meer iets van gehoord na de inspraakavond"),
        ("nl", "Publieke opvolgingstabel per voorstel"),
        ("nl", "Ook uitleggen waarom iets NIET doorgaat"),
        ("nl", "Terugkommoment na 6 maanden"),
        ("nl", "De lus sluiten!"),
        ("nl", "Nieuwsbrief met stand van zaken"),
        ("nl", '"Jullie zeiden, wij deden"'),
        ("nl", "Persoonlijke mail aan iedereen die meedeed"),
        ("nl", "Opvolging koppelen aan een vaste contactpersoon"),
        ("nl", "Tijdslijn communiceren: wanneer hoor je iets"),
        ("nl", "Resultaten zichtbaar maken in de wijk zelf"),
        (
            "nl",
            "- mail na 1 maand\n- infoavond na 6 maanden\n- online stand van zaken per voorstel",
            "doct",
        ),
        ("de", "Rückmeldung an die Teilnehmenden, was aus ihren Ideen wurde"),
        ("de", "Ohne Feedback kommt keiner wieder"),
        ("de", "Öffentliche Übersicht: umgesetzt / abgelehnt / in Prüfung"),
        ("de", "Ablehnungen immer begründen"),
        ("de", "Ergebnisveranstaltung nach einigen Monaten"),
        ("de", "Regelmäßiger Newsletter zum Projektstand"),
        ("de", "Den Kreis schließen"),
        ("de", "Nachvollziehbarkeit von der Idee bis zum Beschluss"),
        ("de", "Ansprechperson für Rückfragen nennen"),
        ("de", "„Ihr habt gesagt – wir haben gemacht“"),
        ("en", "Tell people what happened to their input"),
        ("en", "close the feedback loop!!"),
        ("en", "Public tracker: accepted / rejected / why"),
        ("en", "Explain the no's too"),
        ("en", "follow-up meeting 6 months later"),
        ("en", "People gave up their evening and never heard back"),
        ("en", '"You said, we did" page'),
        ("en", "Timeline for feedback announced upfront"),
        ("en", "feedback to staff too, not only citizens"),
        (
            "en",
            "1) thank-you email 2) summary of what we heard 3) what happens next and when",
            "md",
        ),
    ],
}

# The same note written again by another table: (text of a note above, destination).
EXACT_DUPLICATES = [
    ("stop à la concertation de façade", "docp"),
    ("Former les agents à l'animation de réunions participatives", "doct"),
    ("Chaque service réinvente la roue", "t3"),
    ("Lerend netwerk participatie over de diensten heen", "plen"),
    ("Toujours un recours humain possible", "docp"),
    ("Same usual suspects at every meeting", "t1"),
    ("Tell people what happened to their input", "doct"),
    ("Ohne Feedback kommt keiner wieder", "swot"),
]

# Almost the same note from another table: (text of a note above, variant, destination).
NEAR_DUPLICATES = [
    (
        "Geen inspraak organiseren als de beslissing al genomen is!!",
        "Geen inspraak organiseren als de beslissing al genomen is.",
        "t3",
    ),
    (
        "Créer une communauté de pratique participation entre directions",
        "Créer une communauté de pratiques participation entre directions",
        "docp",
    ),
    (
        "Inscrire le droit à être consulté dans un décret régional",
        "inscrire le droit à être consulté dans un décret régional.",
        "plen",
    ),
    (
        "Opaque algorithms deciding who gets support",
        "opaque algorithms deciding who gets suport",
        "t1",
    ),
    (
        "Jugendliche direkt ansprechen, z.B. über Schulen",
        "Jugendliche direkt ansprechen z.B. über Schulen",
        "md",
    ),
    (
        "Dire aux participants ce qu'on a fait de leurs idées",
        "dire aux participants ce qu'on a fait de leurs idées !",
        "swot",
    ),
]

# Entries that carry no idea and must be rejected (theme "" in the labels file).
JUNK = [
    ("", "t1"),
    ("???", "t2"),
    ("ok", "t3"),
    ("-", "bw"),
    ("…", "plen"),
    ("👍👍", "md"),
    ("x", "doct"),
    ("test", "swot"),
]


# --------------------------------------------------------------------------------------------
# Building the records
# --------------------------------------------------------------------------------------------


@dataclass
class Record:
    dest: str
    text: str
    theme: str  # "" for junk
    lang: str  # "" for junk
    kind: str  # note | multi | exact_dup | near_dup | junk

    @property
    def source(self) -> str:
        return DEST_FILE[self.dest]


def _is_multi(text: str) -> bool:
    return "\n" in text or ";" in text or bool(re.match(r"1\)", text))


def build_records() -> list[Record]:
    records: list[Record] = []
    position = Counter[str]()
    by_text: dict[str, Record] = {}
    for theme, notes in NOTES.items():
        for item in notes:
            lang, text = item[0], item[1]
            if len(item) > 2:
                dest = item[2]
            else:
                route = ROUTES[lang]
                dest = route[position[lang] % len(route)]
                position[lang] += 1
            rec = Record(dest, text, theme, lang, "multi" if _is_multi(text) else "note")
            assert text not in by_text, f"note written twice in NOTES: {text!r}"
            by_text[text] = rec
            records.append(rec)
    for text, dest in EXACT_DUPLICATES:
        orig = by_text[text]
        assert DEST_FILE[dest] != orig.source, f"duplicate lands in its own file: {text!r}"
        records.append(Record(dest, text, orig.theme, orig.lang, "exact_dup"))
    for text, variant, dest in NEAR_DUPLICATES:
        orig = by_text[text]
        assert DEST_FILE[dest] != orig.source, f"near duplicate lands in its own file: {text!r}"
        records.append(Record(dest, variant, orig.theme, orig.lang, "near_dup"))
    for text, dest in JUNK:
        records.append(Record(dest, text, "", "", "junk"))
    _validate(records)
    return records


def _validate(records: list[Record]) -> None:
    keys = Counter((r.source, r.text) for r in records)
    assert max(keys.values()) == 1, "the same text twice in one file"
    for r in records:
        if r.kind == "junk":
            continue
        words = len(r.text.split())
        assert 3 <= words <= 40, f"{words} words: {r.text!r}"
        if r.dest in LINE_BASED:
            assert "\n" not in r.text, f"multi-line note on a line-based destination: {r.text!r}"
        if r.dest == "md":
            assert not re.search(r"[*_#`]", r.text), f"markdown syntax in a note: {r.text!r}"
    for theme in THEMES:
        langs = Counter(r.lang for r in records if r.theme == theme)
        assert set(langs) == set(LANGS), f"{theme}: languages {dict(langs)}"
        assert 35 <= sum(langs.values()) <= 60, f"{theme}: {sum(langs.values())} notes"


def _order(recs: list[Record]) -> list[Record]:
    """A stable, shuffled-looking order (as in a real export), independent of Python's hash."""
    return sorted(recs, key=lambda r: hashlib.sha1(f"{r.dest}|{r.text}".encode()).hexdigest())


def _people(table: int, lang: str) -> list[str]:
    names = [name for name, person_lang in TABLES[table] if person_lang == lang]
    return names or [name for name, _ in TABLES[table]]


class _Authors:
    """Hands out a table's participants in turn, preferring those writing in the note's language."""

    def __init__(self) -> None:
        self.turn = Counter[tuple[int, str]]()

    def __call__(self, table: int, lang: str) -> str:
        names = _people(table, lang)
        name = names[self.turn[table, lang] % len(names)]
        self.turn[table, lang] += 1
        return name


# --------------------------------------------------------------------------------------------
# Writers, one per format. Each returns the notes it wrote, in file order.
# --------------------------------------------------------------------------------------------


def _write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str,
    encoding: str,
    newline: str,
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))  # strict: fails on an unencodable note


def write_post_it_csvs(by_dest: dict[str, list[Record]]) -> dict[str, list[Record]]:
    authors = _Authors()
    written = {}
    specs = [
        # dest, table, header, delimiter, encoding, newline
        ("t1", 1, ["Note", "Author", "Table", "Exercise", "Day"], ",", "utf-8", "\n"),
        ("t2", 2, ["Idée", "Auteur", "Table", "Exercice", "Jour"], ";", "cp1252", "\r\n"),
        ("t3", 3, ["Tekst", "Auteur", "Tafel", "Oefening", "Dag"], "\t", "utf-8-sig", "\r\n"),
    ]
    for dest, table, header, delimiter, encoding, newline in specs:
        recs = _order(by_dest[dest])
        rows = [[r.text, authors(table, r.lang), str(table), "Post-its", "1"] for r in recs]
        _write_csv(
            OUT / DEST_FILE[dest],
            header,
            rows,
            delimiter=delimiter,
            encoding=encoding,
            newline=newline,
        )
        written[DEST_FILE[dest]] = recs
    return written


def write_xlsx(by_dest: dict[str, list[Record]]) -> list[Record]:
    authors = _Authors()
    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    swot = wb.active
    swot.title = "SWOT"
    swot.append(["Catégorie", "Contenu", "Table", "Pseudonyme"])
    swot_tables = {"fr": [2, 5, 1, 3], "nl": [3, 5], "de": [4, 5], "en": [1, 4, 5], "": [2]}
    swot_turn = Counter[str]()
    theme_turn = Counter[str]()
    swot_rows = []
    for r in _order(by_dest["swot"]):
        tables = swot_tables[r.lang]
        table = tables[swot_turn[r.lang] % len(tables)]
        swot_turn[r.lang] += 1
        cats = SWOT_BY_THEME[r.theme]
        cat = cats[theme_turn[r.theme] % len(cats)]
        theme_turn[r.theme] += 1
        swot_rows.append((cat, r, table))
    order = ["Forces", "Faiblesses", "Opportunités", "Menaces"]
    swot_rows.sort(key=lambda row: order.index(row[0]))  # stable: keeps the hashed order inside
    for cat, r, table in swot_rows:
        swot.append([cat, r.text, table, authors(table, r.lang)])

    bw = wb.create_sheet("Brainwriting")
    bw.append(["Notiz", "Gruppe", "Runde"])
    bw_recs = _order(by_dest["bw"])
    bw_rows = []
    for i, r in enumerate(bw_recs):
        group = 4 if r.lang in ("de", "") else 5
        bw_rows.append((i % 3 + 1, r, group))
    bw_rows.sort(key=lambda row: row[0])
    for rnd, r, group in bw_rows:
        bw.append([r.text, group, rnd])

    for ws, widths in ((swot, [14, 70, 8, 14]), (bw, [70, 9, 8])):
        for cell in ws[1]:
            cell.font = bold
        for col, width in zip("ABCD", widths, strict=False):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
    wb.properties.creator = "ideasynth sample builder"
    wb.properties.title = WORKSHOP_TITLE
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path = OUT / XLSX
    wb.save(path)
    _stabilise_zip(path)
    return [r for _, r, _ in swot_rows] + [r for _, r, _ in bw_rows]


def write_markdown(by_dest: dict[str, list[Record]]) -> list[Record]:
    recs = _order(by_dest["md"])
    third = -(-len(recs) // 3)
    rounds = [recs[:third], recs[third : 2 * third], recs[2 * third :]]
    lines = ["# Brainwriting — Tisch 4 / Table 4", ""]
    written = []
    for n, items in enumerate(rounds, start=1):
        lines += [f"## Runde {n}", ""]
        for i, r in enumerate(items):
            if n == 3 and i >= len(items) - 3:  # the round ends with a short numbered "top 3"
                if i == len(items) - 3:
                    lines.append("")
                marker = f"{i - (len(items) - 3) + 1}."
            else:
                marker = "*" if n == 2 else "-"
            lines.append(f"{marker} {r.text}")
            written.append(r)
        lines.append("")
    (OUT / MD).write_text("\n".join(lines), encoding="utf-8")
    return written


def write_plenary(by_dest: dict[str, list[Record]]) -> list[Record]:
    """Plenary report-back: one note per line, grouped by topic, blank line between groups."""
    recs = by_dest["plen"]  # kept in theme order: that is how the plenary was reported
    groups: list[list[Record]] = []
    for theme in THEMES:
        group = [r for r in recs if r.theme == theme]
        if group:
            groups.append(group)
    groups[-1] += [r for r in recs if r.theme == ""]
    text = "\n\n".join("\n".join(r.text for r in g) for g in groups) + "\n"
    (OUT / TXT).write_text(text, encoding="utf-8")
    return [r for g in groups for r in g]


def write_docx(by_dest: dict[str, list[Record]]) -> list[Record]:
    authors = _Authors()
    document = docx.Document()
    document.add_heading(WORKSHOP_TITLE, level=0)  # style "Title"
    paragraphs = _order(by_dest["docp"])
    for r in paragraphs:
        document.add_paragraph(r.text)
    rows = _order(by_dest["doct"])
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ["Idee", "Tafel", "Auteur"], strict=True):
        cell.text = title
    for r in rows:
        cells = table.add_row().cells
        cells[0].text = r.text
        cells[1].text = "5"
        cells[2].text = authors(5, r.lang)
    props = document.core_properties
    props.author = "ideasynth sample builder"
    props.last_modified_by = "ideasynth sample builder"
    props.title = WORKSHOP_TITLE
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    path = OUT / DOCX
    document.save(path)
    _stabilise_zip(path)
    return paragraphs + rows


def _stabilise_zip(path: Path) -> None:
    """Rewrite an Office file with fixed entry timestamps and core-properties dates.

    openpyxl stamps ``dcterms:modified`` with the current time on save, and ZIP entries carry
    the time of writing; both are replaced so the file is byte-identical on every run.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def write_labels(written: dict[str, list[Record]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["source", "text", "theme"])
    for source, recs in written.items():
        for r in recs:
            writer.writerow([source, r.text, r.theme])
    (OUT / LABELS).write_text(buf.getvalue(), encoding="utf-8")


def write_config() -> None:
    (OUT / "ideasynth.toml").write_text(
        f'workshop = "valmont-participation"\nlabels = "{LABELS}"\n\n[draft]\nlanguage = "fr"\n',
        encoding="utf-8",
    )


# --------------------------------------------------------------------------------------------
# Counts, README, and the read-back check
# --------------------------------------------------------------------------------------------


def count_table(records: list[Record]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = {theme: Counter() for theme in THEMES}
    table["(junk)"] = Counter()
    for r in records:
        table[r.theme or "(junk)"][r.lang or "-"] += 1
    return table


def format_table(table: dict[str, Counter[str]]) -> str:
    cols = [*LANGS, "-"]
    lines = [f"{'theme':28}" + "".join(f"{c:>6}" for c in cols) + f"{'total':>7}"]
    totals = Counter[str]()
    for theme, counts in table.items():
        totals.update(counts)
        lines.append(
            f"{theme:28}" + "".join(f"{counts[c]:>6}" for c in cols) + f"{sum(counts.values()):>7}"
        )
    lines.append(
        f"{'total':28}" + "".join(f"{totals[c]:>6}" for c in cols) + f"{sum(totals.values()):>7}"
    )
    return "\n".join(lines)


def write_readme(records: list[Record]) -> None:
    kinds = Counter(r.kind for r in records)
    langs = Counter(r.lang for r in records if r.lang)
    themes = Counter(r.theme for r in records if r.theme)
    ideas = len(records) - kinds["junk"]
    lang_line = ", ".join(
        f"{lang} {langs[lang]} ({100 * langs[lang] / ideas:.0f} %)" for lang in LANGS
    )
    theme_line = ", ".join(f"`{t}` {themes[t]}" for t in THEMES)
    text = f"""# Sample workshop: {WORKSHOP_TITLE}

Fictional one-day workshop of a regional public service on citizen participation: 20 participants at 5 tables, notes in French, Dutch, German and English. All names and notes are invented. Generated by `../build_sample.py`: edit the script, not these files.

- `table1_postits.csv`: comma, UTF-8; columns `Note,Author,Table,Exercise,Day`.
- `table2_postits_fr.csv`: semicolon, cp1252 (French Excel); columns `Idée;Auteur;Table;Exercice;Jour`.
- `tafel3_notities.csv`: tab, UTF-8 with BOM; columns `Tekst`, `Auteur`, `Tafel`, `Oefening`, `Dag`.
- `swot_matrix.xlsx`: sheet `SWOT` (`Catégorie`, `Contenu`, `Table`, `Pseudonyme`) and sheet `Brainwriting` (`Notiz`, `Gruppe`, `Runde`).
- `brainwriting_table4.md`: one note per bullet under a heading per round; `plenary_notes.txt`: one note per line.
- `transcript_atelier.docx`: a title, one note per paragraph, and a table `Idee | Tafel | Auteur`.
- `_intended_themes.csv` (`source,text,theme`; ignored by ingest): the intended theme of every note, "" for junk. `ideasynth.toml`: the config.

{len(records)} entries: {kinds["note"] + kinds["multi"]} distinct notes ({kinds["multi"]} holding several ideas of one theme), {kinds["exact_dup"]} exact and {kinds["near_dup"]} near duplicates, {kinds["junk"]} junk entries to be rejected.
Languages (junk excluded): {lang_line}.
Themes: {theme_line}.
"""
    (OUT / "README.md").write_text(text, encoding="utf-8")


def read_back() -> list[tuple[str, str]]:
    """Read every sample file with ordinary readers, returning (source, text) in file order."""
    found: list[tuple[str, str]] = []

    def from_csv(name: str, sep: str, encoding: str, column: str) -> None:
        frame = pd.read_csv(
            OUT / name, sep=sep, encoding=encoding, dtype=str, keep_default_na=False
        )
        found.extend((name, text) for text in frame[column])

    raw_t2 = (OUT / T2).read_bytes()
    try:
        raw_t2.decode("utf-8")
        raise AssertionError(f"{T2} should be cp1252, not UTF-8")
    except UnicodeDecodeError:
        pass
    assert (OUT / T3).read_bytes().startswith(b"\xef\xbb\xbf"), f"{T3} lacks its BOM"
    from_csv(T1, ",", "utf-8", "Note")
    from_csv(T2, ";", "cp1252", "Idée")
    from_csv(T3, "\t", "utf-8-sig", "Tekst")

    wb = openpyxl.load_workbook(OUT / XLSX, read_only=True)
    assert wb.sheetnames == ["SWOT", "Brainwriting"]
    for sheet, column in (("SWOT", "Contenu"), ("Brainwriting", "Notiz")):
        rows = list(wb[sheet].iter_rows(values_only=True))
        idx = rows[0].index(column)
        found.extend((XLSX, "" if row[idx] is None else str(row[idx])) for row in rows[1:])
    wb.close()

    for line in (OUT / MD).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(?:[-*]|\d+\.) (.*)$", line)
        if m:
            found.append((MD, m.group(1)))

    for line in (OUT / TXT).read_text(encoding="utf-8").splitlines():
        if line.strip():
            found.append((TXT, line))

    document = docx.Document(str(OUT / DOCX))
    for p in document.paragraphs:
        if p.style.name != "Title" and p.text:
            found.append((DOCX, p.text))
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Idee", "Tafel", "Auteur"]
    found.extend((DOCX, row.cells[0].text) for row in table.rows[1:])
    return found


def check(records: list[Record]) -> dict[str, Counter[str]]:
    intended = count_table(records)
    lang_of = {}
    for theme, notes in NOTES.items():
        for item in notes:
            lang_of[item[1]] = (theme, item[0])
    for orig, variant, _ in NEAR_DUPLICATES:
        lang_of[variant] = lang_of[orig]

    found = read_back()
    labels = pd.read_csv(OUT / LABELS, dtype=str, keep_default_na=False)
    assert list(labels.columns) == ["source", "text", "theme"]
    label_pairs = list(zip(labels["source"], labels["text"], strict=True))
    assert Counter(found) == Counter(label_pairs), (
        "files and labels disagree: "
        f"{(Counter(found) - Counter(label_pairs)) or (Counter(label_pairs) - Counter(found))}"
    )

    from_files: dict[str, Counter[str]] = {theme: Counter() for theme in THEMES}
    from_files["(junk)"] = Counter()
    for theme, text in zip(labels["theme"], labels["text"], strict=True):
        if theme == "":
            from_files["(junk)"]["-"] += 1
            continue
        assert lang_of[text][0] == theme, f"label mismatch for {text!r}"
        from_files[theme][lang_of[text][1]] += 1
    assert from_files == intended, "counts read back differ from the intended counts"
    assert Counter(s for s, _ in found) == Counter(r.source for r in records)

    size = sum(p.stat().st_size for p in OUT.iterdir())
    assert size < 300_000, f"sample is {size} bytes"
    return from_files


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    records = build_records()
    by_dest: dict[str, list[Record]] = {dest: [] for dest in DEST_FILE}
    for r in records:
        by_dest[r.dest].append(r)

    written = write_post_it_csvs(by_dest)
    written[XLSX] = write_xlsx(by_dest)
    written[MD] = write_markdown(by_dest)
    written[TXT] = write_plenary(by_dest)
    written[DOCX] = write_docx(by_dest)
    write_labels(written)
    write_config()
    write_readme(records)

    counts = check(records)
    files = Counter(r.source for r in records)
    print(f"wrote {OUT}:")
    for p in sorted(OUT.iterdir()):
        extra = f"  {files[p.name]} entries" if p.name in files else ""
        print(f"  {p.name:28} {p.stat().st_size:>7} bytes{extra}")
    print()
    print(format_table(counts))
    kinds = Counter(r.kind for r in records)
    print(f"\nkinds: {dict(kinds)}")
    print("read-back check: OK (every file re-read; notes and counts match the labels)")


if __name__ == "__main__":
    main()
