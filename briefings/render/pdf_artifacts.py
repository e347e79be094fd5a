"""Repair WeasyPrint's tagged PDFs for PDF/UA-1.

WeasyPrint 70 marks `@page` margin-box content (running headers, page
numbers) with MCIDs but never links it into the structure tree (WeasyPrint
issue #1836), so it is neither real content nor an artifact.  It also tags
decorative images (alt="") as Figure without /Alt, puts link annotations of
block links and linked images under non-Link elements, leaves LI children
outside LBody for `list-style-position: inside` and block children of
<li>, puts <div> groups of <dl> between L and LI and makes dt and dd list
items of their own, and computes wrong table /Headers around colspan/rowspan.
It builds the tree page by page, so an element broken across pages (or a link
across lines) becomes one element per fragment (#2902, #2903), and it gives
link annotations the href or target id as /Contents, lists no /ListNumbering.
`artifact_untagged_content` fixes all of these; joining fragments, numbering
lists and naming links read what `briefings.render.weasyprint_fixes` records
in each element while WeasyPrint renders (/BriefingsFragment and
/BriefingsSource, both removed here).
It reads the structure tree once (`StructureTree`) and keeps that model in
step with each repair, so no repair walks the PDF's tree again.  The checks
that prove the repairs (`tests/pdf_inspect.py`) build on `structure_tree`,
`walk` and `ContentPass(fix=False)`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
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


def walk(nodes: Iterable[StructNode]) -> Iterator[StructNode]:
    """Yield every node and its descendants, in document order (kids as they are when reached)."""
    stack = list(nodes)[::-1]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.kids))


class StructureTree:
    """The structure tree, read from the PDF once; repairs keep it in step with their edits.

    `roots` holds the root elements, each with its subtree, exactly as reading the tree
    afresh would give them: a repair that rewrites an element's /K calls `refresh` (its own
    content and annotations) or `reread` (its subtree) instead of re-reading the whole tree.
    """

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.seen: set[ObjGen] = set()
        self.pages: dict[ObjGen, pikepdf.Object] = {}  # /Pg objects by objgen, to re-read a subtree
        root = pdf.Root.get("/StructTreeRoot")
        self.roots = [] if root is None else [self._visit(kid, None, 0, None) for kid in _kids(root) if _is_struct_elem(kid)]

    def _visit(self, element: pikepdf.Dictionary, parent: StructNode | None, depth: int, page: pikepdf.Object | None) -> StructNode:
        page = element.get("/Pg", page)
        objgen = None
        if page is not None:
            objgen = page.objgen
            self.pages[objgen] = page
        node = StructNode(str(element.S)[1:], depth, element, parent, page=objgen, pdf=self.pdf)
        self._read(node, page, subtree=True)
        return node

    def _read(self, node: StructNode, page: pikepdf.Object | None, subtree: bool) -> None:
        """Fill the node's content and annotations from its /K, and (with `subtree`) its kids."""
        node.content, node.annotations = [], []
        if subtree:
            node.kids = []
        for kid in _kids(node.element):
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
            elif subtree and _is_struct_elem(kid) and (kid.objgen == (0, 0) or kid.objgen not in self.seen):
                self.seen.add(kid.objgen)
                node.kids.append(self._visit(kid, node, node.depth + 1, page))

    def _page(self, node: StructNode) -> pikepdf.Object | None:
        return self.pages[node.page] if node.page is not None else None

    def refresh(self, node: StructNode) -> None:
        """Re-read the node's own content and annotations after its /K changed (its kids did not)."""
        self._read(node, self._page(node), subtree=False)

    def reread(self, nodes: Iterable[StructNode]) -> None:
        """Re-read the subtrees of nodes whose /K, or a descendant's, changed; a subtree is read once, from its outermost changed node."""
        nodes = list({id(n): n for n in nodes}.values())
        changed = {id(n) for n in nodes}
        for node in nodes:
            ancestor = node.parent
            while ancestor is not None and id(ancestor) not in changed:
                ancestor = ancestor.parent
            if ancestor is not None:
                continue  # re-read with its changed ancestor
            for old in walk(node.kids):
                self.seen.discard(old.element.objgen)
            self._read(node, self._page(node), subtree=True)


