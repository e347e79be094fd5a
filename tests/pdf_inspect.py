"""Checks of a PDF's tagging, for the tests: what PDF/UA-1 needs and WeasyPrint is known to get wrong.

They read the structure tree as `briefings.render.pdf_artifacts` does and scan content streams
with its `ContentPass` in report mode, so a test can show what the repair leaves behind.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Name

from briefings.render.pdf_artifacts import ContentPass, StructNode, structure_tree, walk


def structure_elements(pdf: pikepdf.Pdf) -> list[StructNode]:
    """Return every structure element reachable from the root, in document order."""
    return list(walk(structure_tree(pdf)))


def structure_outline(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Return (depth, structure type) for every structure element in document order."""
    return [(node.depth, node.type) for node in structure_elements(pdf)]


def untagged_marked_content(pdf: pikepdf.Pdf) -> list[str]:
    """Describe content that is neither reachable from the structure tree nor an Artifact."""
    tagged = {key for node in structure_elements(pdf) for key in node.content}
    content = ContentPass(pdf, tagged, set(), fix=False)
    content.run()
    return content.problems


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Describe PDF/UA structure errors WeasyPrint is known to make; empty means none found."""
    nodes = structure_tree(pdf)
    problems: list[str] = []
    previous_level = 0
    for node in walk(nodes):
        label = f"{node.type} {node.element.objgen[0]}"
        if node.type == "Figure" and not node.alt:
            problems.append(f"{label}: Figure without /Alt or /ActualText")
        if node.type == "LI" and any(k.type not in ("Lbl", "LBody") for k in node.kids):
            problems.append(f"{label}: LI child other than Lbl/LBody")
        if node.type == "L" and any(k.type not in ("LI", "L", "Caption") for k in node.kids):
            problems.append(f"{label}: L child other than LI/L/Caption")
        if node.type == "LI" and (node.parent is None or node.parent.type != "L"):
            problems.append(f"{label}: LI outside an L")
        if node.type == "Link" and not node.annotations:
            problems.append(f"{label}: Link without an OBJR to its annotation")
        if node.type == "Link" and not any(n.content for n in walk([node])):
            problems.append(f"{label}: Link without content (its text is tagged outside it)")
        if node.type != "Link" and any(a.get("/Subtype") == Name.Link for a in node.annotations):
            problems.append(f"{label}: link annotation outside a Link element")
        if len(node.type) == 2 and node.type[0] == "H" and node.type[1].isdigit():
            level = int(node.type[1])
            if level > previous_level + 1:
                problems.append(f"{label}: heading skips from H{previous_level} to H{level}")
            previous_level = level
        if node.type == "TD" and not node.attribute("/Headers"):
            table = node.parent
            while table is not None and table.type != "Table":
                table = table.parent
            if table is not None and any(n.type == "TH" for n in walk([table])):
                problems.append(f"{label}: TD in a table with TH but no /Headers")
    tagged = {a.objgen for n in walk(nodes) for a in n.annotations}
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") not in (Name.Popup, Name.PrinterMark) and annot.objgen not in tagged:
                problems.append(f"page {number}: {annot.get('/Subtype')} annotation not in the structure tree")
    return problems


def _rows(table: StructNode) -> list[StructNode]:
    """Every TR of a table, in THead, TBody, TFoot or straight under it, in order."""
    return [row for kid in table.kids for row in ([kid] if kid.type == "TR" else kid.kids) if row.type == "TR"]


def list_sizes(pdf: pikepdf.Pdf) -> list[int]:
    """The number of items (LI) of each list (L) in document order; a nested list counts on its own."""
    return [len([k for k in node.kids if k.type == "LI"]) for node in structure_elements(pdf) if node.type == "L"]


def list_numbering(pdf: pikepdf.Pdf) -> list[str | None]:
    """Each list's /ListNumbering attribute ("/Decimal", "/Disc"...), None where it has none."""
    return [
        None if (value := node.attribute("/ListNumbering")) is None else str(value)
        for node in structure_elements(pdf)
        if node.type == "L"
    ]


def table_sizes(pdf: pikepdf.Pdf) -> list[int]:
    """The number of rows (TR) of each table in document order."""
    return [len(_rows(node)) for node in structure_elements(pdf) if node.type == "Table"]


