"""artifact_untagged_content turns real WeasyPrint output into PDF/UA-1 that page-validation passes."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
from pdf_inspect import (
    link_contents,
    list_numbering,
    list_sizes,
    structure_elements,
    structure_problems,
    table_sizes,
    untagged_marked_content,
)
from PIL import Image
from weasyprint import HTML

from briefings.render.pdf_artifacts import artifact_untagged_content
from briefings.render.weasyprint_fixes import install

# WeasyPrint as the build runs it: with briefings.render.weasyprint_fixes, which records where each
# structure element comes from (the repair joins fragments with it) and fixes one line-breaking bug.
install()

PAGE_CSS = """
@page { size: A5; margin: 2cm;
  @top-left { content: "Header" }
  @bottom-center { content: "Page " counter(page) " of " counter(pages) } }
body { font-family: sans-serif }
"""

DOCUMENT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Artifact test</title><style>{css}</style></head>
<body><main>
<h1>Main heading</h1>
<p>Read the <a href="https://example.org/report">full report</a>.</p>
<h2>What happened</h2>
<ul><li>First point</li><li>Second point</li></ul>
<h2 style="break-before: page">Numbers</h2>
<table><caption>Claims by year</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Claims</th></tr></thead>
<tbody><tr><td>2024</td><td>12</td></tr><tr><td>2025</td><td>30</td></tr></tbody></table>
<p><img src="chart.png" alt="Claims rose from 12 to 30"></p>
<p><img src="rule.png" alt=""></p>
</main></body></html>"""


def render(html: str, base: Path) -> bytes:
    """Render HTML with the real WeasyPrint, as the build does."""
    return HTML(string=html, base_url=str(base)).write_pdf(pdf_variant="pdf/ua-1")


def validate(pdf: bytes) -> list[str]:
    report = page_validation.validate_pdf_bytes(pdf, profile=page_validation.ValidationProfile.PDF_UA_1)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


def run_tool(name: str, *args: str) -> bytes:
    tool = shutil.which(name)
    assert tool, f"{name} is missing: apt-get install poppler-utils"
    return subprocess.run([tool, *args], check=True, capture_output=True, timeout=60).stdout


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("assets")
    Image.new("RGB", (60, 30), (200, 40, 40)).save(folder / "chart.png")
    Image.new("RGB", (60, 4), (40, 40, 200)).save(folder / "rule.png")
    return folder


@pytest.fixture(scope="module")
def before(assets: Path) -> bytes:
    return render(DOCUMENT.format(css=PAGE_CSS), assets)


@pytest.fixture(scope="module")
def after(before: bytes) -> bytes:
    return artifact_untagged_content(before)


def test_weasyprint_leaves_margin_boxes_untagged_on_every_page(before: bytes) -> None:
    problems = untagged_marked_content(open_pdf(before))
    # Two margin boxes (header, page number) on each of the two pages.
    assert len([p for p in problems if "not in the structure tree" in p]) == 4, problems
    assert any(p.startswith("page 2:") for p in problems)


def test_fix_leaves_no_untagged_content(after: bytes) -> None:
    assert untagged_marked_content(open_pdf(after)) == []


def test_margin_boxes_become_pagination_artifacts(after: bytes) -> None:
    pdf = open_pdf(after)
    for page in pdf.pages:
        pagination = [
            i
            for i in pikepdf.parse_content_stream(page)
            if str(i.operator) == "BDC" and i.operands[0] == "/Artifact" and i.operands[1].get("/Type") == "/Pagination"
        ]
        assert len(pagination) == 2


def test_page_numbers_and_header_still_print(after: bytes, tmp_path: Path) -> None:
    (tmp_path / "after.pdf").write_bytes(after)
    text = run_tool("pdftotext", "-layout", str(tmp_path / "after.pdf"), "-").decode()
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert text.count("Header") == 2


def test_fix_does_not_change_what_is_drawn(before: bytes, after: bytes, tmp_path: Path) -> None:
    renders = []
    for name, pdf in (("before", before), ("after", after)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        run_tool("pdftoppm", "-r", "40", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name))
        renders.append([Image.open(p).tobytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))])
    assert len(renders[0]) == 2
    assert renders[0] == renders[1]


def test_page_validation_fails_before_and_passes_after(before: bytes, after: bytes) -> None:
    # Proves the validator really runs: WeasyPrint tags alt="" images as Figure without /Alt.
    assert any(f.startswith("PDFUA1-FIGURE-ALTERNATIVE-TEXT-001") for f in validate(before))
    assert validate(after) == []


