"""Tagged, accessible PDF (PDF/UA-1) output from reportlab.

Three layers:

* `Elem`: the logical structure tree (Document > H1, P, Sect, Table, L, Figure ...),
  built while the story is composed, in reading order. It holds no page data and
  can be rendered any number of times.
* `Tagger`: one per render. Attached to the canvas, it allocates MCIDs per page and
  writes `/Role <</MCID n>> BDC ... EMC` or `/Artifact ... BMC ... EMC` around
  drawing, via `canvas.addLiteral()`. Flowables use the module-level `content()`,
  `artifact()` and `anchor()` context helpers, which do nothing on an untagged canvas.
* `Tagger.write_into(doc)`: run by a hook on reportlab's document just before it is
  serialised (no second parse): the structure tree, ParentTree, MarkInfo, Lang, XMP
  metadata, /StructParents and /Tabs on pages, and clean ToUnicode CMaps.

`merge_tagged()` joins several finished PDFs into one tagged packet.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Frame, PageTemplate, Table

__all__ = [
    "Elem", "PacketTree", "StructTemplate", "Tagger", "TaggingError", "TaggedFrame",
    "TaggedTable", "anchor", "artifact", "artifact_callback", "content", "merge_tagged", "tag",
    "tagger_of",
]

TAG_ATTR = "_pdfua_elem"  # a flowable's structure element, set by tag()
_CANVAS_ATTR = "_pdfua_tagger"
STANDARD_ROLES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H "
    "H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note "
    "Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
    .split())
_KEEP_EMPTY = frozenset({"TH", "TD"})  # an empty cell still holds its place in the grid


class TaggingError(RuntimeError):
    """Content was marked in a way that cannot be tagged correctly."""


# --- the logical structure ----------------------------------------------------------


@dataclass(eq=False)
class Elem:
    """A structure element: a role, attributes and child elements in reading order."""

    role: str
    parent: Elem | None = None
    lang: str | None = None
    alt: str | None = None
    actual_text: str | None = None
    title: str | None = None
    scope: str | None = None  # TH only: "Column", "Row" or "Both"
    colspan: int = 1  # TH/TD: columns spanned
    kids: list[Elem] = field(default_factory=list)

    def add(self, role: str, *, lang: str | None = None, alt: str | None = None,
            actual_text: str | None = None, title: str | None = None,
            scope: str | None = None, colspan: int = 1) -> Elem:
        """A new child element, after the existing ones."""
        kid = Elem(role, self, lang=lang, alt=alt, actual_text=actual_text, title=title,
                   scope=scope, colspan=colspan)
        self.kids.append(kid)
        return kid


def tag(flowable: Any, elem: Elem | None) -> Any:
    """Mark a top-level flowable (and every part a split makes of it) as `elem`'s content.

    A `TaggedFrame` wraps its drawing in a marked-content sequence. Returns the flowable.
    """
    setattr(flowable, TAG_ATTR, elem)
    return flowable


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
                 role_map: dict[str, str] | None = None) -> None:
        self.root, self.lang, self.title = root, lang, title
        self.role_map = dict(role_map or {})
        self.pages: dict[int, list[Elem]] = {}  # page index -> element of each MCID
        self.marks: dict[int, list[tuple[int, int, int]]] = {}  # id(elem) -> (page, mcid, seq)
        self._seq = 0
        self._stack: list[_Open] = []
        # id(elem) -> (attributes, page, kids in order), as written
        self._written: dict[int, tuple[bytes, int, list[tuple[int, int] | Elem]]] = {}

    # attaching
    def attach(self, canvas: Any) -> Any:
        """Attach to a canvas; returns it."""
        setattr(canvas, _CANVAS_ATTR, self)
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
        for name, obj in doc.idToObject.items():
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                obj.content = clean_cmap(obj.content)

    def _build(self, doc: Any, e: Elem, parent: str, page_names: list[str],
               parent_tree: dict[int, list[str | None]], kept: set[int],
               first: dict[int, float]) -> str | None:
        if id(e) not in kept:
            return None
        if "Figure" in (e.role, self.role_map.get(e.role)) and not (e.alt and e.alt.strip()):
            raise TaggingError(f"a {e.role} element without a text alternative (/Alt)")
        obj = _Raw()
        name = _name(doc, obj)
        attrs = _attr_bytes(e)
        p: list[bytes | str] = [b"<< /Type /StructElem /P ", parent, attrs]
        marks = self.marks.get(id(e), [])
        pg = marks[0][0] if marks else None
        if pg is not None:
            p += [b" /Pg ", page_names[pg]]
        items: list[tuple[float, int, list[bytes | str], tuple[int, int] | Elem]] = []
        for page, mcid, seq in marks:
            _slot(parent_tree[page], mcid, name)
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


def _attr_bytes(e: Elem) -> bytes:
    """An element's own entries: ` /S /Role` and its attributes."""
    p = [b" /S /%s" % _pdf_name(e.role)]
    for key, val in ((b"Lang", e.lang), (b"Alt", e.alt), (b"ActualText", e.actual_text),
                     (b"T", e.title)):
        if val is not None:
            p.append(b" /%s %s" % (key, _pdf_text(val)))
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


