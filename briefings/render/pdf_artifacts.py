"""Repair WeasyPrint's tagged PDFs for PDF/UA-1 and inspect their tagging.

WeasyPrint 70 marks `@page` margin-box content (running headers, page
numbers) with MCIDs but never links it into the structure tree (WeasyPrint
issue #1836), so it is neither real content nor an artifact.  It also tags
decorative images (alt="") as Figure without /Alt, puts link annotations of
block links and linked images under non-Link elements, leaves LI children
outside LBody for `list-style-position: inside` and block children of
<li>, puts <div> groups of <dl> between L and LI, and computes wrong table
/Headers around colspan/rowspan.
`artifact_untagged_content` fixes all of these; the inspection helpers
(`untagged_marked_content`, `structure_problems`, `structure_outline`,
`structure_elements`, `structure_tree`) let tests prove it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, ContentStreamInlineImage, ContentStreamInstruction, Dictionary, Name, Operator, String

ObjGen = tuple[int, int]
# Which marked content an MCID names: (page, None, MCID) for page content and
# for form XObjects without /StructParents (WeasyPrint numbers those in the
# page's MCID space), (None, form, MCID) for forms with /StructParents.
ContentKey = tuple[ObjGen | None, ObjGen | None, int]

_PATH_CONSTRUCTION = frozenset({"m", "l", "c", "v", "y", "h", "re"})
_PATH_PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
_SINGLE_PAINTING = frozenset({"Tj", "TJ", "'", '"', "sh", "BI"})
_COVERING = ("tagged", "artifact", "orphan")
# Containers that only exist to hold their kids, so an empty one is noise.
_PRUNABLE = frozenset({"P", "Span", "Div", "NonStruct"})


@dataclass
class StructNode:
    """One structure element with what checks need: type, text alternatives, content, links."""

    type: str
    depth: int
    element: pikepdf.Dictionary = field(repr=False)
    parent: StructNode | None = field(default=None, repr=False)
    kids: list[StructNode] = field(default_factory=list, repr=False)
    content: list[ContentKey] = field(default_factory=list, repr=False)
    annotations: list[pikepdf.Dictionary] = field(default_factory=list, repr=False)
    page: ObjGen | None = field(default=None, repr=False)  # /Pg, or the nearest ancestor's
    # Holding the Pdf keeps `element` usable after the caller drops its own reference.
    pdf: pikepdf.Pdf | None = field(default=None, repr=False, compare=False)

    @property
    def alt(self) -> str:
        """Return /Alt or /ActualText, whichever is set, stripped."""
        for key in ("/Alt", "/ActualText"):
            if key in self.element:
                return str(self.element[key]).strip()
        return ""

    def attribute(self, key: str) -> pikepdf.Object | None:
        """Return a structure attribute (e.g. "/Scope") from /A, in any owner dictionary."""
        attrs = self.element.get("/A")
        for attr in attrs if isinstance(attrs, Array) else [attrs]:
            if isinstance(attr, Dictionary) and key in attr:
                return attr[key]
        return None


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Object | int]:
    """Return /K as a list whether it is absent, single or an array."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_struct_elem(obj: object) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj and obj.get("/Type") not in (Name.MCR, Name.OBJR)


