"""`Tagger`: marks content while reportlab draws (MCIDs per page) and writes the structure
tree, ParentTree, MarkInfo, Lang, XMP and clean ToUnicode maps into the document just
before it is serialised (no second parse)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from reportlab.pdfbase import pdfdoc

from .catalog import clean_cmap, xmp
from .elements import CANVAS_ATTR, KEEP_EMPTY, Elem, TaggingError

# --- marking content on the canvas ----------------------------------------------------


@dataclass
class _Open:
    kind: str  # "content", "artifact" or "nop" (absorbed by an enclosing sequence)
    at: int = -1  # index of the BDC/BMC in the canvas code
    page: int = -1
    mcid: int = -1


class Tagger:
    """Per-render state: MCIDs per page and which element each one belongs to."""

    def __init__(self, root: Elem, *, lang: str, title: str,
                 role_map: dict[str, str] | None = None, write_tree: bool = True) -> None:
        self.root, self.lang, self.title = root, lang, title
        # False: the PDF is only copied from into packets, which get their structure
        # from `templates()`: its pages keep their marked content but no tree is written
        self.write_tree = write_tree
        self.role_map = dict(role_map or {})
        self.pages: dict[int, list[Elem]] = {}  # page index -> element of each MCID
        self.marks: dict[int, list[tuple[int, int, int]]] = {}  # id(elem) -> (page, mcid, seq)
        self._seq = 0
        self._stack: list[_Open] = []
        # id(elem) -> (attributes, page, kids in order), as written
        self._written: dict[int, tuple[bytes, int, list[tuple[int, int] | Elem]]] = {}
        self.boxes: dict[int, tuple[float, float, float, float]] = {}  # id(elem) -> BBox

    # attaching
    def attach(self, canvas: Any) -> Any:
        """Attach to a canvas; returns it."""
        setattr(canvas, CANVAS_ATTR, self)
        self._install(canvas)
        return canvas

    def canvasmaker(self, base: Callable[..., Any]) -> Callable[..., Any]:
        """A canvasmaker for `doc.build()` whose canvases carry this tagger."""
        def make(*args: Any, **kwargs: Any) -> Any:
            return self.attach(base(*args, **kwargs))
        return make

    # marking
    def begin(self, canvas: Any, elem: Elem) -> None:
        """Open a marked-content sequence for `elem` (content inside content joins the outer)."""
        if self._stack:  # inside content: joins it; inside an artifact: stays artifact
            self._stack.append(_Open("nop"))
            return
        page = canvas.getPageNumber() - 1
        owners = self.pages.setdefault(page, [])
        mcid = len(owners)
        owners.append(elem)
        code = canvas._code
        self._stack.append(_Open("content", len(code), page, mcid))
        canvas.addLiteral(f"/{_bdc_tag(elem.role)} <</MCID {mcid}>> BDC")

    def begin_artifact(self, canvas: Any, kind: str | None = None) -> None:
        """Open an artifact sequence (kind: None, "Pagination", "Layout" or "Page")."""
        if any(o.kind == "content" for o in self._stack):
            raise TaggingError("an artifact inside tagged content: draw it outside the "
                               "content's sequence (e.g. after it)")
        if self._stack:
            self._stack.append(_Open("nop"))
            return
        self._stack.append(_Open("artifact", len(canvas._code)))
        canvas.addLiteral("/Artifact BMC" if kind is None
                          else f"/Artifact <</Type /{kind}>> BDC")

    def end(self, canvas: Any) -> None:
        """Close the innermost sequence; an empty one is removed from the stream."""
        o = self._stack.pop()
        if o.kind == "nop":
            return
        code = canvas._code
        if len(code) == o.at + 1:  # nothing drawn: drop the BDC, free the MCID
            del code[o.at]
            if o.kind == "content":
                self.pages[o.page].pop()  # the last one: sequences never nest
            return
        canvas.addLiteral("EMC")
        if o.kind == "content":
            elem = self.pages[o.page][o.mcid]
            self._seq += 1
            self.marks.setdefault(id(elem), []).append((o.page, o.mcid, self._seq))

    def anchor(self, canvas: Any, elem: Elem) -> None:
        """An empty sequence that ties a content-less element (e.g. with /Alt) to a page."""
        page = canvas.getPageNumber() - 1
        owners = self.pages.setdefault(page, [])
        mcid = len(owners)
        owners.append(elem)
        canvas.addLiteral(f"/{_bdc_tag(elem.role)} <</MCID {mcid}>> BDC EMC")
        self._seq += 1
        self.marks.setdefault(id(elem), []).append((page, mcid, self._seq))

    def box(self, elem: Elem, bbox: tuple[float, float, float, float]) -> None:
        """Where a figure stands on its page (x0, y0, x1, y1 in points): its /BBox."""
        self.boxes.setdefault(id(elem), bbox)

    # finishing
    def _install(self, canvas: Any) -> None:
        """Write the tree into reportlab's document just before it is serialised."""
        doc = canvas._doc
        if getattr(doc, "_pdfua_installed", False):
            return
        doc._pdfua_installed = True
        serialise = doc.format

        def format_tagged() -> Any:
            self.write_into(doc)
            return serialise()

        doc.format = format_tagged

    def write_into(self, doc: Any) -> None:
        """Add the structure tree and PDF/UA entries to a reportlab PDFDocument."""
        if self._stack:
            raise TaggingError(f"{len(self._stack)} marked-content sequences left open")
        pages = doc.Pages.pages
        page_names = [p.__InternalName__ for p in pages]
        parent_tree: dict[int, list[str | None]] = {i: [] for i in range(len(pages))}
        for name, obj in doc.idToObject.items():
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                obj.content = clean_cmap(obj.content)
        if not self.write_tree:
            first_seen: dict[int, float] = {}
            kept = _prune(self.root, self.marks, first_seen)
            self._build(_Unwritten(), self.root, "", page_names, parent_tree, kept, first_seen)
            return
        root = _Raw()
        root_name = _name(doc, root)
        first: dict[int, float] = {}
        kept = _prune(self.root, self.marks, first)
        top = self._build(doc, self.root, root_name, page_names, parent_tree, kept, first)
        nums: list[bytes | str] = []
        for key in sorted(parent_tree):
            arr = _Raw()
            arr.parts = [b"["]
            for r in parent_tree[key]:
                arr.parts += [r if r is not None else b"null", b" "]
            arr.parts.append(b"]")
            nums += [b"%d " % key, _name(doc, arr), b" "]
        tree = _Raw()
        tree.parts = [b"<< /Nums [", *nums, b"] >>"]
        root.parts = [b"<< /Type /StructTreeRoot /K [", *([top] if top else []),
                      b"] /ParentTree ", _name(doc, tree),
                      b" /ParentTreeNextKey %d" % len(pages)]
        if self.role_map:
            root.parts.append(b" /RoleMap <<" + b"".join(
                b" /%s /%s" % (_pdf_name(k), _pdf_name(v))
                for k, v in sorted(self.role_map.items())) + b" >>")
        root.parts.append(b" >>")
        extra = [*pdfdoc.PDFPage.__NoDefault__, "StructParents", "Tabs"]
        for i, page in enumerate(pages):
            page.__NoDefault__ = extra
            page.StructParents = i
            page.Tabs = pdfdoc.PDFName("S")
        cat = doc.Catalog
        cat.StructTreeRoot = pdfdoc.PDFObjectReference(root_name)
        cat.MarkInfo = pdfdoc.PDFDictionary({"Marked": pdfdoc.PDFtrue})
        cat.Lang = pdfdoc.PDFString(self.lang)
        vp = getattr(cat, "ViewerPreferences", None)
        if not isinstance(vp, pdfdoc.PDFDictionary):
            vp = pdfdoc.PDFDictionary({})
        vp["DisplayDocTitle"] = pdfdoc.PDFtrue
        cat.ViewerPreferences = vp
        ts = doc._timeStamp
        y, mo, d, h, mi, sec = ts.YMDhms
        date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}" + (
            "Z" if not (ts.dhh or ts.dmm) else f"{ts.dhh:+03d}:{ts.dmm:02d}")
        info = doc.info
        info.title = self.title
        cat.Metadata = _PlainStream(
            pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                  "Subtype": pdfdoc.PDFName("XML")}),
            xmp(self.title, self.lang, date, str(info.producer), str(info.creator)))

    def _build(self, doc: Any, e: Elem, parent: str, page_names: list[str],
               parent_tree: dict[int, list[str | None]], kept: set[int],
               first: dict[int, float]) -> str | None:
        if id(e) not in kept:
            return None
        if "Figure" in (e.role, self.role_map.get(e.role)) and not (e.alt and e.alt.strip()):
            raise TaggingError(f"a {e.role} element without a text alternative (/Alt)")
        obj = _Raw()
        name = _name(doc, obj)
        attrs = _attr_bytes(e, self.boxes.get(id(e)))
        p: list[bytes | str] = [b"<< /Type /StructElem /P ", parent, attrs]
        marks = self.marks.get(id(e), [])
        pg = marks[0][0] if marks else None
        if pg is not None:
            p += [b" /Pg ", page_names[pg]]
        items: list[tuple[float, int, list[bytes | str], tuple[int, int] | Elem]] = []
        for page, mcid, seq in marks:
            slot(parent_tree[page], mcid, name)
            k: list[bytes | str] = [b"%d" % mcid] if page == pg else [
                b"<< /Type /MCR /Pg ", page_names[page], b" /MCID %d >>" % mcid]
            items.append((seq, len(items), k, (mcid, page)))
        for kid in e.kids:
            kname = self._build(doc, kid, name, page_names, parent_tree, kept, first)
            if kname is not None:
                items.append((first.get(id(kid), float("inf")), len(items), [kname], kid))
        if marks and len(items) > len(marks):  # mixed content: in drawing order
            items.sort(key=lambda t: (t[0], t[1]))
        if items:
            p.append(b" /K [")
            for _, _, k, _ in items:
                p += [*k, b" "]
            p.append(b"]")
        p.append(b" >>")
        obj.parts = p
        self._written[id(e)] = (attrs, -1 if pg is None else pg, [t[3] for t in items])
        return name

    def templates(self) -> list[StructTemplate | None]:
        """After writing: the structure of each top-level part (the root's kids, or the
        root itself when it has no Part kids), to copy into packets without re-reading."""
        tops = [k for k in self.root.kids if k.role == "Part"] or [self.root]
        return [self._template(t) if id(t) in self._written else None for t in tops]

    def _template(self, top: Elem) -> StructTemplate:
        nodes: list[tuple[bytes, int, tuple[tuple[int, int], ...]]] = []

        def walk(e: Elem) -> int:
            attrs, pg, items = self._written[id(e)]
            index = len(nodes)
            nodes.append((attrs, pg, ()))
            out: list[tuple[int, int]] = []
            for it in items:
                out.append(it if isinstance(it, tuple) else (-1 - walk(it), 0))
            nodes[index] = (attrs, pg, tuple(out))
            return index

        walk(top)
        return StructTemplate(tuple(nodes))


