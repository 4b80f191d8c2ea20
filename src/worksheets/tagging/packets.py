"""Tagged packets: a worksheet's structure copied once per student for class packets,
each copy one compressed object stream made by a single formatting of precompiled bytes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from .catalog import pdf_date_to_xmp, xmp
from .compact import CompactWriter, RawObject
from .tagger import StructTemplate

PageMap = dict[int, tuple[int, IndirectObject]]  # source page index -> (index, page)


@dataclass(frozen=True)
class _Compiled:
    """A `StructTemplate` as one object stream's bytes with `%{width}d` slots.

    The copy's objects are its nodes, then one ParentTree array per source page with
    marked content (`pages`, in order). Each slot holds a number of `width` digits,
    padded with spaces, so every offset in the stream is known in advance. Slot i is
    filled with item `at[i]` of [the copy's objects..., the Document, the copy of each
    source page from `low`].
    """

    count: int
    pages: tuple[int, ...]
    fmt: bytes
    first: int  # the stream's /First: the length of its "number offset" table
    at: tuple[int, ...]
    low: int  # the first source page any slot names
    span: int  # how many source pages from `low`


def _compile(tpl: StructTemplate, width: int) -> _Compiled:
    slot = b"%%%dd" % width
    dummy = 10 ** (width - 1)
    objects: list[tuple[bytes, list[int]]] = []
    arrays: dict[int, list[int | None]] = {}
    parents = {0: -1}
    for i, (attrs, pg, items) in enumerate(tpl.nodes):
        if i == 0:
            attrs = attrs.replace(b" /S /Document", b" /S /Part", 1)
        fmt = [b"<<", attrs.replace(b"%", b"%%"), b" /P ", slot, b" 0 R"]
        spec = [parents[i]]
        if pg >= 0:
            fmt += [b" /Pg ", slot, b" 0 R"]
            spec.append(-2 - pg)
        if items:
            fmt.append(b" /K [")
            for a, b in items:
                if a < 0:
                    parents[-1 - a] = i
                    fmt += [slot, b" 0 R "]
                    spec.append(-1 - a)
                    continue
                arr = arrays.setdefault(b, [])
                arr.extend([None] * (a + 1 - len(arr)))
                arr[a] = i
                if b == pg:
                    fmt.append(b"%d " % a)
                else:
                    fmt += [b"<< /Type /MCR /Pg ", slot, b" 0 R /MCID %d >> " % a]
                    spec.append(-2 - b)
            fmt.append(b"]")
        fmt.append(b" >>")
        objects.append((b"".join(fmt), spec))
    pages = tuple(sorted(arrays))
    for p in pages:
        refs = [x for x in arrays[p] if x is not None]
        objects.append((b"[" + b" ".join(b"null" if x is None else slot + b" 0 R"
                                          for x in arrays[p]) + b"]", refs))
    head: list[bytes] = []
    at = 0
    for fmt_k, spec_k in objects:
        head.append(slot + b" %d" % at)
        at += len(fmt_k % ((dummy,) * len(spec_k))) + 1
    head_fmt = b" ".join(head) + b"\n"
    count = len(objects)
    body = b"\n".join(f for f, _ in objects) + b"\n"
    fills = tuple(range(count)) + tuple(a for _, sp in objects for a in sp)
    used = [-2 - a for a in fills if a < -1]
    low = min(used, default=0)
    # each slot as an index into [the copy's objects..., the Document, pages low...]
    index = tuple(a if a >= 0 else count if a == -1 else count + 1 + (-2 - a - low)
                  for a in fills)
    return _Compiled(count, pages, head_fmt + body, len(head_fmt % ((dummy,) * count)), index,
                     low, max(used, default=-1) + 1 - low)


_CACHE: dict[int, tuple[StructTemplate, dict[int, _Compiled]]] = {}
_CACHE_SIZE = 32  # the shared worksheets' templates stay; covers (one per class) pass


def _compiled(tpl: StructTemplate, width: int) -> _Compiled:
    hit = _CACHE.pop(id(tpl), None)
    if hit is None:
        hit = (tpl, {})
        while len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
    _CACHE[id(tpl)] = hit  # most recently used last
    c = hit[1].get(width)
    if c is None:
        c = hit[1][width] = _compile(tpl, width)
    return c


def _width(start: int, templates: list[StructTemplate]) -> int:
    """Digits enough for every object number of the copies (and their streams)."""
    width = len(str(start + sum(2 * len(t.nodes) + 1 for t in templates)))
    exact = len(str(start + sum(_compiled(t, width).count + 1 for t in templates)))
    return exact


class PacketTree:
    """The structure tree of a packet assembled with pypdf from tagged, rendered PDFs.

    Each copy of a rendered part's pages (a student's worksheet drawn from one shared
    render) gets its own copy of the part's structure elements (a `StructTemplate` from
    the render's `Tagger`), with /Pg pointing at the copy's pages; content streams stay
    shared, since MCIDs resolve through each page's own ParentTree entry. Each copy is
    one object stream of the `CompactWriter`.
    """

    def __init__(self, w: CompactWriter, role_map: dict[str, str] | None = None) -> None:
        self.w = w
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = w._add_object(self.root)
        self.doc = RawObject()
        self.doc_ref = w._add_object(self.doc)
        self.parent_tree = RawObject()
        self.parent_tree_ref = w._add_object(self.parent_tree)
        self.copies: list[tuple[StructTemplate, dict[int, tuple[int, int]]]] = []
        self.role_map = dict(role_map or {})

    def add(self, tpl: StructTemplate, pages: PageMap) -> None:
        """One copy of a part, its pages mapped to the packet's."""
        self.copies.append((tpl, {k: (i, ref.idnum) for k, (i, ref) in pages.items()}))

    def finish(self, pages: int, lang: str, title: str) -> set[int]:
        """The tree and the catalog entries; returns the pages (0-based) that have a
        ParentTree entry, whose /StructParents is their index. Seals the writer."""
        w = self.w
        self.root[NameObject("/K")] = ArrayObject([self.doc_ref])
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(pages)
        if self.role_map:
            self.root[NameObject("/RoleMap")] = DictionaryObject(
                {NameObject("/" + k): NameObject("/" + v)
                 for k, v in sorted(self.role_map.items())})
        self.root[NameObject("/ParentTree")] = self.parent_tree_ref
        w.root_object[NameObject("/StructTreeRoot")] = self.root_ref
        mark_catalog(w, lang, title)
        w.seal()
        width = _width(w.next_number, [t for t, _ in self.copies])
        doc = self.doc_ref.idnum
        kids: list[bytes] = []
        nums: dict[int, int] = {}
        for tpl, pmap in self.copies:
            c = _compiled(tpl, width)
            first = w.next_number
            w.next_number += c.count
            kids.append(b"%d 0 R" % first)
            fill = [*range(first, first + c.count), doc,
                    *[pmap[p][1] for p in range(c.low, c.low + c.span)]]
            data = c.fmt % tuple(map(fill.__getitem__, c.at))
            w.add_stream(range(first, first + c.count), data, c.first)
            base = first + c.count - len(c.pages)
            for k, p in enumerate(c.pages):
                nums[pmap[p][0]] = base + k
        assert w.next_number < 10 ** width
        self.doc.data = (b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
                         % (self.root_ref.idnum, b" ".join(kids)))
        self.parent_tree.data = b"<< /Nums [%s] >>" % b" ".join(_pairs(nums))
        return set(nums)


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
    meta.set_data(xmp(title, lang, pdf_date_to_xmp(date_src), producer, creator))
    meta[NameObject("/Type")] = NameObject("/Metadata")
    meta[NameObject("/Subtype")] = NameObject("/XML")
    cat[NameObject("/Metadata")] = w._add_object(meta)


def _pairs(nums: dict[int, int]) -> Iterator[bytes]:
    for key in sorted(nums):
        yield b"%d %d 0 R" % (key, nums[key])