def link_contents(pdf: pikepdf.Pdf) -> list[list[str]]:
    """For each Link element in document order, the /Contents of each of its annotations."""
    return [
        [str(annotation.get("/Contents", "")) for annotation in node.annotations]
        for node in structure_elements(pdf)
        if node.type == "Link"
    ]


_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class TextLine:
    """One line of text as poppler's pdftotext finds it: its words as printed and their boxes (points, y down)."""

    words: list[str]
    boxes: list[tuple[float, float, float, float]]  # x_min, y_min, x_max, y_max of each word

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.boxes[0][0], min(b[1] for b in self.boxes), self.boxes[-1][2], max(b[3] for b in self.boxes))


def text_lines(path: Path) -> list[list[TextLine]]:
    """The lines of text of each page, in pdftotext's reading order.

    Words come as printed, line by line: a hyphen at the end of a line stays ("unpub-"), where
    pdftotext's plain reading would join the two halves back together.
    """
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{_XHTML}page"):  # noqa: S314 - poppler's output for our own PDFs
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = list(line.iter(f"{_XHTML}word"))
            if words:
                boxes = [tuple(float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")) for w in words]
                lines.append(TextLine([w.text or "" for w in words], boxes))
        pages.append(lines)
    return pages


def stranded_words(path: Path) -> list[str]:
    """Describe lines holding one word of one or two letters where the paragraph goes on below.

    The paragraph goes on when the next line down starts at the same left edge within a line's height,
    and its first word would have fitted after the short word on the same line.
    """
    found = []
    for number, lines in enumerate(text_lines(path), start=1):
        for line in lines:
            if len(line.words) != 1 or not re.fullmatch(r"[^\W\d_]{1,2}", line.words[0]):
                continue
            x_min, y_min, x_max, y_max = line.box
            height = y_max - y_min
            for below in lines:
                bx_min, by_min, bx_max, _ = below.box
                if abs(bx_min - x_min) <= 1 and 0 <= by_min - y_max <= height:
                    first = below.boxes[0][2] - below.boxes[0][0]
                    if (x_max - x_min) + height / 3 + first <= bx_max - bx_min:
                        found.append(f"page {number}: {line.words[0]!r} alone, then {' '.join(below.words)!r}")
    return found


@dataclass(frozen=True)
class PrintedChar:
    """One character drawn on a page, as PDFium (Chromium's PDF engine) reads it: what pdfplumber gives as a char."""

    page: int  # 0-based
    text: str
    size: float  # as printed, in points: the font size scaled by the character's matrix
    fontname: str  # the font's name in the PDF, subset prefix and all ("ABCDEF+Atkinson-Hyperlegible-Bold")
    baseline: float  # points from the top of the page


def printed_chars(path: Path) -> Iterator[PrintedChar]:
    """Every character drawn in the PDF (spaces too), page by page, in PDFium's order; one outside the Basic Multilingual
    Plane comes as its two UTF-16 halves, as PDFium counts characters.

    For the same PDFs pdfplumber gives the very sizes and font names (checked on every large print
    of the default content) in a tenth of the time: pdfplumber lays each page out in Python, PDFium
    in C. A character's baseline stands in for pdfplumber's `top`: within a line of one size the two
    move together, so the gaps between lines are the same.
    """
    import ctypes
    import math

    import pypdfium2
    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(str(path))
    name, flags, matrix = ctypes.create_string_buffer(512), ctypes.c_int(), pdfium.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for number, page in enumerate(document):
            text = page.get_textpage()
            height = page.get_height()
            for index in range(pdfium.FPDFText_CountChars(text)):
                pdfium.FPDFText_GetMatrix(text, index, matrix)
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                pdfium.FPDFText_GetFontInfo(text, index, name, len(name), flags)
                pdfium.FPDFText_GetCharOrigin(text, index, x, y)
                yield PrintedChar(number, chr(pdfium.FPDFText_GetUnicode(text, index)), pdfium.FPDFText_GetFontSize(text, index) * scale,
                                  name.value.decode("utf-8", "replace"), height - y.value)
    finally:
        document.close()