def _name(doc: Any, obj: Any) -> str:
    """Register an object with the document; its internal name."""
    return cast(str, doc.Reference(obj).name)


def _pdf_name(s: str) -> bytes:
    return re.sub(r"[^A-Za-z0-9_.:-]", "", s).encode() or b"Span"


def _pdf_text(s: str) -> bytes:
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


def _slot(slots: list[Any], mcid: int, ref: Any) -> None:
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
        if keep or e.role in _KEEP_EMPTY:
            kept.add(id(e))
            return True
        return False

    walk(root)
    kept.add(id(root))
    return kept


def tagger_of(canvas: Any) -> Tagger | None:
    """The tagger attached to a canvas, if any."""
    return cast(Tagger | None, getattr(canvas, _CANVAS_ATTR, None))


@contextmanager
def content(canvas: Any, elem: Elem | None) -> Iterator[None]:
    """Drawing inside this block is `elem`'s content (no-op untagged or for None)."""
    t = tagger_of(canvas)
    if t is None or elem is None:
        yield
        return
    t.begin(canvas, elem)
    try:
        yield
    finally:
        t.end(canvas)


@contextmanager
def artifact(canvas: Any, kind: str | None = None) -> Iterator[None]:
    """Drawing inside this block is decoration (no-op on an untagged canvas)."""
    t = tagger_of(canvas)
    if t is None:
        yield
        return
    t.begin_artifact(canvas, kind)
    try:
        yield
    finally:
        t.end(canvas)


def anchor(canvas: Any, elem: Elem | None) -> None:
    """Tie a content-less element (an answer space with /Alt) to the current page."""
    t = tagger_of(canvas)
    if t is not None and elem is not None:
        t.anchor(canvas, elem)


def artifact_callback(fn: Callable[[Any, Any], None],
                      kind: str | None = "Pagination") -> Callable[[Any, Any], None]:
    """Wrap a page template's onPage/onPageEnd so all it draws is an artifact."""
    def on_page(canvas: Any, doc: Any) -> None:
        with artifact(canvas, kind):
            fn(canvas, doc)
    return on_page


def artifact_template(template: Any, kind: str | None = "Pagination") -> Any:
    """A PageTemplate whose onPage and onPageEnd draw artifacts; returns it."""
    assert isinstance(template, PageTemplate)
    template.onPage = artifact_callback(template.onPage, kind)
    template.onPageEnd = artifact_callback(template.onPageEnd, kind)
    return template


LANG_CALLBACK = "pdfua_lang"  # a canvas attribute: `lang_callback`


def lang_span(markup: str, lang: str) -> str:
    """Paragraph markup whose text is marked as being in `lang` (inside its paragraph's
    own element: `/Span <</Lang (es)>> BDC ... EMC` in the text object). The canvas
    needs `LANG_CALLBACK` set to `lang_callback`."""
    return (f'<onDraw name="{LANG_CALLBACK}" label="{lang}"/>{markup}'
            f'<onDraw name="{LANG_CALLBACK}" label="-"/>')


