"""XMP metadata and ToUnicode clean-up for tagged PDFs (no pypdf: `build` never imports it)."""

from __future__ import annotations

import re
from html import escape


def xml_escape(text: str) -> str:
    """&, < and > as XML entities (html.escape: xml.sax.saxutils pulls in urllib and email,
    which every start-up would pay for)."""
    return escape(text, quote=False)

# --- finishing ------------------------------------------------------------------------------




def pdf_date_to_xmp(d: str) -> str:
    """A PDF date (D:YYYYMMDDHHmmSS) as an XMP date."""
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
