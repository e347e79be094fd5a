"""The build report as a page (report.html) and as data (build-report.json): what it shows, its layout,
the cache and merge.

The builds here make only the HTML formats, in this process (as tests/test_incremental.py does).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from browser import describe_violations, describe_vnu, open_page, run_axe, shared_browser, vnu_errors
from conftest import FIXTURES, ROOT

from briefings.build.builder import Options, Result, build
from briefings.build.shard import Shard, merge, shard_of
from briefings.check.report import report_lines, report_text
from briefings.render.formats import html_formats
from briefings.render.report_page import render_report

MANIFEST_SCORES = {"flesch_kincaid_grade", "flesch_reading_ease", "sentences", "words", "mean_sentence_words", "max_sentence_words"}


def run(content: Path, out: Path, **options: object) -> Result:
    """Build the HTML formats in this process and insist that it worked."""
    result = build(Options(content, out, jobs=1, formats=html_formats(), **options))  # type: ignore[arg-type]
    assert result.ok, [str(p) for p in result.problems.sorted()] + [f for f in result.failures]
    return result


def report(out: Path) -> dict:
    return json.loads((out / "build-report.json").read_text(encoding="utf-8"))


def page(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


def audience_part(text: str, slug: str, audience: str) -> str:
    """One audience's section of report.html."""
    match = re.search(rf'<section class="report-audience" id="{slug}--{audience}".*?</section>', text, re.S)
    assert match, f"no section for {slug} / {audience}"
    return match.group()


