"""Reading QTI 1.2 back with lxml, and the checks every assessment must pass (IMS QTI 1.2 ASI)."""

from __future__ import annotations

from lxml import etree

from worksheets.digital.assessment import text_html
from worksheets.model import Lesson, Question

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def meta(el: etree._Element) -> dict[str, str]:
    """An element's qtimetadata fields as a dict."""
    return {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
            for f in el.iter(f"{QTI}qtimetadatafield")}


def asked(lesson: Lesson, variant: str) -> list[Question]:
    """The questions a variant prints, in the PDF's order, then the claim, each in the
    variant's own wording."""
    v = lesson.variants[variant]
    qs = sorted((q for q in lesson.questions if v.shows(q)), key=lambda q: q.number)
    return [q.worded(variant) for q in [*qs, *([lesson.claim] if lesson.claim else [])]]


def check_items(root: etree._Element, lesson: Lesson, variant: str,
                type_key: str, types: dict[str, str]) -> list[etree._Element]:
    """Strict checks of a questestinterop against the lesson; returns the scored items."""
    assert root.tag == f"{QTI}questestinterop"
    (assessment,) = root.findall(f"{QTI}assessment")
    idents = [el.get("ident") for el in root.iter() if el.get("ident") is not None
              and el.tag in (f"{QTI}assessment", f"{QTI}section", f"{QTI}item")]
    assert len(idents) == len(set(idents)), "item/section idents must be unique"
    items = [i for i in assessment.iter(f"{QTI}item")
             if meta(i).get(type_key) != "text_only_question"]
    questions = asked(lesson, variant)
    assert len(items) == len(questions)
    for item, q in zip(items, questions, strict=True):
        assert item.get("ident") == f"q-{q.id}"
        claim = lesson.claim is not None and q.id == lesson.claim.id
        title = "Claim" if claim else f"Question {q.number}"
        assert item.get("title") == title
        assert meta(item)[type_key] == types[q.kind]
        labels = [lb.get("ident") for lb in item.iter(f"{QTI}response_label")]
        conds = item.findall(f"{QTI}resprocessing/{QTI}respcondition")
        right = [v.text for c in conds for v in c.iter(f"{QTI}varequal")]
        if q.kind == "choice":
            assert labels == [chr(65 + i) for i in range(len(q.choices))]
            assert right == [q.answer], "exactly one correct response, the key's"
            texts = [lb.findtext(f".//{QTI}mattext") for lb in item.iter(f"{QTI}response_label")]
            # HTML, the inline markup as <em> and <strong>
            assert texts == [text_html(f"{chr(65 + i)}. {c}") for i, c in enumerate(q.choices)]
        elif q.kind == "true-false":
            assert labels == ["true", "false"]
            assert right == ["true" if q.answer else "false"]
        else:
            assert right == []
            assert item.find(f".//{QTI}response_str/{QTI}render_fib") is not None
            feedback = "".join(item.find(f"{QTI}itemfeedback").itertext())
            for lf in q.look_fors:
                assert text_html(lf) in feedback
        for c in conds:
            for v in c.iter(f"{QTI}varequal"):
                assert v.text in labels
    return items