def structure_tree(pdf: pikepdf.Pdf) -> list[StructNode]:
    """Return the root structure elements, each with its subtree, in document order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    seen: set[ObjGen] = set()

    def visit(element: pikepdf.Dictionary, parent: StructNode | None, depth: int, page: pikepdf.Object | None) -> StructNode:
        page = element.get("/Pg", page)
        node = StructNode(str(element.S)[1:], depth, element, parent, page=page.objgen if page is not None else None, pdf=pdf)
        for kid in _kids(element):
            if isinstance(kid, int):
                node.content.append((node.page, None, kid))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                stream = kid.get("/Stm")
                kid_page = kid.get("/Pg", page)
                if stream is not None:
                    node.content.append((None, stream.objgen, int(kid.MCID)))
                else:
                    node.content.append((kid_page.objgen if kid_page is not None else None, None, int(kid.MCID)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                node.annotations.append(kid.Obj)
            elif _is_struct_elem(kid) and (kid.objgen == (0, 0) or kid.objgen not in seen):
                seen.add(kid.objgen)
                node.kids.append(visit(kid, node, depth + 1, page))
        return node

    return [visit(kid, None, 0, None) for kid in _kids(root) if _is_struct_elem(kid)]


def _walk(nodes: list[StructNode]) -> Iterator[StructNode]:
    for node in nodes:
        yield node
        yield from _walk(node.kids)


def structure_elements(pdf: pikepdf.Pdf) -> list[StructNode]:
    """Return every structure element reachable from the root, in document order."""
    return list(_walk(structure_tree(pdf)))


def structure_outline(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Return (depth, structure type) for every structure element in document order."""
    return [(node.depth, node.type) for node in structure_elements(pdf)]


# --- structure repairs -------------------------------------------------------


def _without(element: pikepdf.Dictionary, kid: pikepdf.Dictionary) -> None:
    """Remove one indirect kid (struct elem or OBJR) from the element's /K."""
    element.K = Array([k for k in _kids(element) if not (isinstance(k, Dictionary) and k.objgen == kid.objgen)])


def _move_link_annotations(pdf: pikepdf.Pdf) -> None:
    """Move OBJRs of link annotations up to the nearest Link element (block links, linked images)."""
    for node in _walk(structure_tree(pdf)):
        if node.type == "Link":
            continue
        for objr in [k for k in _kids(node.element) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR]:
            if objr.Obj.get("/Subtype") != Name.Link:
                continue
            link = node.parent
            while link is not None and link.type != "Link":
                link = link.parent
            if link is None:
                continue
            _without(node.element, objr)
            link.element.K = Array([*_kids(link.element), objr])


def _drop_decorative_figures(pdf: pikepdf.Pdf) -> set[ContentKey]:
    """Remove Figures without text alternative (alt="" images) and return their content to artifact."""
    decorative: set[ContentKey] = set()
    for node in list(_walk(structure_tree(pdf))):
        if node.type != "Figure" or node.alt or node.kids or node.annotations or node.parent is None:
            continue
        decorative.update(node.content)
        parent: StructNode | None = node.parent
        child = node
        while parent is not None:
            _without(parent.element, child.element)
            if _kids(parent.element) or parent.type not in _PRUNABLE or parent.parent is None:
                break
            child, parent = parent, parent.parent
    return decorative


def _flatten_list_groups(pdf: pikepdf.Pdf) -> None:
    """Lift LIs out of grouping elements inside L (<dl><div><dt>..<dd>..</div></dl>), wrap other kids in LI."""
    for node in _walk(structure_tree(pdf)):
        if node.type != "L" or all(k.type in ("LI", "L", "Caption") for k in node.kids):
            continue
        new_kids: list[pikepdf.Object | int] = []
        pending = _kids(node.element)
        while pending:
            kid = pending.pop(0)
            if _is_struct_elem(kid) and kid.S in (Name.LI, Name.L, Name.Caption):
                kid.P = node.element
                new_kids.append(kid)
            elif _is_struct_elem(kid) and kid.S in (Name.Div, Name.NonStruct, Name.Part, Name.Sect):
                pending[:0] = _kids(kid)
            else:
                item = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LI, P=node.element))
                body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array([kid])))
                item.K = Array([body])
                if "/Pg" in node.element:
                    item.Pg = body.Pg = node.element.Pg
                if _is_struct_elem(kid):
                    kid.P = body
                new_kids.append(item)
        node.element.K = Array(new_kids)


