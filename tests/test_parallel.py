"""Documents of a corpus in worker processes (`--jobs`) and on a local Ray (`--ray`): the same report, byte for
byte, as the single-process run; options and config validated; Ray missing is one line."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import parallel
from consistency.cli import _ray_address, app
from consistency.config import read_config
from consistency.errors import InputError

runner = CliRunner()
SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"
HAS_RAY = importlib.util.find_spec("ray") is not None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Three one-paragraph documents (de, fr, id) cut from the seed essay: its errors included (a doubled word in
    alpha, a truncated name and a doubled word in beta)."""
    root = tmp_path_factory.mktemp("parallel") / "corpus"
    lines = {lang: (SEEDS / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in ("de", "fr", "id")}
    for name, k in (("alpha", 2), ("beta", 5), ("gamma", 10)):
        d = root / name
        d.mkdir(parents=True)
        for lang, text in lines.items():
            # The French rendering has one paragraph more, at the start.
            (d / f"{lang}.txt").write_text(text[k if lang == "fr" else k - 1] + "\n", encoding="utf-8")
    return root


def _json(*args) -> str:
    r = runner.invoke(app, ["check", *map(str, args), "-f", "json", "--no-backtranslate", "--fail-on", "never",
                            "-q"])
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture(scope="module")
def single(corpus) -> str:
    out = _json(corpus)
    assert [line.strip() for line in out.splitlines() if line.strip().startswith('"document":')] == [
        '"document": "alpha",', '"document": "beta",', '"document": "gamma",']
    assert '"kind": "doubled_word"' in out
    return out


def test_jobs_2_report_is_byte_identical(corpus, single):
    assert _json(corpus, "--jobs", "2") == single


@pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (pip install 'consistency[ray]')")
def test_local_ray_report_is_byte_identical(corpus, single):
    # A local Ray on 2 CPUs, started and stopped by the run; no network. The path after --ray is no address.
    assert _json("--ray", corpus, "--jobs", "2") == single


def test_executor_results_come_in_document_order_with_bounded_lookahead():
    """Tasks finishing out of order are yielded in order, with at most `ahead` submitted and not yet collected."""
    submitted, in_flight = [], []

    def submit(i):
        submitted.append(i)
        in_flight.append(i)
        return i

    def collect(i):
        assert len(in_flight) <= 3
        in_flight.remove(i)
        return f"r{i}"

    assert list(parallel._in_order(submit, collect, 7, ahead=3)) == [f"r{i}" for i in range(7)]
    assert submitted == list(range(7))


def test_one_document_or_one_job_runs_in_process():
    assert parallel.make_executor(1, None) is None
    assert isinstance(parallel.make_executor(3, None), parallel.ProcessExecutor)
    with pytest.raises(InputError):
        parallel.ProcessExecutor(0)


def test_jobs_validated_on_the_command_line_and_in_the_config(tmp_path, corpus):
    r = runner.invoke(app, ["check", str(corpus), "--jobs", "0"])
    assert r.exit_code == 2 and "--jobs must be at least 1" in r.output
    cfg = tmp_path / "consistency.toml"
    cfg.write_text("jobs = 0\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(corpus), "--config", str(cfg)])
    assert r.exit_code == 2 and "jobs must be at least 1" in r.output
    cfg.write_text('jobs = "two"\n', encoding="utf-8")
    with pytest.raises(InputError, match="jobs must be an integer"):
        read_config(cfg)
    cfg.write_text("jobs = 3\n", encoding="utf-8")
    assert read_config(cfg, include_jobs=True)["jobs"] == 3
    assert "jobs" not in read_config(cfg)  # other commands build Settings from the rest


def test_ray_without_ray_installed_is_one_line(monkeypatch, corpus):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    for args in (["--ray"], ["--ray", "local"], ["--ray", "10.0.0.1:6379"], ["--ray=auto"]):
        r = runner.invoke(app, ["check", str(corpus), *args])
        assert r.exit_code == 2, (args, r.output)
        assert r.output == "consistency: error: --ray needs Ray: pip install 'consistency[ray]'\n"
    r = runner.invoke(app, ["check", "--ray", str(corpus)])  # the path is the path, not an address
    assert r.exit_code == 2 and "pip install 'consistency[ray]'" in r.output


def test_ray_address_or_path():
    assert _ray_address("local") and _ray_address("auto") and _ray_address("ray://head:10001")
    assert _ray_address("10.0.0.1:6379") and _ray_address("head-node:6379")
    assert not _ray_address("corpus/") and not _ray_address("--jobs") and not _ray_address("essay")
