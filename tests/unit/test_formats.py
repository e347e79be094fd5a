"""The format registry is the whole truth: a format added to it is built, listed in the manifest and in the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.build.builder import Options, build
from briefings.render import formats
from briefings.render.formats import FORMATS, Format, html_formats


def _plain_text(env: object, pub: object, briefing: object, version: str) -> bytes:
    return f"{briefing.title}\n{briefing.label}\n".encode()  # type: ignore[attr-defined]


def test_a_format_added_to_the_registry_is_built_listed_and_indexed(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FORMATS, "plain-text", Format("plain-text", ".txt", _plain_text, "plain text", "html"))
    assert "plain-text" in html_formats()
    out = tmp_path / "site"
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()]
    text = (out / "minimal" / "survivors.txt").read_text(encoding="utf-8")
    assert "For survivors and families" in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["format"] for b in manifest["briefings"] for o in b["outputs"]}
    assert listed["minimal/survivors.txt"] == "plain-text"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="minimal/survivors.txt" data-format="plain-text"' in index and "plain text" in index


def test_the_engine_decides_what_is_a_pdf() -> None:
    assert {name for name, fmt in FORMATS.items() if fmt.is_pdf} == {"pdf", "large-print", "handout"}
    assert all(FORMATS[name].suffix.endswith(".pdf") for name in FORMATS if FORMATS[name].is_pdf)
    with pytest.raises(ValueError, match="engine must be one of html, pdf"):
        Format("odt", ".odt", _plain_text, "OpenDocument", "libreoffice")


def test_pdf_workers_preload_every_pdf_format_module() -> None:
    from briefings.build.workers import preload

    assert {fmt.module for fmt in FORMATS.values() if fmt.is_pdf} <= set(preload())
    assert formats.__name__ in preload()


def _source_words(env: object, pub: object, source: str, version: str) -> bytes:
    return pub.source_texts[source].encode()  # type: ignore[attr-defined]


def test_a_format_per_source_is_built_once_for_each_source_the_briefing_republishes(
        minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FORMATS, "source-text", Format("source-text", ".txt", _source_words, "plain text", "html", per="source"))
    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    assert not (out / "minimal" / "sources").exists(), "minimal republishes nothing"
    (minimal / "sources.yaml").write_text((minimal / "sources.yaml").read_text(encoding="utf-8").replace(
        "    text: sources/report.txt\n", "    text: sources/report.txt\n    republish: true\n"), encoding="utf-8")
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()]
    assert (out / "minimal" / "sources" / "report.txt").read_bytes() == (minimal / "sources" / "report.txt").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = [o for b in manifest["briefings"] for o in b["outputs"] if o["format"] == "source-text"]
    assert listed == [{"audience": None, "source": "report", "format": "source-text", "path": "minimal/sources/report.txt",
                       "sha256": listed[0]["sha256"], "readability": {}}]
    with pytest.raises(ValueError, match="per must be one of audience, source"):
        Format("odt", ".odt", _plain_text, "OpenDocument", "html", per="section")
