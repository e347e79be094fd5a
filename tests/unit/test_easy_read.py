"""Easy Read: the preset, its lines and pictures, and each of its checks with its exact message and line.

The fixture (tests/fixtures/easy-read) passes every check; each test breaks it in one way, as a
writer would, and reads what `check` (or, for the page count, `build`) says.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, edit, run_cli

from briefings.audiences import PRESETS
from briefings.pictures import OPENMOJI, OPENMOJI_CREDIT, symbols

EASY = FIXTURES / "easy-read"
EPOCH = {"SOURCE_DATE_EPOCH": "1795000000"}  # a day on which the fixture's support contact is fresh
FILE = "audiences/easy-read.yaml"


@pytest.fixture()
def easy(tmp_path: Path) -> Path:
    """A writable copy of the Easy Read fixture."""
    target = tmp_path / "easy-read"
    shutil.copytree(EASY, target)
    return target


def check(folder: Path) -> tuple[int, list[str]]:
    result = run_cli("check", "--strict", "--content", str(folder), env=EPOCH)
    prefix = str(folder) + "/"
    return result.returncode, [line.replace(prefix, "") for line in result.stderr.splitlines()]


def test_the_fixture_passes_strict_check() -> None:
    code, lines = check(EASY)
    assert code == 0, "\n".join(lines)


def test_the_preset_is_easy_read_with_a_24_page_limit() -> None:
    preset = PRESETS["easy-read"]
    assert preset.easy_read and preset.max_pages == 24 and preset.reading_limits.max_sentence == 15
    assert preset.content_note_required and preset.quick_exit and "metaphors" in preset.rules


# Each check: (what the writer changed: old text, new text), the exact problem reported, at its line.
CHECKS = [
    pytest.param(
        "          - picture: document\n            text: The review looked at {cases} cases.\n",
        "          - text: The review looked at {cases} cases.\n",
        f"{FILE}:24:13: easy: this line has no picture (add picture: a name from the bundled set (README, 'Easy Read') "
        "or an SVG or PNG file in the briefing folder)",
        id="no-picture"),
    pytest.param(
        "text: The council did not act on what it knew.",
        "text: The council did not act. It knew what was wrong.",
        f"{FILE}:28:19: easy: this line has 2 sentences; an Easy Read line has one (give each sentence a line of its own, with its picture)",
        id="two-sentences"),
    pytest.param(
        "text: The council did not act on what it knew.",
        "text: The council did not act on what it knew about the people who lived in the town then.",
        f"{FILE}:28:19: easy: this sentence has 18 words; Easy Read keeps a sentence to 15 words or fewer "
        "(split it into two lines, one idea each)",
        id="over-15-words"),
    pytest.param(
        "text: The council did not act on what it knew.",
        "text: The TRO said the council did not act.",
        f"{FILE}:28:19: easy: 'TRO' is an abbreviation: Easy Read spells everything out (write the words in full)",
        id="abbreviation"),
    pytest.param(
        "            explains: review\n",
        "",
        f"{FILE}:19:19: easy: hard word 'review' is not explained where it is first used "
        "(explain it in this line or the next, and mark that line with explains: review)",
        id="hard-word-unexplained"),
    pytest.param(
        "text: The council did not act on what it knew.",
        "text: The council turned a blind eye to what it knew.",
        f"{FILE}:28:19: language: 'turned a blind eye' is a metaphor or idiom: Easy Read says what it means "
        "(use say what was done: 'chose not to act', 'ignored': it does not mean what it says: an idiom (Cambridge Dictionary))",
        id="idiom"),
    pytest.param(
        "text: The council did not act on what it knew.",
        "text: The council did not tackle what it knew.",
        f"{FILE}:28:19: language: 'tackle' is a metaphor or idiom: Easy Read says what it means "
        "(use say what was done: 'deal with', 'stop', 'work on': it does not mean what it says: GOV.UK style guide, 'Words to avoid')",
        id="metaphor"),
    pytest.param(
        "            facts: [no-action]\n",
        "            facts: [no-action]\n      - paragraph: The council did not act.\n",
        f"{FILE}:30:9: easy: a paragraph block in an Easy Read: its words have no pictures "
        "(write it as an easy block: each line one sentence with its picture)",
        id="paragraph"),
    pytest.param(
        "sections:\n",
        "key_points:\n  - The council did not act.\nsections:\n",
        f"{FILE}:12:5: easy: an Easy Read has no key points (say it in the first section instead, as easy lines each with its picture)",
        id="key-points"),
    pytest.param(
        "content_note:\n  - picture: warning\n    text: This booklet is about how the council let people down.\n"
        "  - picture: heart\n    alt: \"\"\n    text: You can stop reading at any time.\n",
        "content_note: This booklet is about how the council let people down.\n",
        f"{FILE}:5:15: easy: the content note is text without pictures (write content_note as lines, each a picture and one sentence of text)",
        id="content-note-as-text"),
    pytest.param(
        "picture: magnifying-glass", "picture: magnifying-glas",
        f"{FILE}:15:22: unknown picture 'magnifying-glas': not in the bundled set, and not a file (a path ending .svg or .png) "
        "(did you mean 'magnifying-glass'?)",
        id="unknown-picture"),
    pytest.param(
        "picture: not-ok", "picture: polise-officer",
        f"{FILE}:27:22: unknown picture 'polise-officer': not in the bundled set, and not a file (a path ending .svg or .png) "
        "(did you mean 'police-officer' or 'office' or 'police-car'?)",
        id="unknown-picture-nearest-names"),
    pytest.param(
        "picture: pictures/council.svg", "picture: ../minimal/sources/report.txt",
        f"{FILE}:20:22: picture '../minimal/sources/report.txt' must be a file inside the briefing folder "
        "(write its path from the folder briefing.yaml is in)",
        id="picture-outside-the-folder"),
    pytest.param(
        "picture: pictures/council.svg", "picture: sources/report.txt",
        f"{FILE}:20:22: picture sources/report.txt: a picture file must be an SVG or a PNG (.svg or .png) (save it as SVG or PNG)",
        id="picture-not-svg-or-png"),
    pytest.param(
        "picture: pictures/council.svg", "picture: pictures/missing.png",
        f"{FILE}:20:22: cannot read picture pictures/missing.png: file not found (a link that leads nowhere?)",
        id="picture-missing"),
    pytest.param(
        "            alt: A drawing of the council building\n", "",
        f"{FILE}:20:22: picture 'pictures/council.svg' needs an alt: say what it shows "
        "(write alt: \"\" if the words beside it say it all (the picture is then decorative))",
        id="file-picture-without-alt"),
    pytest.param(
        "            explains: review\n", "            explains: council\n",
        f"{FILE}:20:13: easy: this line explains 'council', which is not a hard word of this briefing "
        "(add it to glossary.yaml with its definition, and use it in a line before this one)",
        id="explains-an-unknown-word"),
]


@pytest.mark.parametrize(("old", "new", "expected"), CHECKS)
def test_each_check_reports_its_exact_message_at_its_line(easy: Path, old: str, new: str, expected: str) -> None:
    edit(easy / FILE, old, new)
    code, lines = check(easy)
    assert code == 1
    assert expected in lines, "\n".join(lines)


def test_each_fixture_line_the_checks_name_is_where_the_fixture_says() -> None:
    """The lines the expected messages name are the fixture's, so a moved fixture line fails loudly here first."""
    lines = (EASY / FILE).read_text(encoding="utf-8").splitlines()
    assert lines[24].strip() == "text: The review looked at {cases} cases."
    assert lines[27].strip() == "text: The council did not act on what it knew."
    assert lines[18].strip() == "text: This is called a **review**."
    assert lines[19].strip() == "- picture: pictures/council.svg"


