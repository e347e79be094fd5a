"""Every quote is word for word: against the IOPC text the project ships, and against the seed documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CONTENT, SEEDS

from briefings.resolve import normalise_quote

BRIEFING = CONTENT / "operation-amazon"


def _quotes() -> list[tuple[str, str, str]]:
    """Return (where, source id, quote) for every quotation in the content."""
    found = []
    facts = yaml.safe_load((BRIEFING / "facts.yaml").read_text(encoding="utf-8"))
    for fact in facts["facts"]:
        for ev in fact["sources"]:
            found.append((f"fact {fact['id']}", ev["source"], ev["quote"]))
    for dispute in facts.get("disputes", []):
        for acc in dispute["accounts"]:
            found.append((f"dispute {dispute['id']}", acc["source"], acc["quote"]))
    for path in sorted((BRIEFING / "audiences").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            for block in section["blocks"]:
                if "quote" in block:
                    found.append((f"{path.name} {section['heading']}", block["quote"]["source"], block["quote"]["text"]))
    return found


QUOTES = _quotes()
SOURCES = {s["id"]: s for s in yaml.safe_load((BRIEFING / "sources.yaml").read_text(encoding="utf-8"))["sources"]}


def test_there_are_quotes_to_check() -> None:
    assert len(QUOTES) >= 20


def test_shipped_iopc_text_is_the_published_summary() -> None:
    iopc = [s for s in SOURCES.values() if "text" in s]
    assert len(iopc) == 1
    shipped = (BRIEFING / iopc[0]["text"]).read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in shipped and "© IOPC 2025" in shipped
    if SEEDS.exists():
        seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
        assert shipped.strip() == seed.strip()


@pytest.mark.parametrize(("where", "source", "quote"), [q for q in QUOTES if "text" in SOURCES[q[1]]])
def test_quotes_from_the_iopc_are_verbatim(where: str, source: str, quote: str) -> None:
    text = (BRIEFING / SOURCES[source]["text"]).read_text(encoding="utf-8")
    assert normalise_quote(quote) in normalise_quote(text), where


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents live beside the repository, in ../shared/seeds")
@pytest.mark.parametrize(("where", "source", "quote"), QUOTES)
def test_every_quote_appears_in_a_seed_document(where: str, source: str, quote: str) -> None:
    seeds = [normalise_quote(p.read_text(encoding="utf-8")) for p in sorted(Path(SEEDS).glob("0*.txt"))]
    assert any(normalise_quote(quote) in s for s in seeds), f"{where}: {quote!r}"
