"""Checks a new publisher meets: allow-lists for names and capitals, mixed-case abbreviations, glossary terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, run_cli

from briefings.model import abbreviations

EPOCH = {"SOURCE_DATE_EPOCH": "1795000000"}


def build_html(content: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the pages in this process (what these tests read is in the HTML, the same in every format)."""
    from briefings.build.builder import Options, build
    from briefings.render.formats import html_formats

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    result = build(Options(content, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()] + result.failures


def check(folder: Path) -> tuple[int, list[str]]:
    result = run_cli("check", "--strict", "--content", str(folder), env=EPOCH)
    prefix = str(folder) + "/"
    return result.returncode, [line.replace(prefix, "") for line in result.stderr.splitlines()]


def say(care_home: Path, sentence: str) -> None:
    edit(care_home / "audiences" / "families.yaml", "  - People said the staff were kind.", f"  - {sentence}")


def test_abbreviations_in_capitals_and_in_mixed_case() -> None:
    found = [word for _, _, word in abbreviations("The IOPC and the CQC used DoLS, a PhD, CSE/A and two IOPCs, said McDonald.")]
    assert found == ["IOPC", "CQC", "DoLS", "PhD", "CSE/A", "IOPC"]
    assert [w for _, _, w in abbreviations("Age UK helps, and the UK is large.", ("Age UK",))] == ["UK"]
    assert [w for _, _, w in abbreviations("MacLeod, DeShawn and LaToya", ())] == []


def test_a_mixed_case_abbreviation_needs_the_glossary(care_home: Path) -> None:
    say(care_home, "Some residents were under DoLS.")
    code, lines = check(care_home)
    assert code == 1
    assert "audiences/families.yaml:8:5: acronym: abbreviation 'DoLS' is not in the glossary (add it to glossary.yaml)" in lines


def test_names_that_are_not_people_can_be_allowed(care_home: Path) -> None:
    say(care_home, "Marie Curie nurses visit the home near Victoria Park.")
    code, lines = check(care_home)
    assert code == 1
    assert any("'Marie Curie' looks like a person's name" in line for line in lines), lines
    config = care_home / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "allow:\n  names: [Marie Curie, Victoria Park]\n", encoding="utf-8")
    code, lines = check(care_home)
    assert code == 0, lines


def test_capitals_that_are_not_abbreviations_can_be_allowed(care_home: Path) -> None:
    say(care_home, "Age UK can give advice.")
    code, lines = check(care_home)
    assert "audiences/families.yaml:8:5: acronym: abbreviation 'UK' is not in the glossary (add it to glossary.yaml)" in lines
    config = care_home / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "allow:\n  capitals: [Age UK]\n", encoding="utf-8")
    code, lines = check(care_home)
    assert code == 0, lines


def test_a_glossary_term_is_listed_where_it_is_used_and_unused_entries_warn(care_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = care_home / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + """  - term: requires improvement
    definition: The second lowest of the four ratings.
  - term: Legionella
    definition: Bacteria that can grow in water pipes.
""", encoding="utf-8")
    code, lines = check(care_home)
    assert code == 1
    assert "glossary.yaml:7:11: warning: glossary: glossary entry 'Legionella' is not used by any briefing (use it in a briefing, or remove it)" in lines
    assert not any("requires improvement" in line for line in lines), "used in the scrutiny key points"
    edit(care_home / "audiences" / "scrutiny.yaml", "      - sources: true", "      - sources: true\n  - heading: Words we use\n    blocks:\n      - glossary: true")
    say(care_home, "Staff tested the water for legionella.")
    assert check(care_home)[0] == 0
    out = tmp_path / "site"
    build_html(care_home, out, monkeypatch)
    page = (out / "care-home" / "scrutiny.html").read_text(encoding="utf-8")
    assert "<dt>Requires improvement</dt><dd>The second lowest of the four ratings.</dd>" in page


def test_an_abbreviation_in_the_glossary_needs_its_expansion(care_home: Path) -> None:
    edit(care_home / "glossary.yaml", "    expansion: Test Inspectorate\n", "")
    code, lines = check(care_home)
    assert "glossary.yaml:2:11: acronym: abbreviation 'TI' has no expansion (add 'expansion: …' with what it stands for)" in lines


def test_phone_numbers_of_any_country() -> None:
    from briefings.phones import phone

    assert phone("0808 801 0331") == type(phone("0808 801 0331"))("0808 801 0331", "tel:+448088010331")
    assert phone("116 123").tel == "tel:116123" and phone("116 123").shown == "116 123"
    assert phone("+33 1 23 45 67 89").shown == "+33 1 23 45 67 89" and phone("+33 1 23 45 67 89").tel == "tel:+33123456789"
    assert phone("01 23 45 67 89", "FR").shown == "01 23 45 67 89"
    assert phone("12345") is None and phone("01 23 45 67 89") is None


