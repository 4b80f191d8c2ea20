"""Finish stage: pypdf work on rendered PDFs (merging, duplex padding)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def merge(pdfs: list[bytes], title: str, author: str, pad_even: bool = False) -> bytes:
    """Join PDFs in order, padding each to an even page count for duplex when asked."""
    writer = PdfWriter()
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        writer.append(reader)
        if pad_even and len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(box.width), height=float(box.height))
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "worksheets"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
