"""Common Cartridge 1.3: one module with the worksheets, the key (instructors only) and a quiz.

Canvas, Schoology, Brightspace and Moodle import it. The student PDF and DOCX
are web content; the teacher key's files carry the role metadata that keeps
them from students; the quiz is QTI in the CC profile (see `qti.py`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ._zip import zip_bytes
from .assessment import Assessment
from .qti import XSI, questestinterop, xml_bytes

CC_NS = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
LOM_RESOURCE = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource"
SCHEMAS = " ".join([
    CC_NS, "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd",
    LOM_MANIFEST, "http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd",
    LOM_RESOURCE, "http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lomresource_v1p0.xsd",
])
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
ROLES = "IMSGLC_CC_Rolesv1p3"


@dataclass(frozen=True)
class File:
    """A file for the module: its title, name and bytes; `instructor` hides it from students."""

    title: str
    name: str
    data: bytes
    instructor: bool = False


def cartridge(title: str, description: str, files: list[File], quiz: Assessment,
              student_pdf: str) -> bytes:
    """The .imscc bytes: manifest first, then the files, then the quiz, in a fixed order."""
    root = ET.Element("manifest", {
        "identifier": f"M-{quiz.ident}", "xmlns": CC_NS, "xmlns:lomimscc": LOM_MANIFEST,
        "xmlns:lom": LOM_RESOURCE, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMAS})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Common Cartridge"
    ET.SubElement(meta, "schemaversion").text = "1.3.0"
    general = ET.SubElement(ET.SubElement(meta, "lomimscc:lom"), "lomimscc:general")
    for tag, text in (("title", title), ("description", description)):
        ET.SubElement(ET.SubElement(general, f"lomimscc:{tag}"), "lomimscc:string",
                      {"language": "en-US"}).text = text

    org = ET.SubElement(ET.SubElement(root, "organizations"), "organization",
                        {"identifier": "O-1", "structure": "rooted-hierarchy"})
    module = ET.SubElement(ET.SubElement(org, "item", {"identifier": "I-root"}), "item",
                           {"identifier": "I-module"})
    ET.SubElement(module, "title").text = title
    resources = ET.SubElement(root, "resources")
    entries: list[tuple[str, bytes]] = []
    ids: dict[str, str] = {}
    for n, f in enumerate(files, 1):
        rid = f"R-file-{n}"
        ids[f.name] = rid
        item = ET.SubElement(module, "item", {"identifier": f"I-file-{n}", "identifierref": rid})
        ET.SubElement(item, "title").text = f.title
        href = f"web_resources/{f.name}"
        res = ET.SubElement(resources, "resource",
                            {"identifier": rid, "type": "webcontent", "href": href})
        if f.instructor:
            _instructor_only(res)
        ET.SubElement(res, "file", {"href": href})
        entries.append((href, f.data))

    qhref = f"{quiz.ident}/assessment.xml"
    item = ET.SubElement(module, "item", {"identifier": "I-quiz", "identifierref": "R-quiz"})
    ET.SubElement(item, "title").text = quiz.title
    res = ET.SubElement(resources, "resource", {"identifier": "R-quiz", "type": ASSESSMENT_TYPE})
    ET.SubElement(res, "file", {"href": qhref})
    ET.SubElement(res, "dependency", {"identifierref": ids[student_pdf]})
    entries.append((qhref, questestinterop(quiz, "cc", student_pdf)))
    return zip_bytes([("imsmanifest.xml", xml_bytes(root)), *entries])


def _instructor_only(res: ET.Element) -> None:
    """CC role metadata: only instructors see this resource."""
    lom = ET.SubElement(ET.SubElement(res, "metadata"), "lom:lom")
    role = ET.SubElement(ET.SubElement(lom, "lom:educational"), "lom:intendedEndUserRole")
    ET.SubElement(role, "lom:source").text = ROLES
    ET.SubElement(role, "lom:value").text = "Instructor"
