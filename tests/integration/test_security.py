"""Findings of the security and reliability review: each is a content problem with its place, or a usage error, never a hang or a bug."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import previous_site, run_cli, run_subprocess

# --- 1. content outside the briefing folder, files that are not files, output folders that are not safe ----------


def _bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh process with a 1 GiB address-space limit, so a hang or a runaway read fails the test.

    The timeout only bounds a broken build: a sound one finishes in seconds, and nothing here waits for it.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return run_subprocess(*args, timeout=120, preexec_fn=limit)


def test_a_yaml_file_linked_from_outside_the_folder_is_refused_unread(minimal: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret_key: hunter2\n", encoding="utf-8")
    (minimal / "glossary.yaml").unlink()
    (minimal / "glossary.yaml").symlink_to(outside)
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/glossary.yaml:1:1: file is a link to a file outside the briefing folder" in result.stderr
    assert "secret_key" not in result.stderr and "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_an_audience_file_linked_from_outside_is_refused(minimal: Path, tmp_path: Path) -> None:
    audience = minimal / "audiences" / "journalists.yaml"
    outside = tmp_path / "journalists.yaml"
    outside.write_bytes(audience.read_bytes())
    audience.unlink()
    audience.symlink_to(outside)
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1
    assert f"{audience}:1:1: file is a link to a file outside the briefing folder" in result.stderr


def test_a_link_that_stays_inside_the_folder_is_read(minimal: Path) -> None:
    (minimal / "glossary-real.yaml").write_bytes((minimal / "glossary.yaml").read_bytes())
    (minimal / "glossary.yaml").unlink()
    (minimal / "glossary.yaml").symlink_to("glossary-real.yaml")
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_named_pipe_in_the_content_is_refused_not_waited_for(command: str, minimal: Path, tmp_path: Path) -> None:
    (minimal / "timeline.yaml").unlink()
    os.mkfifo(minimal / "timeline.yaml")
    os.mkfifo(minimal / "notes.fifo")  # not a content file: the build's hashing must not wait on it either
    (minimal / "sources" / "report.txt").unlink()
    os.mkfifo(minimal / "sources" / "report.txt")
    extra = ("--out", str(tmp_path / "site"), "--jobs", "1") if command == "build" else ()
    result = _bounded(command, "--content", str(minimal), *extra)
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/timeline.yaml:1:1: not a regular file (a named pipe)" in result.stderr
    assert f"{minimal}/sources.yaml:9:11: cannot read source text sources/report.txt: not a regular file (a named pipe)" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_link_to_a_device_is_refused_not_read_forever(command: str, minimal: Path, tmp_path: Path) -> None:
    (minimal / "sources" / "report.txt").unlink()
    (minimal / "sources" / "report.txt").symlink_to("/dev/zero")
    (minimal / "people.yaml").unlink()
    (minimal / "people.yaml").symlink_to("/dev/zero")
    extra = ("--out", str(tmp_path / "site"), "--jobs", "1") if command == "build" else ()
    result = _bounded(command, "--content", str(minimal), *extra)
    assert result.returncode == 1, result.stderr
    assert f"{minimal}/people.yaml:1:1: file is a link to a file outside the briefing folder" in result.stderr
    assert f"{minimal}/sources.yaml:9:11: source text must be inside the briefing folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_inside_the_folder_is_not_a_regular_file(minimal: Path) -> None:
    """A device node made inside the folder (root can) is refused by its type, not by where it leads."""
    (minimal / "people.yaml").unlink()
    os.mknod(minimal / "people.yaml", 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero's numbers
    result = _bounded("check", "--content", str(minimal))
    assert result.returncode == 1
    assert f"{minimal}/people.yaml:1:1: not a regular file (a device)" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve", "merge"])
def test_out_at_the_root_folder_is_a_usage_error(command: str, tmp_path: Path) -> None:
    extra = (str(tmp_path / "shard-1"),) if command == "merge" else ()
    result = run_cli(command, "--content", str(tmp_path), "--out", "/", *extra)
    assert result.returncode == 2, result.stderr
    assert "briefings: --out / is the root folder" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve"])
def test_out_inside_content_or_content_inside_out_is_a_usage_error(command: str, minimal: Path, tmp_path: Path) -> None:
    inside = minimal / "site"
    result = run_cli(command, "--content", str(minimal), "--out", str(inside))
    assert result.returncode == 2, result.stderr
    assert f"briefings: --out {inside} is inside --content {minimal}" in result.stderr
    assert not inside.exists()
    result = run_cli(command, "--content", str(minimal), "--out", str(minimal))
    assert result.returncode == 2 and "is inside --content" in result.stderr
    result = run_cli(command, "--content", str(minimal), "--out", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert f"briefings: --content {minimal} is inside --out {tmp_path}" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve", "merge", "schema"])
def test_out_that_is_a_file_or_inside_one_is_a_usage_error_and_the_file_is_kept(command: str, minimal: Path, tmp_path: Path) -> None:
    """Publishing swaps the output folder for the staged one: a file there was renamed and hidden, and the build said
    "internal error" (exit 3) after publishing. Now nothing is built or moved: the file stays as it was, nothing beside it."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    extra = (str(tmp_path / "shard-1"),) if command == "merge" else ()
    for out, said in ((notes, f"briefings: --out {notes} is a file, not a folder"),
                      (notes / "site", f"briefings: --out {notes / 'site'} is inside {notes}, a file, not a folder")):
        result = run_cli(command, "--content", str(minimal), "--out", str(out), *extra)
        assert result.returncode == 2, result.stderr
        assert said in result.stderr
        assert "internal error" not in result.stderr
        assert notes.read_text(encoding="utf-8") == "my notes\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "notes.txt"]


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_content_that_is_no_folder_is_a_usage_error_with_the_nearest_name(command: str, minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli(command, "--content", str(tmp_path / "minimall"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert f"briefings: --content {tmp_path / 'minimall'} does not exist: give the folder that holds the briefings " \
           f"(did you mean {minimal}?)" in result.stderr
    result = run_cli(command, "--content", str(minimal / "briefing.yaml"), "--out", str(out))
    assert result.returncode == 2 and f"--content {minimal / 'briefing.yaml'} is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal"], "no output, lock or readability report"
    assert "Readability" not in result.stdout


def test_stats_where_no_file_can_go_is_a_usage_error_before_anything_is_built(minimal: Path, tmp_path: Path) -> None:
    """--stats was written after publishing: a folder that did not exist made a published build exit 3, "internal error"."""
    out = tmp_path / "site"
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere" / "at-all")
    for stats, said in ((tmp_path / "reports" / "stats.json", f"its folder {tmp_path / 'reports'} does not exist"),
                        (tmp_path / "gone" / "stats.json", f"its folder {tmp_path / 'nowhere' / 'at-all'} does not exist"),
                        (notes / "stats.json", f"its folder {notes} is a file, not a folder"),
                        (tmp_path, f"--stats {tmp_path} is a folder"),
                        (out / "manifest.json", f"is inside --out {out}: the build would write over it"),
                        (minimal / "facts.yaml", f"is inside --content {minimal}: the build would write over it")):
        result = run_cli("build", "--content", str(minimal), "--out", str(out), "--stats", str(stats))
        assert result.returncode == 2, result.stderr
        assert f"briefings: --stats {stats}" in result.stderr and said in result.stderr
        assert not out.exists()
    result = run_cli("check", "--content", str(minimal), "--stats", str(tmp_path / "stats.json"))
    assert result.returncode == 2 and "briefings: --stats is only for build" in result.stderr


def test_out_that_holds_the_working_folder_is_a_usage_error(minimal: Path, tmp_path: Path) -> None:
    """`--out .` published the site in place of the folder the command ran in, then failed with an internal error (exit 3)."""
    here = tmp_path / "here"
    here.mkdir()
    for out in (".", ".."):
        result = run_cli("build", "--content", str(minimal), "--out", out, "--jobs", "1", cwd=here)
        assert result.returncode == 2, result.stderr
        assert f"briefings: --out {out} holds the folder this command runs in" in result.stderr
    assert here.is_dir() and list(here.iterdir()) == []


def test_out_that_is_a_link_to_a_folder_not_made_yet_is_made_and_built(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    out = previous_site(minimal_site, minimal, tmp_path / "www")
    (tmp_path / "site").symlink_to(tmp_path / "later" / "www")
    (tmp_path / "later").mkdir()
    out.rename(tmp_path / "later" / "www")
    shutil.rmtree(tmp_path / "later" / "www")  # a link to where the site is to go, not made yet
    result = run_cli("build", "--content", str(minimal), "--out", str(tmp_path / "site"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "later" / "www" / "manifest.json").is_file()


@pytest.mark.parametrize(("command", "args", "said"), [
    ("translate", ("extract", "--lang", "pl", "--content", "{tmp}/minimall"), "--content {tmp}/minimall does not exist"),
    ("new", ("care", "--content", "{tmp}/notes.txt"), "--content {tmp}/notes.txt is a file, not a folder"),
])
def test_translate_and_new_check_their_folders_first(command: str, args: tuple[str, ...], said: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli(command, *(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stderr
    assert f"briefings: {said.format(tmp=tmp_path)}" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_out_beside_content_still_builds(minimal: Path, minimal_site: Path, tmp_path: Path) -> None:
    """`--out site` beside `--content content` (the defaults' layout) is fine, even when one name starts the other.

    The paths are what is tested, not rendering: the output folder already holds the site a build of `minimal` made
    (a copy of the one built once per run), so this build checks the content and publishes without rendering it again.
    """
    out = previous_site(minimal_site, minimal, tmp_path / "minimal-site")
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr


# --- 2. control characters: escaped in every message, refused in content, and patterns anchored at the true end -------


def test_a_problem_prints_control_characters_escaped() -> None:
    from briefings.problems import Problem

    shown = str(Problem("a\x1b[2J.yaml", 3, 4, "unknown key 'x\x1b[2J\x1b[HCheck passed.\x07'", "hint \x9b1m\n", rule="r\x00"))
    assert shown == "a\\x1b[2J.yaml:3:4: r\\x00: unknown key 'x\\x1b[2J\\x1b[HCheck passed.\\x07' (hint \\x9b1m\\n)"
    assert all(c.isprintable() for c in shown)
    assert str(Problem("f.yaml", 1, 1, "right\u202eto left")) == "f.yaml:1:1: right\\u202eto left"  # no text turned round


def test_an_escape_sequence_in_a_key_cannot_rewrite_the_terminal(minimal: Path) -> None:
    from conftest import edit

    edit(minimal / "facts.yaml", "    value: \"12\"", '    value: "12"\n    "x\\e[2J\\e[HCheck passed.\\a": 1')
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr + result.stdout and "\x07" not in result.stderr
    assert "x\\x1b[2J\\x1b[HCheck passed.\\x07" in result.stderr
    assert "Check passed." not in result.stdout


def _refused(minimal: Path, file: str, old: str, new: str, expected: str) -> list[str]:
    """Edit the fixture, check it: exit 1 with `expected` among the problem lines, which are returned."""
    from conftest import check_lines as check
    from conftest import edit

    edit(minimal / file, old, new)
    if new.count('"') % 2:  # the edit opened a double-quoted scalar: close it at the end of that line
        text = (minimal / file).read_text(encoding="utf-8").splitlines()
        text = [line + '"' if line.count('"') % 2 else line for line in text]
        (minimal / file).write_text("\n".join(text) + "\n", encoding="utf-8")
    code, lines = check(minimal)
    assert code == 1
    assert expected in lines, lines
    return lines


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("audiences/survivors.yaml", "content_note: This page talks about a review.", 'content_note: "This page\\a talks about a review.',
         "audiences/survivors.yaml:4:15: content_note: control character \\x07 in the text (remove it: content is plain text)"),
        ("facts.yaml", "    statement: The review looked at 12 cases.", '    statement: "The review looked at 12\\x9b2J cases."',
         "facts.yaml:3:16: facts[1].statement: control character \\x9b in the text (remove it: content is plain text)"),
        ("glossary.yaml", "  - term: TRO", '  - term: "TRO\\r"',
         "glossary.yaml:2:11: terms[1].term: control character \\r in the text (remove it: content is plain text)"),
        ("glossary.yaml", "    definition: The body", '    "defi\\x1bnition": x\n    definition: The body',
         "glossary.yaml:4:5: terms[1]: control character \\x1b in the key 'defi\\x1bnition' (remove it: content is plain text)"),
    ],
    ids=["bel-in-note", "c1-csi-in-fact", "cr-in-term", "esc-in-key"],
)
def test_control_characters_in_content_are_refused_with_their_place(minimal: Path, file: str, old: str, new: str, expected: str) -> None:
    _refused(minimal, file, old, new, expected)


BIDI_HINT = "remove it: the direction of the text (its dir) is set by the tool, not by invisible characters"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("audiences/survivors.yaml", "content_note: This page talks about a review.",
         'content_note: "This page talks about a \\u202eweiver.',
         f"audiences/survivors.yaml:4:15: content_note: bidirectional control character \\u202e in the text ({BIDI_HINT})"),
        ("facts.yaml", "    statement: The review looked at 12 cases.", '    statement: "The review looked at \\u2067\\u202a12\\u2069 cases."',
         f"facts.yaml:3:16: facts[1].statement: bidirectional control characters \\u2067, \\u202a, \\u2069 in the text ({BIDI_HINT})"),
        ("glossary.yaml", "  - term: TRO", "  - term: TRO\u202d",  # written raw in the file, not as an escape
         f"glossary.yaml:2:11: terms[1].term: bidirectional control character \\u202d in the text ({BIDI_HINT})"),
        ("glossary.yaml", "    definition: The body", '    "defi\\u2066nition": x\n    definition: The body',
         f"glossary.yaml:4:5: terms[1]: bidirectional control character \\u2066 in the key 'defi\\u2066nition' ({BIDI_HINT})"),
    ],
    ids=["override-in-note", "isolates-in-fact", "raw-override-in-term", "isolate-in-key"],
)
def test_bidirectional_controls_in_content_are_refused_with_their_place(minimal: Path, file: str, old: str, new: str,
                                                                         expected: str) -> None:
    """Overrides and isolates turn the words round for a reader (not for a check): refused like other control characters."""
    lines = _refused(minimal, file, old, new, expected)
    assert all(not any(0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069 for c in line) for line in lines)


def test_tabs_and_newlines_in_block_text_are_still_allowed(minimal: Path) -> None:
    from conftest import check_lines as check
    from conftest import edit

    edit(minimal / "audiences/survivors.yaml", "content_note: This page talks about a review. Help is listed below.",
         "content_note: |\n  This page talks about a review.\n  Help is\tlisted below.")
    assert check(minimal) == (0, [])


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("briefing.yaml", "language: en-GB", 'language: "en-GB\\n"', "briefing.yaml:3:11: language: 'en-GB\\n' is not in the expected form"),
        ("briefing.yaml", "base_url: none", 'base_url: "https://example.org/\\n"',
         "briefing.yaml:8:11: base_url: 'https://example.org/\\n' is not in the expected form"),
        ("briefing.yaml", "slug: minimal", 'slug: "minimal\\n"', "briefing.yaml:1:7: slug: 'minimal\\n' is not in the expected form"),
        ("briefing.yaml", 'updated: "2026-11-23"', 'updated: "2026-11-23\\n"', "briefing.yaml:4:10: updated: '2026-11-23\\n' is not in the expected form"),
        ("support.yaml", 'phone: "0808 000 0000"', 'phone: "0808 000 0000\\n"', "support.yaml:6:12: contacts[1].phone: '0808 000 0000\\n' is not in the expected form"),
        ("briefing.yaml", "language: en-GB", 'language: en-GB\nquick_exit_url: "https://www.bbc.co.uk/weather\\n"',
         "briefing.yaml:4:17: quick_exit_url: 'https://www.bbc.co.uk/weather\\n' is not in the expected form"),
    ],
    ids=["language", "base-url", "slug", "date", "phone", "quick-exit"],
)
def test_a_trailing_newline_does_not_pass_a_pattern(minimal: Path, file: str, old: str, new: str, expected: str) -> None:
    from conftest import check_lines as check
    from conftest import edit

    edit(minimal / file, old, new)
    code, lines = check(minimal)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), lines


