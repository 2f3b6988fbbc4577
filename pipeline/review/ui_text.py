"""Every word the review app shows, in the four languages of the workshops: fr, nl, de, en.

The app speaks the language the run's drafts are written in (the run's configured output
language, else its drafts' language: the same choice the Day 2 handout makes), unless
``ideasynth review --ui-lang`` says otherwise. Notes, labels and drafts are the run's own and
are never translated; only the interface around them is.

A message is a key with one string per language, formatted with ``str.format``; a count takes
the ``.one`` or ``.other`` form of its key by the language's plural rule. The strings are
plain text: the templates escape them like any other value. Words the handout already has
(how many notes) come from its labels, so they are written once.

Reasons a change cannot be made come from the review's rules in English, one line each; they
are shown translated where the catalogue knows their form (``UiText.reason``), and as they
are otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.report.view import LANGUAGE_NAMES
from pipeline.review.export import LABELS, handout_language
from pipeline.schema import UNASSIGNED, ActionKind, ReviewAction, RunResult

UI_LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT_LANGUAGE = "en"

_Text = dict[str, str]

# One entry per message: {"en": …, "fr": …, "nl": …, "de": …}. French puts a no-break space
# (U+00A0) before ":" and inside « », German quotes „so“, Dutch and English “so”.
TEXT: dict[str, _Text] = {
    # Layout (base.html.j2)
    "app": {
        "en": "ideasynth review",
        "fr": "relecture ideasynth",
        "nl": "ideasynth-review",
        "de": "ideasynth-Sichtung",
    },
    "skip": {
        "en": "Skip to the content",
        "fr": "Aller au contenu",
        "nl": "Naar de inhoud",
        "de": "Zum Inhalt springen",
    },
    "run": {"en": "run", "fr": "traitement", "nl": "verwerking", "de": "Durchlauf"},
    "version": {"en": "version", "fr": "version", "nl": "versie", "de": "Version"},
    "nav": {"en": "Pages", "fr": "Pages", "nl": "Pagina’s", "de": "Seiten"},
    "nav.themes": {"en": "Themes", "fr": "Thèmes", "nl": "Thema’s", "de": "Themen"},
    "nav.unassigned": {
        "en": "Unassigned notes ({n})",
        "fr": "Notes non classées ({n})",
        "nl": "Niet-ingedeelde notities ({n})",
        "de": "Nicht zugeordnete Notizen ({n})",
    },
    "nav.noise": {
        "en": "Noise ({n})",
        "fr": "Notes écartées ({n})",
        "nl": "Terzijde gelegd ({n})",
        "de": "Aussortiert ({n})",
    },
    "nav.history": {"en": "History", "fr": "Historique", "nl": "Geschiedenis", "de": "Verlauf"},
    "nav.report": {"en": "Report", "fr": "Rapport", "nl": "Rapport", "de": "Bericht"},
    "who": {"en": "Reviewing as", "fr": "Votre nom", "nl": "Uw naam", "de": "Ihr Name"},
    "who.save": {
        "en": "Save name",
        "fr": "Enregistrer le nom",
        "nl": "Naam opslaan",
        "de": "Namen speichern",
    },
    "undo": {
        "en": "Undo: {what}",
        "fr": "Annuler\u00a0: {what}",
        "nl": "Ongedaan maken: {what}",
        "de": "Rückgängig: {what}",
    },
    "saved": {
        "en": "Saved (version {n}).",
        "fr": "Enregistré (version {n}).",
        "nl": "Opgeslagen (versie {n}).",
        "de": "Gespeichert (Version {n}).",
    },
    # Themes (index.html.j2)
    "themes.title": {"en": "Themes", "fr": "Thèmes", "nl": "Thema’s", "de": "Themen"},
    "count.themes.one": {
        "en": "{n} theme",
        "fr": "{n} thème",
        "nl": "{n} thema",
        "de": "{n} Thema",
    },
    "count.themes.other": {
        "en": "{n} themes",
        "fr": "{n} thèmes",
        "nl": "{n} thema’s",
        "de": "{n} Themen",
    },
    "count.unassigned.one": {
        "en": "{n} note unassigned",
        "fr": "{n} note non classée",
        "nl": "{n} notitie niet ingedeeld",
        "de": "{n} Notiz nicht zugeordnet",
    },
    "count.unassigned.other": {
        "en": "{n} notes unassigned",
        "fr": "{n} notes non classées",
        "nl": "{n} notities niet ingedeeld",
        "de": "{n} Notizen nicht zugeordnet",
    },
    "count.noise.one": {
        "en": "{n} marked as noise",
        "fr": "{n} écartée",
        "nl": "{n} terzijde gelegd",
        "de": "{n} aussortiert",
    },
    "count.noise.other": {
        "en": "{n} marked as noise",
        "fr": "{n} écartées",
        "nl": "{n} terzijde gelegd",
        "de": "{n} aussortiert",
    },
    "themes.summary": {
        "en": "{themes}; {unassigned}, {noise}.",
        "fr": "{themes}\u00a0; {unassigned}, {noise}.",
        "nl": "{themes}; {unassigned}, {noise}.",
        "de": "{themes}; {unassigned}, {noise}.",
    },
    "export": {
        "en": "Export for Day 2:",
        "fr": "Exporter pour le jour 2\u00a0:",
        "nl": "Exporteren voor dag 2:",
        "de": "Export für Tag 2:",
    },
    "export.docx": {
        "en": "handout (DOCX)",
        "fr": "document pour les participants (DOCX)",
        "nl": "hand-out (DOCX)",
        "de": "Handout (DOCX)",
    },
    "export.md": {"en": "Markdown", "fr": "Markdown", "nl": "Markdown", "de": "Markdown"},
    "export.csv": {"en": "CSV", "fr": "tableau CSV", "nl": "CSV-tabel", "de": "CSV-Tabelle"},
    "carried": {
        "en": "Decisions from the previous run",
        "fr": "Décisions reprises du traitement précédent",
        "nl": "Beslissingen uit de vorige verwerking",
        "de": "Entscheidungen aus dem vorigen Durchlauf",
    },
    "carried.reapplied.one": {
        "en": "{n} decision re-applied",
        "fr": "{n} décision réappliquée",
        "nl": "{n} beslissing opnieuw toegepast",
        "de": "{n} Entscheidung erneut angewandt",
    },
    "carried.reapplied.other": {
        "en": "{n} decisions re-applied",
        "fr": "{n} décisions réappliquées",
        "nl": "{n} beslissingen opnieuw toegepast",
        "de": "{n} Entscheidungen erneut angewandt",
    },
    "carried.dropped.one": {
        "en": "{n} no longer applies",
        "fr": "{n} ne s’applique plus",
        "nl": "{n} niet meer van toepassing",
        "de": "{n} nicht mehr anwendbar",
    },
    "carried.dropped.other": {
        "en": "{n} no longer apply",
        "fr": "{n} ne s’appliquent plus",
        "nl": "{n} niet meer van toepassing",
        "de": "{n} nicht mehr anwendbar",
    },
    "carried.summary": {
        "en": "{reapplied}; {dropped}.",
        "fr": "{reapplied}\u00a0; {dropped}.",
        "nl": "{reapplied}; {dropped}.",
        "de": "{reapplied}; {dropped}.",
    },
    "themes.caption": {
        "en": "Themes, in the pipeline’s order (largest first; a split follows its source). Tick themes to merge them.",
        "fr": "Les thèmes dans l’ordre proposé par ideasynth (les plus grands d’abord\u00a0; un thème détaché suit celui dont il vient). Cochez des thèmes pour les fusionner.",
        "nl": "De thema’s in de volgorde van ideasynth (de grootste eerst; een afgesplitst thema volgt op zijn bron). Vink thema’s aan om ze samen te voegen.",
        "de": "Die Themen in der Reihenfolge von ideasynth (die größten zuerst; ein abgespaltenes Thema folgt seiner Quelle). Kreuzen Sie Themen an, um sie zusammenzuführen.",
    },
    "col.merge": {"en": "Merge", "fr": "Fusionner", "nl": "Samenvoegen", "de": "Zusammenführen"},
    "col.theme": {"en": "Theme", "fr": "Thème", "nl": "Thema", "de": "Thema"},
    "col.notes": {"en": "Notes", "fr": "Notes", "nl": "Notities", "de": "Notizen"},
    "col.languages": {"en": "Languages", "fr": "Langues", "nl": "Talen", "de": "Sprachen"},
    "col.keyphrases": {
        "en": "Keyphrases",
        "fr": "Mots-clés",
        "nl": "Trefwoorden",
        "de": "Schlüsselbegriffe",
    },
    "col.draft": {
        "en": "Draft",
        "fr": "Défi proposé",
        "nl": "Voorgestelde uitdaging",
        "de": "Entwurf",
    },
    "col.state": {"en": "State", "fr": "État", "nl": "Status", "de": "Status"},
    "col.challenge": {
        "en": "Challenge",
        "fr": "Défi",
        "nl": "Uitdaging",
        "de": "Herausforderung",
    },
    "col.themes": {"en": "Themes", "fr": "Thèmes", "nl": "Thema’s", "de": "Themen"},
    "challenges.caption": {
        "en": "The challenges for Day 2: each gathers the themes listed. Open one to rename it, or to edit and approve its draft.",
        "fr": "Les défis sur lesquels les participants travailleront le jour 2\u00a0: chacun regroupe les thèmes indiqués. Ouvrez-en un pour le renommer, ou pour modifier et approuver son énoncé.",
        "nl": "De uitdagingen waaraan de deelnemers op dag 2 werken: elke uitdaging bundelt de vermelde thema’s. Open er een om de naam te wijzigen, of om de tekst te bewerken en goed te keuren.",
        "de": "Die Herausforderungen, an denen die Teilnehmenden an Tag 2 arbeiten: Jede fasst die genannten Themen zusammen. Öffnen Sie eine, um sie umzubenennen oder ihren Entwurf zu bearbeiten und freizugeben.",
    },
    "col.flags": {"en": "To check", "fr": "À vérifier", "nl": "Na te kijken", "de": "Zu prüfen"},
    "merge.pick": {
        "en": "Select {id} {label} for merging",
        "fr": "Cocher {id} {label} pour la fusion",
        "nl": "{id} {label} aanvinken om samen te voegen",
        "de": "{id} {label} zum Zusammenführen ankreuzen",
    },
    "merge.into": {
        "en": "Merge the ticked themes into",
        "fr": "Fusionner les thèmes cochés dans",
        "nl": "De aangevinkte thema’s samenvoegen in",
        "de": "Die angekreuzten Themen zusammenführen in",
    },
    "merge": {"en": "Merge", "fr": "Fusionner", "nl": "Samenvoegen", "de": "Zusammenführen"},
    "none": {"en": "none", "fr": "aucun", "nl": "geen", "de": "keiner"},
    # Draft states and notes (macros.html.j2)
    "state.pending": {"en": "pending", "fr": "à relire", "nl": "open", "de": "offen"},
    "state.approved": {
        "en": "approved",
        "fr": "approuvé",
        "nl": "goedgekeurd",
        "de": "freigegeben",
    },
    "state.rejected": {"en": "rejected", "fr": "rejeté", "nl": "afgewezen", "de": "abgelehnt"},
    "state.none": {
        "en": "no draft",
        "fr": "pas de défi proposé",
        "nl": "geen ontwerp",
        "de": "kein Entwurf",
    },
    "note.original": {
        "en": "Original:",
        "fr": "Texte d’origine\u00a0:",
        "nl": "Origineel:",
        "de": "Original:",
    },
    "note.representative": {
        "en": "★ representative",
        "fr": "★ représentative",
        "nl": "★ representatief",
        "de": "★ repräsentativ",
    },
    "language.und": {
        "en": "undetermined",
        "fr": "langue indéterminée",
        "nl": "onbepaalde taal",
        "de": "unbestimmte Sprache",
    },
    # One theme (theme.html.j2)
    "theme.draft": {"en": "draft", "fr": "défi proposé", "nl": "ontwerp", "de": "Entwurf"},
    "theme.keyphrases": {
        "en": "Keyphrases: {list}",
        "fr": "Mots-clés\u00a0: {list}",
        "nl": "Trefwoorden: {list}",
        "de": "Schlüsselbegriffe: {list}",
    },
    "theme.origin": {
        "en": "split from {id}",
        "fr": "détaché de {id}",
        "nl": "afgesplitst van {id}",
        "de": "abgespalten von {id}",
    },
    "rename.label": {
        "en": "New name",
        "fr": "Nouveau nom",
        "nl": "Nieuwe naam",
        "de": "Neuer Name",
    },
    "rename": {"en": "Rename", "fr": "Renommer", "nl": "Hernoemen", "de": "Umbenennen"},
    "draft.heading": {
        "en": "Draft challenge",
        "fr": "Défi proposé",
        "nl": "Voorgestelde uitdaging",
        "de": "Vorgeschlagene Herausforderung",
    },
    "draft.state": {"en": "State:", "fr": "État\u00a0:", "nl": "Status:", "de": "Status:"},
    "draft.approve": {
        "en": "Approve draft",
        "fr": "Approuver le défi",
        "nl": "Ontwerp goedkeuren",
        "de": "Entwurf freigeben",
    },
    "draft.reject": {
        "en": "Reject draft",
        "fr": "Rejeter le défi",
        "nl": "Ontwerp afwijzen",
        "de": "Entwurf ablehnen",
    },
    "draft.missing": {
        "en": "No draft yet: write one below.",
        "fr": "Pas encore de défi proposé\u00a0: rédigez-le ci-dessous.",
        "nl": "Nog geen ontwerp: schrijf er hieronder een.",
        "de": "Noch kein Entwurf: Schreiben Sie unten einen.",
    },
    "draft.edit": {
        "en": "Edit the draft",
        "fr": "Modifier le défi",
        "nl": "Ontwerp bewerken",
        "de": "Entwurf bearbeiten",
    },
    "draft.title": {"en": "Title", "fr": "Titre", "nl": "Titel", "de": "Titel"},
    "draft.challenge": {
        "en": "Challenge statement",
        "fr": "Énoncé du défi",
        "nl": "Formulering van de uitdaging",
        "de": "Formulierung der Herausforderung",
    },
    "draft.proposal": {
        "en": "Proposal, one sentence per line",
        "fr": "Pistes proposées, une phrase par ligne",
        "nl": "Voorstellen, één zin per regel",
        "de": "Vorschläge, ein Satz pro Zeile",
    },
    "draft.save": {
        "en": "Save draft",
        "fr": "Enregistrer le défi",
        "nl": "Ontwerp opslaan",
        "de": "Entwurf speichern",
    },
    "comments": {"en": "Comments", "fr": "Commentaires", "nl": "Opmerkingen", "de": "Kommentare"},
    "comments.none": {
        "en": "No comments.",
        "fr": "Aucun commentaire.",
        "nl": "Geen opmerkingen.",
        "de": "Keine Kommentare.",
    },
    "comment": {"en": "Comment", "fr": "Commentaire", "nl": "Opmerking", "de": "Kommentar"},
    "comment.add": {
        "en": "Add comment",
        "fr": "Ajouter le commentaire",
        "nl": "Opmerking toevoegen",
        "de": "Kommentar hinzufügen",
    },
    "notes.heading": {
        "en": "Notes ({n})",
        "fr": "Notes ({n})",
        "nl": "Notities ({n})",
        "de": "Notizen ({n})",
    },
    "picked": {
        "en": "With the ticked notes",
        "fr": "Avec les notes cochées",
        "nl": "Met de aangevinkte notities",
        "de": "Mit den angekreuzten Notizen",
    },
    "split.label": {
        "en": "Name of the new theme",
        "fr": "Nom du nouveau thème",
        "nl": "Naam van het nieuwe thema",
        "de": "Name des neuen Themas",
    },
    "split": {
        "en": "Split into a new theme",
        "fr": "Détacher dans un nouveau thème",
        "nl": "Afsplitsen in een nieuw thema",
        "de": "In ein neues Thema abspalten",
    },
    "move.to": {
        "en": "Move to",
        "fr": "Déplacer vers",
        "nl": "Verplaatsen naar",
        "de": "Verschieben nach",
    },
    "restore.to": {
        "en": "Restore to",
        "fr": "Remettre dans",
        "nl": "Terugzetten naar",
        "de": "Zurückholen nach",
    },
    "move": {"en": "Move", "fr": "Déplacer", "nl": "Verplaatsen", "de": "Verschieben"},
    "noise": {
        "en": "Mark as noise",
        "fr": "Écarter",
        "nl": "Terzijde leggen",
        "de": "Aussortieren",
    },
    "restore": {"en": "Restore", "fr": "Remettre", "nl": "Terugzetten", "de": "Zurückholen"},
    "unassigned": {
        "en": "unassigned",
        "fr": "non classées",
        "nl": "niet ingedeeld",
        "de": "nicht zugeordnet",
    },
    # Unassigned and noise (notes.html.j2)
    "unassigned.title": {
        "en": "Unassigned notes",
        "fr": "Notes non classées",
        "nl": "Niet-ingedeelde notities",
        "de": "Nicht zugeordnete Notizen",
    },
    "unassigned.hint": {
        "en": "Notes that no theme claims with confidence. Move them to a theme, or mark them as noise.",
        "fr": "Des notes qu’aucun thème ne rattache avec assez de certitude. Déplacez-les vers un thème, ou écartez-les.",
        "nl": "Notities die bij geen enkel thema duidelijk horen. Verplaats ze naar een thema, of leg ze terzijde.",
        "de": "Notizen, die keinem Thema sicher zugeordnet sind. Verschieben Sie sie in ein Thema oder sortieren Sie sie aus.",
    },
    "noise.title": {
        "en": "Noise",
        "fr": "Notes écartées",
        "nl": "Terzijde gelegd",
        "de": "Aussortiert",
    },
    "noise.heading": {
        "en": "Notes marked as noise",
        "fr": "Notes écartées",
        "nl": "Terzijde gelegde notities",
        "de": "Aussortierte Notizen",
    },
    "noise.hint": {
        "en": "Notes set aside by an analyst. They are in no theme and no export until restored.",
        "fr": "Des notes mises de côté pendant la relecture. Elles ne figurent dans aucun thème ni aucun export tant qu’on ne les a pas remises.",
        "nl": "Notities die bij het nakijken terzijde zijn gelegd. Ze staan in geen enkel thema en in geen enkele export, tot ze worden teruggezet.",
        "de": "Bei der Sichtung aussortierte Notizen. Sie stehen in keinem Thema und keinem Export, bis sie zurückgeholt werden.",
    },
    # History (history.html.j2)
    "history.title": {"en": "History", "fr": "Historique", "nl": "Geschiedenis", "de": "Verlauf"},
    "history.hint": {
        "en": "Every decision, oldest first. Nothing is ever removed: an undo is a decision too.",
        "fr": "Toutes les décisions, de la plus ancienne à la plus récente. Rien n’est jamais effacé\u00a0: une annulation est aussi une décision.",
        "nl": "Alle beslissingen, de oudste eerst. Er wordt nooit iets gewist: ook iets ongedaan maken is een beslissing.",
        "de": "Alle Entscheidungen, die älteste zuerst. Nichts wird je gelöscht: Auch ein Rückgängigmachen ist eine Entscheidung.",
    },
    "history.caption.one": {
        "en": "The decision log ({n} entry)",
        "fr": "Le journal des décisions ({n} entrée)",
        "nl": "Het logboek van de beslissingen ({n} regel)",
        "de": "Das Entscheidungsprotokoll ({n} Eintrag)",
    },
    "history.caption.other": {
        "en": "The decision log ({n} entries)",
        "fr": "Le journal des décisions ({n} entrées)",
        "nl": "Het logboek van de beslissingen ({n} regels)",
        "de": "Das Entscheidungsprotokoll ({n} Einträge)",
    },
    "col.version": {"en": "Version", "fr": "Version", "nl": "Versie", "de": "Version"},
    "col.when": {
        "en": "When (UTC)",
        "fr": "Quand (UTC)",
        "nl": "Wanneer (UTC)",
        "de": "Wann (UTC)",
    },
    "col.who": {"en": "Who", "fr": "Qui", "nl": "Wie", "de": "Wer"},
    "col.what": {"en": "What", "fr": "Quoi", "nl": "Wat", "de": "Was"},
    "col.run": {"en": "Run", "fr": "Traitement", "nl": "Verwerking", "de": "Durchlauf"},
    "history.undone": {
        "en": "(undone)",
        "fr": "(annulée)",
        "nl": "(ongedaan gemaakt)",
        "de": "(rückgängig gemacht)",
    },
    "history.skipped": {
        "en": "Decisions that do not apply",
        "fr": "Décisions qui ne s’appliquent plus",
        "nl": "Beslissingen die niet meer van toepassing zijn",
        "de": "Entscheidungen, die nicht mehr anwendbar sind",
    },
    "reason.line": {
        "en": "{what}: {reason}",
        "fr": "{what}\u00a0: {reason}",
        "nl": "{what}: {reason}",
        "de": "{what}: {reason}",
    },
    # Messages (message.html.j2) and refusals
    "back": {"en": "Back", "fr": "Retour", "nl": "Terug", "de": "Zurück"},
    "back.latest": {
        "en": "(the page will show the latest version)",
        "fr": "(la page montrera la dernière version)",
        "nl": "(de pagina toont de nieuwste versie)",
        "de": "(die Seite zeigt den neuesten Stand)",
    },
    "missing.title": {
        "en": "No such theme",
        "fr": "Thème introuvable",
        "nl": "Thema niet gevonden",
        "de": "Thema nicht gefunden",
    },
    "missing": {
        "en": "Theme {id} is not in this run (merged away, or never was).",
        "fr": "Le thème {id} ne figure pas dans ce traitement (fusionné dans un autre, ou jamais créé).",
        "nl": "Thema {id} zit niet in deze verwerking (samengevoegd met een ander, of nooit gemaakt).",
        "de": "Das Thema {id} ist nicht in diesem Durchlauf (in ein anderes zusammengeführt oder nie angelegt).",
    },
    "badform.title": {
        "en": "Bad form",
        "fr": "Formulaire incomplet",
        "nl": "Onvolledig formulier",
        "de": "Unvollständiges Formular",
    },
    "badform": {
        "en": "The form carries no version.",
        "fr": "Le formulaire n’indique pas de version.",
        "nl": "Het formulier vermeldt geen versie.",
        "de": "Das Formular enthält keine Version.",
    },
    "stale.title": {
        "en": "Someone else changed this run",
        "fr": "Quelqu’un d’autre a modifié ce traitement",
        "nl": "Iemand anders heeft deze verwerking gewijzigd",
        "de": "Jemand anderes hat diesen Durchlauf geändert",
    },
    "stale": {
        "en": "Your change was not saved: it was based on version {expected}, and the run is now at version {current}. Nothing was overwritten. Look at the changes below, then make yours again.",
        "fr": "Votre modification n’a pas été enregistrée\u00a0: elle partait de la version {expected}, et le traitement en est maintenant à la version {current}. Rien n’a été écrasé. Regardez les changements ci-dessous, puis refaites le vôtre.",
        "nl": "Uw wijziging is niet opgeslagen: ze ging uit van versie {expected}, en de verwerking staat nu op versie {current}. Er is niets overschreven. Bekijk de wijzigingen hieronder en breng de uwe daarna opnieuw aan.",
        "de": "Ihre Änderung wurde nicht gespeichert: Sie ging von Version {expected} aus, und der Durchlauf ist inzwischen bei Version {current}. Nichts wurde überschrieben. Sehen Sie sich die Änderungen unten an und nehmen Sie Ihre dann erneut vor.",
    },
    "stale.line": {
        "en": "{what} ({who})",
        "fr": "{what} ({who})",
        "nl": "{what} ({who})",
        "de": "{what} ({who})",
    },
    "refused.title": {
        "en": "That change cannot be made",
        "fr": "Cette modification est impossible",
        "nl": "Deze wijziging kan niet",
        "de": "Diese Änderung ist nicht möglich",
    },
    "crosssite": {
        "en": "Cross-site form refused.",
        "fr": "Formulaire venu d’un autre site\u00a0: refusé.",
        "nl": "Formulier van een andere site geweigerd.",
        "de": "Formular von einer anderen Website abgelehnt.",
    },
    "host": {
        "en": "Unexpected Host header.",
        "fr": "En-tête Host inattendu.",
        "nl": "Onverwachte Host-header.",
        "de": "Unerwarteter Host-Header.",
    },
    "toolarge": {"en": "Too large.", "fr": "Trop volumineux.", "nl": "Te groot.", "de": "Zu groß."},
    "token.title": {
        "en": "Token needed",
        "fr": "Jeton requis",
        "nl": "Token nodig",
        "de": "Token erforderlich",
    },
    "token": {
        "en": "This review server needs its token: open the link that {command} printed.",
        "fr": "Ce serveur de relecture demande son jeton\u00a0: ouvrez le lien affiché par {command}.",
        "nl": "Deze reviewserver vraagt zijn token: open de link die {command} toonde.",
        "de": "Dieser Server verlangt sein Token: Öffnen Sie den Link, den {command} ausgegeben hat.",
    },
    "formrefused.title": {
        "en": "Form refused",
        "fr": "Formulaire refusé",
        "nl": "Formulier geweigerd",
        "de": "Formular abgelehnt",
    },
    "formrefused": {
        "en": "This form was not sent from this review page, or it has expired (the server restarted). Nothing was changed:",
        "fr": "Ce formulaire n’a pas été envoyé depuis cette page de relecture, ou il a expiré (le serveur a redémarré). Rien n’a été modifié\u00a0:",
        "nl": "Dit formulier kwam niet van deze reviewpagina, of het is verlopen (de server is opnieuw gestart). Er is niets gewijzigd:",
        "de": "Dieses Formular kam nicht von dieser Seite, oder es ist abgelaufen (der Server wurde neu gestartet). Nichts wurde geändert:",
    },
    "formrefused.reload": {
        "en": "reload the app",
        "fr": "rechargez l’application",
        "nl": "laad de app opnieuw",
        "de": "Laden Sie die App neu",
    },
    "formrefused.again": {
        "en": "and make your change again.",
        "fr": "et refaites votre modification.",
        "nl": "en breng uw wijziging opnieuw aan.",
        "de": "und nehmen Sie Ihre Änderung erneut vor.",
    },
    "logerror.title": {
        "en": "Decision log error",
        "fr": "Erreur du journal des décisions",
        "nl": "Fout in het logboek van de beslissingen",
        "de": "Fehler im Entscheidungsprotokoll",
    },
    "logerror": {
        "en": "The decision log cannot be used",
        "fr": "Le journal des décisions est inutilisable",
        "nl": "Het logboek van de beslissingen is onbruikbaar",
        "de": "Das Entscheidungsprotokoll ist nicht nutzbar",
    },
    "unknown.export": {
        "en": "Unknown export.",
        "fr": "Export inconnu.",
        "nl": "Onbekende export.",
        "de": "Unbekannter Export.",
    },
    "unknown.file": {
        "en": "Not a file of this run.",
        "fr": "Ce fichier n’appartient pas à ce traitement.",
        "nl": "Geen bestand van deze verwerking.",
        "de": "Keine Datei dieses Durchlaufs.",
    },
    # What a decision did: the history, the undo button, a stale form's list (describe)
    "did.rename": {
        "en": "renamed {id} to “{label}”",
        "fr": "renommage de {id} en «\u00a0{label}\u00a0»",
        "nl": "{id} hernoemd tot “{label}”",
        "de": "Umbenennung von {id} in „{label}“",
    },
    "did.merge": {
        "en": "merged {ids} into {into}",
        "fr": "fusion de {ids} dans {into}",
        "nl": "{ids} samengevoegd in {into}",
        "de": "Zusammenführung von {ids} in {into}",
    },
    "did.split": {
        "en": "split {notes} from {id} into {new} “{label}”",
        "fr": "{notes} de {id} détachées dans {new} «\u00a0{label}\u00a0»",
        "nl": "{notes} uit {id} afgesplitst in {new} “{label}”",
        "de": "Abspaltung von {notes} aus {id} in {new} „{label}“",
    },
    "did.move": {
        "en": "moved {notes} to {target}",
        "fr": "déplacement de {notes} vers {target}",
        "nl": "{notes} verplaatst naar {target}",
        "de": "Verschieben von {notes} nach {target}",
    },
    "did.noise": {
        "en": "marked {notes} as noise",
        "fr": "mise à l’écart de {notes}",
        "nl": "{notes} terzijde gelegd",
        "de": "Aussortieren von {notes}",
    },
    "did.restore": {
        "en": "restored {notes} to {target}",
        "fr": "remise de {notes} dans {target}",
        "nl": "{notes} teruggezet naar {target}",
        "de": "Zurückholen von {notes} nach {target}",
    },
    "did.edit_draft": {
        "en": "edited the draft of {id}",
        "fr": "modification du défi de {id}",
        "nl": "ontwerp van {id} bewerkt",
        "de": "Bearbeitung des Entwurfs von {id}",
    },
    "did.approve": {
        "en": "approved the draft of {id}",
        "fr": "approbation du défi de {id}",
        "nl": "ontwerp van {id} goedgekeurd",
        "de": "Freigabe des Entwurfs von {id}",
    },
    "did.reject": {
        "en": "rejected the draft of {id}",
        "fr": "rejet du défi de {id}",
        "nl": "ontwerp van {id} afgewezen",
        "de": "Ablehnung des Entwurfs von {id}",
    },
    "did.comment": {
        "en": "commented on {id}",
        "fr": "commentaire sur {id}",
        "nl": "opmerking bij {id}",
        "de": "Kommentar zu {id}",
    },
    "did.undo": {
        "en": "undid the last action",
        "fr": "annulation de la dernière action",
        "nl": "laatste actie ongedaan gemaakt",
        "de": "Rückgängigmachen der letzten Aktion",
    },
    "did.regroup": {
        "en": "moved theme {id} to challenge {target}",
        "fr": "déplacement du thème {id} vers le défi {target}",
        "nl": "thema {id} verplaatst naar uitdaging {target}",
        "de": "Verschieben des Themas {id} in die Herausforderung {target}",
    },
    "did.adopt_title": {
        "en": "adopted another title for {id}: “{text}”",
        "fr": "choix d’un autre titre pour {id}\u00a0: «\u00a0{text}\u00a0»",
        "nl": "andere titel gekozen voor {id}: “{text}”",
        "de": "Übernahme eines anderen Titels für {id}: „{text}“",
    },
    "did.adopt_challenge": {
        "en": "adopted another question for {id}: “{text}”",
        "fr": "choix d’une autre question pour {id}\u00a0: «\u00a0{text}\u00a0»",
        "nl": "andere vraag gekozen voor {id}: “{text}”",
        "de": "Übernahme einer anderen Frage für {id}: „{text}“",
    },
    # A challenge: a broad theme whose themes it gathers (theme.html.j2)
    "challenge.kind": {"en": "Challenge", "fr": "Défi", "nl": "Uitdaging", "de": "Herausforderung"},
    "challenge.part_of": {
        "en": "Part of the challenge",
        "fr": "Fait partie du défi",
        "nl": "Hoort bij de uitdaging",
        "de": "Gehört zur Herausforderung",
    },
    "challenge.regroup.label": {
        "en": "Move this theme to the challenge",
        "fr": "Déplacer ce thème vers le défi",
        "nl": "Dit thema verplaatsen naar de uitdaging",
        "de": "Dieses Thema verschieben in die Herausforderung",
    },
    "challenge.regroup": {
        "en": "Move theme",
        "fr": "Déplacer le thème",
        "nl": "Thema verplaatsen",
        "de": "Thema verschieben",
    },
    "challenge.themes": {
        "en": "Themes in this challenge ({n})",
        "fr": "Thèmes de ce défi ({n})",
        "nl": "Thema’s in deze uitdaging ({n})",
        "de": "Themen dieser Herausforderung ({n})",
    },
    "challenge.hint": {
        "en": "Split, merge and move notes on a theme’s page; move a theme to another challenge there too.",
        "fr": "On détache, fusionne et déplace les notes depuis la page d’un thème ; c’est là aussi qu’on déplace un thème vers un autre défi.",
        "nl": "Notities afsplitsen, samenvoegen en verplaatsen doet u op de pagina van een thema; daar verplaatst u ook een thema naar een andere uitdaging.",
        "de": "Notizen abspalten, zusammenführen und verschieben Sie auf der Seite eines Themas; dort verschieben Sie auch ein Thema in eine andere Herausforderung.",
    },
    "draft.by_analyst": {
        "en": "Worded in the review",
        "fr": "Formulé pendant la relecture",
        "nl": "Geformuleerd bij het nakijken",
        "de": "Bei der Sichtung formuliert",
    },
    "draft.by_machine": {
        "en": "Proposed by ideasynth ({drafter})",
        "fr": "Proposé par ideasynth ({drafter})",
        "nl": "Voorgesteld door ideasynth ({drafter})",
        "de": "Von ideasynth vorgeschlagen ({drafter})",
    },
    "draft.flag": {
        "en": "To check:",
        "fr": "À vérifier\u00a0:",
        "nl": "Na te kijken:",
        "de": "Zu prüfen:",
    },
    "draft.pipeline": {
        "en": "What the pipeline proposes",
        "fr": "Ce que propose ideasynth",
        "nl": "Wat ideasynth voorstelt",
        "de": "Was ideasynth vorschlägt",
    },
    # The drafter's next best titles and questions, beside the draft (theme.html.j2)
    "alt.title.heading": {
        "en": "Other titles proposed",
        "fr": "Autres titres proposés",
        "nl": "Andere voorgestelde titels",
        "de": "Weitere vorgeschlagene Titel",
    },
    "alt.challenge.heading": {
        "en": "Other questions proposed",
        "fr": "Autres questions proposées",
        "nl": "Andere voorgestelde vragen",
        "de": "Weitere vorgeschlagene Fragen",
    },
    "alt.title.adopt": {
        "en": "Adopt this title",
        "fr": "Adopter ce titre",
        "nl": "Deze titel overnemen",
        "de": "Diesen Titel übernehmen",
    },
    "alt.challenge.adopt": {
        "en": "Adopt this question",
        "fr": "Adopter cette question",
        "nl": "Deze vraag overnemen",
        "de": "Diese Frage übernehmen",
    },
    "alt.hint": {
        "en": "The wording you replace takes its place among these, so you can switch back.",
        "fr": "La formulation remplacée prend sa place parmi celles-ci\u00a0: vous pourrez y revenir.",
        "nl": "De formulering die u vervangt, komt in de plaats ervan tussen deze, zodat u kunt terugwisselen.",
        "de": "Die ersetzte Formulierung tritt an ihre Stelle unter diesen, sodass Sie zurückwechseln können.",
    },
    # Why a change cannot be made (the review's rules say it in English; see REASONS)
    "why.no_theme": {
        "en": "no theme given",
        "fr": "aucun thème indiqué",
        "nl": "geen thema opgegeven",
        "de": "kein Thema angegeben",
    },
    "why.theme_gone": {
        "en": "theme {id} is not in this run any more",
        "fr": "le thème {id} ne figure plus dans ce traitement",
        "nl": "thema {id} zit niet meer in deze verwerking",
        "de": "das Thema {id} ist nicht mehr in diesem Durchlauf",
    },
    "why.empty": {
        "en": "{what} is empty",
        "fr": "{what}\u00a0: le champ est vide",
        "nl": "{what}: het veld is leeg",
        "de": "{what}: Das Feld ist leer",
    },
    "why.too_long": {
        "en": "{what} is longer than {limit} characters",
        "fr": "{what}\u00a0: plus de {limit} caractères",
        "nl": "{what}: langer dan {limit} tekens",
        "de": "{what}: länger als {limit} Zeichen",
    },
    "why.no_notes": {
        "en": "no notes selected",
        "fr": "aucune note cochée",
        "nl": "geen notities aangevinkt",
        "de": "keine Notizen angekreuzt",
    },
    "why.notes_gone": {
        "en": "the selected notes are not in this run any more",
        "fr": "les notes cochées ne figurent plus dans ce traitement",
        "nl": "de aangevinkte notities zitten niet meer in deze verwerking",
        "de": "die angekreuzten Notizen sind nicht mehr in diesem Durchlauf",
    },
    "why.notes_moved": {
        "en": "none of the selected notes is where it was any more",
        "fr": "aucune des notes cochées n’est plus là où elle était",
        "nl": "geen van de aangevinkte notities staat nog waar ze stond",
        "de": "keine der angekreuzten Notizen ist noch dort, wo sie war",
    },
    "why.merge_two": {
        "en": "choose at least two themes to merge",
        "fr": "cochez au moins deux thèmes à fusionner",
        "nl": "vink minstens twee thema’s aan om samen te voegen",
        "de": "kreuzen Sie mindestens zwei Themen zum Zusammenführen an",
    },
    "why.merge_gone": {
        "en": "none of {ids} is in this run any more",
        "fr": "aucun des thèmes {ids} ne figure plus dans ce traitement",
        "nl": "geen van {ids} zit nog in deze verwerking",
        "de": "keines der Themen {ids} ist noch in diesem Durchlauf",
    },
    "why.taken": {
        "en": "theme id {id} is already taken",
        "fr": "l’identifiant {id} est déjà pris",
        "nl": "id {id} is al in gebruik",
        "de": "die Kennung {id} ist schon vergeben",
    },
    "why.leave_empty": {
        "en": "that would leave {id} empty: select only some of its notes",
        "fr": "{id} se retrouverait vide\u00a0: ne cochez qu’une partie de ses notes",
        "nl": "dan blijft {id} leeg: vink maar een deel van de notities aan",
        "de": "dann wäre {id} leer: Kreuzen Sie nur einen Teil seiner Notizen an",
    },
    "why.already_in": {
        "en": "the selected notes are already in {target}",
        "fr": "les notes cochées sont déjà dans {target}",
        "nl": "de aangevinkte notities staan al in {target}",
        "de": "die angekreuzten Notizen sind schon in {target}",
    },
    "why.no_draft": {
        "en": "theme {id} has no draft: write one first",
        "fr": "le thème {id} n’a pas de défi proposé\u00a0: rédigez-en un d’abord",
        "nl": "thema {id} heeft geen ontwerp: schrijf er eerst een",
        "de": "das Thema {id} hat keinen Entwurf: Schreiben Sie zuerst einen",
    },
    "why.rejected_then": {
        "en": "the draft of {id} was rejected as it read then; it now reads “{reads}” and needs a new look",
        "fr": "le défi de {id} a été rejeté dans sa version d’alors\u00a0; il se lit maintenant «\u00a0{reads}\u00a0» et demande une nouvelle relecture",
        "nl": "het ontwerp van {id} werd afgewezen zoals het toen luidde; nu luidt het “{reads}” en moet het opnieuw bekeken worden",
        "de": "der Entwurf von {id} wurde in seiner damaligen Fassung abgelehnt; jetzt lautet er „{reads}“ und muss neu angesehen werden",
    },
    "why.adopt_one": {
        "en": "choose one title or one question to adopt",
        "fr": "choisissez un titre ou une question à adopter",
        "nl": "kies één titel of één vraag om over te nemen",
        "de": "wählen Sie einen Titel oder eine Frage zum Übernehmen",
    },
    "why.comment_gone": {
        "en": "the note commented on is not in this run any more",
        "fr": "la note commentée ne figure plus dans ce traitement",
        "nl": "de becommentarieerde notitie zit niet meer in deze verwerking",
        "de": "die kommentierte Notiz ist nicht mehr in diesem Durchlauf",
    },
    "why.unknown_action": {
        "en": "unknown action {op}",
        "fr": "action inconnue {op}",
        "nl": "onbekende actie {op}",
        "de": "unbekannte Aktion {op}",
    },
    "why.nothing_to_undo": {
        "en": "there is nothing to undo",
        "fr": "il n’y a rien à annuler",
        "nl": "er is niets om ongedaan te maken",
        "de": "es gibt nichts, was sich rückgängig machen ließe",
    },
    # The review's own flags on a draft (see FLAGS); the drafters' flags stay in English
    "flag.redrafted": {
        "en": "drafted again after the review",
        "fr": "rédigé à nouveau après la relecture",
        "nl": "opnieuw opgesteld na het nakijken",
        "de": "nach der Sichtung neu entworfen",
    },
    "flag.edited": {
        "en": "edited by an analyst",
        "fr": "modifié pendant la relecture",
        "nl": "bewerkt bij het nakijken",
        "de": "bei der Sichtung bearbeitet",
    },
    "flag.approved_before": {
        "en": "approved as it read in an earlier run; the pipeline now proposes: “{text}”",
        "fr": "approuvé tel qu’il se lisait dans un traitement précédent\u00a0; ideasynth propose maintenant\u00a0: «\u00a0{text}\u00a0»",
        "nl": "goedgekeurd zoals het luidde in een vorige verwerking; ideasynth stelt nu voor: “{text}”",
        "de": "freigegeben in der Fassung eines früheren Durchlaufs; ideasynth schlägt jetzt vor: „{text}“",
    },
    # The fields a reason names ("{what} is empty")
    "field.the title": {"en": "the title", "fr": "Titre", "nl": "Titel", "de": "Titel"},
    "field.the challenge statement": {
        "en": "the challenge statement",
        "fr": "Énoncé du défi",
        "nl": "Formulering van de uitdaging",
        "de": "Formulierung der Herausforderung",
    },
    "field.a proposal sentence": {
        "en": "a proposal sentence",
        "fr": "Une phrase des pistes proposées",
        "nl": "Een zin van de voorstellen",
        "de": "Ein Satz der Vorschläge",
    },
    "field.the new name": {
        "en": "the new name",
        "fr": "Nouveau nom",
        "nl": "Nieuwe naam",
        "de": "Neuer Name",
    },
    "field.the new theme's name": {
        "en": "the new theme's name",
        "fr": "Nom du nouveau thème",
        "nl": "Naam van het nieuwe thema",
        "de": "Name des neuen Themas",
    },
    "field.the comment": {
        "en": "the comment",
        "fr": "Commentaire",
        "nl": "Opmerking",
        "de": "Kommentar",
    },
}

# The review's reasons, in the English its rules write them, and the message each one is.
REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), key)
    for p, key in [
        (r"no theme given", "why.no_theme"),
        (r"theme (?P<id>\S+) is not in this run any more", "why.theme_gone"),
        (r"(?P<what>.+) is empty", "why.empty"),
        (r"(?P<what>.+) is longer than (?P<limit>\d+) characters", "why.too_long"),
        (r"no notes selected", "why.no_notes"),
        (r"the selected notes are not in this run any more\b.*", "why.notes_gone"),
        (r"none of the selected notes is where it was any more", "why.notes_moved"),
        (r"choose at least two themes to merge", "why.merge_two"),
        (r"none of (?P<ids>.+) is in this run any more", "why.merge_gone"),
        (r"theme id (?P<id>\S+) is already taken", "why.taken"),
        (r"that would leave (?P<id>\S+) empty: select only some of its notes", "why.leave_empty"),
        (r"the selected notes are already in (?P<target>\S+)", "why.already_in"),
        (r"theme (?P<id>\S+) has no draft: write one first", "why.no_draft"),
        (
            r"the draft of (?P<id>\S+) was rejected as it read then; it now reads “(?P<reads>.*)” "
            r"and needs a new look",
            "why.rejected_then",
        ),
        (r"the note commented on is not in this run any more", "why.comment_gone"),
        (r"choose one title or one question to adopt", "why.adopt_one"),
        (r"unknown action (?P<op>.*)", "why.unknown_action"),
        (r"there is nothing to undo", "why.nothing_to_undo"),
    ]
]


# The flags the review puts on a draft, in the English the review writes them.
FLAGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), key)
    for p, key in [
        (r"drafted again after the review", "flag.redrafted"),
        (r"edited by an analyst", "flag.edited"),
        (
            r"approved as it read in an earlier run; the pipeline now proposes: “(?P<text>.*)”",
            "flag.approved_before",
        ),
    ]
]


def plural_form(lang: str, n: int) -> str:
    """``one`` or ``other``: French counts 0 and 1 as one, the others only 1."""
    if lang == "fr":
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


def choose_language(run: RunResult, requested: str | None = None) -> str:
    """The interface language: ``requested`` (``--ui-lang``) if given, else the run's."""
    if requested is not None:
        if requested not in UI_LANGUAGES:
            raise ValueError(
                f"--ui-lang must be one of {', '.join(UI_LANGUAGES)}, not {requested!r}"
            )
        return requested
    lang = handout_language(run)
    return lang if lang in UI_LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class UiText:
    """The app's words in one language; templates call it as ``t("key", n=…)``."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        return TEXT[key][self.lang].format(**values)

    def count(self, key: str, n: int, **values: object) -> str:
        """``key.one`` or ``key.other``, whichever ``n`` takes."""
        return self(f"{key}.{plural_form(self.lang, n)}", n=n, **values)

    def notes(self, n: int) -> str:
        """ "3 notes", "3 notities", "3 Notizen": the handout's words."""
        return LABELS[self.lang].support(n)

    def state(self, value: str | None) -> str:
        """A draft's approval state ("approved", …) in words; ``None``: no draft."""
        key = f"state.{value or 'none'}"
        return self(key) if key in TEXT else str(value)

    def language_name(self, code: str) -> str:
        if code in ("und", ""):
            return self("language.und")
        return LANGUAGE_NAMES.get(code, code)

    def target(self, target: str | None) -> str:
        return self("unassigned") if target == UNASSIGNED else str(target or "")

    def origin(self, origin: str) -> str:
        """ "split from T03" (what the review records) in words."""
        found = re.fullmatch(r"split from (\S+)", origin)
        return self("theme.origin", id=found.group(1)) if found else origin

    def reason(self, message: str) -> str:
        """Why a change cannot be made, in this language where the catalogue knows the form
        of the message, and as it is otherwise (lower case: it follows a colon)."""
        text = message
        for pattern, key in REASONS:
            found = pattern.fullmatch(message)
            if found is None:
                continue
            values = found.groupdict()
            what = values.get("what")
            if what is not None:
                if f"field.{what}" not in TEXT:
                    continue
                values["what"] = self(f"field.{what}")
            text = self(key, **values)
            break
        return text

    def flag(self, flag: str) -> tuple[str, str]:
        """A draft's flag and the language it is shown in: the review's own flags in this
        language, a drafter's flag as it is, in English."""
        for pattern, key in FLAGS:
            found = pattern.fullmatch(flag)
            if found is not None:
                return self(key, **found.groupdict()), self.lang
        return flag, "en"

    def describe(self, action: ReviewAction) -> str:
        """One line a person reads in the history, on the undo button and in messages."""
        ids = action.theme_ids
        values: dict[str, object] = {
            "id": action.theme_id or (action.note_ids or ["?"])[0],
            "label": action.label,
            "notes": self.notes(len(action.note_ids)),
            "target": self.target(action.target),
            "ids": ", ".join(ids[1:]),
            "into": ids[0] if ids else "?",
            "new": action.new_theme_id,
        }
        key = f"did.{action.kind.value}"
        if action.kind is ActionKind.ADOPT:
            key += "_title" if action.title is not None else "_challenge"
            values["text"] = action.title if action.title is not None else action.challenge
        return self(key, **values) if key in TEXT else action.kind.value
