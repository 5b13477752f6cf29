"""Reliability of the command line (issue 12, ../shared/cases/reliability/): outputs never replace inputs or device
nodes, every failure at the edges is one line and a documented exit code, settings are validated, and nothing the
tool prints can drive a terminal. Most cases fail before the pipeline runs and use typer's CliRunner; the few that
need a real process edge (a full disk, a closed or broken stdout, Ctrl-C) run `python -m consistency`."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import cli, config as config_mod
from consistency.baseline import read_baseline
from consistency.cli import app
from consistency.config import config_path, read_config
from consistency.errors import InputError, safe
from consistency.fileio import atomic_write_all

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "deepseek-essay"
TINY = Path(__file__).parent / "data" / "tiny"
CASES = ROOT.parent / "shared" / "cases" / "reliability"
HERE_DATA = ROOT / "tests" / "data" / "reliability"  # case inputs copied from shared/cases, so CI has them
runner = CliRunner()


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def proc(*args, cwd=ROOT, timeout=300, prefix=(), **kwargs) -> subprocess.CompletedProcess:
    """`python -m consistency ARGS` in a real process (the console script's own edges: fds, signals, exit)."""
    return subprocess.run([*prefix, sys.executable, "-m", "consistency", *map(str, args)], cwd=cwd,
                          timeout=timeout, capture_output="stdout" not in kwargs, text=True, **kwargs)


def one_error_line(stderr: str, exit_code: int, code: int = 2) -> str:
    lines = stderr.splitlines()
    assert exit_code == code, stderr
    assert len(lines) == 1 and lines[0].startswith("consistency: error: "), stderr
    assert "Traceback" not in stderr and "╭" not in stderr and "Usage:" not in stderr
    return lines[0]


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def essay(tmp_path, monkeypatch) -> Path:
    """The seed essay copied to tmp_path/x, with tmp_path as the working directory."""
    shutil.copytree(SEEDS, tmp_path / "x")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "x"


def _unprivileged() -> tuple[str, ...] | None:
    """A command prefix under which chmod 000 means unreadable: nothing for a normal user; as root, setpriv
    dropping the capabilities that bypass file permissions; None when neither is possible."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv"):
        caps = "-dac_override,-dac_read_search"
        return ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--")
    return None


# --- case 01: an output that is an input (or another output) is refused before any work ------------------------


def _catalogues(folder: Path) -> None:
    """A gettext folder (with its template) and a JSON i18n folder beside the renderings."""
    (folder / "po").mkdir()
    for lang, text in (("de", "Datei öffnen"), ("fr", "Ouvrir le fichier")):
        (folder / "po" / f"{lang}.po").write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\n'
                                                  f'msgid "Open the file"\nmsgstr "{text}"\n', encoding="utf-8")
    (folder / "po" / "app.pot").write_text('msgid "Open the file"\nmsgstr ""\n', encoding="utf-8")
    (folder / "i18n").mkdir()
    (folder / "i18n" / "de.json").write_text('{"open": "Datei öffnen"}', encoding="utf-8")
    (folder / "i18n" / "en.json").write_text('{"open": "Open the file"}', encoding="utf-8")


@pytest.mark.parametrize("make,args,message", [
    (None, ["x", "-o", "x/de.txt"], "-o x/de.txt is one of the inputs"),
    (None, ["x", "--write-baseline", "x/id.txt"], "--write-baseline x/id.txt is one of the inputs"),
    (None, ["x/de.txt", "x/fr.txt", "-o", "x/fr.txt", "-o", "r.json"], "-o x/fr.txt is one of the inputs"),
    (lambda t: (t / "link.txt").symlink_to(t / "x" / "de.txt"), ["x", "-o", "link.txt"], "one of the inputs"),
    (lambda t: os.link(t / "x" / "fr.txt", t / "hard.md"), ["x", "-o", "hard.md"], "one of the inputs"),
    (lambda t: (t / "x" / "sub").mkdir() or shutil.copy(t / "x" / "de.txt", t / "x" / "sub" / "de.md"),
     ["x", "-o", "x/sub/de.md"], "one of the inputs"),  # any rendering below an input folder, at any depth
    (lambda t: (t / "b.json").write_text("{}"), ["x", "--baseline", "b.json", "-o", "b.json"], "one of the inputs"),
    # A catalogue below a folder given is an input too ('po/fr.po', the template 'po/app.pot', 'i18n/de.json').
    (lambda t: _catalogues(t / "x"), ["x", "--write-baseline", "x/po/fr.po"], "one of the inputs"),
    (lambda t: _catalogues(t / "x"), ["x", "--write-baseline", "x/po/app.pot"], "one of the inputs"),
    (lambda t: _catalogues(t / "x"), ["x", "-o", "x/i18n/de.json"], "one of the inputs"),
    (None, ["x", "-o", "a.json", "--write-baseline", "a.json"], "are the same file"),
    (None, ["x", "-o", "a.json", "-o", "./a.json"], "are the same file"),
])
def test_an_output_onto_an_input_or_another_output_is_refused_and_nothing_written(essay, make, args, message):
    if make:
        make(essay.parent)
    before = digest(essay.parent)
    r = invoke("check", *args, "-q", "--no-backtranslate")
    assert message in one_error_line(r.stderr, r.exit_code)
    assert digest(essay.parent) == before  # the translations are intact and no output appeared


# --- case 02: devices, FIFOs and symlinks ----------------------------------------------------------------------


def _fifo_reader(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path):
    (tmp_path / "target.json").write_text("old")
    (tmp_path / "link.json").symlink_to("target.json")
    (tmp_path / "dangling.json").symlink_to("new.json")
    atomic_write_all([(tmp_path / "link.json", "new"), (tmp_path / "dangling.json", "created")])
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "target.json").read_text() == "new"
    assert (tmp_path / "dangling.json").is_symlink() and (tmp_path / "new.json").read_text() == "created"


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo, regular = tmp_path / "fifo.json", tmp_path / "r.json"
    os.mkfifo(fifo)
    thread, got = _fifo_reader(fifo)
    atomic_write_all([(regular, "regular"), (fifo, "through the pipe")])
    thread.join(10)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert regular.read_text() == "regular"


def test_devices_are_written_through(tmp_path):
    if not os.access("/dev/null", os.W_OK):
        pytest.skip("/dev/null is not writable here")
    atomic_write_all([("/dev/null", "nothing")])
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    try:  # a device node of our own (root only), as the case reproduces it without touching /dev
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        return
    atomic_write_all([(tmp_path / "null", "nothing")])
    assert stat.S_ISCHR(os.stat(tmp_path / "null").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temp file beside it


def test_a_failed_staging_writes_neither_the_fifo_nor_the_files(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "afile").write_text("")
    with pytest.raises(NotADirectoryError):  # would block forever if the FIFO were opened first (no reader)
        atomic_write_all([(tmp_path / "r.json", "x"), (fifo, "y"), (tmp_path / "afile" / "r.md", "z")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "fifo"]


def test_full_device_is_one_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(OSError) as exc:
        atomic_write_all([(tmp_path / "r.json", "x"), ("/dev/full", "y")])
    assert exc.value.filename == "/dev/full" and not (tmp_path / "r.json").exists()
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# --- one real run: -o /dev/stdout, a FIFO and a file; what was written is said on stderr -------------------------


def test_outputs_to_dev_stdout_a_fifo_and_a_file_say_what_was_written(tmp_path):
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout")
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    thread, got = _fifo_reader(fifo)
    r = proc("check", TINY, "--no-backtranslate", "-o", "/dev/stdout", "-o", fifo, "-o", tmp_path / "r.json",
             "--write-baseline", tmp_path / "b.json")
    thread.join(10)
    assert r.returncode == 0, r.stderr
    assert "0 findings" in r.stdout and got and b"0 findings" in got[0]
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["findings"] == 0
    assert r.stderr.splitlines() == [f"consistency: wrote {tmp_path / 'b.json'} (baseline)",
                                     "consistency: wrote /dev/stdout (text)",
                                     f"consistency: wrote {fifo} (markdown)",
                                     f"consistency: wrote {tmp_path / 'r.json'} (json)"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and os.path.islink("/dev/stdout")


def test_quiet_says_nothing_and_a_baseline_may_be_updated_in_place(tmp_path):
    doc = shutil.copytree(TINY, tmp_path / "doc")
    base = tmp_path / "known.json"
    base.write_text('{"format": "consistency-baseline/1", "findings": []}\n', encoding="utf-8-sig")  # a BOM too
    r = invoke("check", doc, "-q", "--no-backtranslate", "--baseline", base, "--write-baseline", base,
               "-o", tmp_path / "r.txt")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""
    assert json.loads(base.read_text())["format"] == "consistency-baseline/1"


# --- case 04: config discovery skips what it cannot read; an explicit config is read or reported ----------------


def test_discovery_skips_files_it_cannot_open(tmp_path, monkeypatch):
    monkeypatch.delenv("CONSISTENCY_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.consistency]\nfail_on = 'never'\n")
    (tmp_path / "sub" / "consistency.toml").write_text("fail_on = 'never'\n")

    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "read_text", denied)
    monkeypatch.setattr(config_mod, "open", denied, raising=False)
    assert config_path(cwd=tmp_path / "sub") is None


@pytest.mark.parametrize("name,explicit", [("pyproject.toml", False), ("consistency.toml", False),
                                           ("consistency.toml", True)])
def test_an_unreadable_config_file_is_skipped_or_one_line(tmp_path, name, explicit):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod 000 does not make a file unreadable")
    cfg = tmp_path / name
    cfg.write_text('[project]\nname = "x"\n' if name == "pyproject.toml" else 'fail_on = "never"\n')
    cfg.chmod(0)
    try:
        # A missing input fails right after the settings are read: discovery itself must not fail.
        r = proc("check", "missing", *(["--config", cfg] if explicit else []), cwd=tmp_path, prefix=prefix,
                 env={**os.environ, "CONSISTENCY_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    finally:
        cfg.chmod(0o644)
    line = one_error_line(r.stderr, r.returncode)
    assert (f"cannot read config {cfg}: Permission denied" if explicit else "no such file or folder") in line


def test_an_unreadable_input_file_is_one_line(essay):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv")
    (essay / "de.txt").chmod(0)
    try:
        r = proc("check", "x/de.txt", "x/fr.txt", "-q", "--no-backtranslate", cwd=essay.parent, prefix=prefix)
    finally:
        (essay / "de.txt").chmod(0o644)
    assert "cannot read x/de.txt: Permission denied" in one_error_line(r.stderr, r.returncode)


# --- case 05: stdout that cannot be written ---------------------------------------------------------------------


class _Full:
    def write(self, text):
        raise OSError(28, "No space left on device")

    def flush(self):
        pass


@pytest.mark.parametrize("stdout,message", [
    (None, "cannot write the report to stdout: it is closed"),
    (_Full(), "cannot write the report to stdout: No space left on device"),
])
def test_write_stdout_failures_are_input_errors(monkeypatch, stdout, message):
    monkeypatch.setattr(sys, "stdout", stdout)
    with pytest.raises(InputError, match=message):
        cli.write_stdout("report")


def test_a_full_stdout_is_one_line_exit_2():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        r = proc("check", TINY, "-q", "--no-backtranslate", stdout=full, stderr=subprocess.PIPE)
    assert one_error_line(r.stderr, r.returncode) == \
        "consistency: error: cannot write the report to stdout: No space left on device"


def test_a_closed_stdout_is_one_line_exit_2():
    r = proc("check", TINY, "-q", "--no-backtranslate", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
             preexec_fn=lambda: os.close(1))
    assert one_error_line(r.stderr, r.returncode) == \
        "consistency: error: cannot write the report to stdout: it is closed"
    v = proc("--version", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert "cannot write the version to stdout: it is closed" in one_error_line(v.stderr, v.returncode)


def test_a_broken_pipe_is_quiet_exit_141():
    p = subprocess.Popen([sys.executable, "-m", "consistency", "check", str(TINY), "-q", "--no-backtranslate"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # the reader is gone before the report comes
    _, err = p.communicate(timeout=300)
    assert p.returncode == cli.EXIT_BROKEN_PIPE and err == b""


# --- case 12: usage errors are one line ---------------------------------------------------------------------------


@pytest.mark.parametrize("args,message", [
    (["check", SEEDS, "--beams", "abc"], "--beams: 'abc' is not an integer"),
    (["check", SEEDS, "--frobnicate"], "no such option: --frobnicate"),
    (["check", SEEDS, "--offline=yes"], "--offline"),
    (["check", SEEDS, "-f"], "-f"),
    (["check"], "missing argument"),
    (["frobnicate"], "no such command"),
    (["models", "list", "--pivot"], "--pivot"),
])
def test_usage_errors_are_one_line_exit_2(args, message):
    r = invoke(*args)
    assert message in one_error_line(r.stderr, r.exit_code) and r.stdout == ""


def test_usage_errors_from_the_console_script_are_one_line():
    r = proc("check", SEEDS, "--beams", "abc")
    assert one_error_line(r.stderr, r.returncode) == \
        "consistency: error: --beams: 'abc' is not an integer (see consistency check --help)"


# --- case 20: crashes and interrupts never exit 1 -------------------------------------------------------------------


def _raise(exc: BaseException):
    def iter_corpus(*args, **kwargs):
        raise exc
    return iter_corpus


@pytest.mark.parametrize("exc,code,expected", [
    (RuntimeError("boom\nconsistency: error: forged"), 3,
     "consistency: internal error: RuntimeError: boom\\nconsistency: error: forged (please report this; rerun with "
     "--debug or CONSISTENCY_DEBUG=1 for the traceback)"),
    (KeyboardInterrupt(), 130, "consistency: interrupted"),
    (MemoryError(), 2, "consistency: error: out of memory"),
    (OSError(36, "File name too long", "a/b/c"), 2, "consistency: error: File name too long: a/b/c"),
    (BrokenPipeError(32, "Broken pipe"), 141, None),
])
def test_unexpected_exceptions_are_one_line_and_never_exit_1(monkeypatch, exc, code, expected):
    monkeypatch.delenv("CONSISTENCY_DEBUG", raising=False)
    monkeypatch.setattr("consistency.pipeline.iter_corpus", _raise(exc))
    r = invoke("check", SEEDS, "-q", "--no-backtranslate")
    assert r.exit_code == code
    if expected is None:
        assert r.stderr == ""
    else:
        assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith(expected), r.stderr


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(monkeypatch, how):
    monkeypatch.setattr("consistency.pipeline.iter_corpus", _raise(RuntimeError("boom")))
    if how == "env":
        monkeypatch.setenv("CONSISTENCY_DEBUG", "1")
    r = invoke(*(["--debug"] if how == "flag" else []), "check", SEEDS, "-q", "--no-backtranslate")
    assert r.exit_code == 3 and "Traceback" in r.stderr and "RuntimeError: boom" in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("consistency: internal error: RuntimeError: boom")


def test_ctrl_c_is_130_with_one_line(tmp_path):
    doc = tmp_path / "big"
    doc.mkdir()
    for lang in ("de", "fr", "id"):  # enough text that the run is still embedding when the signal comes
        text = (SEEDS / f"{lang}.txt").read_text(encoding="utf-8")
        (doc / f"{lang}.txt").write_text("\n".join([text] * 4), encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "consistency", "check", str(doc), "-q", "--no-backtranslate",
                          "--no-cache"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130 and err == "consistency: interrupted\n" and out == ""


# --- case 13: settings are validated ---------------------------------------------------------------------------


@pytest.mark.parametrize("toml,args,message", [
    (None, ["--pivot", "zz"], "--pivot: unknown language code 'zz'"),
    (None, ["--pivot", ""], "--pivot: a language code cannot be empty"),
    ('pivot = ""\n', [], "pivot: a language code cannot be empty"),
    ('[backtranslate]\npivot = "xx"\n', [], "backtranslate.pivot: unknown language code 'xx'"),
    ("[checks.omission]\nmin_score = nan\n", [], "checks.omission.min_score must be a finite number"),
    ("[checks.omission]\nmin_score = inf\n", [], "checks.omission.min_score must be a finite number"),
    ("[backtranslate]\nmodels = {de = 5}\n", [], "backtranslate.models.de must be a string"),
    ("[backtranslate]\nmodel_dirs = [1, 2]\n", [], "backtranslate.model_dirs must be a list of strings"),
    ("[backtranslate]\nmax_length = -5\n", [], "backtranslate.max_length must be at least 1"),
    ("[backtranslate]\nbeams = 1e9\n", [], "backtranslate.beams must be an integer"),
    ("disable = [1]\n", [], "disable must be a list of strings"),
    (None, ["--beams", "0"], "--beams must be at least 1"),
    (None, ["-o", "report.pdf"], "unknown report extension '.pdf'; known: .htm, .html, .json"),
])
def test_settings_are_validated(tmp_path, monkeypatch, toml, args, message):
    monkeypatch.chdir(tmp_path)
    if toml is not None:
        (tmp_path / "c.toml").write_text(toml, encoding="utf-8")
        args = [*args, "--config", "c.toml"]
    r = invoke("check", SEEDS, "-q", "--no-backtranslate", *args)
    assert message in one_error_line(r.stderr, r.exit_code)
    assert not (tmp_path / "report.pdf").exists()


def test_models_list_validates_the_pivot():
    r = invoke("models", "list", "de", "--pivot", "zz")
    assert "unknown language code 'zz'" in one_error_line(r.stderr, r.exit_code)


def test_models_list_takes_bcp47_tags_and_refuses_others():
    r = invoke("models", "list", "xx")
    assert "unknown language code 'xx'" in one_error_line(r.stderr, r.exit_code)
    r = invoke("models", "list", "km", "pt_br")
    assert r.exit_code == 0 and [line.split("\t")[0] for line in r.stdout.splitlines()] == ["km", "pt-BR"]


# --- cases 18 and 19: baseline and config files: deep nesting, BOMs, UTF-16 ---------------------------------------


def test_a_deeply_nested_baseline_is_one_line(tmp_path):
    deep = CASES / "18-baseline-deep-json-traceback" / "deep.json"
    if not deep.is_file():
        deep = tmp_path / "deep.json"
        deep.write_text("[" * 100_000 + "]" * 100_000)
    r = invoke("check", SEEDS, "-q", "--no-backtranslate", "--baseline", deep)
    assert one_error_line(r.stderr, r.exit_code) == f"consistency: error: cannot read baseline {deep.as_posix()}: " \
                                                    "nested too deeply"


@pytest.mark.parametrize("encoding,problem", [
    ("utf-8-sig", None), ("utf-16", "is UTF-16; re-save it as UTF-8"), ("utf-16-le", "is UTF-16"),
    ("utf-32", "is UTF-32"), ("latin-1", "is not UTF-8"),
])
def test_settings_files_accept_a_bom_and_name_their_encoding(tmp_path, encoding, problem):
    cfg, base = tmp_path / "c.toml", tmp_path / "b.json"
    cfg.write_text('fail_on = "never"\nshow = "info"\n# déjà vu\n', encoding=encoding)
    base.write_text('{"format": "consistency-baseline/1", "findings": [{"fingerprint": "ab", "text": "déjà"}]}\n',
                    encoding=encoding)
    if problem is None:
        assert read_config(cfg) == {"fail_on": "never", "show": "info"}
        assert read_baseline(base) == frozenset({"ab"})
        return
    for reader, path in ((read_config, cfg), (read_baseline, base)):
        with pytest.raises(InputError, match=problem):
            reader(path)


def test_the_case_19_config_with_a_bom_is_read():
    bom = HERE_DATA / "19-encoding-messages-bom" / "consistency-bom.toml"
    if not bom.is_file():
        pytest.skip("the case folder is not here")
    assert read_config(bom) == {"fail_on": "error"}


# --- everything printed is sanitised -------------------------------------------------------------------------------


@pytest.mark.parametrize("text,shown", [
    ("plain é ü 中文", "plain é ü 中文"),
    ("x\x1b]0;title\x07y", "x\\x1b]0;title\\x07y"),
    ("a\nconsistency: error: forged", "a\\nconsistency: error: forged"),
    ("tab\there\r", "tab\\there\\r"),
    ("\x9b2J \u202eevil \x7f", "\\x9b2J \\u202eevil \\x7f"),
    ("bad byte \udcff", "bad byte \\udcff"),
])
def test_safe_escapes_control_characters(text, shown):
    assert safe(text) == shown


@pytest.mark.parametrize("name", ["x\x1b]0;title\x07", "de\nconsistency: error: forged", "\x1b[2Jclear"])
def test_file_names_in_messages_cannot_drive_the_terminal(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    for args in (["check", name, "-q"], ["check", SEEDS, "-q", "-o", name + ".pdf"]):
        r = invoke(*args)
        line = one_error_line(r.stderr, r.exit_code)
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in line), line
        assert safe(name) in line


# --- --help: readable on every command ---------------------------------------------------------------------------


COMMANDS = [["check"], ["align"], ["models", "list"], ["models", "pull"], ["bench", "faults"], ["bench", "clean"],
            ["bench", "align"], ["bench", "audit"], ["bench", "backtranslate"], ["bench", "embed"],
            ["bench", "untranslated"], [], ["models"], ["bench"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "consistency")
def test_help_is_plain_and_readable(command):
    r = invoke(*command, "--help")
    assert r.exit_code == 0 and r.stderr == ""
    for junk in ("<list", "<bool>", "<str>", "<int>", "<path>", "╭", "{paths}"):
        assert junk not in r.stdout, (junk, r.stdout)


def test_check_help_keeps_brackets_and_lists_examples_and_kinds():
    from consistency.checks import CHECKS

    r = invoke("check", "--help")
    text = " ".join(r.stdout.split())
    assert "Usage: consistency check [OPTIONS] PATH..." in text
    for shown in ("[default: error]", "[default: warning]", "[tool.consistency]", "--lang FILE=LANG",
                  "-o, --output FILE", "--mt-model LANG=MODEL", "--disable KIND", "Examples:",
                  "consistency check essay/ -o report.html",
                  "3 internal error", "130 interrupted"):
        assert shown in text, shown
    disable = text[text.index("--disable KIND"):text.index("--show")]
    assert all(kind in disable for kind in CHECKS)


def test_version_from_the_console_script():
    r = proc("--version")
    assert r.returncode == 0 and r.stdout.startswith("consistency ") and r.stderr == ""
