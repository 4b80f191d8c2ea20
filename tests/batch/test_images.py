"""Class packets of a lesson with image documents: every stamped copy of a page draws
its own pictures (pages that share fonts but not images keep their own resources)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from worksheets import batch

from ..pdfutil import ROOT, a11y_failures, a11ycheck

SPEC = """\
lesson: {lesson}
allow_outside_paths: true
school: Test School
date: "October 27, 2025"
roster:
  format: simple
  file: roster.csv
defaults:
  variant: standard
  layout: letter
accommodations:
  reading_support: {{variant: supported}}
  large_print: {{layout: large-print}}
"""


def test_every_packet_page_has_the_images_it_draws(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "district" / "roster.csv", tmp_path / "roster.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(lesson=ROOT / "tests" / "lessons" / "berlin-airlift"))
    batch.run(spec, tmp_path / "out", jobs=1)
    packets = sorted((tmp_path / "out").glob("*.pdf"))
    assert packets
    drawn = 0
    for packet in packets:
        r = PdfReader(packet)
        for page in r.pages:
            res: Any = page["/Resources"]
            xobjects = res.get("/XObject", {})
            for operands, op in ContentStream(page.get_contents(), r).operations:
                if op == b"Do":
                    name = str(operands[0])
                    if name.startswith("/FormXob"):
                        drawn += 1
                        x = xobjects[name].get_object()
                        assert x["/Subtype"] == "/Image" and x["/ColorSpace"] == "/DeviceGray"
    assert drawn > 20
    assert a11y_failures(a11ycheck(packets[:1])) == {}
