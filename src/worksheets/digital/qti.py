"""QTI 1.2: the assessment as Canvas's "QTI .zip file" import and as the cartridge's quiz.

One writer, two profiles. `canvas` marks items with Canvas's question types and
carries each document's text as a text-only item before its questions; `cc`
follows the Common Cartridge 1.3 QTI profile (`cc.multiple_choice.v0p1`, ...),
which has no text-only items, so each item links to its document's page in
the student PDF.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Literal

from ..model import Document
from ._zip import zip_bytes
from .assessment import Assessment, Item, Stimulus, blocks_html, runs_html, text_html

Profile = Literal["canvas", "cc"]
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CC_QTI_XSD = "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"

CANVAS_TYPES = {"choice": "multiple_choice_question", "true-false": "true_false_question",
                "written": "essay_question"}
CC_TYPES = {"choice": "cc.multiple_choice.v0p1", "true-false": "cc.true_false.v0p1",
            "written": "cc.essay.v0p1"}
FILEBASE = "$IMS-CC-FILEBASE$"  # the cartridge's web_resources/ folder, to the LMS


def questestinterop(a: Assessment, profile: Profile, pdf: str | None = None) -> bytes:
    """The QTI document of the assessment; `pdf` names the student PDF the items link to."""
    root = ET.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{QTI_NS} {CC_QTI_XSD if profile == 'cc' else QTI_XSD}"})
    test = ET.SubElement(root, "assessment", {"ident": a.ident, "title": a.title})
    meta = [("cc_maxattempts", "1")]
    if profile == "cc":
        meta = [("cc_profile", "cc.exam.v0p1"), ("qmd_assessmenttype", "Examination"),
                *meta]
    _metadata(test, meta)
    section = ET.SubElement(test, "section", {"ident": "root_section"})
    for group in a.groups:
        if group.stimulus is not None and profile == "canvas":
            _stimulus_item(section, group.stimulus)
        for it in group.items:
            _item(section, it, profile, group.stimulus, pdf)
    return xml_bytes(root)


def xml_bytes(root: ET.Element) -> bytes:
    """An XML document, indented, UTF-8, with its declaration."""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields:
        f = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(f, "fieldlabel").text = label
        ET.SubElement(f, "fieldentry").text = entry


def _mattext(parent: ET.Element, text: str, texttype: str = "text/html") -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", {"texttype": texttype}).text = text


def stimulus_html(s: Stimulus) -> str:
    """A document as HTML: heading, dateline, text, source caption."""
    d = s.document
    date = f"<p><em>{text_html(d.dateline)}</em></p>" if d.dateline else ""
    return (f"<h3>{text_html(s.heading)}</h3>{date}{_picture_html(d)}{blocks_html(s.blocks)}"
            f"<p><small>{runs_html(d.source)}</small></p>")


def _picture_html(d: Document) -> str:
    """An image document's picture as its text alternative and credit: the packages
    carry text only (the image is in the PDF the items link to, and in the DOCX)."""
    if d.image is None:
        return ""
    credit = f" <small>{runs_html(d.image.credit)}</small>" if d.image.credit else ""
    return f'<p class="image"><em>[Image: {html.escape(d.image.alt)}]</em>{credit}</p>'


def _stimulus_item(section: ET.Element, s: Stimulus) -> None:
    item = ET.SubElement(section, "item", {"ident": s.ident, "title": s.title})
    meta = ET.SubElement(item, "itemmetadata")
    _metadata(meta, [("question_type", "text_only_question"), ("points_possible", "0")])
    _mattext(ET.SubElement(item, "presentation"), stimulus_html(s))


def _link(s: Stimulus, pdf: str) -> str:
    page = f"#page={s.page}" if s.page else ""
    where = f", page {s.page}" if s.page else ""
    href = html.escape(f"{FILEBASE}/{pdf}{page}")
    return (f'<p><em>{text_html(s.heading)}</em>: read it in the '
            f'<a href="{href}">student worksheet{where}</a>.</p>')


def _item(section: ET.Element, it: Item, profile: Profile, stim: Stimulus | None,
          pdf: str | None) -> None:
    item = ET.SubElement(section, "item", {"ident": it.ident, "title": it.title})
    meta = ET.SubElement(item, "itemmetadata")
    if profile == "cc":
        _metadata(meta, [("cc_profile", CC_TYPES[it.kind]), ("cc_weighting", "1")])
    else:
        _metadata(meta, [("question_type", CANVAS_TYPES[it.kind]), ("points_possible", "1")])
    pres = ET.SubElement(item, "presentation")
    link = _link(stim, pdf) if stim is not None and pdf and profile == "cc" else ""
    _mattext(pres, link + it.html)
    if it.choices:
        lid = ET.SubElement(pres, "response_lid", {"ident": "response1",
                                                   "rcardinality": "Single"})
        render = ET.SubElement(lid, "render_choice", {"shuffle": "No"})
        for c in it.choices:
            label = ET.SubElement(render, "response_label", {"ident": c.ident})
            text = f"{c.ident}. {c.text}" if it.kind == "choice" else c.text
            _mattext(label, text_html(text))
    else:
        rs = ET.SubElement(pres, "response_str", {"ident": "response1",
                                                  "rcardinality": "Single"})
        fib = ET.SubElement(rs, "render_fib", {"rows": "10"})
        ET.SubElement(fib, "response_label", {"ident": "answer1", "rshuffle": "No"})
    proc = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(proc, "outcomes")
    ET.SubElement(outcomes, "decvar", {"varname": "SCORE", "vartype": "Decimal",
                                       "minvalue": "0", "maxvalue": "100"})
    if it.choices:
        right = next(c for c in it.choices if c.correct)
        cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal",
                      {"respident": "response1"}).text = right.ident
        ET.SubElement(cond, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
    else:
        cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "other")
    if it.notes:
        ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response",
                                                "linkrefid": "general_fb"})
        fb = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
        notes = "".join(f"<p>{text_html(n)}</p>" for n in it.notes)
        _mattext(ET.SubElement(fb, "flow_mat"), notes)


def qti_zip(a: Assessment) -> bytes:
    """Canvas's QTI .zip: a content-package manifest and the assessment."""
    href = f"{a.ident}/{a.ident}.xml"
    root = ET.Element("manifest", {
        "identifier": f"M-{a.ident}", "xmlns": CP_NS, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    res = ET.SubElement(ET.SubElement(root, "resources"), "resource",
                        {"identifier": f"R-{a.ident}", "type": "imsqti_xmlv1p2", "href": href})
    ET.SubElement(res, "file", {"href": href})
    return zip_bytes([("imsmanifest.xml", xml_bytes(root)), (href, questestinterop(a, "canvas"))])
