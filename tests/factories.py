"""A small but realistic ``RunResult`` for report tests, built without running the pipeline.

It holds what the report writers must cope with: four languages, a rejected note, a split
parent and its children, unassigned notes, exact and near duplicates, metadata, a note that
tries to inject HTML and one that tries to break Markdown structure, and counts that reconcile.
"""

from __future__ import annotations

import hashlib
import random

from pipeline.schema import (
    UNASSIGNED,
    Counts,
    Draft,
    InputFile,
    Note,
    NoteStatus,
    RejectedInput,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
    count_notes,
)

XLSX = "postits_tables.xlsx"
DOCX = "compte_rendu_atelier.docx"
CSV = "formulaire_en_ligne.csv"

HOSTILE_TEXT = "<img src=x onerror=alert(1)> <script>alert(1)</script> More citizen meetings please"
MARKDOWN_HOSTILE_TEXT = "# Plus de transparence sur les décisions\n- budget participatif | vote"


def note_id(source: str, location: str) -> str:
    """Ids like the pipeline's: short, stable, derived from where the note was found."""
    return "n" + hashlib.sha1(f"{source}|{location}".encode()).hexdigest()[:7]


# (key, lang, theme, source, location, metadata, text): a table, so kept one note per line.
# fmt: off
_ROWS: list[tuple[str, str, str, str, str, dict[str, str], str]] = [
    ("bike_fr", "fr", "t1", XLSX, "row 2", {"table": "1", "author": "Sophie"},
     "Des pistes cyclables séparées de la circulation sur les grands axes"),
    ("bike_nl", "nl", "t1", XLSX, "row 3", {"table": "2"},
     "Veilige fietspaden naar school voor kinderen"),
    ("bike_de", "de", "t1", CSV, "row 4", {"author": "Jonas"},
     "Mehr sichere Fahrradabstellplätze an den Bahnhöfen"),
    ("bike_en", "en", "t1", CSV, "row 6", {},
     "Protected bike lanes on the main avenues"),
    ("parking_fr", "fr", "t1", DOCX, "paragraph 4", {},
     "Plus de parkings vélo sécurisés près des gares"),
    ("bike_fr_dup", "fr", "t1", XLSX, "row 11", {"table": "4"},
     "Des pistes cyclables séparées de la circulation sur les grands axes"),
    ("streets_nl", "nl", "t1", XLSX, "row 12", {"table": "2"},
     "Fietsstraten in de woonwijken"),
    ("trees_fr", "fr", "t2", XLSX, "row 5", {"table": "3", "author": "Amina"},
     "Planter des arbres dans les rues minérales pour lutter contre la chaleur"),
    ("green_nl", "nl", "t2", XLSX, "row 6", {"table": "2"},
     "Meer groen en schaduw op de pleinen"),
    ("garden_de", "de", "t2", CSV, "row 7", {},
     "Gemeinschaftsgärten auf ungenutzten Flächen"),
    ("garden_en", "en", "t2", CSV, "row 8", {"author": "Liam"},
     "Turn empty lots into community gardens"),
    ("trees_fr_near", "fr", "t2", DOCX, "paragraph 6", {},
     "Planter plus d'arbres dans les rues minérales contre la chaleur"),
    ("info_fr", "fr", "t3", DOCX, "paragraph 2", {},
     "Informer les habitants des travaux à l'avance, dans toutes les langues"),
    ("platform_nl", "nl", "t3", XLSX, "row 7", {"table": "4"},
     "Een digitaal platform om ideeën voor de buurt te delen"),
    ("assembly_de", "de", "t3", CSV, "row 9", {},
     "Regelmäßige Bürgerversammlungen im Viertel"),
    ("minutes_en", "en", "t3", CSV, "row 10", {"author": "Grace"},
     "Publish the minutes of every neighbourhood meeting"),
    ("hostile", "en", "t3", CSV, "row 11", {"author": "<b>mallory</b>"},
     HOSTILE_TEXT),
    ("md_hostile", "fr", "t3", DOCX, "paragraph 8", {},
     MARKDOWN_HOSTILE_TEXT),
    ("coffee_en", "en", UNASSIGNED, CSV, "row 12", {},
     "Free coffee at the next workshop!"),
    ("dogs_nl", "nl", UNASSIGNED, XLSX, "row 13", {"table": "1"},
     "Hondenweide in het park"),
]
# fmt: on

_CENTRES = {"t1": (-3.0, 2.0), "t2": (3.0, 2.5), "t3": (0.0, -3.0), UNASSIGNED: (0.0, 0.5)}