def test_structure_is_what_assistive_technology_needs(after: bytes) -> None:
    pdf = open_pdf(after)
    assert structure_problems(pdf) == []
    elements = structure_elements(pdf)
    assert [e.type for e in elements if e.type[0] == "H"] == ["H1", "H2", "H2"]
    items = [e for e in elements if e.type == "LI"]
    assert len(items) == 2 and all([k.type for k in li.kids] == ["Lbl", "LBody"] for li in items)
    assert all(e.parent.type == "L" for e in items)
    headers = [e for e in elements if e.type == "TH"]
    assert [str(h.attribute("/Scope")) for h in headers] == ["/Column", "/Column"]
    cells = [[str(h) for h in e.attribute("/Headers")] for e in elements if e.type == "TD"]
    assert cells == [[str(h.element.ID)] for h in headers] * 2
    (link,) = (e for e in elements if e.type == "Link")
    assert [a.get("/Subtype") for a in link.annotations] == ["/Link"]
    assert str(link.annotations[0].Contents)  # the annotation carries a text alternative


def test_decorative_image_is_artifact_not_figure(before: bytes, after: bytes) -> None:
    assert structure_problems(open_pdf(before)) == [
        f"Figure {e.element.objgen[0]}: Figure without /Alt or /ActualText"
        for e in structure_elements(open_pdf(before))
        if e.type == "Figure" and not e.alt
    ]
    assert len([e for e in structure_elements(open_pdf(before)) if e.type == "Figure"]) == 2
    figures = [e for e in structure_elements(open_pdf(after)) if e.type == "Figure"]
    assert [f.alt for f in figures] == ["Claims rose from 12 to 30"]
    # The decorative image still prints, inside a plain Artifact.
    pdf = open_pdf(after)
    operators = [(str(i.operator), list(i.operands)) for i in pikepdf.parse_content_stream(pdf.pages[1])]
    draws = [i for i, (op, _) in enumerate(operators) if op == "Do"]
    assert len(draws) == 2
    last_open = max(i for i, (op, _) in enumerate(operators[: draws[1]]) if op in ("BDC", "BMC"))
    assert operators[last_open] == ("BMC", [pikepdf.Name.Artifact])


def test_parent_tree_points_only_at_reachable_elements(after: bytes) -> None:
    pdf = open_pdf(after)
    owners = {key: n.element.objgen for n in structure_elements(pdf) for key in n.content}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        row = entries[int(page.obj.StructParents)]
        mapped = {(page.obj.objgen, None, mcid): elem.objgen for mcid, elem in enumerate(row) if elem is not None}
        assert mapped == {k: v for k, v in owners.items() if k[0] == page.obj.objgen}


def test_output_is_deterministic_and_keeps_metadata(before: bytes, after: bytes) -> None:
    assert artifact_untagged_content(before) == after
    old, new = open_pdf(before), open_pdf(after)
    assert new.Root.Metadata.read_bytes() == old.Root.Metadata.read_bytes()
    assert b"pdfuaid:part" in new.Root.Metadata.read_bytes()
    assert str(new.Root.Lang) == "en"
    assert bool(new.Root.MarkInfo.Marked) and bool(new.Root.ViewerPreferences.DisplayDocTitle)
    assert dict(new.docinfo) == dict(old.docinfo)
    assert all(p.obj.Tabs == "/S" for p in new.pages)


def test_content_outside_any_marked_content_is_wrapped(before: bytes) -> None:
    pdf = open_pdf(artifact_untagged_content(before))
    page = pdf.pages[1]
    instructions = pikepdf.parse_content_stream(page)
    first_text = next(i for i, ins in enumerate(instructions) if str(ins.operator) == "BT")
    text_object = instructions[first_text : first_text + 1 + [str(i.operator) for i in instructions[first_text:]].index("ET")]
    image = next(ins for ins in instructions if str(ins.operator) == "Do")
    stray = [
        *pikepdf.parse_content_stream(pdf.make_stream(b"q 0 0 1 rg 10 10 40 40 re f 0 0 m 30 30 l S Q")),
        *text_object,
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")),
        image,
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")),
    ]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream([*instructions, *stray]))
    buffer = io.BytesIO()
    pdf.save(buffer)
    broken = buffer.getvalue()

    problems = untagged_marked_content(open_pdf(broken))
    assert len(problems) == 4, problems
    assert any(f.startswith("PDFUA1-CONTENT-TAGGING-001") for f in validate(broken))
    repaired = artifact_untagged_content(broken)
    assert untagged_marked_content(open_pdf(repaired)) == []
    assert validate(repaired) == []


