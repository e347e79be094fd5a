"""The documentation cannot drift from the code: the editorial guide's tables are made from the rule packs and
presets, every pack and every rule's advice is in it, its links resolve, and the README points to it."""

from __future__ import annotations

import functools
import importlib.util
import re

from conftest import ROOT

from briefings.audiences import PRESETS, SETTINGS
from briefings.check.language import PACKS

DOCS = ROOT / "docs"
GUIDE = DOCS / "editorial-guide.md"
README = ROOT / "README.md"


@functools.cache
def tables():
    spec = importlib.util.spec_from_file_location("docs_tables", DOCS / "tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def anchor(heading: str) -> str:
    """A heading's anchor, as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start: end if end >= 0 else None]


def test_every_pack_and_every_rules_advice_is_in_the_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for pack in PACKS.values():
        assert f"`{pack.name}`" in guide, pack.name
        assert pack.source in guide, f"{pack.name}: its source"
        for term in pack.terms:
            assert term.instead in guide, f"{pack.name}: {term.instead}"
            assert term.reason in guide, f"{pack.name}: {term.reason}"


def test_the_guides_tables_are_made_from_the_code() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert "<!-- generated: rule-packs -->" in guide and "<!-- generated: presets -->" in guide
    assert tables().render(guide) == guide, "docs/editorial-guide.md is out of date: run python docs/tables.py"


def test_the_example_words_are_caught_by_their_rule() -> None:
    module = tables()
    for pack in PACKS.values():
        for term in pack.terms:
            for example in re.findall(r"\*([^*]+)\*", module.examples(term)):
                if "…" not in example:
                    assert term.pattern.search(example), (pack.name, example)


def test_the_guide_has_every_section_the_brief_and_the_scaffold_name() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    found = headings(guide)
    for heading in ("Writing for each audience", "Survivors and families", "Journalists", "Councillors", "An audience of your own",
                    "Trauma-informed writing", "Names and anonymity", "Quotes and sources", "Support contacts", "Readability",
                    "Words: the rule packs"):
        assert heading in found, heading
    scaffold = (ROOT / "briefings" / "scaffold.py").read_text(encoding="utf-8")
    named = set(re.findall(r"\{GUIDE\}, '([^']+)'", scaffold))
    assert named and named <= found, named - found


def test_links_in_the_docs_resolve() -> None:
    for path in [*DOCS.glob("*.md"), README]:
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file, _, fragment = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            assert linked.exists(), f"{path.name}: {target}"
            if fragment and linked.suffix == ".md":
                assert fragment in {anchor(h) for h in headings(linked.read_text(encoding="utf-8"))}, f"{path.name}: {target}"


def test_the_docs_index_lists_every_document() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for path in DOCS.iterdir():
        if path.is_file() and path.name != "README.md":
            assert f"]({path.name})" in index, path.name


def test_the_readme_points_to_the_guide_not_the_shared_folder() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "EDITORIAL.md" not in readme and "../shared" not in readme
    new = section(readme, "Writing a new briefing")
    assert "build.py new " in new and "(docs/editorial-guide.md)" in new
    assert ".venv/bin/python build.py" in readme and ". .venv/bin/activate" in readme


def test_the_readme_declares_audiences_as_the_messages_say() -> None:
    readme = README.read_text(encoding="utf-8")
    declaring = section(readme, "Declaring audiences")  # the resolver's hints point here
    assert """```yaml
audiences:
  - survivors                      # a built-in preset, as today
  - id: families                   # file audiences/families.yaml; outputs families.html, families.pdf, …
    label: For families and friends of residents   # shown on pages, in titles, the index and PDF metadata
    like: survivors                # optional: start from a preset, then override
    quick_exit: false
    content_note: required         # required | optional
    key_points: [3, 5]             # allowed count, or omit for no rule
    reading_limits: {grade: 6, ease: 65, mean_sentence: 15, max_sentence: 25}
    rules: [plain-language, adult-social-care]   # rule packs that apply
```""" in declaring
    for setting in ("id", *SETTINGS, "like"):
        assert f"| `{setting}`" in declaring, setting
    for name, preset in PRESETS.items():
        assert f"`{name}`" in declaring and preset.label in declaring
        assert f"`[{', '.join(preset.rules)}]`" in declaring
    shown = {preset.reading_limits for preset in PRESETS.values()}  # a preset's limits, once (the others "the same as")
    for limits in shown:
        assert (f"`{{grade: {limits.grade:g}, ease: {limits.ease:g}, mean_sentence: {limits.mean_sentence:g}, "
                f"max_sentence: {limits.max_sentence}}}`") in declaring
