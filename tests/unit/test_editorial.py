"""Editorial rules: each finding is `path:line:col: rule: message (hint)` at the right YAML line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, edit, run_cli

from briefings.schema import SCHEMAS, json_schema, schema_file_name

# SOURCE_DATE_EPOCH for the minimal fixture: a day when its support contact is fresh.
FIXTURE_DAY = str(int(datetime.combine(date(2026, 11, 23), time(), UTC).timestamp()))


def check_strict(folder: Path, *extra: str, epoch: str = FIXTURE_DAY) -> tuple[int, list[str], str]:
    """Check `folder` as on the day `epoch` (SOURCE_DATE_EPOCH, set for the in-process call only)."""
    result = run_cli("check", "--content", str(folder), *extra, env={"SOURCE_DATE_EPOCH": epoch})
    lines = [line.replace(str(folder) + "/", "") for line in result.stderr.splitlines() if line.startswith(str(folder))]
    return result.returncode, lines, result.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("audiences/survivors.yaml", "The council did not act. *It", "The council did not protect the child prostitutes. *It",
         "audiences/survivors.yaml:13:20: language: 'child prostitutes' is harmful or victim-blaming language "
         "(use 'sexually exploited child' or 'child who was abused': children cannot consent to their own abuse: these words make it sound like a choice)"),
        ("audiences/journalists.yaml", "The review covers 2001 to 2005.", "The review covers historic abuse from 2001 to 2005.",
         "audiences/journalists.yaml:8:5: language: 'historic abuse' is harmful or victim-blaming language "
         "(use 'non-recent abuse', or name the years: 'historic' suggests it is over and matters less)"),
        ("facts.yaml", "statement: The council did not act on what it knew.", "statement: The girls were seen as consenting.",
         "facts.yaml:10:16: language: 'consenting' is harmful or victim-blaming language "
         "(a child-sexual-abuse rule of the journalists' briefing, which shows this text) (use 'the child was groomed', 'coerced' or 'controlled': children cannot consent to their own abuse: these words make it sound like a choice)"),
        ("audiences/journalists.yaml", "The review covers 2001 to 2005.", "Sarah Jones said the review covers 2001 to 2005.",
         "audiences/journalists.yaml:8:5: name: 'Sarah Jones' looks like a person's name that is not in the people register "
         "(add them to people.yaml with the basis for naming them, or leave the name out)"),
        ("audiences/journalists.yaml", "The Test Review Office (TRO) looked", "The TRO looked",
         "audiences/journalists.yaml:5:5: acronym: 'TRO' is not spelled out at its first use in the journalists briefing "
         "(write 'Test Review Office (TRO)' the first time)"),
        ("support.yaml", 'phone: "0808 000 0000"', 'phone: "12345"',
         "support.yaml:6:12: support: '12345' is not a valid phone number in GB "
         "(write it as the service does; start with + and the country code if it is not a GB number "
         "(phone_region in briefing.yaml sets the region))"),
    ],
)
def test_error_rules(minimal: Path, file: str, old: str, new: str, expected: str) -> None:
    edit(minimal / file, old, new)
    code, lines, _ = check_strict(minimal)
    assert code == 1
    assert expected in lines, "\n".join(lines)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("audiences/survivors.yaml", "The council did not act. *It", "The council let victims down. *It",
         "audiences/survivors.yaml:13:20: warning: language: 'victims' is harmful or victim-blaming language "
         "(use 'survivor', unless a person or the law says victim: many survivors do not want to be defined by what was done to them)"),
        ("facts.yaml", "disputes:", "  - id: spare\n    statement: Spare.\n    sources:\n      - source: report\n"
         "        quote: looked at 12 cases\n        locator: first paragraph\ndisputes:",
         "facts.yaml:15:9: warning: fact: fact 'spare' is not used by any briefing (cite it with facts: [...] or remove it)"),
        ("support.yaml", 'checked: "2026-11-01"', 'checked: "2026-01-01"',
         "support.yaml:10:14: warning: support: Test Helpline was last checked on 2026-01-01, more than six months ago "
         "(check the details on the service's own page and update 'checked')"),
        ("audiences/journalists.yaml", "  - The review covers 2001 to 2005.",
         "  - The review covers 2001 to 2005, and it is a very long sentence that goes on and on with many more words than "
         "any reader would want to read in one go at all.",
         "audiences/journalists.yaml:8:5: warning: sentence-length: sentence of 34 words is over the limit of 30: "),
    ],
)
def test_warning_rules_fail_only_with_strict(minimal: Path, file: str, old: str, new: str, expected: str) -> None:
    edit(minimal / file, old, new)
    code, lines, stderr = check_strict(minimal)
    assert code == 0, stderr
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    code, _, stderr = check_strict(minimal, "--strict")
    assert code == 1
    assert "0 error(s), 1 warning(s) (--strict: the warnings count as errors)" in stderr


def test_quote_allowed_to_contain_what_it_contains(minimal: Path) -> None:
    """Harmful words inside a verbatim, attributed quote are the source's words, not ours."""
    (minimal / "sources" / "report.txt").write_text(
        (minimal / "sources" / "report.txt").read_text(encoding="utf-8") + "Officers said the girls were consenting.\n", encoding="utf-8")
    edit(minimal / "audiences/journalists.yaml", "text: the council did not act on what it knew",
         "text: Officers said the girls were consenting.")
    code, lines, _ = check_strict(minimal, "--strict")
    assert (code, lines) == (0, [])


def test_shipped_content_passes_strict() -> None:
    """The default content is clean on the day it was last reviewed (later, stale contacts rightly warn)."""
    import yaml

    updated = yaml.safe_load((CONTENT / "operation-amazon" / "briefing.yaml").read_text(encoding="utf-8"))["updated"]
    epoch = str(int(datetime.combine(date.fromisoformat(str(updated)), time(), UTC).timestamp()))
    code, lines, stderr = check_strict(CONTENT, "--strict", epoch=epoch)
    assert code == 0, stderr


def test_written_schemas_are_current(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in SCHEMAS:
        written = json.loads((tmp_path / schema_file_name(name)).read_text(encoding="utf-8"))
        assert written == json_schema(name)
        committed = ROOT / "schemas" / schema_file_name(name)
        assert json.loads(committed.read_text(encoding="utf-8")) == written, f"run `python build.py schema` to refresh {committed}"
