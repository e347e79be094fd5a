"""Audiences a publisher declares in briefing.yaml: presets, their own, and the errors that guide them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, edit, run_cli

from briefings.audiences import PRESETS, DeclarationError, declare

CARE_HOME = FIXTURES / "care-home"
EPOCH = {"SOURCE_DATE_EPOCH": "1795000000"}  # a day on which the fixtures' support contacts are fresh


def check(folder: Path) -> tuple[int, list[str]]:
    result = run_cli("check", "--strict", "--content", str(folder), env=EPOCH)
    prefix = str(folder) + "/"
    return result.returncode, [line.replace(prefix, "") for line in result.stderr.splitlines()]


def test_a_publication_with_audiences_of_its_own_builds_every_format(care_home_site: Path) -> None:
    manifest = json.loads((care_home_site / "manifest.json").read_text(encoding="utf-8"))
    (briefing,) = manifest["briefings"]
    assert briefing["audiences"] == [{"id": "families", "label": "For families and friends of residents", "name": "Families"},
                                     {"id": "scrutiny", "label": "For council scrutiny members", "name": "Scrutiny"}]
    paths = {o["path"] for o in briefing["outputs"]}
    for audience in ("families", "scrutiny"):
        for suffix in (".html", ".pdf", "-large-print.pdf", "-handout.pdf", "-embed.html", "-iframe.html"):
            assert f"care-home/{audience}{suffix}" in paths
    families = (care_home_site / "care-home" / "families.html").read_text(encoding="utf-8")
    assert "For families and friends of residents" in families
    assert "survivor" not in families.lower(), "nothing of the preset it started from shows its id"
    assert 'class="quick-exit' not in families, "quick_exit: false removes the exit, though the preset has one"
    assert "In short" in families, "like: survivors keeps the preset's other settings"
    scrutiny = (care_home_site / "care-home" / "scrutiny.html").read_text(encoding="utf-8")
    assert "For council scrutiny members" in scrutiny and "Key points" in scrutiny
    index = (care_home_site / "index.html").read_text(encoding="utf-8")
    assert "For families and friends of residents" in index and "Scrutiny — web page" in index
    assert "Families — web page" in index, "an audience of its own is named after its id, not the preset it starts from"


def test_the_care_home_fixture_passes_strict_check() -> None:
    code, lines = check(CARE_HOME)
    assert code == 0, "\n".join(lines)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("briefing.yaml", "  - id: scrutiny\n    label: For council scrutiny members\n    name: Scrutiny\n", "  - residents\n  - id: scrutiny\n"
         "    label: For council scrutiny members\n    name: Scrutiny\n",
         "briefing.yaml:17:5: audience 'residents' is not a preset (presets: survivors, journalists, councillors, easy-read) "
         "(to declare your own, write '- id: residents' with a 'label' (and 'like: <preset>' to start from one); "
         "see README, 'Declaring audiences')"),
        ("briefing.yaml", "    label: For council scrutiny members\n", "",
         "briefing.yaml:17:9: audience 'scrutiny' needs a label, shown on its pages and in the index "
         "(e.g. label: For families and friends of residents (or start from a preset with like: survivors))"),
        ("briefing.yaml", "like: survivors", "like: survivor",
         "briefing.yaml:11:11: audiences[1].like: 'survivor' is not allowed (expected one of: survivors, journalists, councillors, easy-read)"),
        ("briefing.yaml", "rules: [plain-language, adult-social-care]\n  - id: scrutiny", "rules: [plain-language, adult-social-cares]\n  - id: scrutiny",
         "briefing.yaml:16:29: unknown rule pack 'adult-social-cares' (did you mean 'adult-social-care'?)"),
        ("briefing.yaml", "  - id: scrutiny\n", "  - id: families\n",
         "briefing.yaml:17:9: audience 'families' is declared twice (each audience once)"),
        ("support.yaml", "audiences: [families, scrutiny]", "audiences: [families, scrutineers]",
         "support.yaml:11:27: audience 'scrutineers' is not declared in briefing.yaml (did you mean 'scrutiny'?)"),
    ],
)
def test_declaration_errors(care_home: Path, file: str, old: str, new: str, expected: str) -> None:
    edit(care_home / file, old, new)
    code, lines = check(care_home)
    assert code == 1
    assert expected in lines, "\n".join(lines)


def test_an_audience_file_nobody_declared_is_an_error(care_home: Path) -> None:
    (care_home / "audiences" / "residents.yaml").write_text((care_home / "audiences" / "families.yaml").read_text(encoding="utf-8"),
                                                            encoding="utf-8")
    code, lines = check(care_home)
    assert code == 1
    assert ("audiences/residents.yaml:1:1: no audience 'residents' is declared in briefing.yaml, so this file is never built "
            "(add '- residents' (a preset) or '- id: residents' with a 'label' to audiences in briefing.yaml, or remove the file)") in lines


def test_a_declared_audience_needs_its_file(care_home: Path) -> None:
    (care_home / "audiences" / "scrutiny.yaml").unlink()
    code, lines = check(care_home)
    assert code == 1
    assert any(line.startswith("briefing.yaml:17:9: audience 'scrutiny' has no file ") for line in lines), lines


def test_reading_limits_for_an_undeclared_audience(care_home: Path) -> None:
    config = care_home / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "reading_limits:\n  scrutineers: {grade: 10}\n", encoding="utf-8")
    code, lines = check(care_home)
    assert code == 1
    assert "briefing.yaml:25:3: reading_limits for 'scrutineers', which is not a declared audience (did you mean 'scrutiny'?)" in lines


def test_settings_override_the_preset_they_start_from() -> None:
    families = declare({"id": "families", "label": "For families", "like": "survivors", "quick_exit": False,
                        "reading_limits": {"grade": 7}, "key_points": [3, 5], "rules": ["plain-language"]})
    assert families.quick_exit is False and families.content_note_required is True
    assert families.reading_limits.grade == 7 and families.reading_limits.ease == PRESETS["survivors"].reading_limits.ease
    assert families.key_points == (3, 5) and families.rules == ("plain-language",)
    assert families.key_points_heading == PRESETS["survivors"].key_points_heading
    assert declare("journalists") == PRESETS["journalists"]
    own = declare({"id": "care-staff", "label": "For care staff"})
    assert own.name == "Care staff" and own.rules == ("plain-language",) and own.quick_exit is False
    with pytest.raises(DeclarationError, match="least is more than the most"):
        declare({"id": "x", "label": "X", "key_points": [5, 3]})
