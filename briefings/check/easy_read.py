"""The Easy Read checks: errors for an audience whose policy is Easy Read (briefings.audiences).

They follow the published guidance (docs/editorial-guide.md, "Easy Read"): every line is one
sentence of 15 words at most beside its picture; nothing is written as an abbreviation; a hard
word (a glossary term) is explained where it is first used, on its own line or the next one.
Metaphors and idioms are refused by the `metaphors` rule pack (briefings.check.language), and the
page count by the PDF renderer (briefings.render.html.page_pdf), which is the only place that knows it.
"""

from __future__ import annotations

import re
from typing import Any

from briefings.check.readability import sentences
from briefings.model import AudienceBriefing, EasyLine, Publication, abbreviations, strip_links
from briefings.problems import Problems

RULE = "easy"  # the rule name in messages ("easy: this line has no picture")
PICTURE_HINT = "add picture: a name from the bundled set (README, 'Easy Read') or an SVG or PNG file in the briefing folder"
# Blocks an Easy Read may hold besides its lines: support contacts, shown beside a telephone with their numbers large.
ALLOWED_BLOCKS = ("easy", "support", "support_summary")


def check_easy_read(briefing: AudienceBriefing, pub: Publication, problems: Problems) -> None:
    """Report every way one Easy Read briefing breaks the Easy Read rules, each at its line."""
    if not briefing.policy.easy_read:
        return
    if briefing.content_note is not None:
        problems.add(*briefing.content_note.where, "the content note is text without pictures",
                     "write content_note as lines, each a picture and one sentence of text", rule=RULE)
    if briefing.key_points:
        problems.add(*briefing.key_points[0].where, "an Easy Read has no key points",
                     "say it in the first section instead, as easy lines each with its picture", rule=RULE)
    for section in briefing.sections:
        for block in section.blocks:
            if block.kind not in ALLOWED_BLOCKS:
                problems.add(*block.where, f"a {block.kind} block in an Easy Read: its words have no pictures",
                             "write it as an easy block: each line one sentence with its picture", rule=RULE)
    lines = briefing.easy_lines()
    limit = briefing.policy.reading_limits.max_sentence
    for line in lines:
        check_line(line, limit, pub, problems)
    check_hard_words(briefing, lines, problems)


def check_line(line: EasyLine, limit: int, pub: Publication, problems: Problems) -> None:
    """One line: a picture, one sentence, at most `limit` words, no abbreviation."""
    if line.picture is None and not line.written:  # a picture named but not found is reported where it is resolved
        problems.add(*line.where, "this line has no picture", PICTURE_HINT, rule=RULE)
    found = sentences([line.text])
    if len(found) > 1:
        problems.add(*line.text.where, f"this line has {len(found)} sentences; an Easy Read line has one",
                     "give each sentence a line of its own, with its picture", rule=RULE)
    for sentence in found:
        if sentence.words > limit:
            problems.add(*line.text.where, f"this sentence has {sentence.words} words; Easy Read keeps a sentence to {limit} words or fewer",
                         "split it into two lines, one idea each", rule=RULE)
    for _, _, word in abbreviations(strip_links(line.text.text), pub.allow_capitals):
        if word.isdigit():
            continue
        expansion = pub.terms.get(word, {}).get("expansion")
        problems.add(*line.text.where, f"'{word}' is an abbreviation: Easy Read spells everything out",
                     f"write '{expansion}'" if expansion else "write the words in full", rule=RULE)


def _mentions(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", strip_links(text).replace("*", ""), re.IGNORECASE) is not None


def check_hard_words(briefing: AudienceBriefing, lines: list[EasyLine], problems: Problems) -> None:
    """Each hard word is explained where it is first used: that line, or the next, says `explains: <word>`."""
    hard: dict[str, dict[str, Any]] = {t["term"].lower(): t for t in briefing.terms if "expansion" not in t}
    for line in lines:
        if line.explains and line.explains.lower() not in hard:
            problems.add(*line.where, f"this line explains '{line.explains}', which is not a hard word of this briefing",
                         "add it to glossary.yaml with its definition, and use it in a line before this one", rule=RULE)
    for key, term in hard.items():
        first = next((i for i, line in enumerate(lines) if _mentions(term["term"], line.text.text)), None)
        if first is None:
            continue
        if any(line.explains.lower() == key for line in lines[first:first + 2]):
            continue
        problems.add(*lines[first].text.where, f"hard word '{term['term']}' is not explained where it is first used",
                     f"explain it in this line or the next, and mark that line with explains: {term['term']}", rule=RULE)
