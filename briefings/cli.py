"""Command line: `briefings [build|check|serve|merge|schema|new] [--content DIR] [--out DIR] [options]`.

Exit codes: 0 built (or checked) cleanly; 1 problems in the content (nothing is written); 2 a usage
error (a bad option or argument, another build holding the output folder's lock, a deleted working
folder); 3 an internal error, that is a bug in the tool (run again with --debug for its traceback),
including an output that failed to render; 4 the machine stopped the build (out of memory, a disk
full or a folder that cannot be written): nothing is written, and the same run passes once that is
fixed.

`main` runs in-process as well as from build.py, `python -m briefings` and the `briefings` script:
it prints only to the streams it is given and returns the exit code; it never calls sys.exit.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from briefings.build.shard import parse_shard
from briefings.problems import EXIT_CONTENT, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, Problems, printable

EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Streams:
    """Where one run of the command line prints: its report to `stdout`, problems and progress to `stderr`."""

    stdout: TextIO
    stderr: TextIO

    def out(self, *parts: object) -> None:
        print(*(printable(str(part), keep_lines=True) for part in parts), file=self.stdout)

    def err(self, *parts: object) -> None:
        print(*(printable(str(part), keep_lines=True) for part in parts), file=self.stderr)


class _ParserExit(SystemExit):
    """argparse finished the run (--help, or a usage error it has already printed); `main` returns its code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that prints to the run's streams and raises _ParserExit instead of SystemExit."""

    streams: Streams | None = None

    def _stream(self, file: TextIO | None) -> TextIO | None:
        if self.streams is None:
            return file
        return self.streams.stderr if file is sys.stderr else self.streams.stdout

    def print_usage(self, file: TextIO | None = None) -> None:
        super().print_usage(self._stream(file))

    def print_help(self, file: TextIO | None = None) -> None:
        super().print_help(self._stream(file))

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message, self._stream(sys.stderr))
        raise _ParserExit(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def _jobs(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (0 means one per core)")
    return int(text)


def parser(streams: Streams | None = None) -> argparse.ArgumentParser:
    """Describe the command line (printing its help and usage errors to `streams`, if given)."""
    from briefings.audiences import PRESETS

    p = _Parser(
        prog="briefings",
        description="Build plain-language briefings (accessible HTML and tagged PDF) from YAML content.",
        epilog="Exit codes: 0 done, 1 problems in the content, 2 usage error (or the output folder is locked), "
        "3 internal error (a bug in the tool: run again with --debug), 4 the machine stopped the build (memory, disk).",
    )
    p.streams = streams
    p.add_argument("command", nargs="?", choices=["build", "check", "serve", "merge", "schema", "new", "translate"], default="build",
                   help="build (default): check, then write HTML, PDF and manifest.json, rebuilding only what changed; "
                   "check: validate and score only; serve: preview on localhost, rebuilding on every edit; "
                   "merge: combine the output folders of --shard builds into --out; "
                   "schema: write the JSON Schemas of the content files (to schemas/ unless --out is given); "
                   "new SLUG: write a new briefing to start from into the --content folder, with placeholders to replace; "
                   "translate extract --lang LANG: write or update each briefing's translations/LANG.po for translators; "
                   "translate pseudo --lang en-XA|ar-XB: a pseudo-translation for tests")
    p.add_argument("shards", nargs="*", type=Path, metavar="SHARD_DIR|SLUG|ACTION",
                   help="merge: the shards' output folders; new: the new briefing's slug; translate: extract or pseudo")
    p.add_argument("--lang", default=None, metavar="LANG", help="translate: the language, as a BCP 47 tag (pl, ur, ro, sk, cs, en-XA…)")
    p.add_argument("--audience", action="append", default=None, metavar="NAME",
                   help=f"new: an audience for the new briefing, a preset ({', '.join(PRESETS)}) or an id of your own; "
                   "repeat for more (default: one of your own, readers)")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: site, or schemas for schema)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--jobs", type=_jobs, default=0, metavar="N",
                   help="processes rendering PDFs, each under a memory limit (default 0: one per core)")
    p.add_argument("--shard", type=parse_shard, default=None, metavar="K/N",
                   help="build only shard K of N (briefings are split by slug), e.g. one job of a CI matrix; see README")
    p.add_argument("--port", type=_port, default=8000, metavar="N", help="serve: the port on 127.0.0.1 (default 8000; 0: any free port)")
    p.add_argument("--stats", type=Path, default=None, metavar="FILE",
                   help="build: also write what was built, skipped and how long it took to FILE as JSON")
    p.add_argument("--debug", action="store_true", help="show a traceback if the tool itself fails")
    return p