def lang_callback(canvas: Any, kind: str, label: str | None) -> None:
    """Reportlab's onDraw callback for `lang_span`: opens or closes the language span
    in the text object being drawn (so it nests inside the text object and inside the
    paragraph's own marked-content sequence)."""
    if tagger_of(canvas) is None:
        return
    tx = canvas._curr_tx_info["tx"]
    depth = getattr(tx, "_pdfua_spans", 0)
    if label and label != "-":
        tx._code.append(f"/Span <</Lang {_pdf_text(label).decode()}>> BDC")
        tx._pdfua_spans = depth + 1
    elif depth:  # (a paragraph split inside a span starts its second part without it)
        tx._code.append("EMC")
        tx._pdfua_spans = depth - 1


class LineEndText(PDFTextObject):  # type: ignore[misc]
    """A text object that ends each wrapped line with a space glyph.

    Reportlab draws no space where a paragraph wraps, so text extraction and the
    structure's text join the last word of a line to the first of the next
    ("wherethe"). The space is invisible and, drawn after the line, moves nothing.
    Use it from a canvas's `beginText`.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 - reportlab's
        if TStar and not text[-1:].isspace():
            text += " "
        super()._textOut(text, TStar)

    def getCode(self) -> str:  # noqa: N802 - reportlab's name
        """The text object's code, closing a language span a page break left open."""
        self._code.extend(["EMC"] * getattr(self, "_pdfua_spans", 0))
        self._pdfua_spans = 0
        code: str = super().getCode()
        return code


# --- flowables ----------------------------------------------------------------------------


class TaggedFrame(Frame):  # type: ignore[misc]
    """A Frame that marks each top-level flowable as its element's content.

    A flowable tagged with `tag()` is drawn inside its element's sequence; one whose
    class sets `tags_itself = True` marks its own drawing; an untagged flowable that
    draws anything is an artifact. A split hands the element on to both parts.
    """

    def add(self, flowable: Any, canv: Any, trySplit: int = 0) -> Any:  # noqa: N803
        """Draw the flowable inside its marked-content sequence."""
        if tagger_of(canv) is None or getattr(flowable, "tags_itself", False):
            return self._add(flowable, canv, trySplit)
        elem = getattr(flowable, TAG_ATTR, None)
        if elem is None:
            with artifact(canv, "Layout"):
                return self._add(flowable, canv, trySplit)
        with content(canv, elem):
            return self._add(flowable, canv, trySplit)

    def split(self, flowable: Any, canv: Any) -> Any:
        """Split, handing the element on to the parts."""
        parts = super().split(flowable, canv)
        elem = getattr(flowable, TAG_ATTR, None)
        if elem is not None:
            for p in parts:
                if getattr(p, TAG_ATTR, None) is None:
                    setattr(p, TAG_ATTR, elem)
        return parts


@dataclass
class _TableTags:
    table: Elem | None
    cells: list[list[Elem | None]]


class _TableCB:
    """reportlab's Table render callback: cells tagged, background and rules artifacts."""

    def __call__(self, t: Any, cmd: str, *args: Any) -> None:
        canv = t.canv
        if tagger_of(canv) is None:
            return
        tags: _TableTags | None = getattr(t, "_pdfua_tags", None)
        if cmd in ("startBG", "startLines"):
            cast(Tagger, tagger_of(canv)).begin_artifact(canv, "Layout")
        elif cmd in ("endBG", "endLines"):
            cast(Tagger, tagger_of(canv)).end(canv)
        elif cmd == "startCell":
            row, col = args[0], args[1]
            rowmap: list[int | None] = t._pdfua_rowmap
            orig = rowmap[row] if row < len(rowmap) else None
            tg = cast(Tagger, tagger_of(canv))
            cell = None if orig is None or tags is None else tags.cells[orig][col]
            if cell is None:  # a header row repeated on a new page, or a spanned cell
                tg.begin_artifact(canv, "Pagination" if orig is None else "Layout")
            else:
                tg.begin(canv, cell)
        elif cmd == "endCell":
            cast(Tagger, tagger_of(canv)).end(canv)


