"""Content errors are reported as path:line:col: message, all at once, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_lines as check
from conftest import edit, run_cli


def test_fixture_is_clean(minimal: Path) -> None:
    code, lines = check(minimal)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("facts.yaml", "    value: \"12\"", "    value: \"12\"\n\tbad: tab",
         "facts.yaml:5:1: YAML syntax error: found character '\\t' that cannot start any token (use spaces, not tabs, to indent)"),
        # PyYAML meets an unclosed quote where the file ends, and a line without a colon on the next line: both are said where they are.
        ("audiences/journalists.yaml", "title: The review for reporters", 'title: "The review for reporters',
         "audiences/journalists.yaml:2:8: YAML syntax error: a quoted text starts here and is never closed "
         "(end it with the quote mark it starts with (a ' inside '…' is written ''))"),
        # Paired with the next quote mark in the file, PyYAML fails where the quote is not: said where it is.
        ("facts.yaml", "    statement: The review looked at 12 cases.", '    statement: "The review looked at 12 cases.',
         "facts.yaml:3:16: YAML syntax error: a quoted text starts here and is not closed on its line "
         "(end it with the quote mark it starts with (a ' inside '…' is written ''))"),
        ("audiences/journalists.yaml", "      - quote:", "      - quote",
         "audiences/journalists.yaml:12:7: YAML syntax error: this line has no colon after its field's name "
         "(write name: followed by what it holds on the lines below)"),
        ("facts.yaml", '    value: "12"', '    value "12"',
         "facts.yaml:4:5: YAML syntax error: this line has no colon after its field's name "
         "(write name: value, or indent the line to go on with the text above it)"),
        ("audiences/journalists.yaml", "  - The review covers 2001 to 2005.", " - The review covers 2001 to 2005.",
         "audiences/journalists.yaml:8:2: YAML syntax error: this line is not lined up with the lines it belongs with "
         "(indent it as far as the other fields, or the other list items (- …), of the same list)"),
        ("audiences/journalists.yaml", "description: Facts and sources", "description: Facts: and sources",
         "audiences/journalists.yaml:3:19: YAML syntax error: a colon here starts a field where none can start "
         "(put a text that holds ': ' in quotes (\"…\"), or indent this line as far as the fields it belongs with)"),
        ("facts.yaml", "    statement: The review looked at 12 cases.", "    statment: The review looked at 12 cases.",
         "facts.yaml:3:5: facts[1]: unknown key 'statment' (did you mean 'statement'?)"),
        ("sources.yaml", "    kind: news", "    kind: news\n    kind: blog",
         "sources.yaml:14:5: duplicate key 'kind' (first at line 13)"),
        ("glossary.yaml", "    definition: The body that wrote the review.", "    definition: [The body]",
         "glossary.yaml:4:17: terms[1].definition: expected text, found a list"),
        ("people.yaml", "    role: The body that wrote the review.\n", "",
         "people.yaml:2:5: people[1]: missing required key 'role'"),
        ("audiences/survivors.yaml", "facts: [no-action]", "facts: [no-acton]",
         "audiences/survivors.yaml:14:17: unknown fact 'no-acton' (did you mean 'no-action'?)"),
        ("audiences/survivors.yaml", "looked at {cases} cases.\nsections", "looked at {case} cases.\nsections",
         "audiences/survivors.yaml:6:5: unknown fact '{case}' (did you mean 'cases'?)"),
        ("facts.yaml", "      - source: paper", "      - source: papers",
         "facts.yaml:22:17: unknown source 'papers' (did you mean 'paper'?)"),
        ("audiences/journalists.yaml", "speaker: tro", "speaker: someone",
         "audiences/journalists.yaml:14:20: unknown person 'someone' (add them to people.yaml with the basis for naming them)"),
        ("audiences/journalists.yaml", "The review covers 2001", "The CPS review covers 2001",
         "audiences/journalists.yaml:8:5: acronym: abbreviation 'CPS' is not in the glossary (add it to glossary.yaml)"),
        ("audiences/journalists.yaml", "text: the council did not act", "text: the council did act",
         "audiences/journalists.yaml:13:17: quote is not word for word in source 'report' (copy the passage exactly from the source text: "
         "after “the council did” the source has “not act on what it knew\". …” where the quote has “act on what it knew”)"),
        ("briefing.yaml", "updated: \"2026-11-23\"", "updated: 23/11/2026",
         "briefing.yaml:4:10: updated: '23/11/2026' is not in the expected form (write dates as YYYY-MM-DD)"),
        ("support.yaml", "    cost: free", '    cost: free\n    email: "<help@example.org>"',
         "support.yaml:9:12: contacts[1].email: '<help@example.org>' is not in the expected form (write the address alone, as "
         "name@example.org: no spaces, and none of < > \" ( ) [ ] , ; :)"),
        ("facts.yaml", "    value: \"12\"", "    value: 12",
         "facts.yaml:4:12: facts[1].value: expected text, found a number (put it in quotes)"),
    ],
)
def test_error_message_and_place(minimal: Path, file: str, old: str, new: str, expected: str) -> None:
    edit(minimal / file, old, new)
    code, lines = check(minimal)
    assert code == 1
    assert expected in lines, "\n".join(lines)


def test_all_problems_reported_at_once(minimal: Path) -> None:
    edit(minimal / "facts.yaml", "    statement: The review looked at 12 cases.", "    statment: x")
    edit(minimal / "audiences/journalists.yaml", "speaker: tro", "speaker: nobody")
    edit(minimal / "support.yaml", "    cost: free", "    cost: free\n    colour: red")
    code, lines = check(minimal)
    assert code == 1
    assert {line.split(":")[0] for line in lines} >= {"facts.yaml", "audiences/journalists.yaml", "support.yaml"}


def test_top_level_list_is_an_error(minimal: Path) -> None:
    (minimal / "glossary.yaml").write_text("- term: TRO\n", encoding="utf-8")
    code, lines = check(minimal)
    assert code == 1
    assert "glossary.yaml:1:1: expected a mapping at the top of the file, found a list" in lines


def test_empty_and_non_utf8_files(minimal: Path) -> None:
    (minimal / "timeline.yaml").write_text("  \n", encoding="utf-8")
    (minimal / "glossary.yaml").write_bytes(b"terms:\n  - term: TRO\n    expansion: Caf\xe9\n")
    code, lines = check(minimal)
    assert code == 1
    assert "timeline.yaml:1:1: file is empty" in lines
    assert "glossary.yaml:3:19: file is not valid UTF-8 (byte 0xe9) (save the file as UTF-8)" in lines


def test_python_tags_are_refused(minimal: Path) -> None:
    (minimal / "glossary.yaml").write_text("terms: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    code, lines = check(minimal)
    assert code == 1
    assert any("unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'" in line for line in lines)


def test_alias_bomb_is_bounded(minimal: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (minimal / "timeline.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    code, lines = check(minimal)
    assert code == 1
    assert any("timeline.yaml:1:1: file expands to more than" in line for line in lines)


def test_debug_shows_traceback_only_for_tool_bugs(minimal: Path) -> None:
    edit(minimal / "facts.yaml", "    statement: The review looked at 12 cases.", "    statment: x")
    result = run_cli("check", "--content", str(minimal), "--debug")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    result = run_cli("publish")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_build_with_errors_writes_nothing(minimal: Path, tmp_path: Path) -> None:
    edit(minimal / "audiences/survivors.yaml", "facts: [no-action]", "facts: [nope]")
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(minimal), "--out", str(out))
    assert result.returncode == 1
    assert not out.exists()