# Each case is a WeasyPrint 70 tagging bug beyond #1836 that page-validation catches.
WEASYPRINT_BUGS = {
    "block link": (
        "PDFUA1-LINK-LINK-TAG-001",
        "<a style='display: block' href='https://example.org/'><h2>Card</h2><p>More</p></a>",
    ),
    "linked image": ("PDFUA1-LINK-LINK-TAG-001", "<p><a href='https://example.org/'><img src='chart.png' alt='Chart'></a></p>"),
    "list marker inside": ("PDFUA1-LI-KIDS-001", "<ul style='list-style-position: inside'><li>One</li></ul>"),
    "paragraphs in li": ("PDFUA1-LI-KIDS-001", "<ul><li><p>One</p><p>Two</p></li></ul>"),
    "div groups in dl": (
        "PDFUA1-L-KIDS-001",
        "<dl><div><dt>Term</dt><dd>Meaning</dd></div><div><dt>T2</dt><dd>M2</dd></div></dl>",
    ),
    "colspan header": (
        "PDFUA1-TABLE-HEADERS-SCOPE-001",
        "<table><tr><th scope='col' colspan='2'>Both</th><th scope='col'>C</th></tr>"
        "<tr><td rowspan='2'>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td></tr></table>",
    ),
    "svg without title": (
        "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001",
        "<p><svg width='10' height='10'><circle cx='5' cy='5' r='4'/></svg> Icon</p>",
    ),
}


@pytest.mark.parametrize("case", WEASYPRINT_BUGS)
def test_weasyprint_tagging_bugs_are_repaired(case: str, assets: Path) -> None:
    rule, body = WEASYPRINT_BUGS[case]
    html = f"<!doctype html><html lang='en'><title>t</title><style>{PAGE_CSS}</style><h1>Top</h1>{body}</html>"
    before = render(html, assets)
    assert any(f.startswith(rule) for f in validate(before)), validate(before)
    after = artifact_untagged_content(before)
    assert validate(after) == []
    pdf = open_pdf(after)
    assert structure_problems(pdf) == [] and untagged_marked_content(pdf) == []


def test_colspan_headers_are_recomputed_from_the_grid(assets: Path) -> None:
    html = f"<!doctype html><html lang='en'><title>t</title><h1>Top</h1>{WEASYPRINT_BUGS['colspan header'][1]}</html>"
    pdf = open_pdf(artifact_untagged_content(render(html, assets)))
    nodes = structure_elements(pdf)
    ids = {str(n.element.ID): n for n in nodes if n.type == "TH"}
    both, c = sorted(ids, key=lambda i: ids[i].element.objgen)
    cells = [[str(h) for h in n.attribute("/Headers")] for n in nodes if n.type == "TD"]
    assert cells == [[both], [both], [c], [both], [c]]
    assert sorted(str(k) for k in pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).keys()) == sorted(ids)


def test_links_in_margin_boxes_are_dropped_not_left_untagged(assets: Path) -> None:
    css = PAGE_CSS + "@page { @top-center { content: element(site) } } header { position: running(site) }"
    html = (
        f"<!doctype html><html lang='en'><title>t</title><style>{css}</style>"
        "<header><a href='https://example.org/'>Site</a></header><h1>Top</h1>"
        "<p><a href='https://example.org/body'>Body link</a></p></html>"
    )
    before = open_pdf(render(html, assets))
    assert any("annotation not in the structure tree" in p for p in structure_problems(before))
    pdf = open_pdf(artifact_untagged_content(render(html, assets)))
    annots = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
    assert [str(a.A.URI) for a in annots] == ["https://example.org/body"]
    assert structure_problems(pdf) == [] and untagged_marked_content(pdf) == []