@dataclass(frozen=True)
class StructTemplate:
    """A rendered part's structure elements, in preorder, as bytes and numbers.

    Each node: its attributes (` /S /P ...`), its page (-1: none), and its kids in
    order: (MCID, page) for marked content, (-1 - node index, 0) for an element.
    Pages are the render's 0-based page indices. Picklable; see `PacketTree.add`.
    """

    nodes: tuple[tuple[bytes, int, tuple[tuple[int, int], ...]], ...]


def _attr_bytes(e: Elem, bbox: tuple[float, float, float, float] | None = None) -> bytes:
    """An element's own entries: ` /S /Role` and its attributes (a figure's /BBox, a
    Layout attribute, where it was drawn)."""
    p = [b" /S /%s" % _pdf_name(e.role)]
    if bbox is not None:
        p.append(b" /A << /O /Layout /Placement /Block /BBox [%s] >>"
                 % " ".join(f"{v:.2f}" for v in bbox).encode())
    for key, val in ((b"Lang", e.lang), (b"Alt", e.alt), (b"ActualText", e.actual_text),
                     (b"T", e.title)):
        if val is not None:
            p.append(b" /%s %s" % (key, pdf_text(val)))
    if e.scope or e.colspan > 1:
        p.append(b" /A << /O /Table")
        if e.scope:
            p.append(b" /Scope /%s" % _pdf_name(e.scope))
        if e.colspan > 1:
            p.append(b" /ColSpan %d" % e.colspan)
        p.append(b" >>")
    return b"".join(p)