# --- 3. a verbatim quote starts and ends at word boundaries, a negation just before it is shown, source texts are bounded ---

NEW_SOURCE_LINES = (
    "Officers were unwilling to provide testimony accounts to the review.\n"
    "They were unable to identify who had made the decisions.\n"
    "In one case no action appeared to be taken by SYP.\n"
    "In another the council never told the families.\n"
)
QUOTE_LINE = "          text: the council did not act on what it knew"  # audiences/journalists.yaml, line 13


def _quoting(minimal: Path, quote: str) -> tuple[int, list[str]]:
    from conftest import check_lines as check
    from conftest import edit

    with (minimal / "sources" / "report.txt").open("a", encoding="utf-8") as handle:
        handle.write(NEW_SOURCE_LINES)
    edit(minimal / "audiences/journalists.yaml", QUOTE_LINE, f"          text: {quote}")
    return check(minimal)


@pytest.mark.parametrize(
    "quote",
    ["willing to provide testimony accounts", "able to identify who had made the decisions", "he review looked at 12 cases",
     "The review looked at 12 case", "the council did not act on what it kne"],
    ids=["unwilling", "unable", "starts-mid-word", "ends-mid-word", "ends-mid-word-2"],
)
def test_a_quote_that_starts_or_ends_inside_a_word_is_not_verbatim(minimal: Path, quote: str) -> None:
    code, lines = _quoting(minimal, quote)
    assert code == 1
    assert any(line.startswith("audiences/journalists.yaml:13:17: quote starts or ends inside a word of source 'report'")
               for line in lines), lines


