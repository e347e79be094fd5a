"""Render the output folder's build report as a page people read: `report.html`, from build-report.json.

It reads only the report's data (briefings.check.report.briefing_data, one entry per briefing)
and the manifest (to link each audience to its web page), so it is the same whether the checks
ran now, came from the cache or were merged from shards: the build and merge call
`render_report(report, manifest)` with the data they are about to publish.

Every score is written out as text (a table); the bars beside the numbers draw the same figures
and are hidden from assistive technology. The page has no script and requests nothing.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from briefings.package_data import TEMPLATES
from briefings.render.environment import make_environment, stylesheet
from briefings.render.html import content_security_policy

REPORT_PAGE_PATH = "report.html"


class Measure:
    """One score a reading limit bounds: how the page names it, writes it and draws it."""

    def __init__(self, key: str, name: str, short: str, unit: str, digits: int, easier: str) -> None:
        self.key, self.name, self.short, self.unit, self.digits, self.easier = key, name, short, unit, digits, easier

    @property
    def phrase(self) -> str:
        """The name inside a sentence: "Flesch-Kincaid grade", "mean sentence length"."""
        return self.name if self.name.startswith("Flesch") else self.name[:1].lower() + self.name[1:]

    def shown(self, value: float) -> str:
        text = f"{value:.{self.digits}f}"
        return f"{text} {self.unit}" if self.unit else text


MEASURES = (
    Measure("flesch_kincaid_grade", "Flesch-Kincaid grade", "Grade", "", 1, "lower is easier"),
    Measure("flesch_reading_ease", "Flesch reading ease", "Reading ease", "", 1, "higher is easier"),
    Measure("mean_sentence_words", "Mean sentence length", "Mean sentence", "words", 1, "shorter is easier"),
    Measure("max_sentence_words", "Longest sentence", "Longest", "words", 0, "shorter is easier"),
)
_BAR_WIDTH = 100.0  # the bars' coordinates: 0 to 100 across


def limit_text(measure: Measure, bound: dict[str, float]) -> str:
    """ "at most 6.0", "at least 65", "at most 25 words"."""
    way, value = next(iter(bound.items()))
    text = f"{value:.1f}" if measure.key == "flesch_kincaid_grade" or not float(value).is_integer() else f"{value:.0f}"
    text += f" {measure.unit}" if measure.unit else ""
    return ("at most " if way == "at_most" else "at least ") + text


def verdict(outside: list[Measure]) -> str:
    """ "Within every limit." or "Outside 2 of its 4 limits: Flesch-Kincaid grade and longest sentence." """
    if not outside:
        return "Within every limit."
    names = [m.phrase for m in outside]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Outside {len(outside)} of its {len(MEASURES)} limits: {listed}."


def _scale(measure: Measure, bound: dict[str, float], values: list[float]) -> float:
    """The value a full bar stands for: the same for every bar of one measure and audience, so bars compare."""
    limit = float(next(iter(bound.values())))
    if measure.key == "flesch_reading_ease":  # 0 (very hard) to 100 (very easy), or a little over
        return max([100.0, *values])
    return max([limit * 1.5, *values, 1.0])


def bar(value: float, bound: dict[str, float], scale: float, over: bool) -> dict[str, Any]:
    """Where to draw one bar (the score) and its mark (the limit), from 0 to _BAR_WIDTH."""
    limit = float(next(iter(bound.values())))

    def x(v: float) -> float:
        return round(max(0.0, min(v, scale)) / scale * _BAR_WIDTH, 2)

    return {"width": x(value), "limit": min(x(limit), _BAR_WIDTH - 1), "over": over}


def _cell(measure: Measure, scores: dict[str, Any], limits: dict[str, Any], outside: list[str], scale: float) -> dict[str, Any]:
    over = measure.key in outside
    value = scores[measure.key]
    return {"measure": measure, "value": measure.shown(value), "number": f"{value:.{measure.digits}f}", "over": over,
            "limit": limit_text(measure, limits[measure.key]), "bar": bar(value, limits[measure.key], scale, over)}


def breakable(path: str) -> Markup:
    """A file's path that a narrow screen may wrap after any "/"."""
    return Markup("/<wbr>").join(escape(part) for part in path.split("/"))


