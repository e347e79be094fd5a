"""Faults in the machinery, injected at named steps (no timing): workers that outlive their build, documents too costly
to render, a full disk or a read-only folder, a publisher's own index.html."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conftest import ROOT

from briefings.build.publish import FAULT_ENV, FAULT_EXIT

# --- 5. the fork server and the workers die with the build that started them -------------------------------------


def _processes_marked(mark: str) -> list[int]:
    """Every process (but this one) whose environment carries `mark`: a build's fork server and workers inherit it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = next((line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), "")
        except OSError:  # gone already, or not ours to read
            continue
        if f"BRIEFINGS_TEST_MARK={mark}".encode() in environ.split(b"\0") and "zombie" not in state:
            found.append(int(entry.name))
    return found


def test_a_killed_build_leaves_no_fork_server_or_worker_behind(minimal: Path, tmp_path: Path) -> None:
    """A build with two PDF workers dies (as kill -9 would leave it) once a worker has rendered a PDF: nothing of it remains.

    No timing is relied on: the build dies at a named step, and the test then waits, up to a generous deadline, for
    processes that should be gone; a sound build has none left at the first look but one.
    """
    mark = uuid.uuid4().hex
    env = {**os.environ, FAULT_ENV: "worker-rendered", "BRIEFINGS_TEST_MARK": mark}
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(minimal), "--out", str(tmp_path / "site"), "--jobs", "2"]
    log = tmp_path / "build.log"
    with log.open("w") as output:  # a file, not a pipe: a process left holding a pipe open would keep run() waiting
        result = subprocess.run(command, env=env, stdout=output, stderr=subprocess.STDOUT, timeout=300, cwd=ROOT)
    assert result.returncode == FAULT_EXIT, f"the build did not reach the step: {log.read_text()}"
    deadline = time.monotonic() + 60
    left = _processes_marked(mark)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _processes_marked(mark)
    for pid in left:  # do not leave them running for the rest of the suite
        os.kill(pid, 9)
    assert left == [], f"{len(left)} process(es) of the dead build are still running"
    assert not (tmp_path / "site").exists()