class _Raw(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF object written from byte parts; a str part is a reference by internal name.

    Much faster than reportlab's PDFDictionary for the many small structure elements.
    """

    def __init__(self) -> None:
        self.parts: list[bytes | str] = []

    def format(self, document: Any) -> bytes:
        """The object's bytes, with its references resolved."""
        nums = document.idToObjectNumberAndVersion
        return b"".join(x if isinstance(x, bytes) else b"%d 0 R" % nums[x][0]
                        for x in self.parts)


class _Unwritten:
    """Stands in for reportlab's document when the tree is collected, not written."""

    def __init__(self) -> None:
        self.count = 0

    def Reference(self, obj: Any) -> Any:  # noqa: N802 - reportlab's name
        """A name for the object, which is not added to any document."""
        self.count += 1
        return _Named(f"unwritten{self.count}")


@dataclass(frozen=True)
class _Named:
    name: str


def _name(doc: Any, obj: Any) -> str:
    """Register an object with the document; its internal name."""
    return cast(str, doc.Reference(obj).name)


def _pdf_name(s: str) -> bytes:
    return re.sub(r"[^A-Za-z0-9_.:-]", "", s).encode() or b"Span"


def pdf_text(s: str) -> bytes:
    """A PDF text string: literal if printable ASCII, else UTF-16BE with BOM (hex)."""
    if s.isascii() and s.isprintable():
        esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + esc.encode() + b")"
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


class _PlainStream(pdfdoc.PDFStream):  # type: ignore[misc]
    """An unfiltered stream (reportlab would write an empty /Filter array)."""

    def format(self, document: Any) -> bytes:
        """The stream object's bytes."""
        data = document.encrypt.encode(self.content)
        d = pdfdoc.PDFDictionary(dict(self.dictionary.dict))
        d["Length"] = len(data)
        head: bytes = pdfdoc.format(d, document)
        return head + b"\nstream\n" + bytes(data) + b"\nendstream\n"


def slot(slots: list[Any], mcid: int, ref: Any) -> None:
    while len(slots) <= mcid:
        slots.append(None)
    slots[mcid] = ref


def _bdc_tag(role: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "", role) or "Span"


def _prune(root: Elem, marks: dict[int, list[tuple[int, int, int]]],
           first: dict[int, float]) -> set[int]:
    """Ids of the elements worth writing (content below them, or table cells).

    Fills `first`: each element's earliest drawing sequence number in its subtree.
    """
    kept: set[int] = set()

    def walk(e: Elem) -> bool:
        own = marks.get(id(e))
        keep = own is not None
        best = min(m[2] for m in own) if own else float("inf")
        for k in e.kids:
            keep = walk(k) or keep
            best = min(best, first[id(k)])
        first[id(e)] = best
        if keep or e.role in KEEP_EMPTY:
            kept.add(id(e))
            return True
        return False

    walk(root)
    kept.add(id(root))
    return kept
