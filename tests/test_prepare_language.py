"""Language identification of short notes among the workshop's languages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import pipeline.prepare.language as language
from pipeline.config import PrepareConfig
from pipeline.memo import TextMemo
from pipeline.prepare import prepare
from pipeline.prepare.language import (
    LOW_CONFIDENCE,
    ONE_WORD_CAP,
    SCRIPT_LANGUAGES,
    Detection,
    detect_in_workshop,
    detect_language,
    detect_languages,
    discover_languages,
    dominant_languages,
    get_detector,
    script_languages,
    smooth_by_source,
    workshop_languages,
)
from pipeline.schema import NoteStatus, RawNote

LANGS = ["fr", "nl", "de", "en"]

NOTES = {
    "fr": [
        "Formation des agents à l'écoute",
        "Plus de bancs dans les parcs",
        "Clarifier qui est responsable juridiquement",
        "Ateliers itinérants dans les villages",
        "Rendre compte aux habitants après chaque réunion",
        "Une charte contre la participation alibi",
        "Budget participatif garanti par la loi",
        "Former les managers aussi",
        "Toujours les mêmes retraités aux réunions",
        "Pas de recours humain possible",
    ],
    "nl": [
        "Burgers beter informeren over besluiten",
        "Meer fietspaden naar school",
        "Vergaderen op zaterdagvoormiddag",
        "Sleutelfiguren uit gemeenschappen inschakelen",
        "Een decreet burgerparticipatie",
        "Eerlijk zeggen waar burgers invloed hebben",
        "Opleiding voor ambtenaren",
        "Lerend netwerk over de diensten heen",
        "Geen inspraak als de beslissing al genomen is",
        "Oefenen met rollenspelen",
    ],
    "de": [
        "Mehr Transparenz bei Algorithmen",
        "Jugendliche über Schulen erreichen",
        "Führungskräfte zuerst schulen",
        "Recht auf Anhörung verbindlich festschreiben",
        "Aufsuchende Beteiligung in den Stadtteilen",
        "Keine Scheinbeteiligung",
        "Wer kontrolliert die Einhaltung der Charta?",
        "Praxisbegleitung statt nur Theorie",
        "Netzwerk braucht Ressourcen und Koordination",
        "Ohne Rückmeldung kommt keiner wieder",
    ],
    "en": [
        "Close the feedback loop with participants",
        "Train staff in facilitation",
        "Work with trusted local organisations",
        "Pay people for their time",
        "Who audits the vendor's model?",
        "Reach young people where they are",
        "Staff need confidence more than toolkits",
        "Same usual suspects at every meeting",
        "Tell people what happened to their input",
        "Budget for external trainers",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_short_notes_are_identified_in_each_language(lang: str) -> None:
    detections = detect_languages(NOTES[lang], LANGS)
    correct = sum(d.lang == lang for d in detections)
    assert correct >= 9, [(t, d.lang) for t, d in zip(NOTES[lang], detections, strict=True)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Formation des agents à l'écoute", "fr"),
        ("Burgers beter informeren over besluiten", "nl"),
        ("Mehr Transparenz bei Algorithmen", "de"),
        ("Close the feedback loop with participants", "en"),
        ("Toujours les mêmes retraités aux réunions publiques", "fr"),
        ("Geen inspraak organiseren als de beslissing al genomen is", "nl"),
        ("Aufsuchende Beteiligung in den Stadtteilen", "de"),
        ("Tell people what happened to their input", "en"),
    ],
)
def test_unambiguous_notes_get_their_language_confidently(text: str, lang: str) -> None:
    detection = detect_language(text, LANGS)
    assert detection.lang == lang
    assert detection.confidence >= LOW_CONFIDENCE
    assert detection.candidates[0][0] == lang
    assert {code for code, _ in detection.candidates} == set(LANGS)


def test_und_only_for_texts_without_letters() -> None:
    detections = detect_languages(["", "???", "👍👍", "12 34 !"], LANGS)
    assert [(d.lang, d.confidence) for d in detections] == [("und", 0.0)] * 4


def test_text_with_words_always_gets_a_language() -> None:
    one_word, cyrillic, ethiopic = detect_languages(
        ["Scheinbeteiligung", "участие граждан", "የዜጎች ተሳትፎ"], LANGS
    )
    assert one_word.lang == "de"
    assert one_word.confidence <= ONE_WORD_CAP  # one word: a guess, flagged as uncertain
    assert cyrillic.lang == "ru"  # its script's language, though not the workshop's
    assert ethiopic.lang in LANGS  # a script with no language of its own here
    assert ethiopic.confidence == 0.0


def test_fallback_language_for_texts_the_detector_cannot_place() -> None:
    (detection,) = detect_languages(["የዜጎች ተሳትፎ"], LANGS, fallback="nl")
    assert (detection.lang, detection.confidence) == ("nl", 0.0)


def test_detection_is_restricted_to_the_configured_languages() -> None:
    detection = detect_language("Close the feedback loop with participants", ["fr", "nl"])
    assert detection.lang in ("fr", "nl")
    assert {code for code, _ in detection.candidates} == {"fr", "nl"}


def test_a_single_configured_language_is_always_chosen() -> None:
    detection = detect_language("Mehr Transparenz bei Algorithmen", ["fr"])
    assert (detection.lang, detection.confidence) == ("fr", 1.0)


def test_unsupported_language_codes_are_reported() -> None:
    with pytest.raises(ValueError, match="unsupported language code 'qq'"):
        detect_languages(["hello world"], ["en", "qq"])


def test_the_detector_is_built_once_per_language_set() -> None:
    assert get_detector(["fr", "nl", "de", "en"]) is get_detector(["en", "de", "nl", "fr"])


def _guess(lang: str, confidence: float, *others: tuple[str, float]) -> Detection:
    return Detection(lang, confidence, ((lang, confidence), *others))


def test_dominant_language_counts_only_confident_notes() -> None:
    detections = [_guess("fr", 0.9), _guess("fr", 0.8), _guess("nl", 0.3), _guess("nl", 0.2)]
    sources = ["a.csv"] * 4
    assert dominant_languages(detections, sources) == {"a.csv": "fr"}


def test_smoothing_prefers_the_file_language_for_short_uncertain_notes() -> None:
    confident = [_guess("fr", 0.95)] * 3
    uncertain = _guess("en", 0.40, ("fr", 0.35), ("nl", 0.15), ("de", 0.10))
    not_top2 = _guess("en", 0.40, ("nl", 0.35), ("fr", 0.15), ("de", 0.10))
    sure = _guess("en", 0.90, ("fr", 0.05))
    texts = ["Des idées claires"] * 3 + [
        "budget formation",
        "budget formation",
        "Pay people",
        "x y",
    ]
    detections = [*confident, uncertain, not_top2, sure, uncertain]
    sources = ["a.csv"] * 6 + ["b.csv"]
    smoothed = smooth_by_source(detections, texts, sources)
    assert smoothed[3].lang == "fr" and smoothed[3].confidence == pytest.approx(0.35)
    assert smoothed[4].lang == "en"  # the file's language is not among its two best
    assert smoothed[5].lang == "en"  # confident enough on its own
    assert smoothed[6].lang == "en"  # b.csv has no dominant language


def test_smoothing_leaves_longer_notes_alone() -> None:
    detections = [_guess("fr", 0.95)] * 2 + [_guess("en", 0.40, ("fr", 0.35))]
    texts = ["Des idées", "Des idées", "budget for external trainers of the region"]
    smoothed = smooth_by_source(detections, texts, ["a.csv"] * 3)
    assert smoothed[2].lang == "en"


# --- languages outside the configured ones ------------------------------------------------

ITALIAN = [
    "Coinvolgere i giovani attraverso le scuole del quartiere",
    "Bisogna spiegare ai cittadini cosa succede alle loro proposte",
    "Gli incontri dovrebbero svolgersi anche di sera o nel fine settimana",
    "Formare i dipendenti comunali alla facilitazione dei gruppi",
    "Troppe riunioni con sempre le stesse persone anziane",
    "Chi controlla gli algoritmi che leggono i nostri contributi?",
]
WORKSHOP = [text for texts in NOTES.values() for text in texts]


def test_a_language_a_clear_share_of_notes_are_written_in_is_found() -> None:
    found = discover_languages(WORKSHOP + ITALIAN, LANGS)
    assert list(found) == ["it"]
    assert 3 <= found["it"] <= len(ITALIAN)
    assert workshop_languages(WORKSHOP + ITALIAN, LANGS) == [*LANGS, "it"]


def test_found_languages_are_detected_like_configured_ones() -> None:
    detections = detect_in_workshop(WORKSHOP + ITALIAN, PrepareConfig(languages=LANGS))
    assert [d.lang for d in detections[-len(ITALIAN) :]] == ["it"] * len(ITALIAN)
    # Restricted to the configured languages, the same notes are forced into one of them.
    forced = detect_languages(ITALIAN, LANGS)
    assert all(d.lang in LANGS for d in forced)


def test_notes_in_the_configured_languages_reveal_no_other_language() -> None:
    assert discover_languages(WORKSHOP, LANGS) == {}


def test_one_stray_note_does_not_add_a_language() -> None:
    stray = [ITALIAN[0], "Necesitamos más espacios verdes en el barrio para los niños"]
    assert discover_languages(WORKSHOP + stray, LANGS) == {}


def test_short_notes_do_not_reveal_a_language() -> None:
    short = ["Più panchine", "Bilancio partecipativo", "Ascoltare tutti", "Meno burocrazia"]
    assert discover_languages(WORKSHOP + short, LANGS) == {}


def test_a_single_configured_language_still_finds_a_clear_other_one() -> None:
    """The restricted detector is sure of every note when it has one language to choose;
    lingua over all languages, sure of Italian, still counts the Italian notes."""
    assert list(discover_languages(NOTES["fr"] + ITALIAN, ["fr"])) == ["it"]
    assert discover_languages(NOTES["fr"], ["fr"]) == {}


def test_a_confidently_wrong_restricted_guess_does_not_hide_a_language() -> None:
    """Turkish notes come out German or French with confidence near 1 among fr/nl/de/en."""
    turkish = [
        "Mahallemizde daha fazla yeşil alana ihtiyacımız var",
        "Toplantılar akşam veya hafta sonu yapılmalı",
        "Fikirlerimize ne olduğunu kimse açıklamıyor",
        "Belediye bütçesinin bir kısmı vatandaşlar tarafından belirlenmeli",
    ]
    assert min(d.confidence for d in detect_languages(turkish, LANGS)) > 0.5
    assert list(discover_languages(WORKSHOP + turkish, LANGS)) == ["tr"]


def test_discovery_can_be_turned_off() -> None:
    config = PrepareConfig(languages=LANGS, discover_languages=False)
    assert workshop_languages(WORKSHOP + ITALIAN, LANGS, discover=False) == LANGS
    detections = detect_in_workshop(WORKSHOP + ITALIAN, config)
    assert {d.lang for d in detections} <= set(LANGS)


def test_discovery_is_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-run finds the same languages from the memo, without loading lingua's detectors."""
    first = discover_languages(WORKSHOP + ITALIAN, LANGS, memo=TextMemo(tmp_path))

    def no_detector(*args: object, **kwargs: object) -> None:
        raise AssertionError("a remembered text needed a detector")

    monkeypatch.setattr(language, "get_detector", no_detector)
    monkeypatch.setattr(language, "_detectors", {})
    assert discover_languages(WORKSHOP + ITALIAN, LANGS, memo=TextMemo(tmp_path)) == first


