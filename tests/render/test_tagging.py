"""The tagging mechanism on small stories: the structure tree, MCIDs and artifacts."""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer

from worksheets.compose.flowables import AnswerArea, NumberedParagraph
from worksheets.fonts import SANS, register_fonts
from worksheets.load.layout import Layout
from worksheets.render import Meta, PageDecor, render
from worksheets.tagging import Elem, TaggedTable, TaggingError, artifact, content, tag

LAYOUT = Layout()
META = Meta(title="Tagging test", author="tests", subject="tagging")


def style(size: float = 10) -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle("t", fontName=SANS, fontSize=size, leading=size * 1.3)


def p(text: str, parent: Elem, role: str = "P", **kw: Any) -> Paragraph:
    return tag(Paragraph(text, style()), parent.add(role, **kw))


def idnum(ref: Any) -> int:
    """The object number of an indirect reference."""
    return int(ref.idnum)


def make(story: list[Any], root: Elem) -> bytes:
    return render(story, LAYOUT, META, PageDecor(footer_left="Footer"), root)


def walk(pdf: bytes) -> list[tuple[int, str, DictionaryObject]]:
    """The structure elements in preorder: (depth, role, element)."""
    r = PdfReader(io.BytesIO(pdf))
    catalog: Any = r.trailer["/Root"]
    root = catalog["/StructTreeRoot"]
    out: list[tuple[int, str, DictionaryObject]] = []

    def go(k: Any, depth: int) -> None:
        if isinstance(k, ArrayObject):
            for x in k:
                go(x, depth)
        elif isinstance(k, IndirectObject):
            e = k.get_object()
            if isinstance(e, DictionaryObject) and "/S" in e:
                out.append((depth, str(e["/S"])[1:], e))
                go(e.get("/K"), depth + 1)

    go(root["/K"], 0)
    return out


def marked(pdf: bytes, page: int = 0) -> list[tuple[str, str]]:
    """Each text-showing and stroking operator of a page with the tag it is marked with."""
    r = PdfReader(io.BytesIO(pdf))
    ops = ContentStream(r.pages[page].get_contents(), r).operations
    stack: list[str] = []
    out = []
    for operands, op in ops:
        if op in (b"BDC", b"BMC"):
            stack.append(str(operands[0])[1:])
        elif op == b"EMC":
            stack.pop()
        elif op in (b"Tj", b"TJ", b"S"):
            text = str(operands[0]) if op == b"Tj" else op.decode()
            out.append((text.strip(), stack[0] if stack else "untagged"))
    return out


def test_roles_come_in_reading_order() -> None:
    root = Elem("Document")
    rows = [[Paragraph("Term", style()), Paragraph("Meaning", style())],
            [Paragraph("pledge", style()), Paragraph("a promise", style())]]
    story: list[Any] = [p("Title", root, "H1"), p("Intro", root), Spacer(1, 10)]
    sect = root.add("Sect")  # elements are in the order they are made: the reading order
    story += [p("Document A", sect, "H2"), tag(NumberedParagraph("Body text", style()),
                                              sect.add("P")),
             TaggedTable(rows, elem=sect.add("Table"), header_rows=1, header_cols=1)]
    pdf = make(story, root)
    got = [(d, role) for d, role, _ in walk(pdf)]
    assert got == [(0, "Document"), (1, "H1"), (1, "P"), (1, "Sect"), (2, "H2"), (2, "P"),
                   (2, "Table"), (3, "TR"), (4, "TH"), (4, "TH"), (3, "TR"), (4, "TH"),
                   (4, "TD")]
    ths = [e for _, role, e in walk(pdf) if role == "TH"]
    assert [str(cast(Any, e["/A"])["/Scope"]) for e in ths] == ["/Column", "/Column", "/Row"]


def test_every_mcid_maps_back_to_its_element_through_the_parent_tree() -> None:
    root = Elem("Document")
    story = [p(f"Paragraph {i} " + "words " * 80, root) for i in range(12)]
    pdf = make(story, root)
    r = PdfReader(io.BytesIO(pdf))
    catalog: Any = r.trailer["/Root"]
    nums = catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    tree = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    owners: dict[tuple[int, int], int] = {}  # (page, mcid) -> element object number
    pages = {idnum(pg.indirect_reference): n for n, pg in enumerate(r.pages)}
    for _, _, e in walk(pdf):
        ks = e.get("/K")
        for k in ks if isinstance(ks, ArrayObject) else [ks]:
            if isinstance(k, int):
                owners[pages[idnum(e.raw_get("/Pg"))], int(k)] = idnum(e.indirect_reference)
            elif isinstance(k, DictionaryObject) and k.get("/Type") == "/MCR":
                mcid = int(cast(Any, k["/MCID"]))
                owners[pages[idnum(k.raw_get("/Pg"))], mcid] = idnum(e.indirect_reference)
    assert len(r.pages) > 1
    seen = 0
    for n, page in enumerate(r.pages):
        ops = ContentStream(page.get_contents(), r).operations
        mcids = [int(o[1]["/MCID"]) for o, op in ops if op == b"BDC" and "/MCID" in o[1]]
        for mcid in mcids:
            parent = tree[int(cast(Any, page["/StructParents"]))][mcid]
            assert idnum(parent.indirect_reference) == owners[n, mcid]
            seen += 1
    assert seen == len(owners)


