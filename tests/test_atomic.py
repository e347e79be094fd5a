"""A killed build leaves the previous site intact, and a lock keeps two builds out of one folder."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, run_cli
from test_schema_errors import edit

from briefings.lock import lock_path, output_lock


def visible(folder: Path) -> dict[str, str]:
    """The published files (hidden cache and temporary files aside) and their hashes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def test_killed_build_leaves_previous_site_intact(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1").returncode == 0
    before = visible(out)
    edit(minimal / "facts.yaml", "statement: The review looked at 12 cases.", "statement: The review looked at twelve cases.")
    killed_at = []
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(minimal), "--out", str(out), "--jobs", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is not None:
            break  # finished before we could kill it: later delays would too
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_at.append(delay)
        assert visible(out) == before, f"killed after {delay}s, the site changed"
    assert killed_at, "the build was never killed mid-way; the test proved nothing"
    # The lock died with the process: the next build runs and publishes the edit.
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert visible(out) != before


def test_lock_keeps_a_second_build_out(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with output_lock(out):
        result = run_cli("build", "--content", str(minimal), "--out", str(out))
        assert result.returncode == 1
        assert f"another build is writing to {out.resolve()}/" in result.stderr
        assert not out.exists() or not any(out.iterdir())
    assert lock_path(out).parent == out.resolve().parent
    assert run_cli("build", "--content", str(minimal), "--out", str(out)).returncode == 0
