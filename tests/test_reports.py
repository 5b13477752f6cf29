"""Report formats through the command line: snapshots, SARIF and JUnit structure, several outputs in one run,
baselines, config files and corpus layouts. UPDATE_SNAPSHOTS=1 rewrites the snapshots."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from consistency.cli import app

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"
DOC = "tests/data/report"
BASE = ["--no-backtranslate", "--fail-on", "never", "--show", "info", "-q"]
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "html": "html", "sarif": "sarif", "junit": "xml"}


@pytest.fixture(autouse=True)
def _at_root(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)  # paths in reports are as given: keep them relative and stable
    monkeypatch.setenv("CONSISTENCY_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def _stable(text: str) -> str:
    # Scores come from float arithmetic whose last digits may differ between CPUs (AVX-512 or not); snapshots keep
    # two decimals, and the comparison below allows for the rest.
    return re.sub(r"\d+\.\d{3,}", lambda m: f"{float(m.group()):.2f}", text)


SCORE_TOLERANCE = 0.02  # a score, or a similarity in a message, may move this much between CPUs
PERCENT_TOLERANCE = 2  # a percentage in a message ('41% of the expected length'), in points
# A decimal number, or a whole percentage: the numbers that come from float arithmetic. Other integers (lines,
# paragraphs, counts) are structure and must match exactly.
_FLOATING = re.compile(r"\d+\.\d+|\d+(?=%)")


def _same_text(actual: str, expected: str) -> str | None:
    """None when the texts are equal but for floating numbers within tolerance, else what differs."""
    a_nums, e_nums = _FLOATING.findall(actual), _FLOATING.findall(expected)
    if _FLOATING.sub("#", actual) != _FLOATING.sub("#", expected) or len(a_nums) != len(e_nums):
        a, e = _FLOATING.sub("#", actual).splitlines(), _FLOATING.sub("#", expected).splitlines()
        diff = next(((i, x, y) for i, (x, y) in enumerate(zip(a, e)) if x != y), (min(len(a), len(e)), "", ""))
        return f"text differs at line {diff[0] + 1}: {diff[1]!r} != {diff[2]!r}"
    for x, y in zip(a_nums, e_nums):
        tolerance = SCORE_TOLERANCE if "." in x + y else PERCENT_TOLERANCE
        if abs(float(x) - float(y)) > tolerance + 1e-9:
            return f"{x} != {y} (tolerance {tolerance})"
    return None


def _same_json(actual, expected, where: str = "$") -> str | None:
    """Structure, keys, strings and integers exactly; floats (and floating numbers inside strings) within tolerance."""
    if isinstance(expected, float) or isinstance(actual, float):
        ok = isinstance(actual, (int, float)) and isinstance(expected, (int, float)) \
             and abs(actual - expected) <= SCORE_TOLERANCE + 1e-9
        return None if ok else f"{where}: {actual!r} != {expected!r}"
    if type(actual) is not type(expected):
        return f"{where}: {type(actual).__name__} != {type(expected).__name__}"
    if isinstance(expected, dict):
        if list(actual) != list(expected):
            return f"{where}: keys {list(actual)} != {list(expected)}"
        return next((d for k in expected if (d := _same_json(actual[k], expected[k], f"{where}.{k}"))), None)
    if isinstance(expected, list):
        if len(actual) != len(expected):
            return f"{where}: {len(actual)} items != {len(expected)}"
        return next((d for i, (x, y) in enumerate(zip(actual, expected)) if (d := _same_json(x, y, f"{where}[{i}]"))),
                    None)
    if isinstance(expected, str):
        d = _same_text(actual, expected)
        return f"{where}: {d}" if d else None
    return None if actual == expected else f"{where}: {actual!r} != {expected!r}"


def same_report(fmt: str, actual: str, expected: str) -> str | None:
    if fmt in ("json", "sarif"):
        return _same_json(json.loads(actual), json.loads(expected))
    return _same_text(actual, expected)


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_snapshot(fmt):
    r = run(DOC, "--format", fmt, *BASE)
    assert r.exit_code == 0, r.stderr
    snap = SNAPSHOTS / f"report.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snap.write_text(_stable(r.stdout), encoding="utf-8")
    difference = same_report(fmt, r.stdout, snap.read_text(encoding="utf-8"))
    assert difference is None, f"{snap.name}: {difference} (UPDATE_SNAPSHOTS=1 rewrites the snapshots)"


@pytest.mark.parametrize("fmt,actual,expected,same", [
    # A CPU with AVX-512 gave an alignment score 0.4646 where the snapshot has 0.47.
    ("json", '{"alignment": [{"group": 1, "score": 0.4646}]}', '{"alignment": [{"group": 1, "score": 0.47}]}', True),
    ("json", '{"score": 0.40}', '{"score": 0.47}', False),
    ("json", '{"group": 2, "score": 0.47}', '{"group": 1, "score": 0.47}', False),
    ("json", '{"score": 0.47, "group": 1}', '{"group": 1, "score": 0.47}', False),
    ("json", '{"message": "shorter (42% of the expected length)"}', '{"message": "shorter (41% of the expected length)"}',
     True),
    ("json", '{"message": "shorter than before"}', '{"message": "shorter than ever"}', False),
    ("text", "omission l.3 [0.46]\n", "omission l.3 [0.47]\n", True),
    ("text", "omission l.4 [0.47]\n", "omission l.3 [0.47]\n", False),
    ("text", "truncation [0.47]\n", "omission [0.47]\n", False),
    ("markdown", "(0.95)  \n", "(0.91)  \n", False),
])
def test_snapshots_compare_scores_within_a_tolerance(fmt, actual, expected, same):
    assert (same_report(fmt, actual, expected) is None) == same


def test_sarif_has_the_2_1_0_structure():
    log = json.loads(run(DOC, "--format", "sarif", *BASE).stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert sarif_run["tool"]["driver"]["name"] == "consistency"
    assert sarif_run["results"]
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note", "none"}
        assert result["message"]["text"]
        (loc,) = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"].startswith("tests/data/report/")
        assert loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert isinstance(loc["physicalLocation"]["region"]["startLine"], int)
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
    truncation = next(r for r in sarif_run["results"] if r["ruleId"] == "truncation")
    assert truncation["level"] == "error" and "Kovacs" in truncation["message"]["text"]
    # 'Wali kota Elena Kova …': the cut name starts at column 17 of line 2 of id.txt.
    assert truncation["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 17, "endLine": 2, "endColumn": 21, "snippet": {"text": "Kova"}}


@pytest.mark.parametrize("fail_on,failures", [("error", 1), ("warning", 3), ("never", 0)])
def test_junit_parses_and_fails_at_the_threshold(fail_on, failures):
    xml = run(DOC, "--format", "junit", "--no-backtranslate", "-q", "--fail-on", fail_on,
              "--disable", "glued_word").stdout
    suites = ET.fromstring(xml)
    (suite,) = suites.findall("testsuite")
    assert suite.get("name") == "report"
    assert len(suite.findall("testcase")) == int(suite.get("tests")) > 0
    assert len(suite.findall("testcase/failure")) == int(suite.get("failures")) == failures
    # A disabled check did not run: skipped, not passed, in each rendering.
    skipped = [c for c in suite.findall("testcase") if c.find("skipped") is not None]
    assert [(c.get("classname"), c.get("name")) for c in skipped] == [
        ("report.de", "glued_word"), ("report.fr", "glued_word"), ("report.id", "glued_word")]
    assert int(suite.get("skipped")) == 3
    for case in suite.findall("testcase"):
        assert case.get("file").startswith("tests/data/report/") and int(case.get("line")) >= 1


def test_several_outputs_in_one_run_follow_their_extensions(tmp_path):
    outs = {fmt: tmp_path / f"r.{'sarif' if fmt == 'sarif' else SUFFIX[fmt]}" for fmt in SUFFIX}
    r = run(DOC, *BASE, *[a for p in outs.values() for a in ("-o", str(p))])
    assert r.exit_code == 0 and r.stdout == ""
    for fmt, path in outs.items():
        assert path.read_text(encoding="utf-8") == run(DOC, "--format", fmt, *BASE).stdout, fmt


def test_exit_codes_and_baseline_on_the_seeds(tmp_path):
    seeds = "seeds/deepseek-essay"
    assert run(seeds, "--no-backtranslate", "-q").exit_code == 1
    assert run(seeds, "--no-backtranslate", "-q", "--fail-on", "never").exit_code == 0
    baseline = tmp_path / "baseline.json"
    assert run(seeds, "--no-backtranslate", "-q", "--write-baseline", str(baseline)).exit_code == 1
    r = run(seeds, "--no-backtranslate", "-q", "--baseline", str(baseline), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []


def test_baseline_survives_unrelated_edits_and_reports_new_findings(tmp_path):
    src = ROOT / DOC
    doc = tmp_path / "doc"
    doc.mkdir()
    for f in src.iterdir():
        (doc / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    baseline = tmp_path / "b.json"
    run(str(doc), *BASE, "--write-baseline", str(baseline))
    # A new first paragraph in every rendering shifts every line; a new doubled word is news.
    intro = {"de": "Die Sitzung begann um neun Uhr.", "fr": "La séance a commencé à neuf heures.",
             "id": "Rapat dimulai pada pukul sembilan."}
    for lang, line in intro.items():
        path = doc / f"{lang}.txt"
        text = path.read_text(encoding="utf-8")
        path.write_text(line + "\n" + text.replace("Straßen fließen", "Straßen Straßen fließen"), encoding="utf-8")
    r = run(str(doc), *BASE, "--baseline", str(baseline), "--format", "json")
    found = json.loads(r.stdout)["findings"]
    assert [(f["kind"], f["text"]) for f in found] == [("doubled_word", "Straßen Straßen")]


@pytest.mark.parametrize("content,message", [
    ("not json", "cannot read baseline"),
    ("{\"format\": ", "not JSON (Expecting value at line 1, column 12)"),
    ('{"format": "other"}', "not a consistency baseline"),
])
def test_a_bad_baseline_is_exit_2(tmp_path, content, message):
    bad = tmp_path / "b.json"
    bad.write_text(content, encoding="utf-8")
    r = run(DOC, *BASE, "--baseline", str(bad))
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- config -----------------------------------------------------------------------------------------------------


def _kinds(r) -> set[tuple[str, str]]:
    return {(f["lang"], f["kind"]) for f in json.loads(r.stdout)["findings"]}


@pytest.mark.parametrize("toml,gone,kept", [
    ('[tool.consistency]\ndisable = ["truncation"]\n', {("id", "truncation")}, {("id", "omission")}),
    ('[tool.consistency.languages.id]\ndisable = ["omission"]\n', {("id", "omission")}, {("id", "truncation")}),
    ('[tool.consistency.checks.unaligned_paragraph]\nmin_score = 0.95\n', {("fr", "unaligned_paragraph")},
     {("id", "truncation")}),
])
def test_pyproject_config_is_found_and_applied(tmp_path, monkeypatch, toml, gone, kept):
    monkeypatch.delenv("CONSISTENCY_CONFIG")
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(project / "sub")
    r = run(str(ROOT / DOC), "--no-backtranslate", "-q", "--fail-on", "never", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert not gone & _kinds(r) and kept <= _kinds(r)


def test_config_severity_and_fail_on_with_cli_override(tmp_path):
    cfg = tmp_path / "consistency.toml"
    cfg.write_text('fail_on = "warning"\n[checks.truncation]\nseverity = "info"\n[languages.id.checks.omission]\n'
                   'severity = "info"\n', encoding="utf-8")
    r = run(DOC, "--no-backtranslate", "-q", "--config", str(cfg), "--format", "json")
    severities = {f["kind"]: f["severity"] for f in json.loads(r.stdout)["findings"]}
    assert severities["truncation"] == "info" and severities["omission"] == "info"
    assert r.exit_code == 1  # fail_on = warning from the file: entity_mismatch is a warning
    assert run(DOC, "--no-backtranslate", "-q", "--config", str(cfg), "--fail-on", "error").exit_code == 0


@pytest.mark.parametrize("toml,message", [
    ("colour = 1\n", "unknown key colour"),
    ('[checks.nope]\nmin_score = 1\n', "unknown check checks.nope"),
    ('[checks.omission]\nseverity = "fatal"\n', "must be error, warning or info"),
    ('disable = ["nope"]\n', "unknown check 'nope'"),
    ('layout = "heap"\n', "unknown --layout"),
])
def test_bad_config_is_one_line_exit_2(tmp_path, toml, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    r = run(DOC, "--no-backtranslate", "-q", "--config", str(cfg))
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- corpus layouts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["auto", "pile"])
def test_seeds_as_a_whole_group_the_essay_and_leave_the_others_unmatched(layout):
    r = run("seeds", "--layout", layout, "--no-backtranslate", "-q", "--fail-on", "never", "--format", "json")
    assert r.exit_code == 0, r.stderr
    report = json.loads(r.stdout)
    (doc,) = report["documents"]
    assert sorted(x["path"] for x in doc["renderings"]) == [f"seeds/deepseek-essay/{lang}.txt"
                                                            for lang in ("de", "fr", "id")]
    assert [u["path"] for u in report["unmatched"]] == ["seeds/other/002_6348e702d02e75ab.txt",
                                                        "seeds/other/004_0eff5fe308f5a6c3.txt"]
    assert report["summary"]["documents"] == 1 and report["summary"]["unmatched"] == 2


def test_tree_per_language_matches_relative_paths(tmp_path):
    src = ROOT / DOC
    for lang in ("de", "fr", "id"):
        (tmp_path / lang / "news").mkdir(parents=True)
        (tmp_path / lang / "news" / f"budget.{lang}.txt").write_text(
            (src / f"{lang}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "de" / "extra.md").write_text("# Nur auf Deutsch\n\nDieser Text hat kein Gegenstück.\n",
                                              encoding="utf-8")
    (tmp_path / "de" / "news" / "budget.txt").write_text("Ein zweiter Text am selben Ort.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Notes for the translators.\n", encoding="utf-8")
    r = run(str(tmp_path), "--no-backtranslate", "-q", "--fail-on", "never", "--format", "json")
    report = json.loads(r.stdout)
    assert [d["document"] for d in report["documents"]] == ["news/budget"]
    assert [(d["lang"], d["lang_from"]) for d in report["documents"][0]["renderings"]] == [
        ("de", "folder"), ("fr", "folder"), ("id", "folder")]
    assert [(u["lang"], Path(u["path"]).name, u["reason"].split(" (")[0]) for u in report["unmatched"]] == [
        ("de", "extra.md", "no file at the same path in another language"),
        ("de", "budget.txt", "a second de file for news/budget.txt"),
        ("", "notes.txt", "not in a language folder")]


def test_folder_per_document_and_html_input(tmp_path):
    src = ROOT / DOC
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        for lang in ("de", "fr"):
            (tmp_path / name / f"{lang}.txt").write_text((src / f"{lang}.txt").read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    paragraphs = (src / "id.txt").read_text(encoding="utf-8").splitlines()
    html = "<html><body>" + "".join(f"<p>{p.replace('<', '&lt;')}</p>" for p in paragraphs) + "</body></html>"
    (tmp_path / "b" / "id.html").write_text(html, encoding="utf-8")
    r = run(str(tmp_path), "--no-backtranslate", "-q", "--fail-on", "never", "--format", "json")
    docs = json.loads(r.stdout)["documents"]
    assert [(d["document"], [x["lang"] for x in d["renderings"]]) for d in docs] == [
        ("a", ["de", "fr"]), ("b", ["de", "fr", "id"])]
    html_rendering = docs[1]["renderings"][2]
    assert html_rendering["paragraphs"] == 4 and "<script>" in html_rendering["sentences"][-2]["text"]


# --- bad input around reports: one line, exit 2, nothing written --------------------------------------------------


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    (tmp_path / "afile").write_text("", encoding="utf-8")
    outs = tmp_path / "outs"
    r = run(DOC, *BASE, "-o", str(outs / "r.json"), "-o", str(tmp_path / "afile" / "r.md"),
            "--write-baseline", str(outs / "b.json"))
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "cannot write" in r.stderr
    assert not (outs / "r.json").exists() and not (outs / "b.json").exists()
    assert [p.name for p in outs.iterdir()] == [] if outs.exists() else True


@pytest.mark.parametrize("setup,args,message", [
    (lambda d: (d / "b.json").write_text('{"format": "consistency-baseline/1", "findings": 3}'),
     ["--baseline", "{d}/b.json"], "findings must be a list"),
    (lambda d: (d / "folder").mkdir(), ["--write-baseline", "{d}/folder"], "is a folder"),
    (lambda d: (d / "pyproject.toml").write_text("tool = 3\n"), ["--config", "{d}/pyproject.toml"],
     "tool must be a table"),
    (lambda d: None, ["--lang", "de.txt=zz"], "unknown language code 'zz'"),
    (lambda d: None, ["--layout", "tree"], "no language folders"),
])
def test_bad_report_input_is_one_line_exit_2(tmp_path, setup, args, message):
    setup(tmp_path)
    r = run(DOC, "--no-backtranslate", "-q", *[a.format(d=tmp_path) for a in args])
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_control_characters_cannot_break_xml_or_drive_a_terminal(tmp_path):
    doc = tmp_path / "weird name #1"
    doc.mkdir()
    for f in (ROOT / DOC).iterdir():
        text = f.read_text(encoding="utf-8").replace("Kova ", "Kova\x1b[31m\x0b ")
        (doc / f.name).write_text(text, encoding="utf-8")
    junit = run(str(doc), *BASE, "--format", "junit").stdout
    ET.fromstring(junit)  # well-formed
    text = run(str(doc), *BASE).stdout
    assert "\x1b" not in text and "\x1b" not in junit
    sarif = json.loads(run(str(doc), *BASE, "--format", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert all("weird%20name%20%231/" in u and " " not in u for u in uris)


def test_stdout_and_output_file_are_the_same_bytes(tmp_path):
    out = tmp_path / "r.txt"
    run(DOC, *BASE, "-o", str(out))
    assert run(DOC, *BASE).stdout == out.read_text(encoding="utf-8")


def test_json_findings_carry_their_baseline_fingerprint(tmp_path):
    report = json.loads(run(DOC, *BASE, "--format", "json").stdout)
    baseline = tmp_path / "b.json"
    run(DOC, *BASE, "--write-baseline", str(baseline))
    known = {e["fingerprint"] for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"]}
    assert {f["fingerprint"] for f in report["findings"]} == known and len(known) == len(report["findings"])