class TaggedTable(Table):  # type: ignore[misc]
    """A Table tagged as Table > TR > TH/TD; repeated header rows become artifacts.

    `elem` is the Table element; the first `header_rows` rows are TH with Scope Column,
    the first `header_cols` columns of the other rows TH with Scope Row.
    """

    tags_itself: ClassVar[bool] = True

    def __init__(self, data: Sequence[Sequence[Any]], *args: Any, elem: Elem | None = None,
                 header_rows: int = 1, header_cols: int = 0,
                 cells: Sequence[Sequence[Elem | None]] | None = None,
                 colspans: dict[tuple[int, int], int] | None = None,
                 langs: dict[int, str] | None = None, **kwargs: Any) -> None:
        """`cells` gives each cell's element instead (a layout table: no Table element);
        `colspans` maps (row, column) to the columns a cell spans (the cells it covers get
        no element); `langs` maps a column to the language of its data cells."""
        kwargs["renderCB"] = kwargs.get("renderCB") or _TableCB()
        super().__init__(data, *args, **kwargs)
        self._pdfua_rowmap: list[int | None] = list(range(len(data)))
        self._pdfua_tags: _TableTags | None = None
        if cells is not None:
            self._pdfua_tags = _TableTags(None, [list(r) for r in cells])
        elif elem is not None:
            spans = colspans or {}
            grid: list[list[Elem | None]] = []
            for r, row in enumerate(data):
                tr = elem.add("TR")
                out: list[Elem | None] = []
                covered = 0
                for c in range(len(row)):
                    if covered:
                        covered -= 1
                        out.append(None)
                        continue
                    span = spans.get((r, c), 1)
                    covered = span - 1
                    if r < header_rows:
                        out.append(tr.add("TH", scope="Column", colspan=span))
                    elif c < header_cols:
                        out.append(tr.add("TH", scope="Row", colspan=span))
                    else:
                        out.append(tr.add("TD", colspan=span, lang=(langs or {}).get(c)))
                grid.append(out)
            self._pdfua_tags = _TableTags(elem, grid)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """Split, mapping each part's rows to the original rows (None: repeated header)."""
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            first._pdfua_rowmap = self._pdfua_rowmap[:len(first._cellvalues)]
            rr = rest.repeatRows if isinstance(rest.repeatRows, int) else len(rest.repeatRows)
            tail = len(rest._cellvalues) - rr
            rest._pdfua_rowmap = [None] * rr + self._pdfua_rowmap[len(self._pdfua_rowmap)
                                                                  - tail:]
        for p in parts:
            p._pdfua_tags = self._pdfua_tags
        return parts

    def _restoreRoundingObscuredLines(self) -> None:  # noqa: N802 - reportlab's name
        with artifact(self.canv, "Layout"):
            super()._restoreRoundingObscuredLines()


# --- finishing ------------------------------------------------------------------------------