FR_ZH_AR = [
    ("fr", "Plus de pistes cyclables sur les grands axes"),
    ("fr", "Des bancs à l'ombre dans le parc"),
    ("fr", "Un marché couvert le samedi matin"),
    ("zh", "更多自行车道"),
    ("zh", "公园里的长椅"),
    ("zh", "每周六的菜市场"),
    ("zh", "学校附近的安全过街"),
    ("ar", "المزيد من مسارات الدراجات"),
    ("ar", "مقاعد في الحديقة"),
    ("ar", "سوق مغطى يوم السبت"),
    ("ru", "Больше велосипедных дорожек в городе"),
    ("uk", "Більше велосипедних доріжок у місті"),
    ("ja", "東京の公園にベンチを"),
    ("ko", "공원에 벤치를 더 많이"),
    ("el", "Περισσότεροι ποδηλατόδρομοι"),
]


@pytest.mark.parametrize("languages", [["fr", "ar"], ["fr", "nl", "de", "en"], ["fr"]])
def test_non_latin_scripts_are_tagged_by_script_first(languages: list[str]) -> None:
    """A fr/zh/ar workshop's Chinese notes were tagged Arabic (or French): the statistical
    guess among the workshop's languages has no Chinese to choose."""
    texts = [text for _, text in FR_ZH_AR]
    found = [d.lang for d in detect_languages(texts, languages)]
    assert found == [lang for lang, _ in FR_ZH_AR]


def test_script_languages() -> None:
    assert script_languages("Plus de bancs") is None
    assert script_languages("Wi-Fi gratuit 免费") is None  # mostly Latin
    assert script_languages("更多自行车道") == ("zh",)
    assert script_languages("東京の公園") == ("ja",)
    assert script_languages("Скамейки") == SCRIPT_LANGUAGES["CYRILLIC"]
    assert script_languages("123 !!") is None


def test_prepared_chinese_notes_are_chinese_in_a_fr_zh_ar_workshop() -> None:
    raw = [
        RawNote(id=f"n{i}", text=text, source="table.csv", location=f"row {i + 2}")
        for i, (_, text) in enumerate(FR_ZH_AR[:10])
    ]
    notes = prepare(raw, PrepareConfig(languages=["fr", "ar"]))
    langs = Counter(n.lang for n in notes if n.status is NoteStatus.ACTIVE)
    assert langs == {"fr": 3, "zh": 4, "ar": 3}
