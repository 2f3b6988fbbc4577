from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.config import Config
from pipeline.evaluate import (
    Evaluation,
    EvaluationError,
    challenge_labels,
    read_labelled_tsv,
    score,
    score_against_labels,
)
from pipeline.schema import Note, NoteStatus, Theme


def test_noise_counts_as_one_cluster_in_nmi_all():
    perfect = score(["a", "a", "b", "b"], [0, 0, 1, 1], ["fr", "nl", "fr", "nl"])
    assert perfect.nmi_all == 1.0 and perfect.coverage == 1.0 and perfect.themes == 2
    assert perfect.lang_nmi == 0.0
    assert perfect.ami == 1.0
    half_noise = score(["a", "a", "b", "b"], [0, -1, 1, -1])
    assert half_noise.coverage == 0.5
    assert half_noise.nmi_all < 1.0
    assert half_noise.lang_nmi is None


def test_ami_does_not_reward_themes_that_only_split_the_notes_small():
    truth = ["a", "b", "c", "d"] * 15
    for seed in range(5):  # 60 notes in 15 themes drawn at random, blind to the labels
        blind = score(truth, np.random.default_rng(seed).integers(0, 15, 60).tolist())
        assert blind.nmi_all > 0.15  # what NMI gives by chance alone at this size
        assert abs(blind.ami) < 0.1


def test_language_clusters_are_caught():
    by_language = score(["a", "b", "a", "b"], [0, 0, 1, 1], ["fr", "fr", "nl", "nl"])
    assert by_language.nmi_all == 0.0
    assert by_language.lang_nmi == 1.0