def _finish_tree(w: PdfWriter, root: DictionaryObject, parent_tree: dict[int, list[PdfObject]],
                 role_map: dict[str, str]) -> None:
    nums = ArrayObject()
    for key in sorted(parent_tree):
        nums.append(NumberObject(key))
        nums.append(w._add_object(ArrayObject(parent_tree[key])))
    root[NameObject("/ParentTree")] = w._add_object(
        DictionaryObject({NameObject("/Nums"): nums}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(max(parent_tree, default=-1) + 1)
    if role_map:
        root[NameObject("/RoleMap")] = DictionaryObject(
            {NameObject("/" + k): NameObject("/" + v) for k, v in sorted(role_map.items())})


def _pdf_date_to_xmp(d: str) -> str:
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", d)
    if not m:
        return "2000-01-01T00:00:00Z"
    y, mo, da, h, mi, s = m.groups()
    return f"{y}-{mo}-{da}T{h}:{mi}:{s}Z"


def xmp(title: str, lang: str, date: str, producer: str, creator: str) -> bytes:
    """Deterministic XMP metadata with dc:title and pdfuaid:part 1."""
    t = xml_escape(title)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{xml_escape(lang)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:CreatorTool>{xml_escape(creator)}</xmp:CreatorTool>
   <pdf:Producer>{xml_escape(producer)}</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _catalog(w: PdfWriter, lang: str, title: str, epoch: int | None) -> None:
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    info = w._info.get_object() if w._info is not None else None
    if epoch is not None:
        pdf_date = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch))
        if isinstance(info, DictionaryObject):
            info[NameObject("/CreationDate")] = TextStringObject(pdf_date)
            info[NameObject("/ModDate")] = TextStringObject(pdf_date)
    mark_catalog(w, lang, title)


def mark_catalog(w: PdfWriter, lang: str, title: str) -> None:
    """The catalog entries of a tagged PDF in a pypdf writer: MarkInfo, Lang,
    DisplayDocTitle, XMP metadata (dates from the document information) and Title."""
    cat = w.root_object
    cat[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    cat[NameObject("/Lang")] = TextStringObject(lang)
    vp = cast(DictionaryObject, cat.get("/ViewerPreferences", DictionaryObject()))
    vp = DictionaryObject(dict(vp.items()))
    vp[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    cat[NameObject("/ViewerPreferences")] = vp
    info = w._info.get_object() if w._info is not None else None
    date_src = str(info.get("/CreationDate", "")) if isinstance(info, DictionaryObject) else ""
    producer = str(info.get("/Producer", "")) if isinstance(info, DictionaryObject) else ""
    creator = str(info.get("/Creator", "")) if isinstance(info, DictionaryObject) else ""
    if isinstance(info, DictionaryObject):
        info[NameObject("/Title")] = TextStringObject(title)
    meta = DecodedStreamObject()
    meta.set_data(xmp(title, lang, _pdf_date_to_xmp(date_src), producer, creator))
    meta[NameObject("/Type")] = NameObject("/Metadata")
    meta[NameObject("/Subtype")] = NameObject("/XML")
    cat[NameObject("/Metadata")] = w._add_object(meta)


_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BAD = {0x0000, 0xFEFF, 0xFFFE}


def clean_cmap(cmap: str) -> str:
    """A ToUnicode CMap without entries to U+0000/FEFF/FFFE, astral chars as UTF-16."""
    head, sep, rest = cmap.partition("beginbfchar")
    if not sep:
        return cmap
    body, sep2, tail = rest.partition("endbfchar")
    entries = []
    for code, uni in _BFCHAR.findall(body):
        cp = int(uni, 16)
        if len(uni) <= 4 and cp in _BAD:
            continue
        if len(uni) in (5, 6):  # reportlab writes %04X, so astral characters are 5 digits
            uni = chr(cp).encode("utf-16-be").hex().upper()
        entries.append(f"<{code}> <{uni}>")
    head = re.sub(r"\d+\s*$", "", head.rstrip()) + f"\n{len(entries)} "
    return head + "beginbfchar\n" + "\n".join(entries) + "\n" + sep2 + tail


# --- merging ----------------------------------------------------------------------------------


def merge_tagged(pdfs: Sequence[bytes], *, title: str, lang: str,
                 epoch: int | None = None, part_role: str = "Part") -> bytes:
    """One tagged PDF of several: pages, outlines and structure trees in order.

    Each input's Document element becomes a `part_role` element under one new Document;
    the ParentTree and /StructParents are rebuilt from the merged tree.
    """
    w = PdfWriter()
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = w._add_object(root)
    doc = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                            NameObject("/S"): NameObject("/Document"),
                            NameObject("/P"): root_ref})
    doc_ref = w._add_object(doc)
    kids = ArrayObject()
    role_map: dict[str, str] = {}
    for data in pdfs:
        r = PdfReader(io.BytesIO(data))
        w.append(r, import_outline=True)
        src = cast(DictionaryObject, r.trailer["/Root"]).get("/StructTreeRoot")
        if src is None:
            continue
        src = src.get_object()
        for k, v in cast(DictionaryObject, src.get("/RoleMap", DictionaryObject())).items():
            role_map[k[1:]] = str(v)[1:]
        top = src.get("/K")
        tops = list(top) if isinstance(top, ArrayObject) else [top] if top is not None else []
        for t in tops:
            clone = cast(IndirectObject, t.clone(w, False, ("/P", "/Parent")).indirect_reference)
            elem = cast(DictionaryObject, clone.get_object())
            if elem.get("/S") == "/Document":
                elem[NameObject("/S")] = NameObject("/" + part_role)
            kids.append(clone)
    doc[NameObject("/K")] = kids
    root[NameObject("/K")] = ArrayObject([doc_ref])
    page_index = {cast(IndirectObject, p.indirect_reference).idnum: i
                  for i, p in enumerate(w.pages)}
    parent_tree: dict[int, list[PdfObject]] = {i: [] for i in range(len(w.pages))}
    _relink(doc_ref, root_ref, page_index, parent_tree, None)
    _finish_tree(w, root, parent_tree, role_map)
    for i, page in enumerate(w.pages):
        page[NameObject("/StructParents")] = NumberObject(i)
        page[NameObject("/Tabs")] = NameObject("/S")
    w.root_object[NameObject("/StructTreeRoot")] = root_ref
    info = DictionaryObject({NameObject("/Title"): TextStringObject(title),
                             NameObject("/Producer"): TextStringObject("worksheets")})
    if pdfs:
        first = PdfReader(io.BytesIO(pdfs[0])).trailer.get("/Info")
        if first is not None:
            for k in ("/CreationDate", "/ModDate", "/Creator", "/Author", "/Subject"):
                v = first.get_object().get(k)
                if v is not None:
                    info[NameObject(k)] = TextStringObject(str(v))
    w._info = w._add_object(info)
    _catalog(w, lang, title, epoch)
    w.root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    doc_id = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in pdfs)).digest()
    w._ID = ArrayObject([ByteStringObject(doc_id), ByteStringObject(doc_id)])
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _relink(ref: IndirectObject, parent: IndirectObject, page_index: dict[int, int],
            parent_tree: dict[int, list[PdfObject]], inherited_pg: int | None) -> None:
    """Set /P on the merged tree and collect the ParentTree entries."""
    e = cast(DictionaryObject, ref.get_object())
    e[NameObject("/P")] = parent
    pg = e.get("/Pg")
    page = page_index.get(pg.idnum) if isinstance(pg, IndirectObject) else inherited_pg
    k = e.get("/K")
    items = list(k) if isinstance(k, ArrayObject) else [k] if k is not None else []
    for item in items:
        if isinstance(item, NumberObject) or isinstance(item, int):
            if page is not None:
                _slot(parent_tree[page], int(item), ref)
        elif isinstance(item, IndirectObject):
            _relink(item, ref, page_index, parent_tree, page)
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            mpg = item.get("/Pg")
            p = page_index.get(mpg.idnum) if isinstance(mpg, IndirectObject) else page
            if p is not None:
                _slot(parent_tree[p], int(cast(int, item["/MCID"])), ref)