def structure_tree(pdf: pikepdf.Pdf) -> list[StructNode]:
    """Return the root structure elements, each with its subtree, in document order."""
    return StructureTree(pdf).roots


# --- structure repairs -------------------------------------------------------

# Which HTML element each structure element came from (briefings.render.weasyprint_fixes).
_FRAGMENT = "/BriefingsFragment"
_SOURCE = "/BriefingsSource"


def _source(node: StructNode) -> pikepdf.Dictionary | None:
    source = node.element.get(_SOURCE)
    return source if isinstance(source, Dictionary) else None


def _take_fragment(node: StructNode) -> int | None:
    """Return, and remove from the element, the number its HTML element's fragments share (if recorded)."""
    number = node.element.get(_FRAGMENT)
    if number is None:
        return None
    del node.element[_FRAGMENT]
    return int(number)


def _source_tag(node: StructNode) -> str:
    source = _source(node)
    return str(source.Tag) if source is not None else ""


def _moved_kids(tree: StructureTree, node: StructNode, target: pikepdf.Dictionary, page: ObjGen | None) -> list:
    """Return the node's /K entries ready to go under `target`, whose content is on `page` unless said otherwise."""
    elsewhere = node.page is not None and node.page != page
    moved: list = []
    for kid in _kids(node.element):
        if isinstance(kid, int):
            if elsewhere:  # an MCID means the element's own page: name the page it is on
                kid = Dictionary(Type=Name.MCR, Pg=tree.pages[node.page], MCID=kid)
        elif isinstance(kid, Dictionary) and kid.get("/Type") in (Name.MCR, Name.OBJR):
            if elsewhere and "/Pg" not in kid:
                kid.Pg = tree.pages[node.page]
        elif _is_struct_elem(kid):
            kid.P = target
            if elsewhere and "/Pg" not in kid:
                kid.Pg = tree.pages[node.page]
        moved.append(kid)
    return moved


def _absorb(tree: StructureTree, into: StructNode, other: StructNode) -> None:
    """Append a later fragment's kids and content to an earlier one of the same element."""
    into.element.K = Array([*_kids(into.element), *_moved_kids(tree, other, into.element, into.page)])
    for child in other.kids:
        child.parent = into
    into.kids.extend(other.kids)
    # What the moved /K names is unchanged (an MCID now names its page): no need to read it again.
    into.content.extend(other.content)
    into.annotations.extend(other.annotations)


def _join_kids(tree: StructureTree, node: StructNode) -> None:
    kids = node.kids
    numbers = [_take_fragment(k) for k in kids]  # each element is some element's kid once: all are read
    recorded = [n for n in numbers if n is not None]
    if len(set(recorded)) == len(recorded):
        return  # no two kids come from one element
    dropped: set[int] = set()
    if node.type == "Table":
        # A header (or footer) repeated on every page: keep the first header and the last footer.
        groups: dict[tuple[str, int], list[int]] = {}
        for index, (kid, number) in enumerate(zip(kids, numbers, strict=True)):
            if kid.type in ("THead", "TFoot") and number is not None:
                groups.setdefault((kid.type, number), []).append(index)
        for (kind, _), places in groups.items():
            keep = places[0] if kind == "THead" else places[-1]
            dropped.update(p for p in places if p != keep)
    kept: list[StructNode] = []
    last: int | None = None  # the number of the last kid kept
    first: dict[int, StructNode] = {}
    for index, (kid, number) in enumerate(zip(kids, numbers, strict=True)):
        if index in dropped:
            continue
        target = None
        if number is not None:
            # Fragments sit side by side, except the cells of a row broken across pages, which interleave.
            if node.type == "TR":
                target = first.get(number)
            elif number == last:
                target = kept[-1]
        if target is not None:
            _absorb(tree, target, kid)
            dropped.add(index)
            continue
        kept.append(kid)
        last = number
        if number is not None:
            first.setdefault(number, kid)
    if dropped:
        gone = {kids[i].element.objgen for i in dropped}
        node.element.K = Array([k for k in _kids(node.element) if not (isinstance(k, Dictionary) and k.objgen in gone)])
        node.kids = kept