def report_problems(problems: Problems, strict: bool, stream: TextIO | None = None) -> bool:
    """Print every problem (to stderr unless `stream` is given); return True when the build must stop."""
    return problems.report(strict, stream)


def _check(args: argparse.Namespace, io: Streams) -> int:
    from briefings.check.publication import check
    from briefings.check.report import readability_report

    problems = Problems()
    checked = check(args.content, problems)
    failed = report_problems(problems, args.strict, io.stderr)
    if checked:
        io.out(readability_report(checked))
    if failed:
        io.err("Check failed.")
        return EXIT_CONTENT
    io.out("Check passed.")
    return EXIT_OK


def _build(args: argparse.Namespace, io: Streams) -> int:
    import json

    from briefings.build.builder import Options, build
    from briefings.build.lock import OutputLocked
    from briefings.build.progress import Progress, summary_table
    from briefings.build.write import OutputUnwritable

    try:
        result = build(Options(args.content, args.out, args.jobs, args.strict, args.shard, progress=Progress(stream=io.stderr)))
    except OutputLocked as err:
        io.err(f"briefings: {err}")
        return EXIT_USAGE
    except OutputUnwritable as err:  # a disk full, a read-only folder: not the content, not a bug
        io.err(f"briefings: {err}")
        return EXIT_ENVIRONMENT
    failed = report_problems(result.problems, args.strict, io.stderr)
    if result.report:
        io.out(result.report)
    for path, error, details in result.failures:
        if path in result.environment:
            io.err(f"{args.out}/{path}: could not be rendered: {error}")
        else:
            io.err(f"{args.out}/{path}: internal error while rendering: {error}")
        if args.debug and details:
            io.err(details)
    if args.stats:
        args.stats.write_text(json.dumps(result.stats(), indent=2) + "\n", encoding="utf-8")
    if failed:
        io.err("Nothing was written: fix the problems above.")
        return EXIT_CONTENT
    if result.failures and all(path in result.environment for path, _, _ in result.failures):
        io.err("Nothing was published: the output folder is as it was. The machine stopped the build (see above): "
               "fix that and run again.")
        return EXIT_ENVIRONMENT
    if result.failures:
        io.err("Nothing was written (a bug in the tool: run again with --debug for details).")
        return EXIT_INTERNAL
    rows = [(e.record.slug, sum(p.status == "built" for p in e.outputs), sum(p.status == "skipped" for p in e.outputs),
             sum(p.seconds for p in e.outputs)) for e in result.entries]
    if any(built for _, built, _, _ in rows):
        io.out(summary_table(rows))
    workers = ""
    if result.worker_rss_kb:
        workers = f", {result.workers} worker processes (peak memory {max(result.worker_rss_kb.values()) / 1024:.0f} MB)"
    removed = f", removed {len(result.removed)}" if result.removed else ""
    shard = f" (shard {args.shard})" if args.shard else ""
    io.out(f"Built {result.count('built')} file(s), skipped {result.count('skipped')} unchanged{removed} in {result.seconds:.2f} s"
           f"{workers}{shard}: {args.out}/ (see {args.out}/manifest.json and {args.out}/build-report.txt).")
    return EXIT_OK