def _wrap_list_bodies(pdf: pikepdf.Pdf) -> None:
    """Put LI children that are neither Lbl nor LBody into an LBody, as PDF/UA requires."""
    for node in _walk(structure_tree(pdf)):
        if node.type != "LI":
            continue
        new_kids: list[pikepdf.Object | int] = []
        body: pikepdf.Dictionary | None = None
        for kid in _kids(node.element):
            if _is_struct_elem(kid) and kid.S in (Name.Lbl, Name.LBody):
                new_kids.append(kid)
                body = None
                continue
            if body is None:
                body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=node.element, K=Array()))
                if "/Pg" in node.element:
                    body.Pg = node.element.Pg
                new_kids.append(body)
            if _is_struct_elem(kid):
                kid.P = body
            body.K.append(kid)
        node.element.K = Array(new_kids)


def _table_rows(node: StructNode) -> list[tuple[StructNode, bool]]:
    """Return (TR, in THead) for every row of a table, in order."""
    rows: list[tuple[StructNode, bool]] = []
    for kid in node.kids:
        if kid.type == "TR":
            rows.append((kid, False))
        elif kid.type in ("THead", "TBody", "TFoot"):
            rows.extend((row, kid.type == "THead") for row in kid.kids if row.type == "TR")
    return rows


def _set_table_attribute(element: pikepdf.Dictionary, key: str, value: pikepdf.Object) -> None:
    attrs = element.get("/A")
    for attr in attrs if isinstance(attrs, Array) else [attrs]:
        if isinstance(attr, Dictionary) and attr.get("/O") == Name.Table:
            attr[key] = value
            return
    table_attr = Dictionary(O=Name.Table)
    table_attr[key] = value
    element.A = Array([*(attrs if isinstance(attrs, Array) else [attrs] if attrs is not None else []), table_attr])


def _span(node: StructNode, key: str) -> int:
    value = node.attribute(key)
    return max(int(value), 1) if value is not None else 1


def _fix_table_headers(nodes: list[StructNode]) -> None:
    """Recompute TD /Headers and TH /Scope from the table grid (WeasyPrint mishandles spans)."""
    for table in (n for n in _walk(nodes) if n.type == "Table"):
        rows = _table_rows(table)
        occupied: set[tuple[int, int]] = set()
        cells: list[tuple[StructNode, range, range]] = []
        for r, (row, _) in enumerate(rows):
            c = 0
            for cell in (k for k in row.kids if k.type in ("TH", "TD")):
                while (r, c) in occupied:
                    c += 1
                rows_span, cols_span = range(r, r + _span(cell, "/RowSpan")), range(c, c + _span(cell, "/ColSpan"))
                occupied.update((i, j) for i in rows_span for j in cols_span)
                cells.append((cell, rows_span, cols_span))
                c = cols_span.stop
        headers = [(cell, rs, cs) for cell, rs, cs in cells if cell.type == "TH"]
        if not headers:
            continue
        all_th_rows = {r for r, (row, _) in enumerate(rows) if all(k.type == "TH" for k in row.kids)}
        scopes: dict[ObjGen, str] = {}
        for number, (cell, rs, _) in enumerate(headers):
            scope = cell.attribute("/Scope")
            if scope is None:
                in_head = rows[rs.start][1] or rs.start in all_th_rows
                scope = Name.Column if in_head else Name.Row
                _set_table_attribute(cell.element, "/Scope", scope)
            scopes[cell.element.objgen] = str(scope)
            if "/ID" not in cell.element:
                cell.element.ID = String(f"th-{table.element.objgen[0]}-{number}")
        for cell, rs, cs in cells:
            if cell.type != "TD":
                continue
            ids = [
                h.element.ID
                for h, hrs, hcs in headers
                if scopes[h.element.objgen] in ("/Row", "/Both") and set(hrs) & set(rs) and hcs.stop <= cs.start
            ]
            ids += [
                h.element.ID
                for h, hrs, hcs in headers
                if scopes[h.element.objgen] in ("/Column", "/Both") and set(hcs) & set(cs) and hrs.stop <= rs.start
            ]
            _set_table_attribute(cell.element, "/Headers", Array(ids))


