"""Checks of a PDF's tagging, for the tests: what PDF/UA-1 needs and WeasyPrint is known to get wrong.

They read the structure tree as `briefings.render.pdf_artifacts` does and scan content streams
with its `ContentPass` in report mode, so a test can show what the repair leaves behind.
"""

from __future__ import annotations

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