def test_a_publication_sets_its_phone_region(care_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(care_home / "support.yaml", 'phone: "0808 000 0001"', 'phone: "01 23 45 67 89"')
    code, lines = check(care_home)
    assert "support.yaml:6:12: support: '01 23 45 67 89' is not a valid phone number in GB " in " ".join(lines)
    config = care_home / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "phone_region: FR\n", encoding="utf-8")
    assert check(care_home)[0] == 0
    out = tmp_path / "site"
    build_html(care_home, out, monkeypatch)
    page = (out / "care-home" / "families.html").read_text(encoding="utf-8")
    assert '<a href="tel:+33123456789" dir="ltr">01 23 45 67 89</a>' in page


def test_names_dates_and_numbers_alone_do_not_make_a_sentence_hard() -> None:
    from briefings.check.readability import hardest, score, to_decode
    from briefings.model import Text

    sentence = "The care inspector visited Pinglenook Residential Home on 2 October 2023."
    assert to_decode(sentence) == "The care inspector visited Sam on one Sam one."
    scored = score([Text(sentence, [], ("x.yaml", 1, 1))])
    assert scored.grade > 9, "the published score is computed on the text as it is"
    ((grade, _),) = hardest(scored)
    assert grade < 6, "but the report does not call it hard"


def test_a_fact_statement_is_reported_where_it_is_written(care_home: Path) -> None:
    edit(care_home / "facts.yaml", "statement: There were not always enough staff at night.",
         "statement: There were not always enough staff at night to help the people who live in the home to get up, wash, dress and "
         "go to the toilet safely and with dignity when they needed to.")
    code, lines = check(care_home)
    assert any(line.startswith("facts.yaml:16:16: warning: sentence-length: sentence of") for line in lines), lines