def _join_fragments(tree: StructureTree) -> None:
    """Join the elements WeasyPrint makes of one HTML element at page and line breaks into one (#2902).

    Working down from the root, a parent's fragments are joined before its kids are looked at, so
    the fragments of each kid then sit side by side. A table header repeated on each page is kept
    once; its repeats become pagination artifacts with the rest of the untagged content.
    """
    stack = list(reversed(tree.roots))
    while stack:
        node = stack.pop()
        _join_kids(tree, node)
        stack.extend(reversed(node.kids))


def _without(element: pikepdf.Dictionary, kid: pikepdf.Dictionary) -> None:
    """Remove one indirect kid (struct elem or OBJR) from the element's /K."""
    element.K = Array([k for k in _kids(element) if not (isinstance(k, Dictionary) and k.objgen == kid.objgen)])


def _move_link_annotations(tree: StructureTree) -> None:
    """Move OBJRs of link annotations up to the nearest Link element (block links, linked images)."""
    for node in walk(tree.roots):
        if node.type == "Link" or not node.annotations:
            continue
        moved = False
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
            link.annotations.append(objr.Obj)  # appended last to /K, so last in reading the tree
            moved = True
        if moved:
            tree.refresh(node)


def _drop_decorative_figures(tree: StructureTree) -> set[ContentKey]:
    """Remove Figures without text alternative (alt="" images) and return their content to artifact."""
    decorative: set[ContentKey] = set()
    for node in list(walk(tree.roots)):
        if node.type != "Figure" or node.alt or node.kids or node.annotations or node.parent is None:
            continue
        decorative.update(node.content)
        parent: StructNode | None = node.parent
        child = node
        while parent is not None:
            _without(parent.element, child.element)
            parent.kids = [k for k in parent.kids if k.element.objgen != child.element.objgen]
            tree.refresh(parent)
            if _kids(parent.element) or parent.type not in _PRUNABLE or parent.parent is None:
                break
            child, parent = parent, parent.parent
    return decorative


def _flatten_list_groups(tree: StructureTree) -> None:
    """Lift LIs out of grouping elements inside L (<dl><div><dt>..<dd>..</div></dl>), wrap other kids in LI."""
    pdf = tree.pdf
    changed: list[StructNode] = []
    for node in list(walk(tree.roots)):
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
        changed.append(node)
    tree.reread(changed)


def _pair_definitions(tree: StructureTree) -> None:
    """Make each <dl> term and its definitions one LI: the dt its Lbl, the dd its LBody.

    WeasyPrint makes every dt and dd a list item of its own, so a glossary of 8 terms reads as a
    list of 16 items. Several dt before one dd share the Lbl; several dd after one dt share the LBody.
    """
    changed: list[StructNode] = []
    for node in list(walk(tree.roots)):
        if node.type != "L" or _source_tag(node) != "dl":
            continue
        new_kids: list[pikepdf.Dictionary] = []
        term: StructNode | None = None  # the LI of the last term, with its Lbl and (once a dd came) LBody
        label: StructNode | None = None
        body: StructNode | None = None
        for item in node.kids:
            tag = _source_tag(item)
            if item.type != "LI" or tag not in ("dt", "dd") or [k.type for k in item.kids] != ["LBody"]:
                new_kids.append(item.element)
                term = label = body = None
                continue
            (content,) = item.kids
            if tag == "dt" and term is not None and label is not None and body is None:
                label.element.K = Array([*_kids(label.element), *_moved_kids(tree, content, label.element, label.page)])
            elif tag == "dt":
                content.element.S = Name.Lbl
                term, label, body = item, content, None
                new_kids.append(item.element)
            elif term is None:
                new_kids.append(item.element)  # a definition without a term keeps its own item
            elif body is None:
                content.element.P = term.element
                if content.page is not None and "/Pg" not in content.element:
                    content.element.Pg = tree.pages[content.page]
                term.element.K = Array([*_kids(term.element), content.element])
                body = content
            else:
                body.element.K = Array([*_kids(body.element), *_moved_kids(tree, content, body.element, body.page)])
        node.element.K = Array(new_kids)
        changed.append(node)
    tree.reread(changed)


