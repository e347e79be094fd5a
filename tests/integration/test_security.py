"""Findings of the security and reliability review: each is a content problem with its place, or a usage error, never a hang or a bug."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli, run_subprocess

# --- 1. content outside the briefing folder, files that are not files, output folders that are not safe ----------


def _bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh process with a 1 GiB address-space limit, so a hang or a runaway read fails the test.

    The timeout only bounds a broken build: a sound one finishes in seconds, and nothing here waits for it.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return run_subprocess(*args, timeout=120, preexec_fn=limit)


def test_a_yaml_file_linked_from_outside_the_folder_is_refused_unread(minimal: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret_key: hunter2\n", encoding="utf-8")
    (minimal / "glossary.yaml").unlink()
    (minimal / "glossary.yaml").symlink_to(outside)
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/glossary.yaml:1:1: file is a link to a file outside the briefing folder" in result.stderr
    assert "secret_key" not in result.stderr and "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_an_audience_file_linked_from_outside_is_refused(minimal: Path, tmp_path: Path) -> None:
    audience = minimal / "audiences" / "journalists.yaml"
    outside = tmp_path / "journalists.yaml"
    outside.write_bytes(audience.read_bytes())
    audience.unlink()
    audience.symlink_to(outside)
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1
    assert f"{audience}:1:1: file is a link to a file outside the briefing folder" in result.stderr


def test_a_link_that_stays_inside_the_folder_is_read(minimal: Path) -> None:
    (minimal / "glossary-real.yaml").write_bytes((minimal / "glossary.yaml").read_bytes())
    (minimal / "glossary.yaml").unlink()
    (minimal / "glossary.yaml").symlink_to("glossary-real.yaml")
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_named_pipe_in_the_content_is_refused_not_waited_for(command: str, minimal: Path, tmp_path: Path) -> None:
    (minimal / "timeline.yaml").unlink()
    os.mkfifo(minimal / "timeline.yaml")
    os.mkfifo(minimal / "notes.fifo")  # not a content file: the build's hashing must not wait on it either
    (minimal / "sources" / "report.txt").unlink()
    os.mkfifo(minimal / "sources" / "report.txt")
    extra = ("--out", str(tmp_path / "site"), "--jobs", "1") if command == "build" else ()
    result = _bounded(command, "--content", str(minimal), *extra)
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/timeline.yaml:1:1: not a regular file (a named pipe)" in result.stderr
    assert f"{minimal}/sources.yaml:9:11: cannot read source text sources/report.txt: not a regular file (a named pipe)" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_link_to_a_device_is_refused_not_read_forever(command: str, minimal: Path, tmp_path: Path) -> None:
    (minimal / "sources" / "report.txt").unlink()
    (minimal / "sources" / "report.txt").symlink_to("/dev/zero")
    (minimal / "people.yaml").unlink()
    (minimal / "people.yaml").symlink_to("/dev/zero")
    extra = ("--out", str(tmp_path / "site"), "--jobs", "1") if command == "build" else ()
    result = _bounded(command, "--content", str(minimal), *extra)
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/people.yaml:1:1: file is a link to a file outside the briefing folder" in result.stderr
    assert f"{minimal}/sources.yaml:9:11: source text must be inside the briefing folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_inside_the_folder_is_not_a_regular_file(minimal: Path) -> None:
    """A device node made inside the folder (root can) is refused by its type, not by where it leads."""
    (minimal / "people.yaml").unlink()
    os.mknod(minimal / "people.yaml", 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero's numbers
    result = _bounded("check", "--content", str(minimal))
    assert result.returncode == 1
    assert f"{minimal}/people.yaml:1:1: not a regular file (a device)" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve", "merge"])
def test_out_at_the_root_folder_is_a_usage_error(command: str, tmp_path: Path) -> None:
    extra = (str(tmp_path / "shard-1"),) if command == "merge" else ()
    result = run_cli(command, "--content", str(tmp_path), "--out", "/", *extra)
    assert result.returncode == 2, result.stderr
    assert "briefings: --out / is the root folder" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve"])
def test_out_inside_content_or_content_inside_out_is_a_usage_error(command: str, minimal: Path, tmp_path: Path) -> None:
    inside = minimal / "site"
    result = run_cli(command, "--content", str(minimal), "--out", str(inside))
    assert result.returncode == 2, result.stderr
    assert f"briefings: --out {inside} is inside --content {minimal}" in result.stderr
    assert not inside.exists()
    result = run_cli(command, "--content", str(minimal), "--out", str(minimal))
    assert result.returncode == 2 and "is inside --content" in result.stderr
    result = run_cli(command, "--content", str(minimal), "--out", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert f"briefings: --content {minimal} is inside --out {tmp_path}" in result.stderr


def test_out_beside_content_still_builds(minimal: Path, tmp_path: Path) -> None:
    """`--out site` beside `--content content` (the defaults' layout) is fine, even when one name starts the other."""
    out = tmp_path / "minimal-site"
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
