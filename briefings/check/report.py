"""The build report: readability per audience and per section, against each audience's limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the build joins cached parts of the report without loading the checks
    from briefings.check.publication import CheckedPublication
    from briefings.check.readability import Score


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def _row(name: str, s: Score) -> str:
    return f"    {name[:40]:<40} {s.grade:>6.1f} {s.ease:>6.1f} {s.sentences:>6} {s.mean_sentence:>6.1f} {s.max_sentence:>6}"


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


def briefing_report(item: CheckedPublication) -> list[str]:
    """Return one briefing's lines of the report."""
    from briefings.check.readability import hardest

    lines: list[str] = []
    for audience, r in item.readability.items():
        limits = item.pub.briefing(audience).policy.reading_limits.as_dict()
        s = r.overall
        lines.append(f"{item.pub.slug} / {audience}")
        lines.append(
            f"  grade {s.grade:.1f} (limit {limits['grade']:.1f}, {_verdict(s.grade <= limits['grade'])})"
            f"   ease {s.ease:.1f} (limit {limits['ease']:.0f}, {_verdict(s.ease >= limits['ease'])})"
            f"   mean sentence {s.mean_sentence:.1f} words (limit {limits['mean_sentence']:.0f}, {_verdict(s.mean_sentence <= limits['mean_sentence'])})"
            f"   longest {s.max_sentence} (limit {int(limits['max_sentence'])}, {_verdict(s.max_sentence <= limits['max_sentence'])})"
        )
        lines.append(f"    {'section':<40} {'grade':>6} {'ease':>6} {'sent.':>6} {'mean':>6} {'max':>6}")
        lines.extend(_row(name, sc) for name, sc in r.sections.items())
        lines.append("    longest sentences:")
        for sentence in s.longest:
            lines.append(f"      {sentence.words} words, {sentence.where[0]}:{sentence.where[1]}: {sentence.text}")
        lines.append("    hardest sentences:")
        for grade, sentence in hardest(s):
            lines.append(f"      grade {grade:.1f}, {sentence.where[0]}:{sentence.where[1]}: {sentence.text}")
        lines.append("")
    return lines