def _write_id_tree(pdf: pikepdf.Pdf, nodes: list[StructNode]) -> None:
    """Index element /IDs in /IDTree so /Headers references resolve (WeasyPrint writes none)."""
    ids = {bytes(n.element.ID): n.element for n in _walk(nodes) if "/ID" in n.element}
    if ids:
        names = Array()
        for key in sorted(ids):
            names.extend([String(key), ids[key]])
        pdf.Root.StructTreeRoot.IDTree = pdf.make_indirect(Dictionary(Names=names))


# --- content streams ---------------------------------------------------------


def _operator(item: ContentStreamInstruction | ContentStreamInlineImage) -> str:
    return "BI" if isinstance(item, ContentStreamInlineImage) else str(item.operator)


def _mcid(props: pikepdf.Object | None, resources: pikepdf.Object | None) -> int | None:
    """Return the MCID of a BDC property list, inline or named in /Properties."""
    if isinstance(props, Name) and resources is not None:
        props = resources.get("/Properties", Dictionary()).get(props)
    if isinstance(props, Dictionary) and "/MCID" in props:
        return int(props.MCID)
    return None


class _ContentPass:
    """Walk every page and form content stream; report, or rewrite, untagged content."""

    def __init__(self, pdf: pikepdf.Pdf, tagged: set[ContentKey], decorative: set[ContentKey], fix: bool) -> None:
        self.pdf, self.tagged, self.decorative, self.fix = pdf, tagged, decorative, fix
        self.problems: list[str] = []
        self.forms_done: set[ObjGen] = set()
        # Forms without /StructParents holding tagged MCIDs: form -> (page, MCIDs).
        self.form_mcids: dict[ObjGen, tuple[ObjGen, set[int]]] = {}

    def run(self) -> None:
        for number, page in enumerate(self.pdf.pages, start=1):
            self._stream(page.obj, page.obj.get("/Resources"), page.obj.objgen, f"page {number}", None)

    def _replace(self, instructions: list, owner: pikepdf.Object) -> None:
        data = pikepdf.unparse_content_stream(instructions)
        if owner.get("/Type") == Name.Page:
            owner.Contents = self.pdf.make_stream(data)
        else:
            owner.write(data)

    def _stream(
        self, owner: pikepdf.Object, resources: pikepdf.Object | None, page: ObjGen, where: str, inherited: str | None
    ) -> None:
        form_space = owner.get("/Type") != Name.Page and "/StructParents" in owner
        out: list = []
        wraps: list[tuple[int, int]] = []
        stack: list[str] = []
        path_start: int | None = None
        changed = False

        def coverage() -> str | None:
            return next((s for s in reversed(stack) if s in _COVERING), inherited)

        def uncovered(start: int, what: str) -> None:
            if self.fix:
                wraps.append((start, len(out)))
            else:
                self.problems.append(f"{where}: {what} outside marked content")

        for item in pikepdf.parse_content_stream(owner):
            op = _operator(item)
            if op in ("BDC", "BMC"):
                tag = item.operands[0]
                mcid = _mcid(item.operands[1], resources) if op == "BDC" else None
                state = coverage()
                if tag == Name.Artifact:
                    stack.append("artifact")
                elif mcid is None:
                    stack.append("plain")
                else:
                    key: ContentKey = (None, owner.objgen, mcid) if form_space else (page, None, mcid)
                    if key in self.tagged:
                        if state == "artifact":
                            self.problems.append(f"{where}: {tag} MCID {mcid} is tagged but inside an Artifact")
                        if owner.get("/Type") != Name.Page and not form_space:
                            self.form_mcids.setdefault(owner.objgen, (page, set()))[1].add(mcid)
                        stack.append("tagged")
                    elif not self.fix:
                        if state != "artifact":
                            self.problems.append(f"{where}: {tag} MCID {mcid} is not in the structure tree")
                        stack.append("orphan")
                    elif state == "tagged":
                        # An Artifact inside real content is itself a PDF/UA failure: drop the MCID only.
                        item = ContentStreamInstruction([tag], Operator("BMC"))
                        stack.append("plain")
                        changed = True
                    elif key in self.decorative or state == "artifact":
                        item = ContentStreamInstruction([Name.Artifact], Operator("BMC"))
                        stack.append("artifact")
                        changed = True
                    else:
                        # Only margin boxes are left out of WeasyPrint's tree: headers, footers, page numbers.
                        item = ContentStreamInstruction([Name.Artifact, Dictionary(Type=Name.Pagination)], Operator("BDC"))
                        stack.append("artifact")
                        changed = True
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in _PATH_CONSTRUCTION:
                if path_start is None:
                    path_start = len(out)
            elif op in _PATH_PAINTING or op == "n":
                start, path_start = (path_start if path_start is not None else len(out)), None
                if op != "n" and coverage() is None:
                    uncovered(start, f"path painted with {op}")
            elif op in _SINGLE_PAINTING and coverage() is None:
                uncovered(len(out), "inline image" if op == "BI" else f"{op}")
            elif op == "Do" and resources is not None:
                xobject = resources.get("/XObject", Dictionary()).get(item.operands[0])
                if xobject is not None and xobject.get("/Subtype") == Name.Form:
                    if xobject.objgen not in self.forms_done:
                        self.forms_done.add(xobject.objgen)
                        self._stream(
                            xobject, xobject.get("/Resources", resources), page, f"{where} form {xobject.objgen[0]}", coverage()
                        )
                elif coverage() is None:
                    uncovered(len(out), f"image {item.operands[0]}")
            out.append(item)

        if wraps:
            out = _apply_wraps(out, wraps)
        if changed or wraps:
            self._replace(out, owner)