def _new(args: argparse.Namespace, io: Streams) -> int:
    from briefings.audiences import PRESETS
    from briefings.check.language import PACKS
    from briefings.scaffold import MARKER, ScaffoldError, new_briefing

    if len(args.shards) != 1:
        io.err("briefings: new needs one SLUG, the new briefing's folder name (briefings new care-home-inspection)")
        return EXIT_USAGE
    try:
        made = new_briefing(args.content, str(args.shards[0]), args.audience or (), {name: p.title for name, p in PACKS.items()})
    except ScaffoldError as err:
        io.err(f"briefings: cannot write a new briefing: {err}")
        return EXIT_USAGE
    folder = made.folder
    audiences = [f"{a.id} (preset: {a.label})" if a.id in PRESETS else f"{a.id} (your own: write its label in briefing.yaml)"
                 for a in made.audiences]
    io.out(f"Wrote a new briefing in {folder}/, for {', '.join(audiences)}:")
    for path in made.files:
        io.out(f"  {path}")
    steps = [f"Replace every value that starts with \"{MARKER}\" with your own text, in this order: sources.yaml, facts.yaml, "
             "glossary.yaml, people.yaml, support.yaml, timeline.yaml (or delete it), briefing.yaml, then each audience's file.",
             "Read docs/editorial-guide.md first: how to write for each audience, and what the checks refuse.",
             f"Run `python build.py check --content {folder}`: it lists every placeholder left, and any other problem, with its line.",
             f"When it passes, `python build.py --content {folder}`, and read every page and PDF before you publish."]
    if not made.schemas.is_dir():
        out = "" if made.schemas == Path.cwd() / "schemas" else f" --out {made.schemas}"
        steps.append(f"For completion in your editor, `python build.py schema{out}` writes the schemas the files' first lines point at.")
    io.out("Next steps:")
    for number, step in enumerate(steps, 1):
        io.out(f"  {number}. {step}")
    return EXIT_OK


TRANSLATE_ACTIONS = ("extract", "pseudo")


def _translate(args: argparse.Namespace, io: Streams) -> int:
    from briefings.languages import PSEUDO
    from briefings.translate.catalog import LANGUAGE_TAG
    from briefings.translate.extract import extract

    actions = [str(a) for a in args.shards]
    if len(actions) != 1 or actions[0] not in TRANSLATE_ACTIONS:
        io.err(f"briefings: translate needs one action, {' or '.join(TRANSLATE_ACTIONS)} (briefings translate extract --lang pl)")
        return EXIT_USAGE
    if not args.lang or not LANGUAGE_TAG.match(args.lang):
        shown = f" ('{args.lang}' is not one)" if args.lang else ""
        io.err(f"briefings: translate needs --lang, a language tag such as pl, ur or ro-RO{shown}")
        return EXIT_USAGE
    if actions[0] == "pseudo" and args.lang not in PSEUDO:
        io.err(f"briefings: translate pseudo writes only the pseudo-locales {' and '.join(PSEUDO)}, never a real language's file")
        return EXIT_USAGE
    problems = Problems()
    done = extract(args.content, args.lang, problems, pseudo=actions[0] == "pseudo")
    errors = Problems(problems.errors)
    if report_problems(errors, False, io.stderr):
        io.err("Nothing was written: fix the problems above.")
        return EXIT_CONTENT
    for item in done:
        io.out(f"wrote {item.path}: {item.merged.summary()}")
    return EXIT_OK


def _merge(args: argparse.Namespace, io: Streams) -> int:
    from briefings.build.shard import MergeError, merge

    if not args.shards:
        io.err("briefings: merge needs the shards' output folders (briefings merge --out site shard-1 shard-2)")
        return EXIT_USAGE
    from briefings.build.lock import OutputLocked, output_lock

    try:
        with output_lock(args.out):
            merged = merge(args.shards, args.out)  # publishes index.html with the rest, all at once
    except OutputLocked as err:
        io.err(f"briefings: cannot merge: {err}")
        return EXIT_USAGE
    except MergeError as err:
        io.err(f"briefings: cannot merge: {err}")
        return EXIT_CONTENT
    count = sum(len(b["outputs"]) for b in merged["briefings"])
    io.out(f"Merged {len(merged['briefings'])} briefing(s), {count} file(s), from {len(args.shards)} shard(s) into {args.out}/.")
    return EXIT_OK


