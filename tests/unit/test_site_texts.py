"""What the site says of itself is true: the index describes what each briefing has; provenance punctuates once."""

from __future__ import annotations

from pathlib import Path

from briefings.render.environment import credit_parts, make_environment, trim_stop


def test_a_source_credit_has_one_full_stop_and_names_its_licence_once() -> None:
    assert credit_parts(["©  Care Quality Commission.", "Open Government Licence v3.0."]) == [
        "© Care Quality Commission", "Open Government Licence v3.0"]
    assert credit_parts(["© CQC 2024, Open Government Licence v3.0", "Open Government Licence v3.0"]) == [
        "© CQC 2024, Open Government Licence v3.0"]
    assert credit_parts(["", ""]) == []
    assert trim_stop("Care Quality Commission..") == "Care Quality Commission"


def test_provenance_macro_prints_the_credit_cleanly() -> None:
    env = make_environment()
    macro = env.from_string('{% import "provenance.html.j2" as p %}{{ p.source_credit(s) }}')
    html = macro.render(s={"title": "Inspection report.", "publisher": "Care Quality Commission", "date": "2024",
                           "attribution": "©  Care Quality Commission.", "licence": "Open Government Licence v3.0"})
    assert html.endswith("Inspection report</span>, Care Quality Commission, 2024 (© Care Quality Commission, Open Government Licence v3.0)")


def test_the_index_describes_what_the_briefings_have(built_site: Path) -> None:
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "three audiences" not in index
    assert "written for the audiences in its table" in index
    assert "with a QR code that links to the web page." not in index, "a handout has a QR code only where base_url is set"