# --- packets: parts copied once per student ---------------------------------------------------



PageMap = dict[int, tuple[int, IndirectObject]]  # source page index -> (index, page)


class CompactWriter(PdfWriter):
    """A pypdf writer that also writes many small objects given as bytes (`extra`,
    numbered after pypdf's own) in compressed object streams, with a cross-reference
    stream (PDF 1.5): a packet has a copy of every structure element for every student,
    which as plain objects would be most of the file and of the time to write it.
    Not for encrypted output."""

    PER_STREAM = 500

    def __init__(self) -> None:
        super().__init__()
        self.extra: list[bytes] = []
        self.extra_base = 0  # the object number before the first extra object

    def _write_xref_table(self, stream: Any, object_positions: list[int],
                          free_objects: list[int]) -> int:
        import struct
        import zlib

        entries: list[tuple[int, int, int]] = [(0, 0, 65535)]
        entries += [(1, pos, 0) if pos > 0 else (0, 0, 1) for pos in object_positions]
        assert len(entries) == self.extra_base + 1, "objects were added after the extra ones"
        entries += [(0, 0, 0)] * len(self.extra)
        number = self.extra_base + len(self.extra)
        for first in range(0, len(self.extra), self.PER_STREAM):
            chunk = self.extra[first:first + self.PER_STREAM]
            offsets, at = [], 0
            for k, body in enumerate(chunk):
                offsets.append(b"%d %d" % (self.extra_base + 1 + first + k, at))
                at += len(body) + 1
            head = b" ".join(offsets) + b"\n"
            data = zlib.compress(head + b"\n".join(chunk) + b"\n", 3)
            number += 1
            entries.append((1, stream.tell(), 0))
            stream.write(b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode "
                         b"/Length %d >>\nstream\n" % (number, len(chunk), len(head), len(data)))
            stream.write(data + b"\nendstream\nendobj\n")
            at = self.extra_base + 1 + first
            entries[at:at + len(chunk)] = [(2, number, k) for k in range(len(chunk))]
        number += 1
        entries.append((1, stream.tell(), 0))
        flat = [x for e in entries for x in e]
        rows = zlib.compress(struct.pack(">" + "BIH" * len(entries), *flat), 1)
        tail = io.BytesIO()
        root = cast(IndirectObject, self.root_object.indirect_reference)
        tail.write(b" /Root %d 0 R" % root.idnum)
        if self._info is not None:
            tail.write(b" /Info %d 0 R" % cast(IndirectObject, self._info.indirect_reference).idnum)
        if self._ID is not None:
            tail.write(b" /ID ")
            self._ID.write_to_stream(tail)
        stream.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Filter /FlateDecode "
                     b"/Length %d%s >>\nstream\n" % (number, len(entries), len(rows),
                                                     tail.getvalue()))
        stream.write(rows + b"\nendstream\nendobj\n")
        return int(entries[number][1])

    def _write_trailer(self, stream: Any, xref_location: int) -> None:
        stream.write(b"startxref\n%d\n%%%%EOF\n" % xref_location)


