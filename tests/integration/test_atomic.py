"""A build that dies at any step leaves the old site or the new one, never a mix; one build at a time per folder.

No timing: each build is stopped at a named step of its publication (BRIEFINGS_FAULT, see
briefings.build.publish), where the process exits as a `kill -9` would leave it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, edit, previous_site, run_cli

from briefings.build.builder import Options, build
from briefings.build.cache import cache_path
from briefings.build.lock import lock_path, output_lock
from briefings.build.publish import FAULT_ENV, FAULT_EXIT, STEPS, Staging
from briefings.render.formats import html_formats


def visible(folder: Path) -> dict[str, str]:
    """Every file in the folder and its hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# A build of the HTML formats in a fresh process, so that it can die at a named step like a killed one. It renders
# no PDF, so it starts no PDF workers either: the HTML renders in the build's own process.
_HTML_BUILD = """
import sys
from pathlib import Path
from briefings.build.builder import Options, build
from briefings.render.formats import html_formats
result = build(Options(Path(sys.argv[1]), Path(sys.argv[2]), jobs=1, formats=html_formats()))
sys.exit(0 if result.ok else 1)
"""


def build_dying_at(step: str, content: Path, out: Path, html_only: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a real build process that dies at `step` (the HTML formats only, unless `html_only` is False: build.py)."""
    env = {**os.environ, FAULT_ENV: step, "PYTHONPATH": str(ROOT / "tests")}
    command = [sys.executable, "-c", _HTML_BUILD, str(content), str(out)] if html_only else \
        [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--jobs", "1"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


def html_build(content: Path, out: Path) -> None:
    """Build the HTML formats here (with no PDF to render, no worker starts)."""
    result = build(Options(content, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()]


def leftovers(out: Path) -> list[str]:
    """Staging or journal folders of a build beside the output folder."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.briefings-") and p.is_dir())


TWELVE = ("statement: The review looked at 12 cases.", "statement: The review looked at twelve cases.")


@pytest.mark.parametrize("step", STEPS)
def test_a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one(step: str, minimal: Path, tmp_path: Path) -> None:
    out, reference = tmp_path / "site", tmp_path / "reference"
    html_build(minimal, out)
    before = visible(out)
    edit(minimal / "facts.yaml", *TWELVE)
    html_build(minimal, reference)
    after = visible(reference)
    assert before != after and before.keys() == after.keys()
    result = build_dying_at(step, minimal, out)
    assert result.returncode == FAULT_EXIT, f"the build did not reach step {step!r}: {result.stderr}"
    expected = before if STEPS.index(step) < STEPS.index("switched") else after
    assert visible(out) == expected, f"died at {step!r}: the site is not the {'old' if expected is before else 'new'} one"
    # The next build cleans up what the dead one left, and publishes the edit.
    html_build(minimal, out)
    assert visible(out) == after
    assert leftovers(out) == []
    assert not list(tmp_path.rglob("*.tmp"))


def test_build_py_killed_before_the_switch_leaves_the_previous_site(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    """The same through the command line, every format: PDFs rendered by a build that dies are never seen."""
    out = previous_site(minimal_site, minimal, tmp_path / "site")  # what `build --jobs 1` of `minimal` left (built once per run)
    before = visible(out)
    edit(minimal / "facts.yaml", *TWELVE)
    assert build_dying_at("before-switch", minimal, out, html_only=False).returncode == FAULT_EXIT
    assert visible(out) == before
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert visible(out) != before and leftovers(out) == []


def test_a_failed_build_stages_nothing_and_publishes_nothing(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    out = previous_site(minimal_site, minimal, tmp_path / "site")  # what `build --jobs 1` of `minimal` left (built once per run)
    before = visible(out)
    edit(minimal / "facts.yaml", "statement: The review looked at 12 cases.", "statment: The review looked at 12 cases.")
    assert run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1").returncode == 1
    assert visible(out) == before and leftovers(out) == []


def test_a_build_that_changes_nothing_publishes_nothing(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    # The first build starts from a copy of minimal_site, so it has nothing to render (its report names this content
    # folder, so it publishes); the second has nothing to change at all.
    out = previous_site(minimal_site, minimal, tmp_path / "site")
    assert run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1").returncode == 0
    inode = out.stat().st_ino
    assert run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1").returncode == 0
    assert out.stat().st_ino == inode, "a no-op build must not replace the folder"


def test_files_that_are_not_ours_survive_a_publication(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    out = previous_site(minimal_site, minimal, tmp_path / "site")  # what `build --jobs 1` of `minimal` left (built once per run)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "docs").mkdir()
    (out / "docs" / "important.md").write_text("also mine", encoding="utf-8")
    edit(minimal / "facts.yaml", *TWELVE)
    html_build(minimal, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "docs" / "important.md").read_text(encoding="utf-8") == "also mine"


def test_the_fallback_switch_without_exchange_recovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the file system cannot exchange folders, a switch that dies between its two renames is undone."""
    from briefings.build import publish

    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_text("old", encoding="utf-8")

    def no_exchange(a: Path, b: Path) -> None:
        raise OSError(publish.errno.EINVAL, "not supported here")

    class Died(Exception):
        pass

    def die_at(step: str) -> None:
        if step == "switched":
            raise Died

    monkeypatch.setattr(publish, "_exchange", no_exchange)
    monkeypatch.setattr(publish, "fault", die_at)
    staging = Staging(out)
    staging.begin()
    staging.write("a.html", b"new")
    with pytest.raises(Died):
        staging.publish()
    assert not out.exists()  # between the renames: the journal folder holds the old site
    Staging(out).recover()
    assert (out / "a.html").read_text(encoding="utf-8") == "old" and leftovers(out) == []
    monkeypatch.setattr(publish, "fault", lambda step: None)
    staging = Staging(out)
    staging.begin()
    staging.write("a.html", b"new")
    staging.publish()
    assert (out / "a.html").read_text(encoding="utf-8") == "new" and leftovers(out) == []


def test_lock_keeps_a_second_build_out(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with output_lock(out):
        result = run_cli("build", "--content", str(minimal), "--out", str(out))
        assert result.returncode == 2  # a held lock is a usage error
        assert f"another build is writing to {out.resolve()}/" in result.stderr
        assert not out.exists() or not any(out.iterdir())
    assert lock_path(out).parent == out.resolve().parent
    assert cache_path(out).parent == out.resolve().parent
    # Once the lock is let go a build gets in: one over the site a build of `minimal` made (a copy of minimal_site),
    # which takes the lock, checks and publishes, with nothing to render.
    previous_site(minimal_site, minimal, out)
    assert run_cli("build", "--content", str(minimal), "--out", str(out)).returncode == 0
