"""A normal install works: the wheel carries its templates, fonts and word lists, and builds from any folder.

The wheel is built offline (no build isolation: the venv's setuptools and wheel, from the test
extras) from a clean copy of the checkout, installed into a fresh venv with --no-deps --no-index,
and its `briefings` console script builds the fixture publication from a folder that is not the
checkout. The fresh venv sees the project's dependencies through a .pth line naming .venv's
site-packages; that line does not run .venv's own .pth files, so the editable install there (which
maps `briefings` to the checkout) stays out, and the test checks that the package it runs is the
installed one. Nothing touches the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow

# What the checkout holds that is not source: never copied into the build. The first set only at
# the top (briefings/build/ is source), the second anywhere.
_NOT_SOURCE_AT_TOP = {".git", ".venv", ".ci", "node_modules", "site", "build", "dist", ".pytest_cache", ".hypothesis"}
_NOT_SOURCE_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.briefings-lock")


def _not_source(folder: str, names: list[str]) -> set[str]:
    skipped = set(_NOT_SOURCE_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        skipped |= _NOT_SOURCE_AT_TOP & set(names)
    return skipped


def _offline_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_installed_wheel_builds_from_another_folder(tmp_path: Path) -> None:
    started = time.monotonic()
    env = _offline_env()

    # Build from a clean copy, so that a stale build/ folder in the checkout cannot leak old files
    # into the wheel, and parallel runs do not share one.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    wheels = tmp_path / "wheels"
    made = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)], cwd=tmp_path, env=env)
    (wheel,) = wheels.glob("briefings-*.whl")
    # setuptools warns of a folder with files that it did not find as a package ("would be ignored").
    assert "absent from the `packages` configuration" not in made.stdout + made.stderr, made.stdout + made.stderr

    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "briefings/check/given_names.txt",
        "briefings/templates/briefing.html.j2",
        "briefings/templates/briefing.css",
        "briefings/templates/pdf.css",
        "briefings/templates/quick-exit.js",
        "briefings/templates/fonts/OFL.txt",
        "briefings/templates/fonts/atkinson-hyperlegible-latin-400-normal.woff2",
    }
    assert expected <= names, sorted(expected - names)
    shipped = {n for n in names if n.startswith("briefings/templates/")}
    in_checkout = {"briefings/" + p.relative_to(ROOT / "briefings").as_posix() for p in (ROOT / "briefings" / "templates").rglob("*") if p.is_file()}
    assert shipped == in_checkout, "every template, stylesheet, script and font is in the wheel"
    assert not any(n.startswith(("templates/", "tests/", "content/")) for n in names)
    assert not any("__pycache__" in n for n in names)
    # The code's licence, as the metadata declares it, and the licences of the fonts and pictures it bundles.
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert zipfile.ZipFile(wheel).read(licence).decode().startswith("MIT License")
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
    assert {"briefings/templates/fonts/OFL.txt", "briefings/templates/pictures/openmoji/LICENSE.txt"} <= names

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, env=env)
    python, script = venv / "bin" / "python", venv / "bin" / "briefings"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path, env=env)
    fresh_site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path, env=env).stdout.strip())
    (fresh_site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run(
        [str(python), "-c", "import briefings, briefings.package_data as d; print(briefings.__file__); print(d.TEMPLATES)"], cwd=work, env=env
    ).stdout.split("\n")
    for path in where[:2]:
        assert Path(path).resolve().is_relative_to(venv.resolve()), f"{path} is not the installed copy"

    content = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", content)
    site = tmp_path / "site"
    built = subprocess.run(
        [str(script), "build", "--content", str(content), "--out", str(site), "--jobs", "1"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stdout + built.stderr
    html, pdf = sorted(site.rglob("*.html")), sorted(site.rglob("*.pdf"))
    assert html and pdf, sorted(p.name for p in site.rglob("*"))
    for path in html + pdf:
        assert path.stat().st_size > 0, path
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdf)
    assert (site / "manifest.json").stat().st_size > 0

    checked = subprocess.run([str(script), "check", "--content", str(content)], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not (work / "site").exists() and not any(work.iterdir()), "check writes nothing, build writes only --out"
    print(f"wheel: {len(names)} files; installed and built in {time.monotonic() - started:.1f} s")
