"""Incremental builds: what is rebuilt, what is skipped, what is removed; shards; a no-op imports nothing heavy.

Most tests build only the HTML formats, in this process: the incremental logic is the same for
every format, and the PDF path is covered once, end to end, by the no-op import test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli, run_subprocess

from briefings.build import builder
from briefings.build.builder import BUILT_FORMATS, Options, build
from briefings.build.cache import TEMPLATES, audience_files, cache_path, templates_fingerprint
from briefings.build.shard import Shard, merge, parse_shard, quick_slug, shard_of

AUDIENCES = ("survivors", "journalists")


def html_formats() -> tuple[str, ...]:
    from briefings.render.formats import FORMATS

    return tuple(name for name in BUILT_FORMATS if not FORMATS[name].suffix.endswith(".pdf"))


def run(content: Path, out: Path, **options: object) -> builder.Result:
    """Build the HTML formats in this process and insist that it worked."""
    result = build(Options(content, out, jobs=1, formats=html_formats(), **options))  # type: ignore[arg-type]
    assert result.ok, [str(p) for p in result.problems.sorted()] + [f for f in result.failures]
    return result


def built(result: builder.Result) -> set[str]:
    return set(result.stats()["built_paths"])


def every_output(slug: str = "minimal", audiences: tuple[str, ...] = AUDIENCES) -> set[str]:
    from briefings.render.formats import FORMATS

    return {f"{slug}/{a}{FORMATS[n].suffix}" for a in audiences for n in html_formats()}


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def append(path: Path, text: str = "\n# an edit that changes the file, not the content\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def test_first_build_makes_everything_and_a_second_build_nothing(minimal: Path, out: Path) -> None:
    first = run(minimal, out)
    assert built(first) == every_output()
    before = (out / "manifest.json").read_bytes()
    second = run(minimal, out)
    assert built(second) == set()
    assert second.count("skipped") == len(every_output())
    assert second.stats()["checked"] == 0, "an unchanged briefing is not even loaded again"
    assert (out / "manifest.json").read_bytes() == before
    assert (out / "build-report.txt").read_text(encoding="utf-8") == second.report
    assert "minimal / survivors" in second.report and "minimal / journalists" in second.report


def with_warnings(content: Path) -> None:
    """Set a reading limit the fixture breaks, so that its check has warnings."""
    append(content / "briefing.yaml", "reading_limits:\n  survivors:\n    max_sentence: 3\n")


def test_cached_check_still_reports_its_warnings(minimal: Path, out: Path) -> None:
    with_warnings(minimal)
    first = run(minimal, out)
    assert first.problems.warnings
    second = run(minimal, out)
    assert second.stats()["checked"] == 0
    assert [str(p) for p in second.problems.sorted()] == [str(p) for p in first.problems.sorted()]


def test_editing_one_audience_rebuilds_only_that_audience(minimal: Path, out: Path) -> None:
    run(minimal, out)
    append(minimal / "audiences" / "survivors.yaml")
    result = run(minimal, out)
    assert built(result) == every_output(audiences=("survivors",))
    assert result.count("skipped") == len(every_output(audiences=("journalists",)))


def test_editing_a_shared_register_rebuilds_every_audience(minimal: Path, out: Path) -> None:
    run(minimal, out)
    append(minimal / "facts.yaml")
    assert built(run(minimal, out)) == every_output()


def test_editing_a_template_rebuilds_everything(minimal: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(minimal, out)
    monkeypatch.setattr(builder, "templates_fingerprint", lambda: "templates after an edit")
    assert built(run(minimal, out)) == every_output()


def test_the_templates_fingerprint_covers_css_and_fonts(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = templates_fingerprint(templates)
    append(templates / "briefing.css", "\n/* edited */\n")
    after_css = templates_fingerprint(templates)
    font = next((templates / "fonts").glob("*.woff2"))
    font.write_bytes(font.read_bytes() + b"\0")
    assert len({before, after_css, templates_fingerprint(templates)}) == 3


def test_an_output_deleted_or_changed_on_disk_is_rebuilt(minimal: Path, out: Path) -> None:
    run(minimal, out)
    (out / "minimal" / "journalists.html").unlink()
    (out / "minimal" / "survivors.html").write_text("tampered", encoding="utf-8")
    assert built(run(minimal, out)) == {"minimal/journalists.html", "minimal/survivors.html"}
    data = (out / "minimal" / "survivors.html").read_bytes()
    assert b"tampered" not in data


def test_a_new_output_folder_builds_everything(minimal: Path, out: Path, tmp_path: Path) -> None:
    run(minimal, out)
    assert built(run(minimal, tmp_path / "elsewhere")) == every_output()


def test_incremental_output_is_what_a_clean_build_makes(minimal: Path, out: Path, tmp_path: Path) -> None:
    """Skipped outputs, their readability in the manifest and the report are those a clean build gives."""
    run(minimal, out)
    survivors = minimal / "audiences" / "survivors.yaml"
    survivors.write_text(survivors.read_text(encoding="utf-8").replace(
        "This page talks about a review.", "This page talks about a long review of what the council did."), encoding="utf-8")
    incremental = run(minimal, out)
    assert built(incremental) == every_output(audiences=("survivors",))
    clean = run(minimal, tmp_path / "clean")
    assert manifest(out) == manifest(tmp_path / "clean")
    assert incremental.report == clean.report
    for path in every_output():
        assert (out / path).read_bytes() == (tmp_path / "clean" / path).read_bytes(), path


def test_removing_an_audience_removes_its_outputs_and_nothing_else(minimal: Path, out: Path) -> None:
    run(minimal, out)
    ours_unlisted = out / "minimal" / "notes.txt"
    ours_unlisted.write_text("not made by the build", encoding="utf-8")
    config = minimal / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("[survivors, journalists]", "[survivors]"), encoding="utf-8")
    (minimal / "audiences" / "journalists.yaml").unlink()
    support = minimal / "support.yaml"  # a support contact may list only declared audiences
    support.write_text(support.read_text(encoding="utf-8").replace("[survivors, journalists]", "[survivors]"), encoding="utf-8")
    result = run(minimal, out)
    assert set(result.removed) == every_output(audiences=("journalists",))
    assert not any((out / p).exists() for p in result.removed)
    assert ours_unlisted.exists(), "only files our previous manifest listed are deleted"
    listed = {o["path"] for b in manifest(out)["briefings"] for o in b["outputs"]}
    assert listed == every_output(audiences=("survivors",))


def test_content_errors_leave_the_output_folder_as_it_was(minimal: Path, out: Path) -> None:
    run(minimal, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    append(minimal / "audiences" / "survivors.yaml", "\nnot_a_key: 1\n")
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert not result.ok and result.problems.errors
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(out.rglob("*.tmp"))


def test_a_renderer_failure_names_the_output_and_writes_nothing(minimal: Path, out: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from briefings.render import formats

    run(minimal, out)
    append(minimal / "audiences" / "journalists.yaml")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args: object) -> bytes:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(formats.FORMATS, "html", replace(formats.FORMATS["html"], render=broken))
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert not result.ok
    assert [(path, error) for path, error, _ in result.failures] == [("minimal/journalists.html", "RuntimeError: renderer bug")]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before, "nothing written, no temporary file left"


def test_strict_fails_on_cached_warnings_too(minimal: Path, out: Path) -> None:
    with_warnings(minimal)
    run(minimal, out)
    before = (out / "manifest.json").read_bytes()
    result = build(Options(minimal, out, jobs=1, strict=True, formats=html_formats()))
    assert not result.ok and result.problems.warnings and result.stats()["checked"] == 0
    assert (out / "manifest.json").read_bytes() == before


def test_the_cache_file_is_not_an_output(minimal: Path, out: Path) -> None:
    run(minimal, out)
    assert cache_path(out).is_file() and not cache_path(out).is_relative_to(out.resolve()), "the cache is beside the site, never published"
    assert not [p for p in out.rglob(".*")], "nothing hidden in the published folder"
    cache_path(out).write_text("{not json", encoding="utf-8")
    assert built(run(minimal, out)) == every_output(), "an unreadable cache means: build everything"


def test_an_audience_uses_only_its_own_audience_file() -> None:
    files = {"briefing.yaml": "1", "facts.yaml": "2", "sources/report.txt": "3",
             "audiences/survivors.yaml": "4", "audiences/journalists.yaml": "5"}
    assert audience_files(files, "survivors") == {k: v for k, v in files.items() if k != "audiences/journalists.yaml"}


def test_planning_names_the_renderers_templates_folder() -> None:
    from briefings.render.environment import TEMPLATES as RENDER_TEMPLATES

    assert TEMPLATES == RENDER_TEMPLATES


# --- shards --------------------------------------------------------------------


def two_briefings(tmp_path: Path, minimal: Path) -> tuple[Path, dict[str, int]]:
    """A content folder with two copies of the fixture, one in each of two shards."""
    content = tmp_path / "content"
    slugs = [s for s in ("minimal", "second", "third", "fourth", "fifth") if shard_of(s, 2) == 2][:1] + ["minimal"]
    assert shard_of(slugs[0], 2) != shard_of("minimal", 2)
    for slug in slugs:
        shutil.copytree(minimal, content / slug)
        config = content / slug / "briefing.yaml"
        text = config.read_text(encoding="utf-8").replace("slug: minimal", f"slug: {slug}")
        config.write_text(text.replace("title: A small test publication", f"title: A small test publication ({slug})"), encoding="utf-8")
    return content, {slug: shard_of(slug, 2) for slug in slugs}


def test_shard_assignment_is_stable_and_complete() -> None:
    # Pinned: a CI matrix must give the same briefing the same shard on every machine and release.
    assert shard_of("operation-amazon", 4) == 4 and shard_of("minimal", 4) == 3
    slugs = [f"briefing-{i:03d}" for i in range(200)]
    for count in (1, 2, 3, 7):
        shards = [shard_of(s, count) for s in slugs]
        assert set(shards) == set(range(1, count + 1))
        assert all(Shard(k, count).has(s) == (k == shard_of(s, count)) for s in slugs[:20] for k in range(1, count + 1))
    assert parse_shard("2/4") == Shard(2, 4)
    for bad in ("0/2", "3/2", "1", "a/b", "1/0"):
        with pytest.raises(Exception, match="k/n"):
            parse_shard(bad)


def test_quick_slug_reads_briefing_yaml(minimal: Path, tmp_path: Path) -> None:
    assert quick_slug(minimal) == "minimal"
    (tmp_path / "no-config").mkdir()
    assert quick_slug(tmp_path / "no-config") == "no-config"


def test_shards_split_the_briefings_and_merge_back(minimal: Path, tmp_path: Path) -> None:
    content, shards = two_briefings(tmp_path, minimal)
    outs = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}"
        result = run(content, out, shard=Shard(index, 2))
        slugs = {b["slug"] for b in manifest(out)["briefings"]}
        assert slugs == {s for s, k in shards.items() if k == index}
        assert {p.split("/")[0] for p in built(result)} == slugs
        assert manifest(out)["shard"] == {"index": index, "count": 2}
        outs.append(out)
    site = tmp_path / "site"
    merged = merge(outs, site)
    assert {b["slug"] for b in merged["briefings"]} == set(shards)
    assert "shard" not in manifest(site)
    for b in merged["briefings"]:
        for o in b["outputs"]:
            assert (site / o["path"]).is_file()
    whole = run(content, tmp_path / "whole")
    assert sorted(manifest(site)["briefings"], key=lambda b: b["slug"]) == sorted(
        manifest(tmp_path / "whole")["briefings"], key=lambda b: b["slug"])
    assert whole.stats()["built"] == sum(len(b["outputs"]) for b in merged["briefings"])


def test_merge_refuses_an_incomplete_split(minimal: Path, tmp_path: Path) -> None:
    from briefings.build.shard import MergeError

    content, _ = two_briefings(tmp_path, minimal)
    run(content, tmp_path / "shard-1", shard=Shard(1, 2))
    with pytest.raises(MergeError, match="each shard"):
        merge([tmp_path / "shard-1"], tmp_path / "site")


# --- the command line, in a fresh process: what it imports --------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -X importtime build.py ARGS` in a fresh process: its stderr lists every module it imported."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDEVMODE"}
    return run_subprocess(*args, python=("-X", "importtime"), env=env, timeout=600)


def test_a_no_op_build_imports_neither_weasyprint_nor_the_checks(minimal: Path, out: Path, tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    first = run_cli("--content", str(minimal), "--out", str(out), "--jobs", "2", "--stats", str(stats))
    assert first.returncode == 0, first.stderr
    figures = json.loads(stats.read_text(encoding="utf-8"))
    assert figures["workers"] == 2 and len(figures["worker_peak_rss_mb"]) >= 1
    pdfs = {o["path"] for b in manifest(out)["briefings"] for o in b["outputs"] if o["path"].endswith(".pdf")}
    assert pdfs and all((out / p).read_bytes().startswith(b"%PDF-") for p in pdfs)
    stamps = {name: (out / name).stat().st_mtime_ns for name in ("manifest.json", "build-report.txt")}

    again = cli("--content", str(minimal), "--out", str(out), "--stats", str(stats))
    assert again.returncode == 0, again.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"weasyprint", "pikepdf", "jinja2", "yaml", "jsonschema", "textstat", "nltk", "markdown_it"}
    assert not heavy & imported, heavy & imported
    assert json.loads(stats.read_text(encoding="utf-8"))["built"] == 0
    assert "Built 0 file(s)" in again.stdout and "minimal / survivors" in again.stdout
    for name, stamp in stamps.items():
        assert (out / name).stat().st_mtime_ns > stamp, f"{name} is written by every build"


def test_help_and_check_do_not_import_the_renderers(minimal: Path) -> None:
    for args in (("--help",), ("check", "--content", str(minimal))):
        done = cli(*args)
        assert done.returncode == 0, done.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert not {"weasyprint", "pikepdf", "jinja2"} & imported
        if args == ("--help",):
            assert not {"yaml", "jsonschema", "textstat"} & imported
