"""Shared fixtures: the default content built once per test session with the real pipeline; the command line, run in-process or in a fresh process."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def run_cli(*args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process, as `build.py ARGS` run in `cwd` would, capturing what it prints.

    `env` is added to os.environ for the call. The working folder and os.environ are put back
    afterwards, whatever the call changed. For a test where a real process is the point, use
    `run_subprocess`.
    """
    from briefings.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        os.environ.update(env or {})
        os.chdir(cwd)
        code = main(list(args), stdout=stdout, stderr=stderr)
    finally:
        os.chdir(saved_cwd)
        if os.environ != saved_env:
            for name in set(os.environ) - set(saved_env):
                del os.environ[name]
            os.environ.update(saved_env)
    return subprocess.CompletedProcess(["build.py", *args], code, stdout.getvalue(), stderr.getvalue())


def run_subprocess(*args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None, python: Sequence[str] = (),
                   timeout: float = 300, preexec_fn: Callable[[], object] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python [PYTHON OPTIONS] build.py ARGS` in a fresh process, as a user would, capturing its output.

    For tests where the process is the point: it is killed or dies, holds a lock against another
    process, is measured by `-X importtime`, runs under resource limits (`preexec_fn`), or needs
    an environment of its own (`env` replaces os.environ, as in subprocess.run).
    """
    command = [sys.executable, *python, str(ROOT / "build.py"), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn)


# Where the tests publish the default content: its own briefing.yaml says `base_url: none` until a
# publisher gives the real address, so handouts would print no address or QR code to test.
TEST_BASE_URL = "https://briefings-tests.plain-language.org.uk/"


def addressed_copy(content: Path, into: Path, base_url: str = TEST_BASE_URL) -> Path:
    """A copy of a content folder whose briefings are published at `base_url`."""
    target = into / "content"
    shutil.copytree(content, target)
    for config in target.glob("*/briefing.yaml"):
        text = config.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.startswith("base_url:")]
        config.write_text("\n".join(lines) + f"\nbase_url: {base_url}\n", encoding="utf-8")
    return target


PSEUDO_LANGS = ("en-XA", "ar-XB")


def pseudo_translated(into: Path) -> Path:
    """A copy of the minimal fixture in `into` that publishes both pseudo-locales, each translated in full."""
    folder = into / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [en-XA, ar-XB]")
    for lang in PSEUDO_LANGS:
        assert run_cli("translate", "pseudo", "--lang", lang, "--content", str(folder)).returncode == 0
    return folder


@contextlib.contextmanager
def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str):
    """A folder made once per test run, even when pytest-xdist runs the tests in several processes.

    Yields (folder, made): `made` is False for the first process to get here, which must fill
    the folder; the others wait on a lock until it has, then get the same folder with `made`
    True. Without xdist it is a fresh folder of this session's.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield tmp_path_factory.mktemp(name), False
        return
    shared = tmp_path_factory.getbasetemp().parent  # the one temporary folder all workers share
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if done.exists():
                yield folder, True
                return
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            yield folder, False
            done.touch()  # only once the folder was filled without an error
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def translated_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture publishing both pseudo-locales (`pseudo_translated`), every output built by `build --jobs 2`,
    once per test run (tests only read it): the output folder. What the build wrote on stderr is in `build.stderr` beside it."""
    with shared_once(tmp_path_factory, "translated") as (root, made):
        if not made:
            folder = pseudo_translated(root)
            result = run_cli("build", "--content", str(folder), "--out", str(root / "site"), "--jobs", "2")
            assert result.returncode == 0, result.stderr
            (root / "build.stderr").write_text(result.stderr, encoding="utf-8")
        return root / "site"


@pytest.fixture(scope="session")
def built_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default content as `built_site` is built from it: a copy published at TEST_BASE_URL."""
    with shared_once(tmp_path_factory, "content") as (folder, made):
        return folder / "content" if made else addressed_copy(CONTENT, folder)


def _built_once(tmp_path_factory: pytest.TempPathFactory, name: str, content: Path) -> Path:
    with shared_once(tmp_path_factory, name) as (out, made):
        if not made:
            result = run_cli("build", "--content", str(content), "--out", str(out))
            assert result.returncode == 0, result.stdout + result.stderr
        return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, built_content: Path) -> Path:
    """Build the default content (published at TEST_BASE_URL) into a fresh folder and return that folder.

    Tests only read it. Under pytest-xdist every worker reads the one site the first worker built.
    """
    return _built_once(tmp_path_factory, "site", built_content)


@pytest.fixture(scope="session")
def care_home_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture publication with audiences of its own (families, scrutiny) into a fresh folder."""
    return _built_once(tmp_path_factory, "care-home-site", FIXTURES / "care-home")


@pytest.fixture()
def care_home(tmp_path: Path) -> Path:
    """A writable copy of the fixture publication with audiences of its own."""
    target = tmp_path / "care-home"
    shutil.copytree(FIXTURES / "care-home", target)
    return target


@pytest.fixture(scope="session")
def manifest(built_site: Path) -> dict:
    return json.loads((built_site / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture()
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the small fixture publication."""
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture publication built once per test run, every format (`build --jobs 1`), and return its output folder.

    Its content folder is `minimal/` beside it, and its cache beside both, as a build leaves them. Tests only read it:
    `previous_site` gives a test a copy of its own.
    """
    with shared_once(tmp_path_factory, "minimal-site") as (folder, made):
        out = folder / "site"
        if not made:
            shutil.copytree(FIXTURES / "minimal", folder / "minimal")
            result = run_cli("build", "--content", str(folder / "minimal"), "--out", str(out), "--jobs", "1")
            assert result.returncode == 0, result.stdout + result.stderr
        return out


def previous_site(built: Path, content: Path, out: Path) -> Path:
    """Copy the site `built` (see minimal_site), with its cache, to `out`, as a build of `content` would have left it there.

    `content` must still hold what `built` was built from (checked). The cache's record of the content folder is moved
    to `content`; its check key still names the folder it was checked in, so the next build checks `content` again,
    as it would after any edit: this stands in for the first build of a test that edits the content before the build
    it is about.
    """
    from briefings.build.cache import cache_path, file_hashes

    source = built.parent / "minimal"
    assert file_hashes(content) == file_hashes(source), f"{content} is not what {built} was built from"
    shutil.copytree(built, out, symlinks=True)
    cache = cache_path(built).read_text(encoding="utf-8")
    old, new = json.dumps(str(source.resolve())), json.dumps(str(content.resolve()))
    assert old in cache, "the cache no longer records the content folder by its path"
    cache_path(out).write_text(cache.replace(old, new), encoding="utf-8")
    return out


def check_lines(folder: Path) -> tuple[int, list[str]]:
    """`check --content FOLDER` in-process: its exit code and the problem lines about the folder, paths made relative."""
    result = run_cli("check", "--content", str(folder))
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(folder))]
    return result.returncode, [line.replace(str(folder) + "/", "") for line in lines]


def outputs(manifest: dict, fmt: str) -> list[dict]:
    """Every output of one format in the manifest."""
    return [o for b in manifest["briefings"] for o in b["outputs"] if o["format"] == fmt]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a fixture file with `new`, insisting that it is there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests in tests/browser/ drive Chromium: mark them, so `-m "not browser"` runs the rest."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parent.name:
            item.add_marker(pytest.mark.browser)


README_ORIGIN = "https://briefings.example.org"


def readme_iframe_snippet(origin: str, audience: str = "survivors") -> str:
    """The host page's HTML from README.md ("Show the page in an iframe"), word for word, for briefings at `origin`.

    Only the README's placeholder origin (and, for another audience, the page's name) is replaced,
    so a test that uses this cannot drift from what the README tells people to paste.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Show the page in an iframe") :]
    snippet = re.search(r"```html\n(.*?)```", section, re.S)
    assert snippet, "README.md: no html block under 'Show the page in an iframe'"
    html = snippet.group(1)
    assert README_ORIGIN in html and "survivors-iframe.html" in html
    return html.replace(README_ORIGIN, origin.rstrip("/")).replace("survivors-iframe.html", f"{audience}-iframe.html")