@contextlib.contextmanager
def _printing_to(io: Streams) -> Iterator[None]:
    """Send what serve.py prints (to sys.stdout and sys.stderr) to the run's streams, when they are other streams."""
    with contextlib.ExitStack() as stack:
        if io.stdout is not sys.stdout:
            stack.enter_context(contextlib.redirect_stdout(io.stdout))
        if io.stderr is not sys.stderr:
            stack.enter_context(contextlib.redirect_stderr(io.stderr))
        yield


def _file_on_the_way(path: Path) -> Path | None:
    """The first of `path` and its parents (links followed) that exists and is not a folder (None when there is none):
    no folder can be made there. A link to a folder not made yet is a folder to be made."""
    for place in (path.resolve(), *path.resolve().parents):
        if place.exists():
            return None if place.is_dir() else place
    return None


def _did_you_mean(path: Path) -> str:
    """' (did you mean NAME?)' for the folder beside `path` whose name is closest to its name, or ''."""
    import difflib

    try:
        beside = [p.name for p in path.parent.iterdir() if p.is_dir()] if path.parent.is_dir() else []
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, beside, n=1)
    return f" (did you mean {path.parent / close[0]}?)" if close else ""


def _no_folder(option: str, path: Path) -> str:
    """Why `path` given to `option` is not a folder to read ("" when it is one)."""
    if path.is_dir():
        return ""
    what = "is a file, not a folder" if path.exists() else "does not exist"
    return f"{option} {path} {what}: give the folder that holds the briefings{_did_you_mean(path)}"


def unusable_paths(args: argparse.Namespace) -> str:
    """Why the folders and files named on the command line cannot be used for this command ("" when they can), said
    before anything is read or written: a --content that is no folder, an --out or --stats where no file can be written."""
    if args.command in ("build", "check", "serve", "translate") and (problem := _no_folder("--content", args.content)):
        return problem
    if args.command == "new" and (blocking := _file_on_the_way(args.content)) is not None:
        return f"--content {args.content} is {'a file' if blocking == args.content.resolve() else f'inside {blocking}, a file'}, not a folder"
    if args.command in ("build", "serve", "merge", "schema"):
        blocking = _file_on_the_way(args.out)
        if blocking is not None:
            where = "is a file" if blocking == args.out.resolve() else f"is inside {blocking}, a file"
            return f"--out {args.out} {where}, not a folder: give the output a folder of its own (for example --out site)"
    if args.stats is not None:
        return _unusable_stats(args)
    return ""


def _unusable_stats(args: argparse.Namespace) -> str:
    """Why --stats FILE cannot be written after the build ("" when it can): it is written once the site is published."""
    if args.command != "build":
        return "--stats is only for build"
    stats, folder = args.stats.resolve(), args.stats.resolve().parent
    for option, place in (("--out", args.out), ("--content", args.content)):
        if stats.is_relative_to(place.resolve()):
            return f"--stats {args.stats} is inside {option} {place}: the build would write over it; write the file beside them"
    if stats.is_dir():
        return f"--stats {args.stats} is a folder: give the name of a file to write (for example --stats build-stats.json)"
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        return f"--stats {args.stats}: its folder {folder} {what}: make the folder first, or write the file elsewhere"
    return ""


def unsafe_folders(args: argparse.Namespace) -> str:
    """Why --out and --content cannot be used together for this command ("" when they can).

    Publishing replaces the whole output folder (and hard-links in whatever it holds), so it
    must be a folder of its own: never the root, never inside the content (a build would read
    its own outputs as content), never around it (publishing would take the content with it).
    """
    if args.command not in ("build", "serve", "merge"):
        return ""
    out = args.out.resolve()
    if out == Path(out.anchor):
        return f"--out {args.out} is the root folder: give the output a folder of its own (for example --out site)"
    if Path.cwd().resolve().is_relative_to(out):
        return (f"--out {args.out} holds the folder this command runs in: publishing replaces the output folder, and this "
                "folder with it; give the output a folder of its own (for example --out site)")
    if args.command == "merge":
        return _unsafe_merge(args, out)
    content = args.content.resolve()
    if out.is_relative_to(content):
        return (f"--out {args.out} is inside --content {args.content}: a build would read its own outputs as content; "
                "put the output folder beside the content (for example --out site)")
    if content.is_relative_to(out):
        return (f"--content {args.content} is inside --out {args.out}: publishing replaces the output folder, content and all; "
                "put the output folder beside the content (for example --out site)")
    return ""