@dataclass
class _Compiled:
    """A `StructTemplate` as format strings, for fast copies: each node's bytes with
    %d slots and what fills them (k >= 0: the copy's node k; -1: the Document; -2 - p:
    the copy of source page p), and each MCID's (source page, MCID, node)."""

    nodes: list[tuple[bytes, tuple[int, ...]]]
    slots: list[tuple[int, int, int]]
    sizes: dict[int, int]  # source page -> ParentTree array length
    fmt: bytes = b""  # every node's format, joined by line breaks
    spec: tuple[int, ...] = ()  # every node's slots, in order


def _compile(tpl: StructTemplate) -> _Compiled:
    nodes: list[tuple[bytes, tuple[int, ...]]] = []
    slots: list[tuple[int, int, int]] = []
    sizes: dict[int, int] = {}
    parents = {0: -1}
    for i, (attrs, pg, items) in enumerate(tpl.nodes):
        if i == 0:
            attrs = attrs.replace(b" /S /Document", b" /S /Part", 1)
        esc = attrs.replace(b"%", b"%%")
        fmt = [b"<<", esc, b" /P %d 0 R"]
        spec = [parents[i]]
        if pg >= 0:
            fmt.append(b" /Pg %d 0 R")
            spec.append(-2 - pg)
        if items:
            fmt.append(b" /K [")
            for a, b in items:
                if a < 0:
                    parents[-1 - a] = i
                    fmt.append(b"%d 0 R ")
                    spec.append(-1 - a)
                    continue
                slots.append((b, a, i))
                sizes[b] = max(sizes.get(b, 0), a + 1)
                if b == pg:
                    fmt.append(b"%d " % a)
                else:
                    fmt.append(b"<< /Type /MCR /Pg %%d 0 R /MCID %d >> " % a)
                    spec.append(-2 - b)
            fmt.append(b"]")
        fmt.append(b" >>")
        nodes.append((b"".join(fmt), tuple(spec)))
    assert not any(b"\n" in f for f, _ in nodes)
    return _Compiled(nodes, slots, sizes, b"\n".join(f for f, _ in nodes),
                     tuple(a for _, sp in nodes for a in sp))