def test_a_paragraph_split_across_pages_stays_one_element() -> None:
    root = Elem("Document")
    filler = [Spacer(1, LAYOUT.frame_height - 60)]
    long = p("A long paragraph " * 120, root)
    pdf = make([*filler, long], root)
    ps = [e for _, role, e in walk(pdf) if role == "P"]
    assert len(ps) == 1
    k = ps[0]["/K"]
    assert isinstance(k, ArrayObject) and len(k) == 2
    assert isinstance(k[0], int) and k[1]["/Type"] == "/MCR"
    assert k[1]["/Pg"] != ps[0]["/Pg"]


def test_line_numbers_rules_and_footer_are_artifacts() -> None:
    root = Elem("Document")
    body = tag(NumberedParagraph("word " * 200, style()), root.add("P"))
    area = AnswerArea(3, 24, [], False, elem=root.add("AnswerArea",
                                                        alt="answer space, 3 lines"))
    pdf = make([body, area], root)
    ops = marked(pdf)
    assert ("5", "Artifact") in ops and ("10", "Artifact") in ops
    assert all(tagged == "Artifact" for text, tagged in ops if text == "S")  # every rule
    assert ("Footer", "Artifact") in ops
    assert all(tagged != "untagged" for _, tagged in ops)
    figures = [e for _, role, e in walk(pdf) if role == "AnswerArea"]
    assert [str(e["/Alt"]) for e in figures] == ["answer space, 3 lines"]
    catalog: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    role_map = catalog["/StructTreeRoot"]["/RoleMap"]
    assert role_map["/AnswerArea"] == "/Figure"


def test_language_and_catalog() -> None:
    root = Elem("Document")
    pdf = render([p("Hello", root, "H1"), p("Hola", root, lang="es")], LAYOUT,
                 Meta(title="T", author="a", subject="s", lang="en-GB"),
                 PageDecor(footer_left="F"), root)
    cat: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert cat["/Lang"] == "en-GB" and bool(cat["/MarkInfo"]["/Marked"])
    assert bool(cat["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"<pdfuaid:part>1</pdfuaid:part>" in cat["/Metadata"].get_data()
    assert [str(e.get("/Lang")) for _, role, e in walk(pdf) if role == "P"] == ["es"]
    r = PdfReader(io.BytesIO(pdf))
    for page in r.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            cmap = font.get_object().get("/ToUnicode")
            if cmap is not None:  # no entry maps to U+0000 (reportlab writes some)
                assert b"<0000>\n" not in cmap.get_object().get_data().replace(b"> <", b">\n<")


def test_an_artifact_inside_content_is_refused() -> None:
    root = Elem("Document")

    class Bad(Paragraph):  # type: ignore[misc]
        tags_itself = True

        def draw(self) -> None:
            with content(self.canv, root), artifact(self.canv):
                super().draw()

    with pytest.raises(TaggingError):
        make([Bad("x", style())], root)


def test_the_same_story_gives_the_same_bytes() -> None:
    def once() -> bytes:
        root = Elem("Document")
        return make([p("Title", root, "H1"), p("Text " * 300, root)], root)

    assert once() == once()


def test_a_figure_is_read_as_its_text_alternative() -> None:
    from worksheets.compose.flowables import figure

    root = Elem("Document")

    class Dot(Spacer):  # type: ignore[misc]
        def draw(self) -> None:
            self.canv.circle(5, 5, 3, fill=1)

    pdf = make([p("Title", root, "H1"), figure(Dot(10, 10), root, "A map of Cuba")], root)
    assert [str(e["/Alt"]) for _, role, e in walk(pdf) if role == "Figure"] == ["A map of Cuba"]
    root = Elem("Document")
    with pytest.raises(TaggingError, match="text alternative"):
        make([figure(Dot(10, 10), root, " ")], root)


def test_spanish_inside_a_bilingual_paragraph_is_marked_es() -> None:
    from worksheets.tagging import lang_span

    root = Elem("Document")
    text = "Vocabulary / " + lang_span("Vocabulario", "es") + " and more words " * 40
    filler = Spacer(1, LAYOUT.frame_height - 30)
    split = "Start " + lang_span("palabras en español " * 30, "es")  # split inside the span
    pdf = make([tag(Paragraph(text, style()), root.add("H1")), filler,
                tag(Paragraph(split, style()), root.add("P"))], root)
    r = PdfReader(io.BytesIO(pdf))
    for page in r.pages:
        ops = [op for _, op in ContentStream(page.get_contents(), r).operations]
        assert ops.count(b"BDC") + ops.count(b"BMC") == ops.count(b"EMC")
    contents = r.pages[0].get_contents()
    assert contents is not None
    first = contents.get_data()
    assert b"/Span <</Lang (es)>> BDC" in first
    assert first.index(b"/H1 <</MCID 0>> BDC") < first.index(b"/Span <</Lang (es)>> BDC")
