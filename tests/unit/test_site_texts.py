"""What the site says of itself is true: the index describes what each briefing has; provenance punctuates once."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.render.environment import CompiledTemplates, credit_parts, make_environment, trim_stop


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


def test_a_template_is_compiled_once_per_text_and_each_environment_has_its_own_templates(tmp_path: Path) -> None:
    """A later environment runs the code kept for a template's text, without compiling it; a changed template is compiled afresh."""
    page = tmp_path / "page.html.j2"
    page.write_text("one {{ x }}", encoding="utf-8")
    compiled = CompiledTemplates()
    first = make_environment(tmp_path, compiled)
    assert first.get_template("page.html.j2").render(x="<1>") == "one &lt;1&gt;"
    assert len(compiled) == 1

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    second = make_environment(tmp_path, compiled)
    second.compile = no_compile  # type: ignore[method-assign]
    template = second.get_template("page.html.j2")
    assert template is not first.get_template("page.html.j2") and template.render(x="<1>") == "one &lt;1&gt;"

    page.write_text("two {{ x }}", encoding="utf-8")
    third = make_environment(tmp_path, compiled)
    third.compile = no_compile  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="compiled again"):
        third.get_template("page.html.j2")
    assert make_environment(tmp_path, compiled).get_template("page.html.j2").render(x=2) == "two 2" and len(compiled) == 2
    compiled.clear()
    assert len(compiled) == 0

