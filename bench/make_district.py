"""Generate a synthetic district for the batch benchmark: N classes x M students.

    python bench/make_district.py OUT_DIR [--classes 40] [--students 30] [--seed 1962]

Writes OUT_DIR/roster.csv (the simple roster format) and OUT_DIR/district.yaml
(a batch spec for the shipped lesson content/cuban-missile-crisis). Every
student has a distinct name, many with accents; about 16% need reading
support, 11% Spanish support and 5% large print (some two of these); the first six
students cover every combination, so any district needs every version.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "content" / "cuban-missile-crisis"

FIRST = """Zoë José Chloé Søren Łukasz Amara Mateo Aaliyah Hiroshi Priya Nikolai Fatima Liam
Ingrid Kwame Camila Dmitri Aisha Bruno Mei Tomás Yasmin Oliver Renée Santiago Anaïs Kofi Elif
Noah Björn Ximena Darius Leilani Jonas Sofía Emeka Hana Marco Aditi Ngozi Ethan Gabriela Tariq
Lucía Finn Raúl Malia Omar Isabella Thảo Wei Esperanza Jalen Maëlle Rhys Valentina Ayesha
Cormac Nadia Joaquín Sakura Théo Imani Andrés Freya Emma Mohammed Olivia Lucas Ava Mia Elijah
Harper Amelia Benjamin Charlotte Henry Evelyn Jack Abigail Levi Emily Owen Ella Wyatt Scarlett
Julian Grace Luca Layla Ezra Aurora Kai Nova Rowan Iris Felix Juniper""".split()
LAST = """Ñúñez Martínez O'Brien Dvořák Nguyễn Okonkwo Kowalski García Schäfer Haddad Johansson
Patel Müller Fernández Kim Abernathy Rossi Mensah Yılmaz Tanaka Castillo Novák Walsh Ibrahim
Lindqvist Peña Dubois Sørensen Achebe Ramírez Chen Delgado Kaur Ferreira Brennan Moreau Adeyemi
Zielińska Hoang Gutiérrez Ahmed Larsen Olawale Jiménez Kovač Murphy Sato Álvarez Smith Johnson
Williams Brown Jones Miller Davis Wilson Anderson Thomas Taylor Moore Jackson White Harris
Clark Lewis Robinson Walker Young Allen King Wright Scott Torres Hill Flores Green Adams Nelson
Baker Hall Rivera Campbell Mitchell Carter Roberts""".split()


# The first students of the district get every version (variant x paper) there is, so a
# district of any size needs the same shared worksheets and memory compares by size alone.
EVERY_VERSION = [(reading, spanish, large) for large in (False, True)
                 for reading, spanish in ((False, False), (True, False), (False, True))]


def names(n: int, rng: random.Random) -> list[str]:
    """n distinct student names."""
    pool = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(pool)
    if n > len(pool):
        pool += [f"{f} {chr(65 + i % 26)}. {last}" for i, (f, last) in
                 enumerate((f, last) for f in FIRST for last in LAST)]
    if n > len(pool):
        raise SystemExit(f"at most {len(pool)} distinct names")
    return pool[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--classes", type=int, default=40)
    ap.add_argument("--students", type=int, default=30, help="students per class")
    ap.add_argument("--seed", type=int, default=1962)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    people = names(a.classes * a.students, rng)
    surnames = rng.sample(LAST, len(LAST))
    teachers = [f"{('Ms.', 'Mr.', 'Dr.', 'Mx.')[c % 4]} {surnames[c % len(surnames)]}"
                for c in range(a.classes)]
    with open(a.out / "roster.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student_name", "student_id", "class", "teacher", "period",
                    "reading_support", "spanish", "large_print"])
        k = 0
        for c in range(a.classes):
            period = c % 7 + 1
            cls = f"US History {c // 7 + 1:02d}-P{period}"
            for _ in range(a.students):
                r = rng.random()
                flags = (r < 0.16, 0.16 <= r < 0.27, rng.random() < 0.05)
                if k < len(EVERY_VERSION):
                    flags = EVERY_VERSION[k]
                w.writerow([people[k], f"S{100000 + k}", cls, teachers[c], period,
                            *("yes" if f else "no" for f in flags)])
                k += 1
    lesson = os.path.relpath(LESSON, a.out.resolve())
    (a.out / "district.yaml").write_text(f"""\
lesson: {lesson}
allow_outside_paths: true  # the lesson is the repository's, outside OUT_DIR
school: Synthetic Unified School District
date: "2025-10-27"
roster:
  format: simple
  file: roster.csv
defaults:
  variant: standard
  layout: letter
accommodations:
  reading_support: {{variant: supported}}
  spanish: {{variant: spanish}}
  large_print: {{layout: large-print}}
""", encoding="utf-8")
    print(f"wrote {a.out}/roster.csv ({a.classes} classes x {a.students} students) "
          f"and {a.out}/district.yaml")


if __name__ == "__main__":
    main()