def _located(sentence: dict[str, Any]) -> dict[str, Any]:
    """A sentence with its place as build-report.txt writes it (path:line), breakable after each "/"."""
    return {**sentence, "where": breakable(f"{sentence['path']}:{sentence['line']}")}


def audience_view(slug: str, audience: dict[str, Any], pages: dict[tuple[str, str], str]) -> dict[str, Any]:
    """One audience's part of the page: limits, overall and section scores with their bars, its sentences."""
    limits = audience["limits"]
    parts = [audience["overall"], *audience["sections"]]
    scales = {m.key: _scale(m, limits[m.key], [p["scores"][m.key] for p in parts]) for m in MEASURES}
    overall = audience["overall"]
    outside = [m for m in MEASURES if m.key in overall["outside_limits"]]
    label = audience["label"]
    return {
        "id": audience["id"],
        "anchor": f"{slug}--{audience['id']}",
        "label": audience["label"],
        "path": breakable(audience.get("path", "")),
        "page": pages.get((slug, audience["id"]), ""),
        "outside": outside,
        "verdict": verdict(outside),
        "for_whom": label[:1].lower() + label[1:] if label.startswith("For ") else label,  # "…: for journalists"
        "sentences": overall["scores"]["sentences"],
        "words": overall["scores"]["words"],
        "limits": [(m, limit_text(m, limits[m.key])) for m in MEASURES],
        "overall": [_cell(m, overall["scores"], limits, overall["outside_limits"], scales[m.key]) for m in MEASURES],
        "sections": [
            {"heading": s["heading"], "sentences": s["scores"]["sentences"],
             "cells": [_cell(m, s["scores"], limits, s["outside_limits"], scales[m.key]) for m in MEASURES]}
            for s in audience["sections"]
        ],
        "longest": [_located(s) for s in audience["longest"]],
        "hardest": [_located(s) for s in audience["hardest"]],
    }


def report_context(report: dict[str, Any], manifest: dict[str, Any] | None = None) -> dict[str, object]:
    """Return the template variables: every briefing and audience of build-report.json, ready to show."""
    pages = {(b["slug"], o["audience"]): o["path"] for b in (manifest or {}).get("briefings", [])
             for o in b["outputs"] if o["format"] == "html"}
    # The full text of each source a briefing republishes (per-source outputs), with its title.
    sources: dict[str, list[dict[str, str]]] = {}
    for b in (manifest or {}).get("briefings", []):
        titles = {s["id"]: s["title"] for s in b.get("sources", [])}
        sources[b["slug"]] = [{"title": titles.get(o["source"], o["source"]), "path": o["path"]}
                              for o in b["outputs"] if o.get("source") and o["path"].endswith(".html")]
    briefings = [
        {"slug": b["slug"], "title": b["title"], "language": b.get("language", ""),
         "audiences": [audience_view(b["slug"], a, pages) for a in b["audiences"]],
         "sources": sources.get(b["slug"], [])}
        for b in report["briefings"]
    ]
    css = Markup(str(stylesheet()) + "\n" + (TEMPLATES / "report.css").read_text(encoding="utf-8"))  # noqa: S704 - our own files
    return {
        "briefings": briefings,
        "measures": MEASURES,
        "css": css,
        "csp": content_security_policy([css], []),
        "shard": report.get("shard"),
    }


def render_report(report: dict[str, Any], manifest: dict[str, Any] | None = None, env: Environment | None = None) -> bytes:
    """Render report.html from build-report.json's data (and the manifest, for links to the pages)."""
    env = env or make_environment()
    return env.get_template("report.html.j2").render(report_context(report, manifest)).encode("utf-8")
