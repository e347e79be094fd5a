"""Bad input never costs a publisher the site they already have, and never hangs or eats memory."""

from __future__ import annotations

import hashlib
import re
import resource
import subprocess
from pathlib import Path

import pytest
from conftest import edit, previous_site, run_cli, run_subprocess


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


BREAKAGES = [
    ("facts.yaml", "    value: \"12\"", "    value: \"12\"\n\tbad: tab"),
    ("facts.yaml", "    statement: The review looked at 12 cases.", "    statement: [a list]"),
    ("audiences/survivors.yaml", "facts: [no-action]", "facts: [nothing-here]"),
    ("glossary.yaml", "terms:", "!!python/object/apply:os.system ['true']\nterms:"),
]


@pytest.mark.parametrize(("file", "old", "new"), BREAKAGES, ids=["tab", "wrong-type", "dangling", "python-tag"])
def test_failed_build_leaves_previous_site_exactly_as_it_was(minimal: Path, minimal_site: Path, tmp_path: Path, file: str, old: str,
                                                             new: str) -> None:
    out = previous_site(minimal_site, minimal, tmp_path / "site")  # the site a build of `minimal` made (built once per run)
    before = snapshot(out)
    edit(minimal / file, old, new)
    result = run_cli("build", "--content", str(minimal), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


def _check_bounded(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run a check in a fresh process with a 1 GiB address-space limit and a time limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return run_subprocess("check", "--content", str(folder), timeout=30, preexec_fn=limit)


def test_very_large_file_is_refused_quickly(minimal: Path) -> None:
    (minimal / "timeline.yaml").write_text("events:\n" + "  - when: x\n    what: y\n    facts: [cases]\n" * 200_000, encoding="utf-8")
    result = _check_bounded(minimal)
    assert result.returncode == 1
    assert "timeline.yaml:1:1: file is too large" in result.stderr


def test_deep_nesting_is_an_error_not_a_crash(minimal: Path) -> None:
    (minimal / "timeline.yaml").write_text("events: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = _check_bounded(minimal)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "timeline.yaml:1:" in result.stderr


def test_alias_bomb_is_bounded_in_time_and_memory(minimal: Path) -> None:
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (minimal / "people.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _check_bounded(minimal)
    assert result.returncode == 1
    assert "people.yaml:1:1: file expands to more than" in result.stderr


def test_every_briefing_is_reported_when_several_fail(minimal: Path, tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for slug in ("one", "two"):
        copy = root / slug
        subprocess.run(["cp", "-r", str(minimal), str(copy)], check=True)
        edit(copy / "briefing.yaml", "slug: minimal", f"slug: {slug}")
    edit(root / "one" / "facts.yaml", "    statement: The review looked at 12 cases.", "    statment: x")
    edit(root / "two" / "audiences/journalists.yaml", "speaker: tro", "speaker: nobody")
    result = run_cli("check", "--content", str(root))
    assert result.returncode == 1
    assert f"{root}/one/facts.yaml" in result.stderr and f"{root}/two/audiences/journalists.yaml" in result.stderr


def test_two_briefings_with_one_slug_are_refused(minimal: Path, tmp_path: Path) -> None:
    root = tmp_path / "dupes"
    root.mkdir()
    for name in ("a", "b"):
        subprocess.run(["cp", "-r", str(minimal), str(root / name)], check=True)
    result = run_cli("check", "--content", str(root))
    assert result.returncode == 1
    assert "slug 'minimal' is already used by" in result.stderr


def test_reproducible_outputs(minimal_site: Path, tmp_path: Path) -> None:
    """Two builds of one content folder, each into a fresh folder, write the same bytes: `minimal_site` is the first
    (built once per run, perhaps in another process), and the second builds its content folder again."""
    one, two = minimal_site, tmp_path / "two"
    assert run_cli("build", "--content", str(minimal_site.parent / "minimal"), "--out", str(two)).returncode == 0
    first, second = snapshot(one), snapshot(two)
    first = {k: v for k, v in first.items() if not k.startswith(".")}
    second = {k: v for k, v in second.items() if not k.startswith(".")}
    assert first == second


def _built_lines(out: Path) -> dict[str, str]:
    """Each PDF's and HTML page's "Built <day>." line (the build date every output prints), by file name."""
    lines = {}
    for path in sorted((out / "minimal").iterdir()):
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        elif path.name in ("journalists.html", "survivors.html"):
            text = path.read_text(encoding="utf-8")
        else:
            continue
        found = re.findall(r"Built (\d+ \w+ \d{4})\.", text)
        assert len(set(found)) == 1, f"{path.name}: {found}"
        lines[path.name] = found[0]
    return lines


def test_each_build_in_one_process_renders_with_its_own_environment(minimal: Path, tmp_path: Path) -> None:
    """The PDF workers fork from a server that the first build in a process starts, with that build's environment; a later
    build there (serve, a test, a program calling `build`) may have another. Each must print its own date in its PDFs,
    as in its HTML: SOURCE_DATE_EPOCH first, then none. (Whichever build starts the server, one of the two failed before
    the workers took their build's environment: CI saw PDFs built 14 November 2023 in a build without the variable.)"""
    dated = run_cli("build", "--content", str(minimal), "--out", str(tmp_path / "dated"), "--jobs", "1",
                    env={"SOURCE_DATE_EPOCH": "1234567890"})
    assert dated.returncode == 0, dated.stderr
    assert set(_built_lines(tmp_path / "dated").values()) == {"13 February 2009"}
    undated = run_cli("build", "--content", str(minimal), "--out", str(tmp_path / "undated"), "--jobs", "1")
    assert undated.returncode == 0, undated.stderr
    days = _built_lines(tmp_path / "undated")
    assert len(days) == 8 and set(days.values()) == {days["journalists.html"]} != {"13 February 2009"}, days