def test_a_png_file_picture_is_read_and_a_fake_one_refused(easy: Path) -> None:
    png = (OPENMOJI / "1F4DE.svg").read_bytes()  # SVG bytes under a .png name: not a PNG
    (easy / "pictures" / "fake.png").write_bytes(png)
    edit(easy / FILE, "picture: pictures/council.svg", "picture: pictures/fake.png")
    code, lines = check(easy)
    assert code == 1
    assert f"{FILE}:20:22: picture pictures/fake.png: this file is not a PNG image (save it as SVG or PNG)" in lines


def test_the_page_limit_is_a_content_problem_at_the_section_past_page_24(easy: Path, tmp_path: Path) -> None:
    """A 31-page Easy Read: the build stops (exit 1), publishes nothing, and names the section that runs onto page 25."""
    parts = "".join(
        f"  - heading: Part {i}\n    blocks:\n      - easy:\n"
        + "".join(f"          - picture: document\n            text: The review looked at {{cases}} cases in part {i}.\n"
                  "            facts: [cases]\n" for _ in range(6))
        for i in range(1, 30))
    edit(easy / FILE, "  - heading: Support\n", parts + "  - heading: Support\n")
    out = tmp_path / "site"
    result = run_cli("build", "--jobs", "1", "--content", str(easy), "--out", str(out), env=EPOCH)
    assert result.returncode == 1, result.stderr
    problems = [line.replace(str(easy) + "/", "") for line in result.stderr.splitlines() if ": easy: " in line]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{FILE}:"), problems
    line = int(problems[0].split(":")[1])
    heading = (easy / FILE).read_text(encoding="utf-8").splitlines()[line - 1]
    assert heading.startswith("  - heading: Part "), heading
    assert problems[0].endswith(": easy: the Easy Read PDF has 31 pages; Easy Read keeps to 24 pages at most "
                                "(page 25 is in this section: make the briefing shorter, or split it into two)"), problems
    assert not out.exists() or not any(out.rglob("*.pdf")), "nothing is published"


def test_the_bundled_set_is_the_names_file_with_its_licence() -> None:
    names = symbols()
    assert 40 <= len(names) <= 80
    for name, (hexcode, description) in names.items():
        assert (OPENMOJI / f"{hexcode}.svg").read_bytes().lstrip().startswith(b"<svg"), name
        assert description, name
    assert {"telephone", "police-officer", "person", "house", "question", "ok", "not-ok", "computer", "letter", "calendar",
            "heart", "help"} <= set(names)
    licence = (OPENMOJI / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0 International" in licence
    on_disk = {p.stem for p in OPENMOJI.glob("*.svg")}
    assert on_disk == {hexcode for hexcode, _ in names.values()}, "every SVG is named, and every name has its SVG"
    assert OPENMOJI_CREDIT == "OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0"


def test_the_bundled_pictures_are_openmojis_own_bytes() -> None:
    """Where the npm package is installed (npm ci; or OPENMOJI_PACKAGE names its folder), each SVG is its file unchanged."""
    package = Path(os.environ.get("OPENMOJI_PACKAGE", ROOT / "node_modules" / "openmoji"))
    if not (package / "package.json").is_file():
        pytest.skip("the openmoji npm package is not installed (npm ci --ignore-scripts)")
    for name, (hexcode, _) in symbols().items():
        assert (OPENMOJI / f"{hexcode}.svg").read_bytes() == (package / "color" / "svg" / f"{hexcode}.svg").read_bytes(), name
    assert (OPENMOJI / "LICENSE.txt").read_bytes() == (package / "LICENSE.txt").read_bytes()
