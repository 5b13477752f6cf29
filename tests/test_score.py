"""`consistency score`: a bitext written back with a score and flags per unit, streamed in chunks."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.cli import app
from consistency.model import Finding, Severity
from consistency.pipeline import Settings
from consistency.score import bitext_input, score_input, unit_score

runner = CliRunner()
KNOWN = {"de", "fr", "en", "id"}

DE = ["Die Katze schläft auf dem Sofa.",
      "Heute regnet es in Berlin sehr stark.",
      "",  # planted: an empty side
      "Wir haben gestern einen langen Spaziergang im Wald gemacht.",
      "Das Museum ist montags geschlossen.",
      "Der Zug nach München hat zwanzig Minuten Verspätung."]
FR = ["Le chat dort sur le canapé.",
      "Aujourd'hui, il pleut très fort à Berlin.",
      "Le livre est sur la table.",
      "Wir haben gestern einen langen Spaziergang im Wald gemacht.",  # planted: left untranslated
      "Le musée est fermé le lundi.",
      "Le train pour Munich a vingt minutes de retard."]
EMPTY, UNTRANSLATED = 2, 3  # 0-based units
CLEAN = [0, 1, 4, 5]


def _moses(tmp_path: Path) -> list[Path]:
    (tmp_path / "corpus.de").write_text("\n".join(DE) + "\n", encoding="utf-8")
    (tmp_path / "corpus.fr").write_text("\n".join(FR) + "\n", encoding="utf-8")
    return [tmp_path / "corpus.de", tmp_path / "corpus.fr"]


def _tsv(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.tsv"
    lines = ["id\tde\tfr\tnote"] + [f"u{i}\t{d}\t{f}\tn{i}" for i, (d, f) in enumerate(zip(DE, FR))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({"id": i, "de": d, "fr": f, "meta": {"n": i}}, ensure_ascii=False) + "\n"
                            for i, (d, f) in enumerate(zip(DE, FR))), encoding="utf-8")
    return path


def _score(paths, chunk: int = 1000, **kw) -> str:
    out = io.StringIO()
    score_input(bitext_input(paths, KNOWN), out, Settings(), chunk, known=KNOWN, **kw)
    return out.getvalue()


def _check_scores(scores: list[float], flags: list[str]) -> None:
    assert "omission" in flags[EMPTY].split(",") and scores[EMPTY] < 1 / 3
    assert "untranslated" in flags[UNTRANSLATED].split(",") and scores[UNTRANSLATED] < 2 / 3
    for i in CLEAN:
        assert flags[i] == "" and 2 / 3 <= scores[i] <= 1
    assert max(scores[EMPTY], scores[UNTRANSLATED]) < min(scores[i] for i in CLEAN)


def test_moses_written_back_in_order_with_score_and_flags(tmp_path):
    lines = _score(_moses(tmp_path)).splitlines()
    assert len(lines) == len(DE)
    cells = [line.split("\t") for line in lines]
    assert all(len(c) == 4 for c in cells)
    assert [c[0] for c in cells] == DE and [c[1] for c in cells] == FR
    _check_scores([float(c[2]) for c in cells], [c[3] for c in cells])


def test_moses_sides_in_the_order_given(tmp_path):
    de, fr = _moses(tmp_path)
    lines = _score([fr, de]).splitlines()
    assert [line.split("\t")[:2] for line in lines] == [[f, d] for d, f in zip(DE, FR)]


def test_tsv_keeps_header_and_columns(tmp_path):
    lines = _score([_tsv(tmp_path)]).splitlines()
    assert lines[0] == "id\tde\tfr\tnote\tscore\tflags"
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == len(DE)
    assert [r[:4] for r in rows] == [[f"u{i}", d, f, f"n{i}"] for i, (d, f) in enumerate(zip(DE, FR))]
    _check_scores([float(r[4]) for r in rows], [r[5] for r in rows])


def test_csv_quoted_cells_survive(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text('de,fr\n"Hallo, Welt.","Bonjour, le monde."\n', encoding="utf-8")
    lines = _score([path]).splitlines()
    assert lines[0] == "de,fr,score,flags"
    assert lines[1].startswith('"Hallo, Welt.","Bonjour, le monde.",')


def test_jsonl_keeps_keys(tmp_path):
    objs = [json.loads(line) for line in _score([_jsonl(tmp_path)]).splitlines()]
    assert len(objs) == len(DE)
    for i, obj in enumerate(objs):
        assert list(obj) == ["id", "de", "fr", "meta", "score", "flags"]
        assert (obj["id"], obj["de"], obj["fr"], obj["meta"]) == (i, DE[i], FR[i], {"n": i})
    _check_scores([o["score"] for o in objs], [o["flags"] for o in objs])


@pytest.mark.parametrize("make", [_moses, lambda p: [_tsv(p)], lambda p: [_jsonl(p)]])
def test_chunking_does_not_change_the_output(tmp_path, make):
    paths = make(tmp_path)
    assert _score(paths, chunk=2) == _score(paths, chunk=1000)


def test_a_unit_without_text_is_flagged_empty(tmp_path):
    (tmp_path / "c.de").write_text("Die Katze schläft.\n\n", encoding="utf-8")
    (tmp_path / "c.fr").write_text("Le chat dort.\n\n", encoding="utf-8")
    lines = _score([tmp_path / "c.de", tmp_path / "c.fr"]).splitlines()
    assert lines[1] == "\t\t0.0000\tempty"


def test_score_bands_are_monotone_in_severity():
    def finding(sev: Severity) -> Finding:
        return Finding(kind="x", severity=sev, lang="fr", path="p", paragraph=1, line=1, text="", message="",
                       score=1.0)

    clean = [unit_score(s, []) for s in (0.0, 0.5, 1.0)]
    info = [unit_score(s, [finding(Severity.INFO)]) for s in (0.0, 1.0)]
    warning = [unit_score(s, [finding(Severity.WARNING)]) for s in (0.0, 1.0)]
    error = [unit_score(s, [finding(Severity.ERROR), finding(Severity.WARNING)]) for s in (0.0, 1.0)]
    assert max(error) < min(warning) and max(warning) < min(clean) and info == [clean[0], clean[2]]
    assert all(0 <= s <= 1 for s in clean + warning + error)


def invoke(*args):
    return runner.invoke(app, ["score", *[str(a) for a in args]])


def test_cli_writes_the_file_and_streams_stdout(tmp_path):
    out = tmp_path / "scored.tsv"
    r = invoke(*_moses(tmp_path), "-o", out, "-q")
    assert r.exit_code == 0, r.output
    written = out.read_text(encoding="utf-8")
    assert len(written.splitlines()) == len(DE)
    r = invoke(*_moses(tmp_path), "-q")
    assert r.exit_code == 0 and r.stdout == written
    r = invoke(_jsonl(tmp_path), "--flag-on", "error")
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == len(DE)


@pytest.mark.parametrize("files,args,message", [
    ({"corpus.de": "a\nb\n", "corpus.fr": "a\n"}, [], "differ in length"),
    ({"corpus.de": "a\n", "other.fr": "a\n"}, [], "one stem"),
    ({"notes.txt": "a\n"}, [], ".jsonl"),
    ({"b.jsonl": '{"de": "a", "fr": "b"}\n[1]\n'}, [], ":2: not a JSON object"),
    ({"b.tsv": "x\ty\na\tb\n"}, [], "header"),
    ({"b.jsonl": '{"de": "a", "note": "b"}\n'}, [], "fewer than two languages"),
    ({"corpus.de": "a\n", "corpus.fr": "b\n"}, ["--chunk", "0"], "--chunk"),
    ({"corpus.de": "a\n", "corpus.fr": "b\n"}, ["--flag-on", "loud"], "--flag-on"),
    ({"corpus.de": b"\xff\xfe\x00a\n", "corpus.fr": "b\n"}, [], "UTF-8"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, files, args, message):
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        paths.append(tmp_path / name)
    out = tmp_path / "scored.tsv"
    out.write_text("old\n", encoding="utf-8")
    r = invoke(*paths, "-o", out, *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.output
    assert out.read_text(encoding="utf-8") == "old\n"  # untouched: written only once complete
    assert not list(tmp_path.glob(".scored.tsv*"))  # no temp file left behind


def test_cli_refuses_an_output_that_is_an_input(tmp_path):
    de, fr = _moses(tmp_path)
    r = invoke(de, fr, "-o", fr)
    assert r.exit_code == 2 and "one of the inputs" in r.stderr
    assert fr.read_text(encoding="utf-8") == "\n".join(FR) + "\n"


def test_cli_missing_file(tmp_path):
    r = invoke(tmp_path / "nothing.tsv")
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_streams_an_endless_input_lazily():
    """Units come out chunk by chunk: an input without end still gives its first units (constant memory)."""
    from itertools import count, islice

    from consistency.bitext import Row
    from consistency.score import score_units

    rows = (Row(n, {"de": DE[0], "fr": FR[0]}, n) for n in count(1))
    got = list(islice(score_units(rows, Settings(), chunk=2), 3))
    assert [s.row.number for s in got] == [1, 2, 3] and all(s.flags == "" for s in got)
