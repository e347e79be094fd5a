"""The command line's exit codes and streams, driven in-process through `briefings.cli.main`.

0 built or checked, 1 content problems, 2 usage errors (including a held output lock), 3 a bug in
the tool. `main` prints only to the streams it is given and returns the code: it never exits.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import edit

from briefings.build.lock import output_lock
from briefings.check import publication as pipeline
from briefings.cli import EXIT_CONTENT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, main


def call(*args: str) -> tuple[int, str, str]:
    """Run main in this process with its own streams: (exit code, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(autouse=True)
def nothing_on_the_real_streams(capsys: pytest.CaptureFixture[str]):
    """Whatever a test asks of main, nothing reaches sys.stdout or sys.stderr."""
    yield
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", ""), "main printed to sys.stdout or sys.stderr"


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the tool broke")


@pytest.mark.parametrize("args", [("--nope",), ("publish",), ("build", "--jobs", "x"), ("--shard", "3/2"), ("--port", "eighty")])
def test_usage_errors_exit_2_without_raising(args: tuple[str, ...]) -> None:
    code, stdout, stderr = call(*args)
    assert code == EXIT_USAGE == 2
    assert stdout == ""
    assert stderr.startswith("usage: briefings") and "briefings: error:" in stderr


def test_jobs_must_be_a_number() -> None:
    code, _, stderr = call("--jobs", "x")
    assert code == 2 and "'x' is not a number of processes" in stderr


def test_help_exits_0_on_the_given_stdout() -> None:
    code, stdout, stderr = call("--help")
    assert code == EXIT_OK == 0
    assert "--content" in stdout and "Exit codes" in stdout and stderr == ""


def test_folders_outside_merge_and_merge_without_folders_are_usage_errors(tmp_path: Path) -> None:
    assert call("check", str(tmp_path))[0] == 2
    code, _, stderr = call("merge", "--out", str(tmp_path / "site"))
    assert code == 2 and "merge needs the shards' output folders" in stderr


def test_merge_takes_its_folders_after_the_options_as_the_readme_shows(tmp_path: Path) -> None:
    """`merge --out site shard-1 shard-2` parses (options and folders intermixed): a missing shard is a content problem."""
    missing = tmp_path / "shard-1"
    code, _, stderr = call("merge", "--out", str(tmp_path / "site"), str(missing), str(tmp_path / "shard-2"))
    assert code == EXIT_CONTENT, stderr
    assert f"briefings: cannot merge: {missing}/manifest.json: cannot read it" in stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_deleted_working_folder_is_a_usage_error(command: str, minimal: Path, tmp_path: Path) -> None:
    """A shell can stay in a folder that is deleted under it: every path is given whole, and still nothing can run there
    (multiprocessing's fork server asks for the working folder), so the command says why, not "internal error"."""
    gone, saved = tmp_path / "gone", os.getcwd()
    gone.mkdir()
    os.chdir(gone)
    try:
        gone.rmdir()
        code, _, err = call(command, "--content", str(minimal), "--out", str(tmp_path / "site"))
    finally:
        os.chdir(saved)
    assert code == EXIT_USAGE, err
    assert err == ("briefings: the folder this command runs in no longer exists (deleted since the shell went there):"
                   " go to a folder that exists and run it again\n")
    assert not (tmp_path / "site").exists()


def test_check_exits_0_when_clean_and_1_on_content_problems(minimal: Path) -> None:
    code, stdout, stderr = call("check", "--content", str(minimal))
    assert code == EXIT_OK, stderr
    assert "Check passed." in stdout and "minimal / survivors" in stdout
    edit(minimal / "facts.yaml", "    statement: The review looked at 12 cases.", "    statment: x")
    code, stdout, stderr = call("check", "--content", str(minimal))
    assert code == EXIT_CONTENT == 1
    assert "facts.yaml" in stderr and "Check failed." in stderr and "Traceback" not in stderr


def test_build_exits_0_and_1(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = call("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert code == 0, stderr
    assert "Built " in stdout and (out / "manifest.json").is_file()
    edit(minimal / "audiences/survivors.yaml", "facts: [no-action]", "facts: [nope]")
    code, _, stderr = call("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert code == 1 and "Nothing was written: fix the problems above." in stderr


def test_a_held_lock_is_a_usage_error_for_build_and_merge(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with output_lock(out):
        code, _, stderr = call("build", "--content", str(minimal), "--out", str(out))
        assert code == EXIT_USAGE, stderr
        assert f"another build is writing to {out.resolve()}/" in stderr
        code, _, stderr = call("merge", "--out", str(out), str(tmp_path / "shard-1"))
        assert code == EXIT_USAGE, stderr
        assert "cannot merge: another build is writing to" in stderr
    assert call("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")[0] == 0


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_internal_error_exits_3_with_the_debug_hint(command: str, minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "check_resolved", boom)
    args = (command, "--content", str(minimal)) + (("--out", str(tmp_path / "site"), "--jobs", "1") if command == "build" else ())
    code, _, stderr = call(*args)
    assert code == EXIT_INTERNAL == 3
    assert "briefings: internal error: RuntimeError: the tool broke (run again with --debug for details)" in stderr
    assert "Traceback" not in stderr
    code, _, stderr = call(*args, "--debug")
    assert code == 3
    assert "Traceback (most recent call last)" in stderr and "RuntimeError: the tool broke" in stderr
    assert "run again with --debug" not in stderr


def test_an_output_that_fails_to_render_exits_3(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.render.formats import FORMATS

    monkeypatch.setitem(FORMATS, "embed", replace(FORMATS["embed"], render=boom))
    out = tmp_path / "site"
    code, _, stderr = call("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert code == 3
    assert f"{out}/minimal/survivors-embed.html: internal error while rendering: RuntimeError: the tool broke" in stderr
    assert "a bug in the tool: run again with --debug" in stderr and "Traceback" not in stderr
    assert not (out / "manifest.json").exists()
    code, _, stderr = call("build", "--content", str(minimal), "--out", str(out), "--jobs", "1", "--debug")
    assert code == 3 and "Traceback (most recent call last)" in stderr


def test_serve_prints_to_the_given_streams_too(tmp_path: Path) -> None:
    """serve.py prints to sys.stdout and sys.stderr: main sends that to its own streams (here: the port is taken)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, stderr = call("serve", "--port", str(port), "--out", str(tmp_path / "site"))
    assert code == 2
    assert f"briefings: cannot serve on 127.0.0.1:{port}" in stderr


def test_streams_default_to_sys_stdout_and_stderr_at_call_time(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(minimal)]) == 0
    assert main(["--nope"]) == 2
    captured = capsys.readouterr()
    assert "Check passed." in captured.out
    assert "unrecognized arguments: --nope" in captured.err


def test_the_progress_bar_stays_off_a_stream_that_is_not_a_terminal(minimal: Path, tmp_path: Path) -> None:
    code, _, stderr = call("build", "--content", str(minimal), "--out", str(tmp_path / "site"), "--jobs", "1")
    assert code == 0
    assert "Building" not in stderr and "\r" not in stderr
