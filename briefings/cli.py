"""Command line: `briefings [build|check|serve|merge|schema] [--content DIR] [--out DIR] [options]`.

Exit codes: 0 built (or checked) cleanly, 1 content problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from briefings.problems import Problems
from briefings.shard import parse_shard

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _jobs(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (0 means one per core)")
    return int(text)


def parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    p = argparse.ArgumentParser(
        prog="briefings",
        description="Build plain-language briefings (accessible HTML and tagged PDF) from YAML content.",
    )
    p.add_argument("command", nargs="?", choices=["build", "check", "serve", "merge", "schema"], default="build",
                   help="build (default): check, then write HTML, PDF and manifest.json, rebuilding only what changed; "
                   "check: validate and score only; serve: preview on localhost, rebuilding on every edit; "
                   "merge: combine the output folders of --shard builds into --out; "
                   "schema: write the JSON Schemas of the content files (to schemas/ unless --out is given)")
    p.add_argument("shards", nargs="*", type=Path, metavar="SHARD_DIR", help="merge: the shards' output folders")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: site, or schemas for schema)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--jobs", type=_jobs, default=0, metavar="N",
                   help="processes rendering PDFs (default 0: one per core; 1: render in this process)")
    p.add_argument("--shard", type=parse_shard, default=None, metavar="K/N",
                   help="build only shard K of N (briefings are split by slug), e.g. one job of a CI matrix; see README")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="serve: the port on 127.0.0.1 (default 8000)")
    p.add_argument("--stats", type=Path, default=None, metavar="FILE",
                   help="build: also write what was built, skipped and how long it took to FILE as JSON")
    p.add_argument("--debug", action="store_true", help="show a traceback if the tool itself fails")
    return p


def report_problems(problems: Problems, strict: bool) -> bool:
    """Print every problem; return True when the build must stop."""
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return bool(errors or (strict and warnings))


def _check(args: argparse.Namespace) -> int:
    from briefings.pipeline import check
    from briefings.report import readability_report

    problems = Problems()
    checked = check(args.content, problems)
    failed = report_problems(problems, args.strict)
    if checked:
        print(readability_report(checked))
    if failed:
        print("Check failed.", file=sys.stderr)
        return EXIT_CONTENT
    print("Check passed.")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    import json

    from briefings.builder import Options, build
    from briefings.lock import OutputLocked
    from briefings.progress import Progress, summary_table

    try:
        result = build(Options(args.content, args.out, args.jobs, args.strict, args.shard, progress=Progress()))
    except OutputLocked as err:
        print(f"briefings: {err}", file=sys.stderr)
        return EXIT_CONTENT
    failed = report_problems(result.problems, args.strict)
    if result.report:
        print(result.report)
    for path, error, details in result.failures:
        print(f"{args.out}/{path}: internal error while rendering: {error}", file=sys.stderr)
        if args.debug:
            print(details, file=sys.stderr)
    if args.stats:
        args.stats.write_text(json.dumps(result.stats(), indent=2) + "\n", encoding="utf-8")
    if failed or result.failures:
        print("Nothing was written: fix the problems above." if failed else
              "Nothing was written (a bug in the tool: run again with --debug for details).", file=sys.stderr)
        return EXIT_CONTENT
    rows = [(e.record.slug, sum(p.status == "built" for p in e.outputs), sum(p.status == "skipped" for p in e.outputs),
             sum(p.seconds for p in e.outputs)) for e in result.entries]
    if any(built for _, built, _, _ in rows):
        print(summary_table(rows))
    workers = ""
    if result.worker_rss_kb:
        workers = f", {result.workers} worker processes (peak memory {max(result.worker_rss_kb.values()) / 1024:.0f} MB)"
    removed = f", removed {len(result.removed)}" if result.removed else ""
    shard = f" (shard {args.shard})" if args.shard else ""
    print(f"Built {result.count('built')} file(s), skipped {result.count('skipped')} unchanged{removed} in {result.seconds:.2f} s"
          f"{workers}{shard}: {args.out}/ (see {args.out}/manifest.json and {args.out}/build-report.txt).")
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from briefings.render.index import write_index
    from briefings.shard import MergeError, merge

    if not args.shards:
        print("briefings: merge needs the shards' output folders (briefings merge --out site shard-1 shard-2)", file=sys.stderr)
        return EXIT_USAGE
    from briefings.lock import OutputLocked, output_lock

    try:
        with output_lock(args.out):
            merged = merge(args.shards, args.out)
            write_index(args.out)
    except (MergeError, OutputLocked) as err:
        print(f"briefings: cannot merge: {err}", file=sys.stderr)
        return EXIT_CONTENT
    count = sum(len(b["outputs"]) for b in merged["briefings"])
    print(f"Merged {len(merged['briefings'])} briefing(s), {count} file(s), from {len(args.shards)} shard(s) into {args.out}/.")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run one command; return the exit code."""
    if args.shards and args.command != "merge":
        print(f"briefings: unexpected argument(s) {' '.join(map(str, args.shards))} (only merge takes folders)", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "schema":
        from briefings.schema import write_schemas

        for path in write_schemas(args.out):
            print(f"wrote {path}")
        return EXIT_OK
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        from briefings.serve import serve

        return serve(args.content, args.out, args.port, args.jobs, args.strict)
    if args.command == "merge":
        return _merge(args)
    return _build(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point for build.py, `python -m briefings` and the `briefings` script."""
    args = parser().parse_args(argv)
    if args.out is None:
        args.out = Path("schemas" if args.command == "schema" else "site")
    try:
        return run(args)
    except KeyboardInterrupt:
        print("Interrupted; the previous output is unchanged where it was not yet replaced.", file=sys.stderr)
        return 130
    except Exception as err:  # a traceback is a bug in the tool, not in the content
        if args.debug:
            traceback.print_exc()
        else:
            print(f"briefings: internal error: {err.__class__.__name__}: {err} (run again with --debug for details)", file=sys.stderr)
        return EXIT_CONTENT
