"""Finish stage: pypdf work on rendered PDFs: assembling packets, duplex padding, metadata."""

from __future__ import annotations

import io
from typing import cast

from pypdf import PageObject
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from .tagging import StructTemplate
from .tagging.compact import CompactWriter, RawObject
from .tagging.packets import PacketTree

STAMP = "/WSStamp"  # the name of a page's stamp (a student's name) among its XObjects


class PacketWriter:
    """A pypdf writer that assembles a packet from rendered PDFs, sharing their objects.

    Pages copied from one PDF share its fonts; a stamped page is a new page whose
    contents are [the stamp, a base page's content], so a class's worksheets and
    fonts are written once however many students there are. Stamped and blank pages
    are written as bytes in object streams (`RawObject`), not by pypdf.

    The packet is tagged: `tag_part` copies a rendered part's structure elements for
    each copy of its pages (`PacketTree`); the stamp is an artifact.
    """

    def __init__(self) -> None:
        self.w = CompactWriter()
        do = DecodedStreamObject()
        do.set_data(f"/Artifact <</Type /Pagination>> BDC q {STAMP} Do Q EMC\n".encode())
        self.do_ref = self._indirect(do)
        self.tree = cast(DictionaryObject, self.w.root_object["/Pages"])
        self.tree_id = cast(IndirectObject, self.tree.indirect_reference).idnum
        self.kids = cast(ArrayObject, self.tree["/Kids"])
        self.pages = 0
        self.struct = PacketTree(self.w, {"AnswerArea": "Figure"})
        # each page: pypdf's dictionary, or a RawObject and its bytes up to /StructParents
        self._page_objs: list[DictionaryObject | tuple[RawObject, bytes]] = []
        # per base page: its /Contents array, its /MediaBox as bytes, and its resources
        self._bases: dict[int, tuple[int, bytes, DictionaryObject]] = {}
        self._resources: dict[tuple[int, int, tuple[tuple[str, int], ...]], int] = {}
        self._stamp_resources: IndirectObject | None = None

    def _indirect(self, obj: PdfObject) -> IndirectObject:
        # pypdf has no public call for a new indirect object. Shared objects must be
        # indirect: pypdf copies a direct array's streams into every page that holds it.
        return self.w._add_object(obj)

    def _append(self, page: DictionaryObject) -> IndirectObject:
        # Straight into the (flat) page tree: add_page() clones every new page all over
        # again, and its index bookkeeping does not know about pages added this way.
        page[NameObject("/Parent")] = self.tree.indirect_reference
        ref = getattr(page, "indirect_reference", None)
        if ref is None or ref.pdf is not self.w:
            ref = self._indirect(page)
        self._page_objs.append(page)
        return self._kid(ref)

    def _append_raw(self, head: bytes) -> IndirectObject:
        """A page written as `head` (its entries but /StructParents and /Tabs)."""
        ref = self.w.reserve()
        self._page_objs.append((cast(RawObject, ref.get_object()),
                                head + b" /Parent %d 0 R" % self.tree_id))
        return self._kid(ref)

    def _kid(self, ref: IndirectObject) -> IndirectObject:
        self.kids.append(ref)
        self.pages += 1
        return ref

    def blank(self, box: ArrayObject) -> None:
        """An empty page (the back of a worksheet's last sheet)."""
        self._append_raw(b"<< /Type /Page /MediaBox %s /Resources << >>" % _bytes(box))

    def copy(self, page: PageObject) -> tuple[int, IndirectObject]:
        """A page of another PDF, with its resources (shared with what was copied before).

        Returns its index and reference, for `tag_part`."""
        new = page.clone(self.w, False, ("/Parent", "/StructParents", "/Annots"))
        return self.pages, self._append(cast(DictionaryObject, new.get_object()))

    def stamp(self, code: bytes, fonts_of: PageObject, box: ArrayObject) -> IndirectObject:
        """A Form XObject drawing `code` (operators in page coordinates, `box` the page)
        with the fonts of `fonts_of`, a page of the same render."""
        if self._stamp_resources is None:
            res = cast(DictionaryObject, fonts_of["/Resources"])
            self._stamp_resources = self._indirect(DictionaryObject(
                {NameObject("/Font"): res.raw_get("/Font").clone(self.w)}))
        form = DecodedStreamObject()
        form.set_data(code)
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(FloatObject(float(x)) for x in box)
        form[NameObject("/Resources")] = self._stamp_resources
        return self._indirect(form)

    def stamped(self, index: int, page: PageObject,
                stamp: IndirectObject) -> tuple[int, IndirectObject]:
        """A new page drawing the stamp, then the base page's shared content."""
        known = self._bases.get(index)
        if known is None:
            base = page.raw_get("/Contents").clone(self.w)
            contents = self._indirect(ArrayObject([self.do_ref, base])).idnum
            known = self._bases[index] = (contents, _bytes(page.raw_get("/MediaBox").get_object()),
                                          cast(DictionaryObject, page["/Resources"]))
        contents, box, res = known
        font = res.raw_get("/Font")
        # pages that share fonts may draw different images: their XObjects are the key too
        drawn = cast(DictionaryObject, res.get("/XObject", DictionaryObject()))
        images = tuple(sorted((str(k), _ref(drawn.raw_get(k))) for k in drawn))
        key = (stamp.idnum, font.idnum if isinstance(font, IndirectObject) else id(res),
               images)
        res_id = self._resources.get(key)
        if res_id is None:
            new = DictionaryObject({NameObject(k): v.clone(self.w) for k, v in res.items()
                                    if k not in ("/ProcSet", "/XObject")})
            xobjects = DictionaryObject({NameObject(k): v.clone(self.w)
                                         for k, v in cast(DictionaryObject, res.get(
                                             "/XObject", DictionaryObject())).items()})
            xobjects[NameObject(STAMP)] = stamp
            new[NameObject("/XObject")] = xobjects
            res_id = self._resources[key] = self._indirect(new).idnum
        n = self.pages
        return n, self._append_raw(b"<< /Type /Page /MediaBox %s /Resources %d 0 R "
                                   b"/Contents %d 0 R" % (box, res_id, contents))

    def tag_part(self, part: StructTemplate | None,
                 pages: dict[int, tuple[int, IndirectObject]]) -> None:
        """The structure of a rendered part for one copy of its pages: `pages` maps
        each page index of the render to the copy's page (index and reference)."""
        if part is not None:
            self.struct.add(part, pages)

    def finish(self, title: str, author: str, subject: str, doc_id: bytes, date: str,
               lang: str = "en-US") -> bytes:
        """The packet's bytes, with its metadata, structure tree and a stable /ID."""
        info = {"/Title": title, "/Author": author, "/Subject": subject,
                "/Producer": "worksheets", "/Creator": "worksheets batch"}
        if date:
            info["/CreationDate"] = info["/ModDate"] = date
        self.w.add_metadata({k: TextStringObject(v) for k, v in info.items()})
        # A stable /ID (pypdf leaves it out): identical inputs give identical bytes.
        self.w._ID = ArrayObject([ByteStringObject(doc_id), ByteStringObject(doc_id)])
        self.tree[NameObject("/Count")] = NumberObject(self.pages)
        tagged = self.struct.finish(self.pages, lang, title)
        for n, page in enumerate(self._page_objs):
            if isinstance(page, DictionaryObject):
                if n in tagged:
                    page[NameObject("/StructParents")] = NumberObject(n)
                page[NameObject("/Tabs")] = NameObject("/S")
            else:
                raw, head = page
                raw.data = head + (b" /StructParents %d /Tabs /S >>" % n if n in tagged
                                   else b" /Tabs /S >>")
        out = io.BytesIO()
        self.w.write(out)
        return out.getvalue()


def _ref(obj: object) -> int:
    """An object's identity in its PDF: its object number when it is indirect."""
    return obj.idnum if isinstance(obj, IndirectObject) else id(obj)


def _bytes(obj: PdfObject) -> bytes:
    """A direct object as written in a PDF."""
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()
