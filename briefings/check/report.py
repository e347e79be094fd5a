"""The build report: readability per audience and per section, against each audience's limits.

Each briefing's part of the report is first made as data (`briefing_data`: JSON-able, the
briefing's entry in build-report.json), and its lines of build-report.txt are written from that
data (`report_lines`), so the two always agree and the build can keep both in its cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the build joins cached parts of the report without loading the checks
    from briefings.check.publication import CheckedPublication
    from briefings.check.readability import Score, Sentence

# build-report.json's layout; raise it when a key changes meaning or goes away (adding keys does not).
REPORT_FORMAT = 1
# Each limit, as the score it bounds, and which way: a reading limit (`ReadingLimits`) is a highest
# grade, a lowest reading ease, a highest mean sentence length and a longest sentence.
LIMITS = (
    ("flesch_kincaid_grade", "grade", "at_most"),
    ("flesch_reading_ease", "ease", "at_least"),
    ("mean_sentence_words", "mean_sentence", "at_most"),
    ("max_sentence_words", "max_sentence", "at_most"),
)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def _row(name: str, s: dict[str, Any]) -> str:
    return (f"    {name[:40]:<40} {s['flesch_kincaid_grade']:>6.1f} {s['flesch_reading_ease']:>6.1f} {s['sentences']:>6}"
            f" {s['mean_sentence_words']:>6.1f} {s['max_sentence_words']:>6}")


REPORT_HEADER = [
    "Readability (textstat on each briefing's own prose; verbatim quotes excluded)",
    "grade = Flesch-Kincaid grade (lower is easier); ease = Flesch reading ease (higher is easier)",
    "",
]


def readability_report(checked: list[CheckedPublication]) -> str:
    """Return the readability report as plain text."""
    return report_text([briefing_report(item) for item in checked])


def report_text(parts: list[list[str]]) -> str:
    """Join the header and each briefing's part (the build keeps unchanged briefings' parts from the last build)."""
    return "\n".join(REPORT_HEADER + [line for part in parts for line in part])


def report_json(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """build-report.json: every briefing's `briefing_data`, in the order they were built."""
    return {"format": REPORT_FORMAT, "briefings": parts}


def briefing_report(item: CheckedPublication) -> list[str]:
    """Return one briefing's lines of the report."""
    return report_lines(briefing_data(item))


def outside_limits(scores: dict[str, Any], limits: dict[str, dict[str, float]]) -> list[str]:
    """The scores (by key) outside their limits."""
    out = []
    for key, bound in limits.items():
        if ("at_most" in bound and scores[key] > bound["at_most"]) or ("at_least" in bound and scores[key] < bound["at_least"]):
            out.append(key)
    return out


def _sentence(s: Sentence, **extra: float) -> dict[str, Any]:
    start, end = s.span
    if not s.context or end <= start:  # no context recorded: the sentence alone
        context = {"before": "", "sentence": s.text, "after": ""}
    else:
        context = {"before": s.context[:start], "sentence": s.context[start:end], "after": s.context[end:]}
    return {**extra, "words": s.words, "text": s.text, "path": s.where[0], "line": s.where[1], "column": s.where[2],
            "context": context}


def _scores(s: Score, limits: dict[str, dict[str, float]]) -> dict[str, Any]:
    scores = s.as_dict()
    return {"scores": scores, "outside_limits": outside_limits(scores, limits)}


def briefing_data(item: CheckedPublication) -> dict[str, Any]:
    """One briefing's entry in build-report.json: each audience's limits, scores overall and per section,
    and its longest and hardest sentences, each in the text block it came from."""
    from briefings.check.readability import hardest

    audiences = []
    for audience, r in item.readability.items():
        briefing = item.pub.briefing(audience)
        given = briefing.policy.reading_limits.as_dict()
        limits = {key: {way: int(given[name]) if name == "max_sentence" else float(given[name])} for key, name, way in LIMITS}
        audiences.append({
            "id": audience,
            "label": briefing.label,
            "path": briefing.path,
            "limits": limits,
            "overall": _scores(r.overall, limits),
            "sections": [{"heading": name, **_scores(s, limits)} for name, s in r.sections.items()],
            "longest": [_sentence(s) for s in r.overall.longest],
            "hardest": [_sentence(s, grade=grade) for grade, s in hardest(r.overall)],
        })
    translations = [
        {"language": lang, "audiences": [{"id": audience, "label": item.pub.briefing(audience).label, "scores": s.as_dict(),
                                          "measures": s.labels} for audience, s in scores.items()]}
        for lang, scores in item.translated.items()
    ]
    data: dict[str, Any] = {"slug": item.pub.slug, "title": item.pub.title, "language": item.pub.language, "audiences": audiences}
    if translations:  # only a briefing with published translations has the key (README, "build-report.json")
        data["translations"] = translations
    return data


def report_lines(data: dict[str, Any]) -> list[str]:
    """One briefing's lines of build-report.txt, from its `briefing_data`."""
    lines: list[str] = []
    for a in data["audiences"]:
        s, limit = a["overall"]["scores"], {key: next(iter(bound.values())) for key, bound in a["limits"].items()}
        grade, ease = limit["flesch_kincaid_grade"], limit["flesch_reading_ease"]
        mean, longest = limit["mean_sentence_words"], limit["max_sentence_words"]
        lines.append(f"{data['slug']} / {a['id']}")
        lines.append(
            f"  grade {s['flesch_kincaid_grade']:.1f} (limit {grade:.1f}, {_verdict(s['flesch_kincaid_grade'] <= grade)})"
            f"   ease {s['flesch_reading_ease']:.1f} (limit {ease:.0f}, {_verdict(s['flesch_reading_ease'] >= ease)})"
            f"   mean sentence {s['mean_sentence_words']:.1f} words (limit {mean:.0f}, {_verdict(s['mean_sentence_words'] <= mean)})"
            f"   longest {s['max_sentence_words']} (limit {int(longest)}, {_verdict(s['max_sentence_words'] <= longest)})"
        )
        lines.append(f"    {'section':<40} {'grade':>6} {'ease':>6} {'sent.':>6} {'mean':>6} {'max':>6}")
        lines.extend(_row(section["heading"], section["scores"]) for section in a["sections"])
        lines.append("    longest sentences:")
        for sentence in a["longest"]:
            lines.append(f"      {sentence['words']} words, {sentence['path']}:{sentence['line']}: {sentence['text']}")
        lines.append("    hardest sentences:")
        for sentence in a["hardest"]:
            lines.append(f"      grade {sentence['grade']:.1f}, {sentence['path']}:{sentence['line']}: {sentence['text']}")
        lines.append("")
    for t in data.get("translations", []):
        for a in t["audiences"]:
            s = a["scores"]
            if not s["scored"]:
                lines.append(f"{data['slug']} / {t['language']} / {a['id']}: not scored (textstat has no readability formula for "
                             f"'{t['language']}'; an English formula's score would mean nothing)")
                continue
            measures = "; ".join(f"{label} {s[key]:.1f}" for key, label in a["measures"].items())
            lines.append(f"{data['slug']} / {t['language']} / {a['id']}: {measures}; {s['sentences']} sentences, mean "
                         f"{s['mean_sentence_words']:.1f} words, longest {s['max_sentence_words']} (the reading limits are the English's)")
    if data.get("translations"):
        lines.append("")
    return lines