def test_text_in_opacity_groups_is_referenced_through_its_form(assets: Path) -> None:
    body = "<h1>Top</h1><p style='opacity: .6'>Faded</p>"
    html = f"<!doctype html><html lang='en'><title>t</title><style>{PAGE_CSS}</style>{body}</html>"
    pdf = open_pdf(artifact_untagged_content(render(html, assets)))
    (form,) = (x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Form")
    assert "/StructParents" in form
    faded = [e for e in structure_elements(pdf) if any(key[1] == form.objgen for key in e.content)]
    assert len(faded) == 1
    (mcr,) = (k for k in faded[0].element.K if isinstance(k, pikepdf.Dictionary))
    assert mcr.Type == "/MCR" and mcr.Stm.objgen == form.objgen
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    row = next(nums[i + 1] for i in range(0, len(nums), 2) if nums[i] == form.StructParents)
    assert row[int(mcr.MCID)].objgen == faded[0].element.objgen
    assert untagged_marked_content(pdf) == [] and validate(artifact_untagged_content(render(html, assets))) == []


def test_repairing_twice_changes_nothing_but_the_id(after: bytes) -> None:
    def without_id(pdf: bytes) -> bytes:
        out = io.BytesIO()
        open_pdf(pdf).save(out, static_id=True)
        return out.getvalue()

    # qpdf keeps the first /ID element and derives the second from the new bytes, as the spec asks.
    assert without_id(artifact_untagged_content(after)) == without_id(after)


# --- elements broken across pages and lines (WeasyPrint #2902, #2903) ---------------------------

SPLIT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Split test</title><style>{css}</style></head>
<body><main>
<h1>Long things</h1>
<p>See <a href="#rows" aria-label="Source 1">[1]</a> and read <a href="https://example.org/report">the whole
report that the watchdog published about what happened over all of those years</a> today.</p>
<ul>{items}</ul>
<ol>{steps}</ol>
<table id="rows"><caption>Many rows</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Row</th></tr></thead>
<tbody>{rows}</tbody></table>
<dl class="glossary">{terms}</dl>
</main></body></html>"""


@pytest.fixture(scope="module")
def split_before(assets: Path) -> bytes:
    html = SPLIT.format(
        css=PAGE_CSS + "p { width: 8cm }",
        items="".join(f"<li>Point {i}</li>" for i in range(1, 41)),
        steps="".join(f"<li>Step {i}</li>" for i in range(1, 31)),
        rows="".join(f"<tr><td>{i}</td><td>Row {i}</td></tr>" for i in range(1, 61)),
        terms="".join(f"<div><dt>T{i}</dt><dd>Meaning {i}</dd></div>" for i in range(1, 21)),
    )
    return render(html, assets)


@pytest.fixture(scope="module")
def split_after(split_before: bytes) -> bytes:
    return artifact_untagged_content(split_before)


def test_weasyprint_splits_lists_tables_and_links_at_breaks(split_before: bytes) -> None:
    pdf = open_pdf(split_before)
    assert len(pdf.pages) >= 4
    sizes = list_sizes(pdf)
    assert len(sizes) > 3 and 40 not in sizes and 30 not in sizes, sizes
    assert len(table_sizes(pdf)) > 1
    assert len(link_contents(pdf)) > 2  # two <a>, one of them over several lines
    assert link_contents(pdf)[0] == ["rows"]  # the target's id, not the link's name


def test_one_list_per_html_list_with_its_numbering(split_after: bytes) -> None:
    pdf = open_pdf(split_after)
    # The <dl>'s 20 terms are 20 items: the term the Lbl, its definition the LBody.
    assert list_sizes(pdf) == [40, 30, 20]
    assert list_numbering(pdf) == ["/Disc", "/Decimal", None]
    (glossary,) = (e for e in structure_elements(pdf) if e.type == "L" and e.attribute("/ListNumbering") is None)
    assert all([k.type for k in item.kids] == ["Lbl", "LBody"] for item in glossary.kids)
    assert structure_problems(pdf) == [] and untagged_marked_content(pdf) == []
    assert validate(split_after) == []


def test_one_table_with_its_header_once(split_after: bytes, tmp_path: Path) -> None:
    pdf = open_pdf(split_after)
    assert table_sizes(pdf) == [61]
    (table,) = (e for e in structure_elements(pdf) if e.type == "Table")
    assert [k.type for k in table.kids] == ["Caption", "THead", "TBody"]
    headers = [e for e in structure_elements(pdf) if e.type == "TH"]
    assert len(headers) == 2
    cells = [[str(h) for h in e.attribute("/Headers")] for e in structure_elements(pdf) if e.type == "TD"]
    assert cells == [[str(h.element.ID) for h in headers][i : i + 1] for i in range(2)] * 60
    # The header still prints on every page the table crosses: its repeats are pagination artifacts.
    (tmp_path / "split.pdf").write_bytes(split_after)
    pages = run_tool("pdftotext", str(tmp_path / "split.pdf"), "-").decode().split("\f")
    table_pages = [page for page in pages if "Row " in page]
    assert len(table_pages) > 1 and all("No." in page for page in table_pages)


def test_links_are_one_element_named_as_in_the_html(split_after: bytes) -> None:
    pdf = open_pdf(split_after)
    long_name = "the whole report that the watchdog published about what happened over all of those years"
    cite, report = link_contents(pdf)
    assert cite == ["Source 1"]
    assert len(report) > 1 and set(report) == {long_name}  # one annotation for each line, in one Link
    cite, report = (e for e in structure_elements(pdf) if e.type == "Link")
    assert cite.alt == "Source 1" and report.alt == ""  # aria-label names the "[1]"; text names itself


def test_no_private_keys_are_left(split_after: bytes) -> None:
    pdf = open_pdf(split_after)
    assert not any(isinstance(o, pikepdf.Dictionary) and "/BriefingsSource" in o for o in pdf.objects)
