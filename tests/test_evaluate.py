from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Config
from pipeline.evaluate import (
    Evaluation,
    EvaluationError,
    challenge_labels,
    majority_labels,
    purity,
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
    for key in ("NMI_all", "coverage", "lang_NMI", "AMI", "ARI", "purity", "themes"):
        assert key in summary["fine"] and key in summary["challenges"]
    assert summary["challenges"]["themes"] == 6 and summary["fine"]["themes"] == 12
    assert summary["challenges"]["AMI"] == 1.0 > summary["fine"]["AMI"]
    assert summary["challenges"]["purity"] == summary["fine"]["purity"] == 1.0
    text = evaluation.table()
    assert "challenges (the top level, 6 groups of the 12 themes)" in text
    assert "  purity     1.000 (of the assigned rows)" in text
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
    themes = [_theme("T01", "B1"), _theme("T02", "B1"), _theme("T03", "B2")]
    result = score_against_labels(notes, labels, themes)
    assert result["themes"] == 3
    challenges = result["challenges"]
    assert isinstance(challenges, dict)
    assert challenges["themes"] == 2 and challenges["coverage"] == 0.75
    assert challenges["nmi_all"] > result["nmi_all"]  # T01 and T02 are one topic


def test_purity_weighs_each_group_by_its_size():
    # Group 0: 3 of 4 rows are "a"; group 1: 1 of 2 ("b" and "c" tie); group 2: 1 of 1.
    truth = ["a", "a", "a", "b", "b", "c", "c"]
    groups = [0, 0, 0, 0, 1, 1, 2]
    assert purity(truth, groups) == pytest.approx(5 / 7)
    # Not the mean of the groups' purities (0.75, 0.5, 1.0), which would weigh one row as four.
    assert purity(truth, groups) != pytest.approx((0.75 + 0.5 + 1.0) / 3)
    # The labels' names do not matter, nor which label wins a tie.
    renamed = {"a": "z", "b": "c", "c": "b"}
    assert purity([renamed[t] for t in truth], groups) == pytest.approx(5 / 7)


def test_purity_leaves_unassigned_rows_out_and_coverage_counts_them():
    truth = ["a", "a", "b", "b"]
    assert purity(truth, [0, 0, 1, 1]) == 1.0
    # Unassigned rows of any label are in no group: purity is over the assigned rows.
    with_noise = score([*truth, "a", "b", "c"], [0, 0, 1, 1, -1, -1, -1])
    assert with_noise.purity == 1.0 and with_noise.coverage == pytest.approx(4 / 7, abs=1e-4)
    assert purity(truth, [0, -1, 1, 1]) == 1.0
    assert purity(truth, [0, 0, 0, -1]) == pytest.approx(2 / 3)
    assert purity(truth, [-1, -1, -1, -1]) is None
    assert score(truth, [-1, -1, -1, -1]).purity is None
    assert purity([], []) is None


def test_a_tie_counts_the_majority_once_and_names_every_tied_label():
    assert purity(["a", "b"], [0, 0]) == 0.5
    assert purity(["a", "b", "c", "c", "a"], [0, 0, 0, 0, 0]) == 0.4
    assert majority_labels(Counter(["b", "a", "a", "b", "c"])) == ["a", "b"]
    assert majority_labels(Counter(["b", "a", "b"])) == ["b"]


def test_one_challenge_of_everything_is_as_pure_as_its_largest_label():
    truth = ["a"] * 6 + ["b"] * 3 + ["c"] * 1
    assert score(truth, [0] * 10).purity == 0.6
    assert score(truth, list(range(10))).purity == 1.0  # why purity is read next to AMI


def _theme(theme_id: str, parent: str) -> Theme:
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


def test_a_runs_challenges_say_how_pure_they_are_and_which_intended_themes_they_gather(
    tmp_path: Path,
):
    """B1 gathers a facet of x, a facet of y and one tied between x and z: three intended
    themes; B2 gathers only y. Purity counts notes, the gathered themes count facets."""
    labels = tmp_path / "_themes.csv"
    rows = [("a1", "x"), ("a2", "x"), ("a3", "x"), ("b1", "y"), ("b2", "y"), ("c1", "x")]
    rows += [("c2", "z"), ("d1", "y"), ("d2", "y"), ("d3", "x"), ("e1", "z")]
    labels.write_text(
        "source,text,theme\n" + "".join(f"s.csv,{t},{th}\n" for t, th in rows), "utf-8"
    )
    facet = {"a": "T01", "b": "T02", "c": "T03", "d": "T04", "e": "unassigned"}
    notes = [_note(text, text, facet[text[0]]) for text, _ in rows]
    themes = [_theme("T01", "B1"), _theme("T02", "B1"), _theme("T03", "B1"), _theme("T04", "B2")]
    result = score_against_labels(notes, labels, themes)
    challenges = result["challenges"]
    assert isinstance(challenges, dict)
    # B1: x 4 of 7; B2: y 2 of 3. Weighted: (4 + 2) / 10 assigned notes; e1 is unassigned.
    assert challenges["purity"] == pytest.approx(0.6)
    assert challenges["coverage"] == pytest.approx(10 / 11, abs=1e-4)
    b1, b2 = challenges["per_challenge"]
    assert b1 == {
        "id": "B1",
        "notes": 7,
        "facets": 3,
        "purity": pytest.approx(4 / 7, abs=1e-4),
        "majority": ["x"],
        "intended_themes": ["x", "y", "z"],
    }
    assert b2["id"] == "B2" and b2["intended_themes"] == ["y"] and b2["facets"] == 1
    assert b2["purity"] == pytest.approx(2 / 3, abs=1e-4)
    assert challenges["max_intended_themes"] == 3
    # The fine level is scored with its own purity: (3 + 2 + 1 + 2) / 10.
    assert result["purity"] == pytest.approx(0.8)
    # Manifests are JSON.
    assert json.loads(json.dumps(result)) == result


def test_challenges_are_listed_in_their_ids_order(tmp_path: Path):
    labels = tmp_path / "_themes.csv"
    labels.write_text("source,text,theme\n" + "".join(f"s.csv,n{i},x\n" for i in range(11)))
    notes = [_note(f"n{i}", f"n{i}", f"T{i:02d}") for i in range(11)]
    themes = [_theme(f"T{i:02d}", f"B{10 - i + 1}") for i in range(11)]
    result = score_against_labels(notes, labels, themes)
    challenges = result["challenges"]
    assert isinstance(challenges, dict)
    assert [c["id"] for c in challenges["per_challenge"]] == [f"B{i}" for i in range(1, 12)]
    assert challenges["max_intended_themes"] == 1 and challenges["purity"] == 1.0


LABELLED = {
    "bus": [
        "Plus de bus le soir dans les villages",
        "Des horaires de bus qui suivent les trains",
        "Meer busverbindingen naar de dorpen",
        "More frequent buses to the villages",
        "Abends mehr Busse in die Dörfer",
        "Le bus gratuit pour les moins de 18 ans",
        "Gratis busvervoer voor jongeren",
        "Free buses for pupils and students",
    ],
    "trees": [
        "Planter des arbres dans les cours d'école",
        "Plus d'arbres et d'ombre sur les places",
        "Meer bomen in de straten voor schaduw",
        "Plant more trees along the streets",
        "Mehr Bäume in der Innenstadt pflanzen",
        "Des arbres fruitiers dans les parcs",
        "Bomen planten op de speelplaatsen",
        "Shade trees in every school yard",
    ],
}


def test_evaluate_json_reports_purity_at_both_levels(tmp_path: Path):
    path = tmp_path / "sorted by hand.tsv"
    lines = ["label\ttext"] + [f"{label}\t{t}" for label, texts in LABELLED.items() for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    for level in ("fine", "challenges"):
        figures = summary[level]
        assert figures["n"] == 16
        # Two topics, each written in three or four languages: themes follow them.
        assert figures["purity"] >= 0.8, summary
        assert figures["AMI"] > 0.3, summary
    table = CliRunner().invoke(app, ["evaluate", str(path)])
    assert table.exit_code == 0, table.output
    assert table.output.count("purity") == 2