@pytest.mark.parametrize(
    ("quote", "negation", "context"),
    [("action appeared to be taken by SYP.", "no", "In one case no action appeared"),
     ("told the families.", "never", "the council never told the families")],
)
def test_a_quote_right_after_a_negation_is_a_warning_that_shows_the_words_around_it(
        minimal: Path, quote: str, negation: str, context: str) -> None:
    code, lines = _quoting(minimal, quote)
    assert code == 0, lines  # a warning: --strict stops on it
    found = [line for line in lines if line.startswith("audiences/journalists.yaml:13:17: warning: quote:")]
    assert len(found) == 1, lines
    assert f"the source says '{negation}' right before this quote" in found[0] and context in found[0], found[0]


@pytest.mark.parametrize("quote", ["unwilling to provide testimony accounts", '"Officers were unwilling to provide testimony accounts to the review."',
                                   "no action appeared to be taken by SYP", "the council did not act on what it knew"])
def test_whole_word_quotes_still_pass(minimal: Path, quote: str) -> None:
    assert _quoting(minimal, quote) == (0, [])


def test_the_shipped_quotes_pass_strict_check() -> None:
    from conftest import CONTENT

    result = run_cli("check", "--strict", "--content", str(CONTENT), env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 0, result.stderr
    assert "quote" not in result.stderr


def test_each_source_text_is_normalised_once(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many quotes cite it: a 20 MB text made check take 29 s when each quote normalised it again."""
    from briefings import resolve

    source = (minimal / "sources" / "report.txt").read_text(encoding="utf-8")
    seen: list[str] = []
    original = resolve.normalise_quote

    def counting(text: str) -> str:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(resolve, "normalise_quote", counting)
    assert run_cli("check", "--content", str(minimal)).returncode == 0
    assert seen.count(source) == 1, f"the source text was normalised {seen.count(source)} times"


def test_a_source_text_over_the_limit_is_refused_with_its_place(minimal: Path) -> None:
    from briefings.resolve import MAX_SOURCE_TEXT_BYTES

    assert MAX_SOURCE_TEXT_BYTES <= 16 * 1024 * 1024
    with (minimal / "sources" / "report.txt").open("a", encoding="utf-8") as handle:
        handle.write("x" * MAX_SOURCE_TEXT_BYTES)
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1
    assert (f"{minimal}/sources.yaml:9:11: cannot read source text sources/report.txt: file is too large "
            f"({MAX_SOURCE_TEXT_BYTES + 110:,} bytes; the limit is {MAX_SOURCE_TEXT_BYTES:,})") in result.stderr


# --- 4. inputs that crashed or failed late: unusual digits, an unreadable file, a very long slug ------------------------


# Each text, and the characters in it that no bundled font draws (the glyph check says so, at each line that has them).
UNUSUAL_DIGITS = {"See note ¹ for the details.": "", "The fine was 10⁶ pounds.": "⁶", "Step ① came first.": "①",
                  "It covered 3 km² of land.": "", "Read part ⅓ first.": "⅓", "The dates were ٢٠١٣ and १२.": "१२"}


@pytest.mark.parametrize("text", UNUSUAL_DIGITS)
def test_unusual_digits_in_prose_are_scored_not_a_crash(minimal: Path, text: str) -> None:
    """Digits textstat and the sentence splitter do not expect are scored like any other; one that no bundled font has is
    a content problem at each line where it is written (it would print as an empty box), never an internal error."""
    from conftest import check_lines as check
    from conftest import edit

    survivors = minimal / "audiences/survivors.yaml"
    edit(survivors, "      - paragraph: The council did not act.", f"      - paragraph: {text}\n      - paragraph: The council did not act.")
    edit(survivors, "  - The review looked at {cases} cases.", f"  - The review looked at {{cases}} cases. {text}")
    code, lines = check(minimal)
    missing = UNUSUAL_DIGITS[text]
    if not missing:
        assert code == 0, lines
        return
    written = [n for n, line in enumerate(survivors.read_text(encoding="utf-8").splitlines(), start=1) if text in line]
    assert code == 1 and len(written) == 2, lines
    assert len(lines) == 2 and all(": glyphs: no bundled font has " in line for line in lines), lines  # and nothing else
    for char in missing:
        assert all(f"'{char}' (U+{ord(char):04X})" in line for line in lines), lines
    assert [int(line.split(":")[1]) for line in lines] == written, "at the line of each text that has them"
    assert not [line for line in lines if "internal error" in line]


def test_a_facts_file_that_is_a_folder_is_a_content_problem(minimal: Path, tmp_path: Path) -> None:
    (minimal / "facts.yaml").unlink()
    (minimal / "facts.yaml").mkdir()
    for command in ("check", "build"):
        result = run_cli(command, "--content", str(minimal), "--out", str(tmp_path / "site"), "--jobs", "1")
        assert result.returncode == 1, result.stderr
        assert f"{minimal}/facts.yaml:1:1: not a regular file (a folder)" in result.stderr
        assert "internal error" not in result.stderr


def test_an_unreadable_facts_file_is_a_content_problem(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As chmod 000 would make it for anyone but root (the tests run as root): every way of opening it is refused."""
    import builtins
    import errno
    import io

    denied = str(minimal / "facts.yaml")
    real_os_open, real_open = os.open, io.open

    def os_open(path, *args, **kwargs):
        if os.fspath(path) == denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), denied)
        return real_os_open(path, *args, **kwargs)

    def io_open(path, *args, **kwargs):
        if not isinstance(path, int) and os.fspath(path) == denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), denied)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    for command in ("check", "build"):
        result = run_cli(command, "--content", str(minimal), "--out", str(tmp_path / "site"), "--jobs", "1")
        assert result.returncode == 1, result.stderr
        assert f"{minimal}/facts.yaml:1:1: cannot read file: Permission denied" in result.stderr
        assert "internal error" not in result.stderr