def ids() -> dict[str, str]:
    """Note id by the factory's readable key (``"hostile"``, ``"split_parent"``, …)."""
    out = {key: note_id(source, loc) for key, _, _, source, loc, _, _ in _ROWS}
    out["split_parent"] = note_id(XLSX, "row 8")
    out["split_benches"] = out["split_parent"] + "-1"
    out["split_trees"] = out["split_parent"] + "-2"
    out["rejected_marks"] = note_id(XLSX, "row 10")
    out["rejected_short"] = note_id(CSV, "row 3")
    return out


def build_run_result() -> RunResult:
    """The fixture run: 25 notes, 3 themes, 3 drafts, 2 rejected input rows."""
    k = ids()
    rng = random.Random(7)

    def place(theme: str) -> tuple[float, float]:
        cx, cy = _CENTRES[theme]
        spread = 2.5 if theme == UNASSIGNED else 0.9
        return cx + rng.uniform(-spread, spread), cy + rng.uniform(-spread, spread)

    notes: list[Note] = []
    for key, lang, theme, source, loc, meta, text in _ROWS:
        x, y = place(theme)
        notes.append(
            Note(
                id=k[key],
                text=text,
                original_text=text,
                source=source,
                location=loc,
                metadata=meta,
                lang=lang,
                lang_confidence=round(rng.uniform(0.8, 0.99), 2),
                theme_id=theme,
                theme_probability=None if theme == UNASSIGNED else round(rng.uniform(0.6, 1), 2),
                map_x=x,
                map_y=y,
            )
        )
    by_id = {n.id: n for n in notes}
    by_id[k["bike_fr_dup"]].duplicate_of = k["bike_fr"]
    by_id[k["bike_fr_dup"]].duplicate_kind = "exact"
    by_id[k["trees_fr_near"]].duplicate_of = k["trees_fr"]
    by_id[k["trees_fr_near"]].duplicate_kind = "near"

    parent_text = "Plus de bancs; plus d'arbres dans la rue"
    notes.append(
        Note(
            id=k["split_parent"],
            text=parent_text,
            original_text=parent_text,
            source=XLSX,
            location="row 8",
            metadata={"table": "3"},
            lang="fr",
            lang_confidence=0.97,
            status=NoteStatus.SPLIT,
        )
    )
    for key, text, theme in (
        ("split_benches", "Plus de bancs", UNASSIGNED),
        ("split_trees", "plus d'arbres dans la rue", "t2"),
    ):
        x, y = place(theme)
        notes.append(
            Note(
                id=k[key],
                text=text,
                original_text=parent_text,
                source=XLSX,
                location="row 8",
                metadata={"table": "3"},
                lang="fr",
                lang_confidence=0.9,
                parent_id=k["split_parent"],
                theme_id=theme,
                theme_probability=0.7 if theme != UNASSIGNED else None,
                map_x=x,
                map_y=y,
            )
        )
    for key, text, source, loc, reason in (
        ("rejected_marks", "???", XLSX, "row 10", "no letters"),
        ("rejected_short", "ok", CSV, "row 3", "too short (2 characters, minimum 3)"),
    ):
        notes.append(
            Note(
                id=k[key],
                text=text,
                original_text=text,
                source=source,
                location=loc,
                status=NoteStatus.REJECTED,
                reject_reason=reason,
            )
        )

    members: dict[str, list[str]] = {"t1": [], "t2": [], "t3": []}
    for n in notes:
        if n.status is NoteStatus.ACTIVE and n.theme_id in members:
            members[n.theme_id].append(n.id)

    def make_theme(tid: str, label: str, keyphrases: list[str], reps: list[str]) -> Theme:
        langs: dict[str, int] = {}
        for nid in members[tid]:
            lang = next(n.lang for n in notes if n.id == nid)
            langs[lang] = langs.get(lang, 0) + 1
        return Theme(
            id=tid,
            label=label,
            note_ids=members[tid],
            size=len(members[tid]),
            notes_behind=count_notes(members[tid], {n.id: n.parent_id for n in notes}),
            languages=langs,
            keyphrases=keyphrases,
            representative_ids=[k[r] for r in reps],
        )

    themes = [
        make_theme(
            "t1",
            "pistes cyclables · fietspaden · bike lanes",
            ["pistes cyclables", "fietspaden", "bike lanes", "parkings vélo", "sécurité"],
            ["bike_fr", "bike_en", "parking_fr"],
        ),
        make_theme(
            "t2",
            "arbres · groen · community gardens",
            ["arbres", "chaleur", "groen", "Gemeinschaftsgärten", "community gardens"],
            ["trees_fr", "garden_en", "green_nl"],
        ),
        make_theme(
            "t3",
            "habitants · information · <meetings>",
            ["information", "habitants", "Bürgerversammlungen", "platform", "minutes"],
            ["info_fr", "minutes_en", "assembly_de"],
        ),
    ]

    def s(text: str, *keys: str) -> Sentence:
        return Sentence(text=text, cites=[k[key] for key in keys])

    drafts = [
        Draft(
            theme_id="t1",
            language="fr",
            drafter="compose",
            title=s("Des axes cyclables sûrs et séparés", "bike_fr", "bike_en"),
            challenge=s(
                "Comment pourrions-nous rendre les déplacements à vélo sûrs pour tous, "
                "des enfants aux navetteurs ?",
                "bike_fr",
                "bike_nl",
                "bike_en",
            ),
            proposal=[
                s(
                    "Aménager des pistes cyclables séparées sur les grands axes.",
                    "bike_fr",
                    "bike_en",
                    "bike_fr_dup",
                ),
                s("Créer des parkings vélo sécurisés près des gares.", "bike_de", "parking_fr"),
                s("Transformer les rues des quartiers en rues cyclables.", "streets_nl"),
            ],
        ),
        Draft(
            theme_id="t2",
            language="fr",
            drafter="compose",
            title=s("Plus d'arbres et de jardins partagés", "trees_fr", "garden_en"),
            challenge=s(
                "Comment pourrions-nous rafraîchir les rues et les places en y faisant "
                "pousser plus de verdure ?",
                "trees_fr",
                "green_nl",
                "split_trees",
            ),
            proposal=[
                s("Planter des arbres dans les rues minérales.", "trees_fr", "trees_fr_near"),
                s("Ouvrir des jardins partagés sur les terrains vides.", "garden_de"),
            ],
            flags=["weak grounding: sentence 2 of the proposal cites a single note"],
        ),
        Draft(
            theme_id="t3",
            language="fr",
            drafter="compose",
            title=s("Informer et associer les habitants", "info_fr", "minutes_en"),
            challenge=s(
                "Comment pourrions-nous mieux informer les habitants et les associer "
                "aux décisions du quartier ?",
                "info_fr",
                "platform_nl",
                "assembly_de",
            ),
            proposal=[
                s("Annoncer les travaux à l'avance, dans toutes les langues.", "info_fr"),
                s(
                    "Tenir des assemblées de quartier régulières et en publier les comptes rendus.",
                    "assembly_de",
                    "minutes_en",
                    "hostile",
                ),
                s("Partager les idées sur une plateforme numérique.", "platform_nl", "md_hostile"),
            ],
            flags=["fallback drafter used: the generative drafter was unavailable"],
        ),
    ]

    rejected_inputs = [
        RejectedInput(source=XLSX, location="row 9", reason="empty cell"),
        RejectedInput(source=CSV, location="row 5", reason="no text in column 'idea'", text=";;;"),
    ]

    active = [n for n in notes if n.status is NoteStatus.ACTIVE]
    input_notes = sum(1 for n in notes if n.parent_id is None)
    counts = Counts(
        input_rows=input_notes + len(rejected_inputs),
        input_notes=input_notes,
        rejected_rows=len(rejected_inputs),
        rejected=sum(1 for n in notes if n.status is NoteStatus.REJECTED),
        split=sum(1 for n in notes if n.status is NoteStatus.SPLIT),
        split_children=sum(1 for n in notes if n.parent_id is not None),
        kept=sum(1 for n in active if n.parent_id is None),
        ideas=len(active),
        assigned=sum(1 for n in active if n.theme_id != UNASSIGNED),
        unassigned=sum(1 for n in active if n.theme_id == UNASSIGNED),
        themes=len(themes),
        duplicates=sum(1 for n in notes if n.duplicate_of),
    )
    manifest = RunManifest(
        run_id="20250314-103205-a1b2",
        workshop="Atelier citoyen — Mobilité & espaces publics <Bruxelles>",
        created="2025-03-14T10:32:05+01:00",
        ideasynth_version="0.1.0",
        config={
            "cluster": {"method": "umap-hdbscan", "seed": 42},
            "draft": {"drafter": "compose"},
        },
        packages={"pydantic": "2.14.4", "pyarrow": "26.0.1"},
        inputs=[
            InputFile(
                path=XLSX, sha256="a" * 64, format="xlsx", notes=10, rejected=1, text_column="Idée"
            ),
            InputFile(
                path=CSV, sha256="b" * 64, format="csv", notes=9, rejected=1, text_column="idea"
            ),
            InputFile(path=DOCX, sha256="c" * 64, format="docx", notes=4, rejected=0),
        ],
        timings={"ingest": 0.12, "prepare": 0.4, "embed": 3.1, "cluster": 1.7, "draft": 0.2},
        counts=counts,
        reconciles=not counts.problems(),
        clustering={"method": "umap-hdbscan", "min_cluster_size": 4, "n_neighbors": 8},
    )
    return RunResult(
        notes=notes,
        themes=themes,
        drafts=drafts,
        rejected_inputs=rejected_inputs,
        manifest=manifest,
    )
