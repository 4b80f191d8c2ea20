"""Tagged packets: a worksheet's structure copied once per student for class packets,
written in compressed object streams."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from .catalog import mark_catalog
from .tagger import StructTemplate

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
