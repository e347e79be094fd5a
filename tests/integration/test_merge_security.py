"""merge reads manifests it did not write: nothing in a shard can make it write outside --out or link anywhere else."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import run_cli

from briefings.build.shard import MergeError, merge


def shard_with(tmp_path: Path, path: str, data: bytes = b"payload") -> Path:
    """A shard folder whose manifest lists one output at `path` (with the right sha256)."""
    shard = tmp_path / "shard"
    shard.mkdir(exist_ok=True)
    manifest = {"briefings": [{"slug": "a", "title": "A", "outputs": [
        {"audience": "x", "format": "html", "path": path, "sha256": hashlib.sha256(data).hexdigest()}]}]}
    (shard / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return shard


def nothing_outside(tmp_path: Path, allowed: set[str]) -> None:
    stray = [p for p in tmp_path.rglob("*") if p.is_file() and not any(str(p).startswith(str(tmp_path / a)) for a in allowed)]
    assert not stray, stray


@pytest.mark.parametrize("path", [
    "../shard-1/payload", "a/../../victim.txt", "/etc/passwd", "a//b.html", "a/./b.html", "https://evil.example/phish",
    "javascript:alert(1)", "a/b\\..\\c", "", "a/", ".hidden", "a/.hidden",
])
def test_merge_refuses_paths_that_leave_the_output_or_read_as_links(tmp_path: Path, path: str) -> None:
    shard = shard_with(tmp_path, path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.html").write_text("before", encoding="utf-8")
    with pytest.raises(MergeError, match="not a plain path inside its briefing's folder"):
        merge([shard], site)
    assert (site / "keep.html").read_text(encoding="utf-8") == "before", "a refused merge changes nothing"
    nothing_outside(tmp_path, {"shard", "site"})


def test_merge_refuses_a_symlink_on_the_way(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "file.txt").write_bytes(b"payload")
    shard = shard_with(tmp_path, "a/b/file.txt")
    (shard / "a").mkdir()
    os.symlink(victim, shard / "a" / "b")
    with pytest.raises(MergeError, match="goes through a symbolic link"):
        merge([shard], tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_manifest_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    shard = tmp_path / "shard"
    shard.mkdir()
    for data in ({"briefings": [{"slug": "a", "outputs": [{"path": None}]}]}, {"briefings": "all"}, [1, 2]):
        (shard / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(MergeError):
            merge([shard], tmp_path / "site")


def test_the_cli_reports_a_refused_merge_as_a_content_problem(tmp_path: Path) -> None:
    shard = shard_with(tmp_path, "../escape.html")
    result = run_cli("merge", "--out", str(tmp_path / "site"), str(shard))
    assert result.returncode == 1 and "cannot merge" in result.stderr and "escape.html" in result.stderr
    nothing_outside(tmp_path, {"shard", ".site.briefings-lock"})


def drop_journalists(minimal: Path) -> None:
    """Remove the journalists' audience from the fixture: its file, its declaration and its support listings."""
    for name in ("briefing.yaml", "support.yaml"):
        path = minimal / name
        path.write_text(path.read_text(encoding="utf-8").replace("[survivors, journalists]", "[survivors]"), encoding="utf-8")
    (minimal / "audiences" / "journalists.yaml").unlink()


def test_a_crafted_manifest_in_the_output_folder_deletes_nothing(minimal: Path, tmp_path: Path) -> None:
    from briefings.build.builder import Options, build
    from briefings.render.formats import html_formats

    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "docs").mkdir()
    (out / "docs" / "important.md").write_text("mine too", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["briefings"][0]["outputs"] += [{"audience": "x", "format": "html", "path": p, "sha256": "0" * 64}
                                            for p in ("notes.txt", "docs/important.md", "../outside.txt")]
    manifest["briefings"][0]["outputs"].append({"audience": "x", "format": "html", "path": None, "sha256": None})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    # Remove an audience, so that the build deletes what it no longer makes: only its own files go.
    drop_journalists(minimal)
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "docs" / "important.md").read_text(encoding="utf-8") == "mine too"
    assert (tmp_path / "outside.txt").exists()
    assert sorted(result.removed) == ["minimal/journalists-embed.html", "minimal/journalists-iframe.html", "minimal/journalists.html"]
    assert not (out / "minimal" / "journalists.html").exists()
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok, "a later build is not broken by the manifest"


def test_an_output_someone_changed_is_theirs_and_is_not_deleted(minimal: Path, tmp_path: Path) -> None:
    from briefings.build.builder import Options, build
    from briefings.render.formats import html_formats

    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    (out / "minimal" / "journalists.html").write_text("edited by hand", encoding="utf-8")
    drop_journalists(minimal)
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert result.ok and "minimal/journalists.html" not in result.removed
    assert (out / "minimal" / "journalists.html").read_text(encoding="utf-8") == "edited by hand"


# --- a publisher's own index.html in --out, and an --out that is a shard, inside one or around one -------------------

OWN_INDEX = b"<!DOCTYPE html><title>Our charity's own front page</title>\n"


def built_shard(minimal: Path, tmp_path: Path) -> Path:
    """The fixture built as shard 1 of 1 (HTML only): a shard merge accepts."""
    from briefings.build.builder import Options, build
    from briefings.build.shard import Shard
    from briefings.render.formats import html_formats

    shard = tmp_path / "shard-1"
    assert build(Options(minimal, shard, jobs=1, shard=Shard(1, 1), formats=html_formats())).ok
    return shard


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_merge_stops_at_an_index_html_of_your_own_and_keeps_it(minimal: Path, tmp_path: Path) -> None:
    shard = built_shard(minimal, tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(OWN_INDEX)
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("merge", "--out", str(site), str(shard))
    assert result.returncode == 2, result.stderr
    assert f"briefings: cannot merge: {site}/index.html is not one this tool wrote" in result.stderr
    assert "move it out of the output folder" in result.stderr
    assert snapshot(site) == {"index.html": OWN_INDEX, "notes.txt": b"mine"}, "nothing merged, nothing replaced"
    assert not [p.name for p in tmp_path.iterdir() if ".briefings-next-" in p.name], "nothing staged is left"


def test_merge_replaces_the_index_html_it_wrote_itself(minimal: Path, tmp_path: Path) -> None:
    shard = built_shard(minimal, tmp_path)
    site = tmp_path / "site"
    assert run_cli("merge", "--out", str(site), str(shard)).returncode == 0
    first = (site / "index.html").read_bytes()
    result = run_cli("merge", "--out", str(site), str(shard))
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").read_bytes() == first


@pytest.mark.parametrize("where", ["the shard", "inside the shard", "around the shard"])
def test_merge_refuses_an_out_that_is_a_shard_inside_one_or_around_one(where: str, minimal: Path, tmp_path: Path) -> None:
    shard = built_shard(minimal, tmp_path)
    before, beside = snapshot(shard), sorted(p.name for p in tmp_path.iterdir())
    out, expected = {
        "the shard": (shard, f"briefings: --out {shard} is the shard {shard}"),
        "inside the shard": (shard / "site", f"briefings: --out {shard / 'site'} is inside the shard {shard}"),
        "around the shard": (tmp_path, f"briefings: the shard {shard} is inside --out {tmp_path}"),
    }[where]
    result = run_cli("merge", "--out", str(out), str(shard))
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert snapshot(shard) == before and sorted(p.name for p in tmp_path.iterdir()) == beside, "nothing written"