def _unsafe_merge(args: argparse.Namespace, out: Path) -> str:
    """Why merge cannot publish into --out from these shards ("" when it can): a shard is read while --out is replaced."""
    for shard in args.shards:
        folder = shard.resolve()
        if out == folder:
            return f"--out {args.out} is the shard {shard}: merge into a folder of its own (for example --out site)"
        if out.is_relative_to(folder):
            return (f"--out {args.out} is inside the shard {shard}: publishing would change the shard while it is read; "
                    "merge into a folder beside the shards (for example --out site)")
        if folder.is_relative_to(out):
            return (f"the shard {shard} is inside --out {args.out}: publishing replaces the output folder, shard and all; "
                    "merge into a folder beside the shards (for example --out site)")
    return ""


def run(args: argparse.Namespace, io: Streams | None = None) -> int:
    """Run one command; return the exit code."""
    io = io or Streams(sys.stdout, sys.stderr)
    if args.shards and args.command not in ("merge", "new", "translate"):
        io.err(f"briefings: unexpected argument(s) {' '.join(map(str, args.shards))} (only merge takes folders, new a slug and translate an action)")
        return EXIT_USAGE
    if args.lang is not None and args.command != "translate":
        io.err("briefings: --lang is only for translate")
        return EXIT_USAGE
    if args.audience and args.command != "new":
        io.err("briefings: --audience is only for new")
        return EXIT_USAGE
    unsafe = unsafe_folders(args) or unusable_paths(args)
    if unsafe:
        io.err(f"briefings: {unsafe}")
        return EXIT_USAGE
    if args.command == "new":
        return _new(args, io)
    if args.command == "translate":
        return _translate(args, io)
    if args.command == "schema":
        from briefings.schema import write_schemas

        for path in write_schemas(args.out):
            io.out(f"wrote {path}")
        return EXIT_OK
    if args.command == "check":
        return _check(args, io)
    if args.command == "serve":
        from briefings.serve import serve

        with _printing_to(io):
            return serve(args.content, args.out, args.port, args.jobs, args.strict)
    if args.command == "merge":
        return _merge(args, io)
    return _build(args, io)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line once and return its exit code (see the module's docstring); print only to the streams given.

    The entry point of build.py, `python -m briefings` and the `briefings` script (they `sys.exit` with the code);
    `stdout` and `stderr` default to sys.stdout and sys.stderr as they are when main is called.
    """
    io = Streams(sys.stdout if stdout is None else stdout, sys.stderr if stderr is None else stderr)
    try:
        args = parser(io).parse_intermixed_args(None if argv is None else list(argv))  # merge --out site shard-1 …
    except _ParserExit as done:
        return done.code
    if args.out is None:
        args.out = Path("schemas" if args.command == "schema" else "site")
    try:
        Path.cwd()  # relative paths, the shown paths and the PDF workers' start all need it
    except FileNotFoundError:
        io.err("briefings: the folder this command runs in no longer exists (deleted since the shell went there):"
               " go to a folder that exists and run it again")
        return EXIT_USAGE
    try:
        return run(args, io)
    except KeyboardInterrupt:
        io.err("Interrupted; the output folder is unchanged.")
        return EXIT_INTERRUPTED
    except Exception as err:  # a traceback is a bug in the tool, not in the content
        from briefings.build.write import is_environmental

        if is_environmental(err):  # unless the machine refused: a disk full, a read-only folder (see build.write)
            where = f": {err.filename}" if getattr(err, "filename", None) is not None else ""
            io.err(f"briefings: {err.strerror}{where}")
            return EXIT_ENVIRONMENT
        if args.debug:
            traceback.print_exc(file=io.stderr)
        else:
            io.err(f"briefings: internal error: {err.__class__.__name__}: {err} (run again with --debug for details)")
        return EXIT_INTERNAL