def _number_lists(nodes: list[StructNode]) -> None:
    """Give each list the /ListNumbering of its HTML list (an <ol> is Decimal), which WeasyPrint leaves out."""
    for node in nodes:
        source = _source(node) if node.type == "L" else None
        if source is not None and "/ListNumbering" in source:
            _set_attribute(node.element, Name.List, "/ListNumbering", source.ListNumbering)


def _name_links(nodes: list[StructNode]) -> None:
    """Set each link annotation's /Contents to the link's accessible name (WeasyPrint writes its href or target id).

    A link named by aria-label (the citations' "Source 1" on "[1]") also gets it as the Link's /Alt,
    as a screen reader reads it in the HTML.
    """
    for node in nodes:
        source = _source(node) if node.type == "Link" else None
        if source is None or not str(source.get("/Name", "")):
            continue
        name = str(source.Name)
        for annotation in node.annotations:
            annotation.Contents = String(name)
        if source.get("/Labelled") is True:
            node.element.Alt = String(name)


def _forget_sources(nodes: list[StructNode]) -> None:
    """Remove what weasyprint_fixes recorded for lists and links (_join_fragments took the fragment numbers)."""
    for node in nodes:
        if node.type in ("L", "LI", "Link") and _SOURCE in node.element:
            del node.element[_SOURCE]


def _wrap_list_bodies(tree: StructureTree) -> None:
    """Put LI children that are neither Lbl nor LBody into an LBody, as PDF/UA requires."""
    pdf = tree.pdf
    changed: list[StructNode] = []
    for node in list(walk(tree.roots)):
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
                changed.append(node)
            if _is_struct_elem(kid):
                kid.P = body
            body.K.append(kid)
        node.element.K = Array(new_kids)
    tree.reread(changed)


def _table_rows(node: StructNode) -> list[tuple[StructNode, bool]]:
    """Return (TR, in THead) for every row of a table, in order."""
    rows: list[tuple[StructNode, bool]] = []
    for kid in node.kids:
        if kid.type == "TR":
            rows.append((kid, False))
        elif kid.type in ("THead", "TBody", "TFoot"):
            rows.extend((row, kid.type == "THead") for row in kid.kids if row.type == "TR")
    return rows


def _set_attribute(element: pikepdf.Dictionary, owner: pikepdf.Name, key: str, value: pikepdf.Object) -> None:
    """Set a structure attribute in the element's /A dictionary of that owner (/Table, /List), adding one if needed."""
    attrs = element.get("/A")
    for attr in attrs if isinstance(attrs, Array) else [attrs]:
        if isinstance(attr, Dictionary) and attr.get("/O") == owner:
            attr[key] = value
            return
    new_attr = Dictionary(O=owner)
    new_attr[key] = value
    element.A = Array([*(attrs if isinstance(attrs, Array) else [attrs] if attrs is not None else []), new_attr])


def _set_table_attribute(element: pikepdf.Dictionary, key: str, value: pikepdf.Object) -> None:
    _set_attribute(element, Name.Table, key, value)


def _span(node: StructNode, key: str) -> int:
    value = node.attribute(key)
    return max(int(value), 1) if value is not None else 1


def _fix_table_headers(nodes: list[StructNode]) -> None:
    """Recompute TD /Headers and TH /Scope from the table grid (WeasyPrint mishandles spans)."""
    for table in (n for n in nodes if n.type == "Table"):
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
    ids = {bytes(n.element.ID): n.element for n in nodes if "/ID" in n.element}
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


