"""Faults in the machinery, injected at named steps (no timing): workers that outlive their build, documents too costly
to render, a full disk or a read-only folder, a publisher's own index.html."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
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


# --- 6. what one document may cost: bounded in the content, and in memory per worker -----------------------------


def _write_items(path: Path, count: int, kind: str = "list") -> None:
    from conftest import edit

    items = "".join(f"          - Item number {i}.\n" for i in range(count))
    edit(path, "      - list:\n", f"      - {kind}:\n{items}")


def test_an_audience_with_too_many_list_items_is_a_content_error_before_anything_renders(minimal: Path, tmp_path: Path) -> None:
    from conftest import check_lines as check

    from briefings.load.limits import MAX_ITEMS

    _write_items(minimal / "audiences/survivors.yaml", MAX_ITEMS)  # the file already has a few
    code, lines = check(minimal)
    assert code == 1
    found = [line for line in lines if line.startswith("audiences/survivors.yaml:")]
    assert len(found) == 1 and f"the audience has more than {MAX_ITEMS:,} list items and key points" in found[0], lines
    line = int(found[0].split(":")[1])
    assert (minimal / "audiences/survivors.yaml").read_text(encoding="utf-8").splitlines()[line - 1].strip().startswith("- Item number")


def test_an_audience_with_too_many_words_or_blocks_is_a_content_error(minimal: Path) -> None:
    from conftest import check_lines as check
    from conftest import edit

    from briefings.load.limits import MAX_BLOCKS, MAX_WORDS

    words = " ".join(["word"] * (MAX_WORDS + 1))
    blocks = "".join(f"      - paragraph: Block {i}.\n" for i in range(MAX_BLOCKS))
    edit(minimal / "audiences/survivors.yaml", "      - paragraph: The council did not act.", f"      - paragraph: {words}\n{blocks}      - paragraph: The council did not act.")
    code, lines = check(minimal)
    assert code == 1
    assert any(f"the audience has more than {MAX_WORDS:,} words" in line for line in lines), lines
    assert any(f"the audience has more than {MAX_BLOCKS:,} blocks" in line for line in lines), lines


def test_a_register_with_too_many_entries_is_a_content_error(minimal: Path) -> None:
    from conftest import check_lines as check

    from briefings.load.limits import MAX_ENTRIES

    events = "".join(f"  - when: \"{2000 + i % 20}\"\n    what: Event {i}.\n    facts: [cases]\n" for i in range(MAX_ENTRIES + 1))
    (minimal / "timeline.yaml").write_text("events:\n" + events, encoding="utf-8")
    code, lines = check(minimal)
    assert code == 1
    assert any(line.startswith("timeline.yaml:") and f"has more than {MAX_ENTRIES:,} entries" in line for line in lines), lines


def test_each_pdf_worker_has_a_memory_limit() -> None:
    import resource

    from briefings.build.workers import WorkerPool

    limit = 1536 * 1024 * 1024
    pool = WorkerPool(2, memory_limit=limit)
    pool.start()
    try:
        assert pool.pool is not None
        assert pool.pool.submit(resource.getrlimit, resource.RLIMIT_AS).result(timeout=300) == (limit, limit)
        try:
            pool.pool.submit(bytearray, limit).result(timeout=300)
        except MemoryError:
            pass
        else:
            raise AssertionError("a worker allocated more than its limit")
    finally:
        pool.close()


def test_one_pdf_worker_is_a_process_under_the_limit_too() -> None:
    """--jobs 1 (or one PDF to make): still a worker of its own under the limit, never the build's own process."""
    import resource

    from briefings.build.workers import WorkerPool

    before = resource.getrlimit(resource.RLIMIT_AS)
    limit = 1536 * 1024 * 1024
    pool = WorkerPool(1, memory_limit=limit)
    pool.start()
    try:
        assert pool.parallel and pool.pool is not None, "one worker is a process of its own"
        assert pool.pool.submit(os.getpid).result(timeout=300) != os.getpid()
        assert pool.pool.submit(resource.getrlimit, resource.RLIMIT_AS).result(timeout=300) == (limit, limit)
    finally:
        pool.close()
    assert resource.getrlimit(resource.RLIMIT_AS) == before, "the build's own process is not limited"
    assert not WorkerPool(1, memory_limit=None).parallel, "with no limit, one job at a time renders in this process"


