"""A pypdf writer for packets: objects given as bytes, written in compressed object
streams, with a cross-reference stream (PDF 1.5)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.generic import IndirectObject, PdfObject

_ROW = struct.Struct(">BIH")  # a cross-reference stream's row: /W [1 4 2]
LEVEL = 1  # zlib level of object streams: level 3 makes packets 2 % smaller, 6 % 7 %, and cost more


class RawObject(PdfObject):
    """An object given as its bytes, references already numbered, written in an object
    stream by `CompactWriter`. Much faster than pypdf's objects for the thousands of
    page dictionaries of a packet."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def clone(self, pdf_dest: Any, force_duplicate: bool = False,
              ignore_fields: Any = ()) -> RawObject:
        """Itself: its bytes already name objects of the one writer that holds it."""
        return self

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        """Its bytes."""
        stream.write(self.data)


class CompactWriter(PdfWriter):
    """A pypdf writer that also writes objects given as bytes in compressed object
    streams: `RawObject`s among pypdf's objects, and whole object streams numbered
    after them (`seal`, then `add_stream`). A packet has a copy of every structure
    element for every student and a page dictionary for every page, which written
    by pypdf would be most of the time to write it. Not for encrypted output."""

    PER_STREAM = 200  # RawObjects per object stream

    def __init__(self) -> None:
        super().__init__()
        self.pdf_header = "%PDF-1.5"
        self.sealed = 0  # pypdf's objects are 1..sealed; then ours
        self.next_number = 0
        # each object stream: its number, the objects it holds, and its ready bytes
        self.streams: list[tuple[int, Sequence[int], bytes]] = []

    def reserve(self) -> IndirectObject:
        """A new object whose bytes (`RawObject.data`) are set before writing."""
        return self._add_object(RawObject())

    def seal(self) -> None:
        """No pypdf object may be added after this; `add_stream` numbers from here."""
        self.sealed = len(self._objects)
        self.next_number = self.sealed + 1

    def add_stream(self, numbers: Sequence[int], data: bytes, first: int) -> None:
        """An object stream holding `numbers` (allocated by the caller from
        `next_number`): `data` is its "number offset ..." table, `first` bytes long,
        then the objects."""
        number = self.next_number
        self.next_number += 1
        packed = zlib.compress(data, LEVEL)
        self.streams.append((number, numbers, b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d "
                             b"/Filter /FlateDecode /Length %d >>\nstream\n" % (
                                 number, len(numbers), first, len(packed)) + packed +
                             b"\nendstream\nendobj\n"))

    def _write_pdf_structure(self, stream: Any) -> tuple[list[int], list[int]]:
        assert self.sealed == len(self._objects), "objects were added after seal()"
        positions: list[int] = []
        raw: list[tuple[int, bytes]] = []
        stream.write(self.pdf_header.encode() + b"\n%\xE2\xE3\xCF\xD3\n")
        for idnum, obj in enumerate(self._objects, start=1):
            if isinstance(obj, RawObject):
                raw.append((idnum, obj.data))
                positions.append(0)
            elif obj is None:
                positions.append(-1)
            else:
                positions.append(stream.tell())
                stream.write(b"%d 0 obj\n" % idnum)
                obj.write_to_stream(stream)
                stream.write(b"\nendobj\n")
        for first in range(0, len(raw), self.PER_STREAM):
            chunk = raw[first:first + self.PER_STREAM]
            offsets, at = [], 0
            for idnum, data in chunk:
                offsets.append(b"%d %d" % (idnum, at))
                at += len(data) + 1
            head = b" ".join(offsets) + b"\n"
            self.add_stream([n for n, _ in chunk], head + b"\n".join(d for _, d in chunk) + b"\n",
                            len(head))
        return positions, []

    def _write_xref_table(self, stream: Any, object_positions: list[int],
                          free_objects: list[int]) -> int:
        size = self.next_number + 1  # with the cross-reference stream itself
        types = bytearray(size)
        fields = [0] * size
        index = [0] * size
        index[0] = 65535
        for n, pos in enumerate(object_positions, start=1):
            if pos > 0:
                types[n], fields[n] = 1, pos
            elif pos < 0:
                index[n] = 1
        for number, numbers, data in self.streams:
            types[number], fields[number] = 1, stream.tell()
            stream.write(data)
            for k, n in enumerate(numbers):
                types[n], fields[n], index[n] = 2, number, k
        xref = self.next_number
        types[xref], fields[xref] = 1, stream.tell()
        rows = zlib.compress(b"".join(map(_ROW.pack, types, fields, index)), 1)
        tail = io.BytesIO()
        root = cast(IndirectObject, self.root_object.indirect_reference)
        tail.write(b" /Root %d 0 R" % root.idnum)
        if self._info is not None:
            tail.write(b" /Info %d 0 R" % cast(IndirectObject, self._info.indirect_reference).idnum)
        if self._ID is not None:
            tail.write(b" /ID ")
            self._ID.write_to_stream(tail)
        stream.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Filter /FlateDecode "
                     b"/Length %d%s >>\nstream\n" % (xref, size, len(rows), tail.getvalue()))
        stream.write(rows + b"\nendstream\nendobj\n")
        return int(fields[xref])

    def _write_trailer(self, stream: Any, xref_location: int) -> None:
        stream.write(b"startxref\n%d\n%%%%EOF\n" % xref_location)