def _apply_wraps(out: list, wraps: list[tuple[int, int]]) -> list:
    """Wrap each run of uncovered painting in /Artifact BMC ... EMC, merging adjacent runs."""
    merged: list[list[int]] = []
    for start, end in sorted(wraps):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = {s for s, _ in merged}
    ends = {e for _, e in merged}
    result: list = []
    for index, item in enumerate(out):
        if index in starts:
            result.append(ContentStreamInstruction([Name.Artifact], Operator("BMC")))
        result.append(item)
        if index in ends:
            result.append(ContentStreamInstruction([], Operator("EMC")))
    return result


def _reference_forms_by_mcr(pdf: pikepdf.Pdf, form_mcids: dict[ObjGen, tuple[ObjGen, set[int]]]) -> None:
    """Point at MCIDs inside form XObjects (opacity groups) with MCRs naming the form, as ISO 32000 requires.

    WeasyPrint numbers them in the page's MCID space and refers to them as page
    content; the ParentTree rebuild then gives each such form its /StructParents.
    """
    forms = {(page, mcid): form for form, (page, mcids) in form_mcids.items() for mcid in mcids}
    if not forms:
        return
    for node in _walk(structure_tree(pdf)):
        kids = _kids(node.element)
        if not any(isinstance(k, int) and (node.page, k) in forms for k in kids):
            continue
        node.element.K = Array(
            [
                Dictionary(Type=Name.MCR, Pg=pdf.get_object(node.page), Stm=pdf.get_object(forms[node.page, k]), MCID=k)
                if isinstance(k, int) and (node.page, k) in forms
                else k
                for k in kids
            ]
        )