class ContentPass:
    """Walk every page and form content stream; report (`fix=False`, for checks), or rewrite, untagged content."""

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
                        # Left out of the tree: margin boxes (headers, footers, page numbers) and the
                        # table headers repeated on each page (_join_fragments keeps the first).
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


def _reference_forms_by_mcr(tree: StructureTree, nodes: list[StructNode], form_mcids: dict[ObjGen, tuple[ObjGen, set[int]]]) -> None:
    """Point at MCIDs inside form XObjects (opacity groups) with MCRs naming the form, as ISO 32000 requires.

    WeasyPrint numbers them in the page's MCID space and refers to them as page
    content; the ParentTree rebuild then gives each such form its /StructParents.
    """
    forms = {(page, mcid): form for form, (page, mcids) in form_mcids.items() for mcid in mcids}
    if not forms:
        return
    pdf = tree.pdf
    for node in nodes:
        # The tree already knows the node's page content; only a node holding one of those MCIDs reads its /K.
        if not any(key[1] is None and (key[0], key[2]) in forms for key in node.content):
            continue
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
        tree.refresh(node)


def _rebuild_parent_tree(pdf: pikepdf.Pdf, nodes: list[StructNode]) -> None:
    """Rewrite /ParentTree from the reachable tree, so nothing points at dropped elements."""
    owners: dict[ContentKey, pikepdf.Dictionary] = {}
    annotations: list[tuple[pikepdf.Dictionary, pikepdf.Dictionary]] = []
    for node in nodes:
        owners.update((key, node.element) for key in node.content)
        annotations.extend((annot, node.element) for annot in node.annotations)
    # Each holder's MCIDs: a page's content is keyed by the page, a form's (with /StructParents) by the form.
    by_page: dict[ObjGen, dict[int, pikepdf.Dictionary]] = {}
    by_form: dict[ObjGen, dict[int, pikepdf.Dictionary]] = {}
    for (page, form, mcid), element in owners.items():
        if page is not None:
            by_page.setdefault(page, {})[mcid] = element
        if form is not None:
            by_form.setdefault(form, {})[mcid] = element
    entries: dict[int, pikepdf.Object] = {}
    holders = [page.obj for page in pdf.pages]
    holders += [pdf.get_object(og) for og in sorted(by_form)]
    used = [int(h.StructParents) for h in holders if "/StructParents" in h]
    used += [int(a.StructParent) for a, _ in annotations if "/StructParent" in a]
    next_key = max(used, default=-1) + 1
    for holder in holders:
        mcids = (by_page if holder.get("/Type") == Name.Page else by_form).get(holder.objgen, {})
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
    tagged = {a.objgen for n in nodes for a in n.annotations}
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
        # The one read of the structure tree: each repair edits the PDF and keeps `tree` in step.
        tree = StructureTree(pdf)
        _join_fragments(tree)
        _move_link_annotations(tree)
        decorative = _drop_decorative_figures(tree)
        _flatten_list_groups(tree)
        _pair_definitions(tree)
        _wrap_list_bodies(tree)
        nodes = list(walk(tree.roots))  # no repair below adds or removes elements
        _number_lists(nodes)
        _name_links(nodes)
        _forget_sources(nodes)
        _fix_table_headers(nodes)
        _write_id_tree(pdf, nodes)
        tagged = {key for node in nodes for key in node.content}
        content = ContentPass(pdf, tagged, decorative, fix=True)
        content.run()
        _reference_forms_by_mcr(tree, nodes, content.form_mcids)
        _drop_untagged_links(pdf, nodes)
        _rebuild_parent_tree(pdf, nodes)
        out = io.BytesIO()
        # deterministic_id: WeasyPrint writes no /ID and qpdf would otherwise add a clock-based one.
        # fix_metadata_version=False keeps WeasyPrint's XMP packet byte for byte.
        pdf.save(out, deterministic_id=True, fix_metadata_version=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