def test_a_slug_too_long_for_a_file_name_is_refused_by_check(minimal: Path) -> None:
    from conftest import check_lines as check
    from conftest import edit

    edit(minimal / "briefing.yaml", "slug: minimal", "slug: " + "a" * 300)
    code, lines = check(minimal)
    assert code == 1
    assert "briefing.yaml:1:7: slug: is too long (300 characters; the limit is 100)" in lines, lines


def test_a_slug_at_the_limit_builds(minimal: Path, tmp_path: Path) -> None:
    from conftest import edit
    from test_incremental import html_formats

    from briefings.build.builder import Options, build

    edit(minimal / "briefing.yaml", "slug: minimal", "slug: " + "a" * 100)
    result = build(Options(minimal, tmp_path / "site", jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()] + [f[1] for f in result.failures]
    assert (tmp_path / "site" / ("a" * 100) / "survivors.html").is_file()


# --- 8. a publisher's own index.html in the output folder is never overwritten: the build stops and says so -------------

OWN_INDEX = b"<!DOCTYPE html><title>Our charity's own front page</title>\n"


def test_an_index_html_of_your_own_stops_the_build_and_is_kept(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_bytes(OWN_INDEX)
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert f"briefings: {out}/index.html is not one this tool wrote" in result.stderr
    assert (out / "index.html").read_bytes() == OWN_INDEX
    assert sorted(p.name for p in out.iterdir()) == ["index.html"], "nothing published"


def test_an_index_html_replaced_after_a_build_stops_the_next_one(minimal: Path, tmp_path: Path) -> None:
    from conftest import edit
    from test_incremental import html_formats

    from briefings.build.builder import Options, build

    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    (out / "index.html").write_bytes(OWN_INDEX)
    edit(minimal / "facts.yaml", "statement: The review looked at 12 cases.", "statement: The review looked at twelve cases.")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert "is not one this tool wrote" in result.stderr and "move it out of the output folder" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_tools_own_index_html_is_replaced_even_without_the_cache(minimal: Path, tmp_path: Path) -> None:
    """README: delete the cache file to build everything again; the index.html the tool wrote is still known as its own."""
    from conftest import edit
    from test_incremental import html_formats

    from briefings.build.builder import Options, build
    from briefings.build.cache import cache_path

    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    assert b'<meta name="generator" content="briefings">' in (out / "index.html").read_bytes()
    cache_path(out).unlink()
    edit(minimal / "briefing.yaml", "title: A small test publication", "title: A small test publication, retitled")
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    assert b"retitled" in (out / "index.html").read_bytes()
