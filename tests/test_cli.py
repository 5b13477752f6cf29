"""The `check` command end to end: exit codes, bad input, outputs, determinism, caching."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.cli import app

runner = CliRunner()
TINY = Path(__file__).parent / "data" / "tiny"


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_seed_essay_end_to_end(seeds, tmp_path):
    out = tmp_path / "seeds.json"
    r = invoke("check", seeds, "-o", out, "--fail-on", "never")
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text(encoding="utf-8"))
    found = {(f["kind"], f["lang"], f["paragraph"], f["text"]) for f in report["findings"]}
    kinds_at = {(f["kind"], f["lang"], f["paragraph"]) for f in report["findings"]
                if f["severity"] in ("error", "warning")}
    assert ("truncation", "id", 5, "Antrop") in found
    assert ("unaligned_paragraph", "fr", 1) in kinds_at
    assert ("untranslated", "de", 1, "Choke") in found
    assert ("doubled_word", "de", 2, "wie wie") in found and ("doubled_word", "id", 5, "GPU GPU") in found
    assert ("truncation", "de", 10, "Massenmarktpenetrs") in found
    # Dropped clauses in German (Liang Wenfeng's challenges; the H100 deployments) and French (the hallmark sentence).
    omissions = {(f["lang"], f["paragraph"], f["sentence"]) for f in report["findings"] if f["kind"] == "omission"}
    assert {("de", 3, 2), ("de", 5, 4), ("fr", 6, 6)} <= omissions
    serious = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
    assert len(serious) <= 80
    assert report["renderings"][0]["paragraphs"] == 13 and report["renderings"][1]["paragraphs"] == 14
    assert report["alignment"][0] == {"group": 1, "paragraphs": {"de": [], "fr": [1], "id": []}, "score": None}
    f = next(f for f in report["findings"] if f["text"] == "Antrop")
    assert f["line"] == 5 and f["severity"] in ("error", "warning") and f["evidence"]["counterparts"]


def test_exit_codes_follow_fail_on(seeds):
    assert invoke("check", seeds, "-q").exit_code == 1
    assert invoke("check", seeds, "--fail-on", "never").exit_code == 0
    assert invoke("check", TINY, "--fail-on", "info").exit_code == 0


def _folder(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    for name, data in files.items():
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return d


@pytest.mark.parametrize("files,args,message", [
    (None, ["missing-folder"], "no such file or folder"),
    ({}, [], "no renderings"),
    ({"de.txt": "Ein Satz auf Deutsch, der lang genug ist."}, [], "need at least 2 renderings"),
    ({"de.txt": "Ein Satz.", "fr.txt": b"\x00\x01binary\x00"}, [], "binary"),
    ({"de.txt": "Ein Satz.", "fr.txt": "Déjà vu".encode("latin-1")}, [], "not UTF-8"),
    ({"de.txt": "Ein Satz.", "x.txt": "42 17 99 — 3.14"}, [], "cannot tell the language"),
    ({"de.txt": "Ein Satz.", "fr.txt": "Une phrase."}, ["--fail-on", "sometimes"], "--fail-on must be"),
    ({"de.txt": "Ein Satz.", "fr.txt": "Une phrase."}, ["--lang", "fr.txt"], "--lang expects KEY=VALUE"),
    ({"de.txt": "Ein Satz.", "fr.txt": "Une phrase."}, ["--disable", "spelling"], "unknown check"),
])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, files, args, message):
    target = tmp_path / "missing-folder" if files is None else _folder(tmp_path, files)
    out = tmp_path / "report.json"
    r = invoke("check", target, "-o", out, *args)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.output and not out.exists()
    assert not list(tmp_path.glob(".report.json*"))  # no temp file left behind


def test_json_is_byte_identical_and_independent_of_order(tmp_path, seeds):
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    assert invoke("check", seeds, "-o", a, "--fail-on", "never").exit_code == 0
    assert invoke("check", seeds, "-o", b, "--fail-on", "never").exit_code == 0
    files = [seeds / "id.txt", seeds / "fr.txt", seeds / "de.txt"]
    assert invoke("check", *files, "-o", c, "--fail-on", "never").exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    ja, jc = json.loads(a.read_text()), json.loads(c.read_text())
    ja["document"] = jc["document"] = ""
    assert ja == jc


def test_several_outputs_in_one_run(tmp_path):
    r = invoke("check", TINY, "-o", tmp_path / "r.json", "-o", tmp_path / "r.txt")
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["findings"] == 0
    assert "0 findings" in (tmp_path / "r.txt").read_text()


def test_text_report_on_stdout_groups_by_paragraph(seeds):
    r = invoke("check", seeds, "--fail-on", "never")
    assert "§1  de — · fr ¶1 · id —" in r.stdout and "'Antrop' looks cut short" in r.stdout


def test_embeddings_cached_under_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("CONSISTENCY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    doc = shutil.copytree(TINY, tmp_path / "doc")
    assert invoke("check", doc).exit_code == 0
    assert (tmp_path / "xdg" / "consistency" / "cache.sqlite3").is_file()


def test_corrupt_cache_is_moved_aside(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    assert invoke("check", TINY, "--cache-dir", cache).exit_code == 0
    assert (cache / "cache.sqlite3.corrupt").exists()


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout.startswith("consistency ")
