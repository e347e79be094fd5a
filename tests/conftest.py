"""Shared fixtures: the default content built once per test session with the real pipeline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run build.py as a user would, capturing its output."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the default content into a fresh folder and return that folder."""
    out = tmp_path_factory.mktemp("site")
    result = run_cli("build", "--content", str(CONTENT), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def manifest(built_site: Path) -> dict:
    return json.loads((built_site / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture()
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the small fixture publication."""
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def outputs(manifest: dict, fmt: str) -> list[dict]:
    """Every output of one format in the manifest."""
    return [o for b in manifest["briefings"] for o in b["outputs"] if o["format"] == fmt]