def test_a_support_card_claims_no_check_that_was_not_made(care_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build_html(care_home, out, monkeypatch)  # the card is the same in every format
    page = (out / "care-home" / "families.html").read_text(encoding="utf-8")
    assert "We have not yet checked these details with the service." in page and "Details checked" not in page
    edit(care_home / "support.yaml", 'checked: "2026-11-01"', 'checked: "2026-11-01"\n    checked_live: true')
    build_html(care_home, out, monkeypatch)
    page = (out / "care-home" / "families.html").read_text(encoding="utf-8")
    assert "Details checked with the service 1 November 2026." in page


def test_a_block_with_nothing_to_list_is_an_error_at_the_block(minimal: Path) -> None:
    """Deleting timeline.yaml, as the scaffold says you may, left `timeline: true` printing an empty list; so did a
    glossary block where the briefing uses no term. Each is now said at its block (an unused glossary as a warning),
    with what to add or remove."""
    from conftest import check_lines

    assert check_lines(minimal) == (0, [])
    (minimal / "timeline.yaml").unlink()
    with (minimal / "audiences" / "survivors.yaml").open("a", encoding="utf-8") as survivors:
        survivors.write("  - heading: Words\n    blocks:\n      - glossary: true\n")
    code, lines = check_lines(minimal)
    assert code == 1
    assert lines == [
        "audiences/journalists.yaml:27:9: timeline: there is no event to show, so the section would show an empty list "
        "(add the events to timeline.yaml, or remove this block)",
        "audiences/survivors.yaml:21:9: warning: glossary: no glossary term is used in this briefing, so the section would show an empty list "
        "(remove this block, or add the terms it uses to glossary.yaml)",
    ]


def test_a_fact_in_a_support_card_is_filled_in_and_one_where_nothing_is_filled_is_an_error(minimal: Path, tmp_path: Path,
                                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`{fact-id}` in a support card printed as "{period}", and a mistyped one went unsaid; in a fact's value or statement it
    still prints as written, so it is an error there (it was printed "It heard from {families-heard} families.")."""
    edit(minimal / "support.yaml", "offers: A listening ear.", "offers: A listening ear about the {cases} cases.")
    out = tmp_path / "site"
    build_html(minimal, out, monkeypatch)
    assert "A listening ear about the 12 cases." in (out / "minimal" / "survivors.html").read_text(encoding="utf-8")
    edit(minimal / "support.yaml", "{cases}", "{cses}")
    edit(minimal / "facts.yaml", 'value: "12"', 'value: "{cases}"')
    code, lines = check(minimal)
    assert code == 1
    assert "support.yaml:5:13: unknown fact '{cses}' (did you mean 'cases'?)" in lines, lines
    assert ("facts.yaml:4:12: {cases} would be printed as it is written: a fact's value is put in only in the audience files' "
            "own texts, the timeline and the support cards (write the value itself here)") in lines, lines


def test_a_fact_is_filled_in_every_text_of_an_audience_file_and_the_timeline_and_nowhere_else(minimal: Path, tmp_path: Path,
                                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The README promised `{fact-id}` in any audience text: a title, a description or a heading printed it as written, and
    so did the timeline's `when`; a dispute's words, a quote or a name printed it with no error."""
    edit(minimal / "audiences" / "journalists.yaml", "title: The review for reporters", "title: The review of {cases} cases")
    edit(minimal / "audiences" / "journalists.yaml", "  - heading: What was said", "  - heading: What was said of {cases} cases")
    edit(minimal / "timeline.yaml", "when: 2001 to 2005", "when: 2001 to 2005, {cases} cases")
    out = tmp_path / "site"
    build_html(minimal, out, monkeypatch)
    page = (out / "minimal" / "journalists.html").read_text(encoding="utf-8")
    assert "The review of 12 cases" in page and "What was said of 12 cases" in page and "2001 to 2005, 12 cases" in page
    assert "{cases}" not in page
    edit(minimal / "facts.yaml", "    topic: How many cases the review looked at", "    topic: How many cases ({cases}) the review looked at")
    edit(minimal / "support.yaml", "name: Test Helpline", "name: Test Helpline {cases}")
    code, lines = check(minimal)
    assert code == 1
    said = [line.split(": ", 1) for line in lines if "would be printed as it is written" in line]
    assert [(where, text.split(" would")[0]) for where, text in said] == [("facts.yaml:17:12", "{cases}"), ("support.yaml:3:11", "{cases}")], lines


def test_an_address_on_a_card_breaks_only_after_at_or_slash_or_before_a_dot(built_site: Path) -> None:
    """At 320 px the Easy Read's large type broke 'enquiries@policecon' / 'duct.gov.uk' in the middle of a word."""
    from briefings.render.environment import address

    def shown(html: str) -> str:
        return f'<span class="address">{html}</span>'

    assert address("enquiries@policeconduct.gov.uk") == shown("enquiries@<wbr>policeconduct<wbr>.gov<wbr>.uk")
    assert address("https://www.example.org/a-b?c=<d>") == shown('www.example<wbr>.org/<wbr><span class="unbroken">a-b?c=&lt;d&gt;</span>')  # escaped; www kept whole
    # A canonical address keeps its scheme, unbroken; a part with a hyphen is kept on one line.
    assert address("https://plain-language.org/x", scheme=True) == shown('<span class="unbroken">https://plain-language</span><wbr>.org/<wbr>x')
    assert address("https://www.example.org/", scheme=True) == shown("https://www.example<wbr>.org/")
    page = (built_site / "operation-amazon" / "easy-read.html").read_text(encoding="utf-8")
    assert f'<a href="mailto:enquiries@policeconduct.gov.uk">{shown("enquiries@<wbr>policeconduct<wbr>.gov<wbr>.uk")}</a>' in page


def test_a_glossary_term_used_only_in_the_timeline_is_in_the_glossary_and_a_broken_register_says_nothing_more(minimal: Path) -> None:
    """A briefing that shows the timeline uses its terms: TRO only in an event was left out of the glossary, which then
    warned it had nothing to show. A timeline.yaml that cannot be read has its own problem, not one at every timeline block."""
    from conftest import check_lines

    edit(minimal / "timeline.yaml", "what: The review period.", "what: The TRO review period.")
    with (minimal / "audiences" / "survivors.yaml").open("a", encoding="utf-8") as survivors:
        survivors.write("  - heading: When\n    blocks:\n      - timeline: true\n      - glossary: true\n")
    assert check_lines(minimal) == (0, [])
    edit(minimal / "timeline.yaml", "    what: The TRO", "    wat: The TRO")
    code, lines = check_lines(minimal)
    assert code == 1 and lines and all(line.startswith("timeline.yaml:") for line in lines), lines


def test_the_quote_hint_keeps_to_whole_words() -> None:
    from briefings.resolve import where_it_differs

    assert where_it_differs("which senior officer could and", "it had intelligence which senior officers could and should") == (
        "after “which senior” the source has “officers could and should …” where the quote has “officer could and”")
    assert where_it_differs("senior officers", "no such words here") == ""