class PacketTree:
    """The structure tree of a packet assembled with pypdf from tagged, rendered PDFs.

    Each copy of a rendered part's pages (a student's worksheet drawn from one shared
    render) gets its own copy of the part's structure elements (a `StructTemplate` from
    the render's `Tagger`), with /Pg pointing at the copy's pages; content streams stay
    shared, since MCIDs resolve through each page's own ParentTree entry. The elements
    are written in object streams by a `CompactWriter`.
    """

    def __init__(self, w: CompactWriter, role_map: dict[str, str] | None = None) -> None:
        self.w = w
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = w._add_object(self.root)
        self.doc = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                     NameObject("/S"): NameObject("/Document"),
                                     NameObject("/P"): self.root_ref})
        self.doc_ref = w._add_object(self.doc)
        self.copies: list[tuple[StructTemplate, dict[int, tuple[int, int]]]] = []
        self.role_map = dict(role_map or {})

    def add(self, tpl: StructTemplate, pages: PageMap) -> None:
        """One copy of a part, its pages mapped to the packet's."""
        self.copies.append((tpl, {k: (i, ref.idnum) for k, (i, ref) in pages.items()}))

    def finish(self, pages: Sequence[DictionaryObject], lang: str, title: str) -> None:
        """The tree, the pages' /StructParents and the catalog entries. Nothing may be
        added to the writer after this."""
        w = self.w
        self.root[NameObject("/K")] = ArrayObject([self.doc_ref])
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(len(pages))
        if self.role_map:
            self.root[NameObject("/RoleMap")] = DictionaryObject(
                {NameObject("/" + k): NameObject("/" + v)
                 for k, v in sorted(self.role_map.items())})
        nums = ArrayObject()
        self.root[NameObject("/ParentTree")] = w._add_object(
            DictionaryObject({NameObject("/Nums"): nums}))
        w.root_object[NameObject("/StructTreeRoot")] = self.root_ref
        mark_catalog(w, lang, title)
        base = w.extra_base = len(w._objects)
        doc = self.doc_ref.idnum
        parent_tree: dict[int, list[int | None]] = {}
        kids = ArrayObject()
        extra = w.extra
        compiled: dict[int, _Compiled] = {}
        for tpl, pmap in self.copies:
            c = compiled.get(id(tpl))
            if c is None:
                c = compiled[id(tpl)] = _compile(tpl)
            first = base + 1 + len(extra)
            kids.append(IndirectObject(first, 0, w))
            ids = {k: page for k, (_, page) in pmap.items()}
            # one formatting of the whole copy (its nodes joined by line breaks, which
            # their bytes never contain), then split into the objects
            args = tuple([first + a if a >= 0 else doc if a == -1 else ids[-2 - a]
                          for a in c.spec])
            extra += (c.fmt % args).split(b"\n")
            for page, size in c.sizes.items():
                parent_tree[pmap[page][0]] = [None] * size
            for page, mcid, node in c.slots:
                parent_tree[pmap[page][0]][mcid] = first + node
        self.doc[NameObject("/K")] = kids
        for i in sorted(parent_tree):
            extra.append(b"[" + b" ".join(b"null" if x is None else b"%d 0 R" % x
                                          for x in parent_tree[i]) + b"]")
            nums += [NumberObject(i), IndirectObject(base + len(extra), 0, w)]
        for n, page_obj in enumerate(pages):
            if n in parent_tree:
                page_obj[NameObject("/StructParents")] = NumberObject(n)
            page_obj[NameObject("/Tabs")] = NameObject("/S")