def _rebuild_parent_tree(pdf: pikepdf.Pdf, nodes: list[StructNode]) -> None:
    """Rewrite /ParentTree from the reachable tree, so nothing points at dropped elements."""
    owners: dict[ContentKey, pikepdf.Dictionary] = {}
    annotations: list[tuple[pikepdf.Dictionary, pikepdf.Dictionary]] = []
    for node in _walk(nodes):
        owners.update((key, node.element) for key in node.content)
        annotations.extend((annot, node.element) for annot in node.annotations)
    entries: dict[int, pikepdf.Object] = {}
    holders = [page.obj for page in pdf.pages]
    holders += [pdf.get_object(og) for og in sorted({key[1] for key in owners if key[1] is not None})]
    used = [int(h.StructParents) for h in holders if "/StructParents" in h]
    used += [int(a.StructParent) for a, _ in annotations if "/StructParent" in a]
    next_key = max(used, default=-1) + 1
    for holder in holders:
        is_page = holder.get("/Type") == Name.Page
        mcids = {k[2]: e for k, e in owners.items() if (k[0] == holder.objgen if is_page else k[1] == holder.objgen)}
        if "/StructParents" not in holder:
            if not mcids:
                continue
            holder.StructParents, next_key = next_key, next_key + 1
        size = max(mcids, default=-1) + 1
        entries[int(holder.StructParents)] = Array([mcids.get(i) for i in range(size)])
    for annot, element in annotations:
        if "/StructParent" not in annot:
            annot.StructParent, next_key = next_key, next_key + 1
        entries[int(annot.StructParent)] = element
    nums = Array()
    for key in sorted(entries):
        nums.extend([key, entries[key]])
    root = pdf.Root.StructTreeRoot
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = max(entries, default=-1) + 1


def _drop_untagged_links(pdf: pikepdf.Pdf, nodes: list[StructNode]) -> None:
    """Remove link annotations the tree cannot reach (links in margin boxes, now artifacts)."""
    tagged = {a.objgen for n in _walk(nodes) for a in n.annotations}
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = [a for a in annots if a.get("/Subtype") != Name.Link or a.objgen in tagged]
        if len(kept) != len(annots):
            if kept:
                page.obj.Annots = Array(kept)
            else:
                del page.obj["/Annots"]


def artifact_untagged_content(pdf_bytes: bytes) -> bytes:
    """Return the PDF with untagged content artifacted and WeasyPrint's tagging errors repaired."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise ValueError("PDF has no structure tree; render with pdf_variant='pdf/ua-1'")
        _move_link_annotations(pdf)
        decorative = _drop_decorative_figures(pdf)
        _flatten_list_groups(pdf)
        _wrap_list_bodies(pdf)
        nodes = structure_tree(pdf)
        _fix_table_headers(nodes)
        _write_id_tree(pdf, nodes)
        tagged = {key for node in _walk(nodes) for key in node.content}
        content = _ContentPass(pdf, tagged, decorative, fix=True)
        content.run()
        _reference_forms_by_mcr(pdf, content.form_mcids)
        nodes = structure_tree(pdf)
        _drop_untagged_links(pdf, nodes)
        _rebuild_parent_tree(pdf, nodes)
        out = io.BytesIO()
        # deterministic_id: WeasyPrint writes no /ID and qpdf would otherwise add a clock-based one.
        # fix_metadata_version=False keeps WeasyPrint's XMP packet byte for byte.
        pdf.save(out, deterministic_id=True, fix_metadata_version=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


# --- checks ------------------------------------------------------------------


def untagged_marked_content(pdf: pikepdf.Pdf) -> list[str]:
    """Describe content that is neither reachable from the structure tree nor an Artifact."""
    tagged = {key for node in _walk(structure_tree(pdf)) for key in node.content}
    content = _ContentPass(pdf, tagged, set(), fix=False)
    content.run()
    return content.problems


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Describe PDF/UA structure errors WeasyPrint is known to make; empty means none found."""
    nodes = structure_tree(pdf)
    problems: list[str] = []
    previous_level = 0
    for node in _walk(nodes):
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
        if node.type == "Link" and not any(n.content for n in _walk([node])):
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
            if table is not None and any(n.type == "TH" for n in _walk([table])):
                problems.append(f"{label}: TD in a table with TH but no /Headers")
    tagged = {a.objgen for n in _walk(nodes) for a in n.annotations}
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") not in (Name.Popup, Name.PrinterMark) and annot.objgen not in tagged:
                problems.append(f"page {number}: {annot.get('/Subtype')} annotation not in the structure tree")
    return problems
