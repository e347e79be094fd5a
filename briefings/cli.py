"""Command line: `briefings [build|check] [--content DIR] [--out DIR] [--strict] [--debug]`.

Exit codes: 0 built (or checked) cleanly, 1 content problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from briefings.problems import Problems

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    p = argparse.ArgumentParser(
        prog="briefings",
        description="Build plain-language briefings (accessible HTML and tagged PDF) from YAML content.",
    )
    p.add_argument("command", nargs="?", choices=["build", "check", "schema"], default="build",
                   help="build (default): check, then write HTML, PDF and manifest.json; check: validate and score only; "
                   "schema: write the JSON Schemas of the content files (to schemas/ unless --out is given)")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: site, or schemas for schema)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--debug", action="store_true", help="show a traceback if the tool itself fails")
    return p


def _report_problems(problems: Problems, strict: bool) -> bool:
    """Print every problem; return True when the build must stop."""
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return bool(errors or (strict and warnings))


def run(args: argparse.Namespace) -> int:
    """Run one command; return the exit code."""
    from briefings.pipeline import check, render
    from briefings.report import readability_report
    from briefings.write import write_site

    if args.command == "schema":
        from briefings.schema import write_schemas

        for path in write_schemas(args.out):
            print(f"wrote {path}")
        return EXIT_OK
    problems = Problems()
    checked = check(args.content, problems)
    failed = _report_problems(problems, args.strict)
    if checked:
        print(readability_report(checked))
    if failed:
        print("Nothing was written: fix the problems above." if args.command == "build" else "Check failed.", file=sys.stderr)
        return EXIT_CONTENT
    if args.command == "check":
        print("Check passed.")
        return EXIT_OK
    site = render(checked)
    report = readability_report(checked)
    write_site(args.out, site, {"build-report.txt": report.encode("utf-8")})
    count = sum(len(outputs) for _, _, outputs in site)
    print(f"Built {count} file(s) in {args.out}/ (see {args.out}/manifest.json and {args.out}/build-report.txt).")
    return EXIT_OK


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