def copies(tmp_path: Path, slugs: list[str]) -> Path:
    """A content folder with a copy of the minimal fixture for each slug."""
    content = tmp_path / "content"
    for slug in slugs:
        shutil.copytree(FIXTURES / "minimal", content / slug)
        config = content / slug / "briefing.yaml"
        text = config.read_text(encoding="utf-8").replace("slug: minimal", f"slug: {slug}")
        config.write_text(re.sub(r"(?m)^title: .*$", f"title: The {slug} test publication", text), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The minimal and care-home fixtures built, and a copy of minimal whose survivors' limits it breaks."""
    built = {}
    for name in ("minimal", "care-home"):
        built[name] = tmp_path_factory.mktemp(name) / "site"
        run(FIXTURES / name, built[name])
    over = tmp_path_factory.mktemp("over") / "over"
    shutil.copytree(FIXTURES / "minimal", over)
    with (over / "briefing.yaml").open("a", encoding="utf-8") as config:
        config.write("reading_limits:\n  survivors:\n    grade: 2.0\n    ease: 90\n    max_sentence: 5\n")
    built["over"] = over.parent / "site"
    run(over, built["over"])
    return built


@pytest.mark.parametrize("name", ["minimal", "care-home"])
def test_the_report_page_lists_every_audience_with_its_limits(sites: dict[str, Path], name: str) -> None:
    from briefings.check.publication import load_and_resolve
    from briefings.problems import Problems

    _, pub = load_and_resolve(FIXTURES / name, Problems())
    assert pub is not None
    text = page(sites[name])
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text and 'http-equiv="Content-Security-Policy"' in text
    assert "How the scores are computed" in text and "textstat" in text
    for b in pub.briefings:
        part = audience_part(text, pub.slug, b.audience)
        assert f">{html.escape(b.label)}</h3>" in part
        limits = pub.limits[b.audience]
        for shown in (f"at most {limits['grade']:.1f}", f"at least {limits['ease']:.0f}",
                      f"at most {limits['mean_sentence']:.0f} words", f"at most {int(limits['max_sentence'])} words"):
            assert shown in part, (b.audience, shown)
        assert f'href="{pub.slug}/{b.audience}.html"' in part, "each audience links to its page"
        scores = report(sites[name])["briefings"][0]["audiences"][[a.audience for a in pub.briefings].index(b.audience)]
        assert f"{scores['overall']['scores']['flesch_kincaid_grade']:.1f}" in part
        for section in scores["sections"]:
            assert f'<th scope="row"><span class="cell-label" aria-hidden="true">Section</span>{html.escape(section["heading"])}</th>' in part


def sentence_items(part: str, heading: str) -> list[str]:
    """The list items under one of an audience's sentence headings ("Longest sentences", "Hardest sentences")."""
    after = part.split(f"<h4>{heading}</h4>", 1)[1]
    listed = after.split("</ol>", 1)[0]
    return re.findall(r"<li>.*?</li>", listed, re.S)


@pytest.mark.parametrize("name", ["minimal", "care-home"])
def test_the_hardest_and_longest_sentences_are_marked_in_their_context_with_file_and_line(sites: dict[str, Path], name: str) -> None:
    text = page(sites[name])
    for b in report(sites[name])["briefings"]:
        for a in b["audiences"]:
            part = audience_part(text, b["slug"], a["id"])
            for heading, key in (("Hardest sentences", "hardest"), ("Longest sentences", "longest")):
                items = sentence_items(part, heading)
                assert len(items) == len(a[key]) >= 1
                for item, sentence in zip(items, a[key], strict=True):
                    plain = item.replace("<wbr>", "")
                    assert f"<code>{html.escape(sentence['path'])}:{sentence['line']}</code>" in plain
                    c = {k: html.escape(v, quote=False) for k, v in sentence["context"].items()}
                    marked = re.search(r'<p class="sentence-context"[^>]*>(.*?)</p>', item, re.S)
                    assert marked, item
                    inner = re.sub(r'<span class="visually-hidden"[^>]*>[^<]*</span>', "", marked.group(1))
                    assert inner == f"{c['before']}<mark>{c['sentence']}</mark>{c['after']}"
            assert f"Grade {a['hardest'][0]['grade']:.1f}" in part


def test_a_sentence_is_shown_in_the_text_block_it_came_from(sites: dict[str, Path]) -> None:
    survivors = report(sites["minimal"])["briefings"][0]["audiences"][0]
    hardest = survivors["hardest"][0]
    assert hardest["text"] == "Help is listed below." and hardest["path"].endswith("minimal/audiences/survivors.yaml")
    assert hardest["context"] == {"before": "This page talks about a review. ", "sentence": "Help is listed below.", "after": ""}
    assert f"{hardest['path']}:{hardest['line']}: Help is listed below." in (sites["minimal"] / "build-report.txt").read_text(encoding="utf-8")


def test_limits_broken_show_as_outside_in_words_and_in_red(sites: dict[str, Path]) -> None:
    data = report(sites["over"])["briefings"][0]["audiences"][0]
    assert data["overall"]["outside_limits"] == ["max_sentence_words"]
    part = audience_part(page(sites["over"]), "minimal", "survivors")
    assert "Outside 1 of its 4 limits: longest sentence." in part
    assert "Outside the limit" in part and 'class="bar bar-over"' in part
    assert all('aria-hidden="true"' in svg for svg in re.findall(r"<svg[^>]*>", part)), "the bars repeat the figures: hidden"


def test_build_report_json_has_the_documented_keys(sites: dict[str, Path]) -> None:
    data = report(sites["care-home"])
    assert set(data) == {"format", "briefings"} and data["format"] == 1
    for b in data["briefings"]:
        assert set(b) == {"slug", "title", "language", "audiences"}
        for a in b["audiences"]:
            assert set(a) == {"id", "label", "path", "limits", "overall", "sections", "longest", "hardest"}
            assert a["limits"] == {k: a["limits"][k] for k in MANIFEST_SCORES - {"sentences", "words"}}
            assert all(list(bound) in (["at_most"], ["at_least"]) for bound in a["limits"].values())
            for part in [a["overall"], *a["sections"]]:
                assert set(part) - {"heading"} == {"scores", "outside_limits"} and set(part["scores"]) == MANIFEST_SCORES
            for sentence in a["longest"] + a["hardest"]:
                assert set(sentence) - {"grade"} == {"words", "text", "path", "line", "column", "context"}
                assert set(sentence["context"]) == {"before", "sentence", "after"}
            assert all("grade" in s for s in a["hardest"])
    manifest = json.loads((sites["care-home"] / "manifest.json").read_text(encoding="utf-8"))
    for o in manifest["briefings"][0]["outputs"]:
        if o["audience"] is None:  # the full text of a source: not scored
            continue
        audience = next(a for a in data["briefings"][0]["audiences"] if a["id"] == o["audience"])
        assert audience["overall"]["scores"] == o["readability"], "the same scores as the manifest"
    # The README documents every key, and no other.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = readme.split("### build-report.json", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r'"(\w+)":', documented)) == keys(data) | {"shard", "index", "count"}


def keys(data: object) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


def test_the_text_report_is_written_from_the_same_data(sites: dict[str, Path]) -> None:
    for site in sites.values():
        lines = [report_lines(b) for b in report(site)["briefings"]]
        assert (site / "build-report.txt").read_text(encoding="utf-8") == report_text(lines)


def test_the_page_allows_only_its_own_style(sites: dict[str, Path]) -> None:
    text = page(sites["minimal"])
    style = re.search(r"<style>(.*?)</style>", text, re.S)
    assert style and text.count("<style>") == 1 and " style=" not in text
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode("utf-8")).digest()).decode("ascii")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert csp and f"style-src 'sha256-{digest}';" in html.unescape(csp.group(1)) and "script-src 'none'" in html.unescape(csp.group(1))