# Build the HTML formats of a content folder in a fresh process; then say whether a fork server (which imports
# WeasyPrint for the PDF workers) was started, and whether this process imported WeasyPrint.
_HTML_ONLY = """
import sys
from multiprocessing import forkserver
from pathlib import Path
from briefings.build.builder import Options, build
from briefings.render.formats import html_formats
result = build(Options(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, formats=html_formats()))
print(result.ok, result.count("built"), forkserver._forkserver._forkserver_pid is not None, "weasyprint" in sys.modules)
"""


def test_a_build_of_the_html_formats_starts_no_pdf_worker(minimal: Path, tmp_path: Path) -> None:
    """serve's first pass (and any build that asks for no PDF) renders its HTML in its own process, at once."""
    done = subprocess.run([sys.executable, "-c", _HTML_ONLY, str(minimal), str(tmp_path / "site")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    ok, written, fork_server, weasyprint = done.stdout.split()
    assert ok == "True" and int(written) > 0, done.stdout
    assert fork_server == "False", "a build with no PDF to render started the PDF workers' fork server"
    assert weasyprint == "False", "the HTML formats need no WeasyPrint"


def test_a_build_with_one_job_renders_its_pdfs_under_the_limit(minimal: Path, tmp_path: Path) -> None:
    """A real --jobs 1 build: a PDF that runs out of memory (named step) does so in a worker that has the limit."""
    from conftest import run_subprocess

    out = tmp_path / "site"
    victim = "minimal/survivors.pdf"
    env = {**os.environ, FAULT_ENV: f"worker-memory:{victim}"}  # fires only in a worker process, never in the build
    env.pop("BRIEFINGS_WORKER_MEMORY_MB", None)
    result = run_subprocess("build", "--content", str(minimal), "--out", str(out), "--jobs", "1", env=env)
    assert result.returncode == 4, result.stderr
    assert f"{out}/{victim}: could not be rendered: ran out of memory (the limit is 2,048 MB per worker" in result.stderr
    assert not out.exists()


def test_the_worker_memory_limit_is_configurable(monkeypatch) -> None:
    from briefings.build.workers import DEFAULT_WORKER_MEMORY, MEMORY_ENV, worker_memory_limit

    assert DEFAULT_WORKER_MEMORY == 2 << 30
    monkeypatch.delenv(MEMORY_ENV, raising=False)
    assert worker_memory_limit() == 2 << 30
    monkeypatch.setenv(MEMORY_ENV, "3072")
    assert worker_memory_limit() == 3072 << 20
    monkeypatch.setenv(MEMORY_ENV, "0")
    assert worker_memory_limit() is None  # no limit


@pytest.mark.parametrize(("fault", "message"), [
    ("worker-dies", "the worker process rendering it died"),
    ("worker-memory", "ran out of memory"),
])
def test_a_worker_that_dies_or_runs_out_of_memory_fails_only_its_output(fault: str, message: str, minimal: Path, tmp_path: Path) -> None:
    """A real build with two workers; one PDF's worker dies (as the OOM killer would) or hits MemoryError at a named step."""
    import json

    from conftest import run_subprocess

    out, stats = tmp_path / "site", tmp_path / "stats.json"
    victim = "minimal/survivors.pdf"
    env = {**os.environ, FAULT_ENV: f"{fault}:{victim}"}
    result = run_subprocess("build", "--content", str(minimal), "--out", str(out), "--jobs", "2", "--stats", str(stats), env=env)
    assert result.returncode == 4, result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith(str(out))]
    assert len(failures) == 1 and failures[0].startswith(f"{out}/{victim}: ") and message in failures[0], result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr
    built = json.loads(stats.read_text(encoding="utf-8"))["built_paths"]
    assert victim not in built and len(built) == 11, built  # every other output rendered
    assert not out.exists()


# --- 7. a full disk or a read-only folder while rendering or publishing: a clear error, exit 4, the site untouched ------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_space(name_ends: str, code: int = 28):
    """A stand-in for briefings.build.publish.write_new that fails, like a full disk (ENOSPC) or a read-only one (EROFS)."""
    import errno

    from briefings.build import publish

    real = publish.write_new

    def write_new(path: Path, data: bytes) -> None:
        if str(path).endswith(name_ends):
            raise OSError(code, os.strerror(code), str(path))
        real(path, data)

    assert code in (errno.ENOSPC, errno.EROFS, errno.EACCES)
    return write_new


@pytest.fixture()
def published(minimal: Path, minimal_site: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A site built from the fixture (a copy of the one built once per run), then an edit to publish: (the output folder,
    what it held)."""
    from conftest import edit, previous_site

    out = previous_site(minimal_site, minimal, tmp_path / "site")
    edit(minimal / "facts.yaml", "statement: The review looked at 12 cases.", "statement: The review looked at twelve cases.")
    return out, _snapshot(out)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.briefings-") and p.is_dir())


@pytest.mark.parametrize(("step", "name", "code"), [
    ("render", "minimal/survivors.html", 28),
    ("render", "minimal/journalists-large-print.pdf", 30),
    ("publish", "manifest.json", 28),
    ("publish", "index.html", 13),
])
def test_a_write_that_fails_is_an_environment_error_and_the_site_is_untouched(
        step: str, name: str, code: int, minimal: Path, published, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from conftest import run_cli

    from briefings.build import publish
    from briefings.build.workers import MEMORY_ENV

    out, before = published
    monkeypatch.setattr(publish, "write_new", _no_space(name, code))
    # The write is patched in this process: with no memory limit, --jobs 1 renders the PDFs here too (with one, in a worker).
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1", env={MEMORY_ENV: "0"})
    assert result.returncode == 4, result.stderr
    if step == "render":
        expected = re.escape(f"{out}/{name}: could not be rendered: cannot write it: {os.strerror(code)}")
    else:  # the staging folder's name ends in the build's pid and a random part
        expected = (re.escape(f"briefings: cannot write {out.parent}/.{out.name}.briefings-next-") + r"\d+-[0-9a-f]+/"
                    + re.escape(f"{name}: {os.strerror(code)}"))
    assert any(re.match(expected, line) for line in result.stderr.splitlines()), result.stderr
    assert "internal error" not in result.stderr and "a bug in the tool" not in result.stderr and "Traceback" not in result.stderr
    assert "the output folder is as it was" in result.stderr
    assert _snapshot(out) == before and _leftovers(out) == []


def test_a_read_only_output_folder_is_an_environment_error(minimal: Path, published, monkeypatch: pytest.MonkeyPatch) -> None:
    """The staging folder cannot be made beside a read-only output folder (simulated: the tests run as root)."""
    import errno

    from conftest import run_cli

    out, before = published
    real_mkdir = os.mkdir

    def mkdir(path, *args, **kwargs):
        if ".briefings-next-" in os.fspath(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 4, result.stderr
    assert f"briefings: cannot write {out.parent}/.{out.name}.briefings-next-" in result.stderr
    assert "Read-only file system" in result.stderr and "the output folder is as it was" in result.stderr
    assert "internal error" not in result.stderr
    assert _snapshot(out) == before and _leftovers(out) == []


def test_a_cache_that_cannot_be_written_after_publishing_says_so(minimal: Path, published, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from conftest import run_cli

    from briefings.build import write
    from briefings.build.cache import cache_path

    out, before = published
    real = write.write_temp

    def write_temp(path: Path, data: bytes) -> Path:
        if path == cache_path(out):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    monkeypatch.setattr(write, "write_temp", write_temp)
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 4, result.stderr
    assert f"briefings: cannot write {cache_path(out)}: No space left on device" in result.stderr
    assert "the new site was published" in result.stderr and "internal error" not in result.stderr
    assert _snapshot(out) != before and _leftovers(out) == []
