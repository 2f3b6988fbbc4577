"""The text memo: per-text language processing remembered in memory and on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline import memo, nlp
from pipeline.config import Config
from pipeline.describe import describe_themes
from pipeline.ingest import ingest
from pipeline.memo import TextMemo, forget_in_memory
from pipeline.prepare import language, prepare
from pipeline.schema import NoteStatus

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture
def empty_memory(monkeypatch):
    monkeypatch.setattr(memo, "_memory", {})


def test_entries_outlive_the_process_memory_and_kinds_stay_apart(tmp_path, empty_memory):
    disk = TextMemo(tmp_path)
    stored = disk.remember("lemmas/fr/v1", {"Les vélos": [("les", "le"), ("vélos", "vélo")]})
    assert stored == {"Les vélos": [["les", "le"], ["vélos", "vélo"]]}  # as it reads back
    forget_in_memory()
    again = TextMemo(tmp_path)  # a later process opens the same folder
    assert again.recall("lemmas/fr/v1", ["Les vélos", "unknown"]) == stored
    assert again.recall("lemmas/fr/v2", ["Les vélos"]) == {}  # another model version
    assert len(again) == 1
    assert TextMemo().recall("lemmas/fr/v1", ["Les vélos"]) == stored  # now in memory too


def test_the_memory_layer_keeps_its_bound(monkeypatch, empty_memory):
    monkeypatch.setattr(memo, "MEMORY_MAX", 2)
    in_memory = TextMemo()
    in_memory.remember("k", {"a": [1], "b": [2], "c": [3]})
    assert in_memory.recall("k", ["a", "b", "c"]) == {"b": [2], "c": [3]}  # oldest dropped


def _prepared_and_described(config: Config, text_memo: TextMemo):
    raw = ingest(SAMPLE, config.ingest).notes
    notes = prepare(raw, config.prepare, text_memo)
    active = [n for n in notes if n.status is NoteStatus.ACTIVE]
    labels = [i % 5 for i in range(len(active))]  # any grouping: describe lemmatises all
    embeddings = np.eye(len(active), 8, dtype=np.float32)
    themes = describe_themes(active, labels, embeddings, config.describe, memo=text_memo)
    return notes, themes


def test_a_re_run_from_the_disk_memo_needs_no_language_model(tmp_path, monkeypatch):
    import spacy.util  # here, not at the top: a test below runs this module without spaCy

    config = Config()
    monkeypatch.setattr(memo, "_memory", {})
    first = _prepared_and_described(config, TextMemo(tmp_path))
    # A new process: nothing in memory, and neither spaCy nor lingua may be touched.
    monkeypatch.setattr(memo, "_memory", {})

    def refuse(*args, **kwargs):
        raise AssertionError("a language model was loaded for a text the memo knows")

    monkeypatch.setattr(nlp, "get_nlp", refuse)
    monkeypatch.setattr(spacy.util, "get_lang_class", refuse)
    monkeypatch.setattr(language, "get_detector", refuse)
    again = _prepared_and_described(config, TextMemo(tmp_path))
    assert again == first
    splits = [n for n in first[0] if n.status is NoteStatus.SPLIT]
    assert splits and {n.lang for n in first[0]} >= {"fr", "nl", "de", "en"}


def test_a_re_run_from_the_disk_memo_does_not_even_import_spacy(tmp_path, empty_memory):
    """Importing spaCy costs 2 s (thinc brings PyTorch along): a process whose notes are all
    in the memo must not pay it."""
    _prepared_and_described(Config(), TextMemo(tmp_path))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.config import Config\n"
        "from pipeline.memo import TextMemo\n"
        "from tests.test_memo import _prepared_and_described\n"
        f"_prepared_and_described(Config(), TextMemo(Path({str(tmp_path)!r})))\n"
        "print(sorted(m for m in ('spacy', 'thinc', 'torch') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_new_text_loads_only_its_own_language(tmp_path, monkeypatch, empty_memory):
    text_memo = TextMemo(tmp_path)
    nlp.lemmas_many(["Les citoyens votent", "Burgers stemmen mee"], ["fr", "nl"], text_memo)
    forget_in_memory()
    loaded = []
    real = nlp.get_nlp
    monkeypatch.setattr(nlp, "get_nlp", lambda lang: loaded.append(lang) or real(lang))
    lemmas = nlp.lemmas_many(
        ["Les citoyens votent", "Burgers stemmen mee", "Jongeren stemmen niet"],
        ["fr", "nl", "nl"],
        text_memo,
    )
    assert loaded == ["nl"]
    assert lemmas[0] == ["citoyen", "voter"] and "jongeren" in lemmas[2]


def test_the_code_digest_follows_the_files_bytes(tmp_path):
    code = tmp_path / "helper.py"
    code.write_text("def lemmas(): return 1\n", encoding="utf-8")
    before = memo.code_digest(code)
    assert memo.code_digest(code) == before
    code.write_text("def lemmas(): return 2\n", encoding="utf-8")
    assert memo.code_digest(code) != before
    assert memo.code_digest(Path(nlp.__file__)) == nlp.CODE_DIGEST
    assert memo.code_digest(Path(language.__file__)) == language.CODE_DIGEST


def test_lemmas_remembered_by_other_code_are_not_read(tmp_path, monkeypatch, empty_memory):
    """A memo entry written under another digest of ``pipeline/nlp.py`` (another release or
    branch sharing the cache folder) is never handed to this code."""
    text_memo = TextMemo(tmp_path)
    text = "Les citoyens votent"
    kind = f"lemmas/{nlp.pipeline_version('fr')}"
    text_memo.remember(kind, {text: [["citoyens", "stale"]]})
    assert nlp.lemmas_many([text], ["fr"], text_memo) == [["stale"]]  # this code's entry
    monkeypatch.setattr(nlp, "CODE_DIGEST", "0" * 12)
    nlp.pipeline_version.cache_clear()
    try:
        assert nlp.lemmas_many([text], ["fr"], text_memo) == [["citoyen", "voter"]]
    finally:
        monkeypatch.undo()
        nlp.pipeline_version.cache_clear()


def test_languages_remembered_by_other_code_are_not_read(tmp_path, monkeypatch, empty_memory):
    text_memo = TextMemo(tmp_path)
    text = "Les citoyens votent pour plus de pistes cyclables"
    kind = language._memo_kind(["fr", "nl"], False)
    text_memo.remember(kind, {text: [["nl", 0.9], ["fr", 0.1]]})
    assert language.detect_languages([text], ["fr", "nl"], memo=text_memo)[0].lang == "nl"
    monkeypatch.setattr(language, "CODE_DIGEST", "0" * 12)
    assert language._memo_kind(["fr", "nl"], False) != kind
    assert language.detect_languages([text], ["fr", "nl"], memo=text_memo)[0].lang == "fr"