def test_everything_from_the_content_is_escaped() -> None:
    sentence = {"words": 3, "text": "<b>Bold</b> & co.", "path": "a/b.yaml", "line": 3, "column": 1,
                "context": {"before": "<script>x</script> ", "sentence": "<b>Bold</b> & co.", "after": ""}}
    scores = dict.fromkeys(MANIFEST_SCORES, 1)
    limits = {"flesch_kincaid_grade": {"at_most": 6.0}, "flesch_reading_ease": {"at_least": 65.0},
              "mean_sentence_words": {"at_most": 15.0}, "max_sentence_words": {"at_most": 25}}
    data = {"format": 1, "briefings": [{"slug": "s", "title": "<i>T</i>", "language": "en-GB", "audiences": [
        {"id": "a", "label": "For <u>you</u>", "path": "a/b.yaml", "limits": limits,
         "overall": {"scores": scores, "outside_limits": ["flesch_reading_ease"]},
         "sections": [{"heading": "<h1>", "scores": scores, "outside_limits": []}],
         "longest": [sentence], "hardest": [{**sentence, "grade": 2.0}]}]}]}
    text = render_report(data).decode("utf-8")
    assert "<script" not in text and "<b>" not in text and "<i>T" not in text and "<u>" not in text
    assert "&lt;script&gt;x&lt;/script&gt; <mark>" in text and "&lt;h1&gt;" in text
    assert "Outside 1 of its 4 limits: Flesch reading ease." in text


# --- the cache -------------------------------------------------------------------------


def test_a_build_that_changes_nothing_leaves_the_page_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(FIXTURES / "minimal", out)
    stamp, data = (out / "report.html").stat().st_mtime_ns, (out / "build-report.json").read_bytes()
    again = run(FIXTURES / "minimal", out)
    assert not again.published and again.stats()["checked"] == 0
    assert (out / "report.html").stat().st_mtime_ns == stamp and (out / "build-report.json").read_bytes() == data
    (out / "report.html").unlink()
    third = run(FIXTURES / "minimal", out)
    assert third.published and third.stats()["checked"] == 0 and third.stats()["built"] == 0
    assert (out / "build-report.json").read_bytes() == data and "minimal--survivors" in page(out), "made again, from the cache"


def test_a_briefing_whose_check_is_reused_is_still_in_the_report(tmp_path: Path) -> None:
    content, out = copies(tmp_path, ["minimal", "second"]), tmp_path / "site"
    run(content, out)
    before = {b["slug"]: b for b in report(out)["briefings"]}
    survivors = content / "second" / "audiences" / "survivors.yaml"
    survivors.write_text(survivors.read_text(encoding="utf-8").replace("The council did not act.", "The council did nothing."),
                         encoding="utf-8")
    result = run(content, out)
    assert result.stats()["checked"] == 1
    after = {b["slug"]: b for b in report(out)["briefings"]}
    assert after["minimal"] == before["minimal"] and after["second"] != before["second"]
    text = page(out)
    assert 'id="minimal--survivors"' in text and 'id="second--survivors"' in text and "The council did nothing." in text


# --- shards ------------------------------------------------------------------------------


def test_merging_shards_gives_one_report_with_every_briefing(tmp_path: Path) -> None:
    other = next(s for s in ("second", "third", "fourth", "fifth") if shard_of(s, 2) != shard_of("minimal", 2))
    content = copies(tmp_path, ["minimal", other])
    shards = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}"
        run(content, out, shard=Shard(index, 2))
        data = report(out)
        assert data["shard"] == {"index": index, "count": 2} and len(data["briefings"]) == 1
        assert f"This report covers shard {index} of 2." in page(out)
        shards.append(out)
    site = tmp_path / "site"
    merge(shards, site)
    merged = report(site)
    assert "shard" not in merged and [b["slug"] for b in merged["briefings"]] == sorted(["minimal", other])
    whole = tmp_path / "whole"
    run(content, whole)
    assert sorted(report(whole)["briefings"], key=lambda b: b["slug"]) == merged["briefings"]
    text = page(site)
    for slug in ("minimal", other):
        for audience in ("survivors", "journalists"):
            assert f'id="{slug}--{audience}"' in text
    assert "This report covers shard" not in text


# --- in a browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_the_report_page_passes_axe_and_the_html_checker(sites: dict[str, Path]) -> None:
    pages = [site / "report.html" for site in sites.values()]
    for path in pages:
        for width in (1280, 320):
            loaded = open_page(shared_browser(), path.as_uri(), width=width)
            try:
                if width == 1280:
                    violations = run_axe(loaded.page)
                    assert not violations, describe_violations(violations)
                overflow = loaded.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
                assert not loaded.blocked_requests and not loaded.console_errors and not loaded.failed_requests
            finally:
                loaded.close()
    errors = vnu_errors(pages, css=True)
    assert not errors, describe_vnu(errors)