def test_challenges_group_fine_themes_and_both_levels_are_reported():
    """Twelve fine themes, each topic split in two: the challenges join each pair, and the report
    gives both levels, as ``ideasynth evaluate --json`` prints them."""
    rng = np.random.default_rng(0)
    axes = rng.normal(size=(6, 24))
    rows, fine, truth = [], [], []
    for theme in range(12):
        centre = axes[theme // 2] + rng.normal(scale=0.02, size=24)
        for _ in range(10):
            rows.append(centre + rng.normal(scale=0.05, size=24))
            fine.append(theme)
            truth.append(f"topic {theme // 2}")
    x = np.asarray(rows, dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    langs = ["fr", "nl"] * (len(rows) // 2)
    challenges = challenge_labels(x, langs, fine, Config())
    assert len(set(challenges)) == 6
    evaluation = Evaluation(fine=score(truth, fine, langs), challenges=score(truth, challenges))
    summary = evaluation.summary()
    assert set(summary) == {"fine", "challenges"}
    for key in ("NMI_all", "coverage", "lang_NMI", "AMI", "ARI", "themes"):
        assert key in summary["fine"] and key in summary["challenges"]
    assert summary["challenges"]["themes"] == 6 and summary["fine"]["themes"] == 12
    assert summary["challenges"]["AMI"] == 1.0 > summary["fine"]["AMI"]
    text = evaluation.table()
    assert "challenges (the top level, 6 groups of the 12 themes)" in text
    # A requested number of challenges is kept.
    requested = Config.model_validate({"cluster": {"broad_themes": 3}})
    assert len(set(challenge_labels(x, langs, fine, requested))) == 3


def test_read_labelled_errors(tmp_path: Path):
    path = tmp_path / "x.tsv"
    path.write_text("uid\ttext\n1\thello\n")
    with pytest.raises(EvaluationError, match=r"missing column\(s\) label \(found: uid, text\)"):
        read_labelled_tsv(path)
    with pytest.raises(EvaluationError, match="file not found"):
        read_labelled_tsv(tmp_path / "none.tsv")


def test_an_excel_export_with_semicolons_and_cp1252_is_read_like_notes(tmp_path: Path):
    # Excel in a French locale: cp1252, ";" between cells, capitalised headers, a quoted
    # cell holding the delimiter and a line break.
    path = tmp_path / "tri à la main.csv"
    rows = 'Label ; Text;Lang\r\nmobilité;"Des vélos; partout\r\ndans la ville";fr\r\n'
    path.write_bytes((rows + "budget;Un budget participatif élargi;fr\r\n").encode("cp1252"))
    frame = read_labelled_tsv(path)
    assert frame["label"].tolist() == ["mobilité", "budget"]
    assert frame["text"].tolist() == [
        "Des vélos; partout\r\ndans la ville",
        "Un budget participatif élargi",
    ]
    assert frame["lang"].tolist() == ["fr", "fr"]


def test_a_tab_separated_file_is_read_whatever_its_name(tmp_path: Path):
    path = tmp_path / "labels.txt"
    path.write_text("\ufefflabel\ttext\nmobilité\tDes vélos, partout\n", encoding="utf-8")
    frame = read_labelled_tsv(path)
    assert frame[["label", "text"]].values.tolist() == [["mobilité", "Des vélos, partout"]]


def test_rows_without_a_label_or_text_are_left_out_and_counted(tmp_path: Path):
    path = tmp_path / "partly.csv"
    path.write_text(
        "label,text\nmobilité,Des vélos\n,Pas encore triée\nbudget,\n", encoding="utf-8"
    )
    frame = read_labelled_tsv(path)
    assert frame[["label", "text"]].values.tolist() == [["mobilité", "Des vélos"]]
    assert frame.attrs["unlabelled"] == 1
    path.write_text("label,text\n,Pas encore triée\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="no labelled rows"):
        read_labelled_tsv(path)


def test_labels_are_stripped_so_a_stray_space_is_not_another_theme(tmp_path: Path):
    path = tmp_path / "spaces.csv"
    path.write_text("label;text;lang\n mobilité ;Des vélos; fr\nmobilité;Des bus;fr\n", "utf-8")
    frame = read_labelled_tsv(path)
    assert frame["label"].tolist() == ["mobilité", "mobilité"]
    assert frame["lang"].tolist() == ["fr", "fr"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Label,label,text\na,,hello\n", "columns 'Label' and 'label' could both be 'label'"),
        ("label,text\nA,hello,extra\nB,world\n", "cannot read as CSV"),
        ("label,text\nA,hello\nB,world,extra\n", "cannot read as CSV"),
    ],
)
def test_ambiguous_columns_and_extra_cells_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "labels.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=message) as raised:
        read_labelled_tsv(path)
    assert str(raised.value).startswith(f"{path}: ") and "\n" not in str(raised.value)


def test_a_forced_encoding_is_used(tmp_path: Path):
    path = tmp_path / "latin.tsv"
    path.write_bytes("label\ttext\nvélo\tDes pistes cyclables\n".encode("latin-1"))
    assert read_labelled_tsv(path, "latin-1")["label"].tolist() == ["vélo"]
    with pytest.raises(EvaluationError, match="utf-16"):
        read_labelled_tsv(path, "utf-16")


def test_a_file_that_is_not_text_gets_one_line_naming_it(tmp_path: Path):
    path = tmp_path / "labels.tsv"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    with pytest.raises(EvaluationError) as raised:
        read_labelled_tsv(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message


def _note(id_, text, theme, parent=None, status=NoteStatus.ACTIVE, source="s.csv"):
    return Note(
        id=id_,
        text=text,
        original_text=text,
        source=source,
        location="row 2",
        lang="fr",
        status=status,
        parent_id=parent,
        theme_id=theme,
    )


def test_score_against_labels_follows_parents(tmp_path: Path):
    labels = tmp_path / "_themes.csv"
    labels.write_text('source,text,theme\ns.csv,"a; b",x\ns.csv,c,y\ns.csv,d,x\ns.csv,???,\n')
    notes = [
        _note("p", "a; b", None, status=NoteStatus.SPLIT),
        _note("p-1", "a", "T01", parent="p"),
        _note("p-2", "b", "T01", parent="p"),
        _note("c", "c", "T02"),
        _note("d", "d", "unassigned"),
        _note("j", "???", None, status=NoteStatus.REJECTED),
        _note("z", "not in the file", "T02"),
    ]
    result = score_against_labels(notes, labels)
    assert result["scored"] == 4
    assert result["unlabelled"] == 1
    assert result["coverage"] == 0.75
    assert "challenges" not in result


def test_score_against_labels_scores_the_challenges_too(tmp_path: Path):
    labels = tmp_path / "_themes.csv"
    labels.write_text("source,text,theme\ns.csv,a,x\ns.csv,b,x\ns.csv,c,y\ns.csv,d,y\n")
    notes = [
        _note("a", "a", "T01"),
        _note("b", "b", "T02"),
        _note("c", "c", "T03"),
        _note("d", "d", "unassigned"),
    ]

    def theme(theme_id: str, parent: str) -> Theme:
        return Theme(
            id=theme_id,
            label=theme_id,
            note_ids=[],
            size=1,
            languages={},
            keyphrases=[],
            representative_ids=[],
            parent_id=parent,
        )

    themes = [theme("T01", "B1"), theme("T02", "B1"), theme("T03", "B2")]
    result = score_against_labels(notes, labels, themes)
    assert result["themes"] == 3
    challenges = result["challenges"]
    assert isinstance(challenges, dict)
    assert challenges["themes"] == 2 and challenges["coverage"] == 0.75
    assert challenges["nmi_all"] > result["nmi_all"]  # T01 and T02 are one topic
