"""Batch planning: one packet per class x lesson x paper, each student's version picked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pdfutil import LESSON
from worksheets.batch import load, plan
from worksheets.batch.plan import class_slugs, in_shard, slug
from worksheets.batch.roster import ClassSection
from worksheets.errors import Location
from worksheets.load.layout import BUNDLED

SPEC = f"""\
lesson: {LESSON}
school: Test School
allow_outside_paths: true  # the shipped lesson and layouts
roster: {{format: simple, file: roster.csv}}
accommodations:
  reading_support: {{variant: supported}}
  a4_paper: {{layout: {BUNDLED / "a4.yaml"}}}
  spanish: {{variant: spanish}}
"""
ROSTER = """\
student_name,student_id,class,teacher,period,reading_support,a4_paper,spanish
Ana,S1,History 2,Lee,2,yes,no,yes
Bo,S2,History 2,Lee,2,no,yes,no
Cy,S3,History 1,Day,1,no,no,no
"""


def section(cid: str, code: str = "") -> ClassSection:
    return ClassSection(cid, cid, code, "", "", "", (), Location("r.csv", 2))


def test_slug() -> None:
    assert slug("U.S. History (P3)") == "u-s-history-p3"
    assert slug("Ñandú 5º") == "nandu-5o"
    assert slug("***") == "class"


def test_class_slugs_that_clash_get_a_short_hash() -> None:
    stems = class_slugs([section("Hist 1"), section("hist-1"), section("Geo")])
    assert stems["Geo"] == "geo"
    assert stems["Hist 1"] != stems["hist-1"]
    assert all(s.startswith("hist-1-") and len(s) == len("hist-1-") + 6
               for k, s in stems.items() if k != "Geo")


def test_shards_split_the_classes_without_overlap(tmp_path: Path) -> None:
    data = load(write(tmp_path))
    plans = plan(data)
    shares = [in_shard(plans, (i, 3)) for i in (1, 2, 3)]
    assert sorted(p.filename for s in shares for p in s) == sorted(p.filename for p in plans)
    assert in_shard(plans, None) == plans


def write(tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "district.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path / "district.yaml"


def test_one_packet_per_class_and_paper_students_in_roster_order(tmp_path: Path) -> None:
    plans = plan(load(write(tmp_path)))
    got = [(p.filename, p.paper, [(s.student.name, s.variant, s.layout.name) for s in p.seats],
            p.key_variants(), p.key_layout.name) for p in plans]
    assert got == [
        ("history-2-cuban-missile-crisis.pdf", "letter",
         [("Ana", "supported", "letter")], ["supported"], "letter"),
        ("history-2-cuban-missile-crisis-a4.pdf", "a4",
         [("Bo", "standard", "a4")], ["standard"], "a4"),
        ("history-1-cuban-missile-crisis.pdf", "letter",
         [("Cy", "standard", "letter")], ["standard"], "letter"),
    ]


@pytest.mark.parametrize("first", ["reading_support", "spanish"])
def test_the_first_accommodation_listed_wins(tmp_path: Path, first: str) -> None:
    spec = write(tmp_path)
    if first == "spanish":  # list spanish before reading_support
        text = spec.read_text().splitlines()
        rs, sp = text.index("  reading_support: {variant: supported}"), len(text) - 1
        text[rs], text[sp] = text[sp], text[rs]
        spec.write_text("\n".join(text) + "\n")
    (ana,) = plan(load(spec))[0].seats
    assert ana.variant == {"reading_support": "supported", "spanish": "spanish"}[first]
