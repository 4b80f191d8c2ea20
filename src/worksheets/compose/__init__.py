"""Compose stage: worksheet + layout -> reportlab flowables (no I/O, no clock).

strings (the generator's own words), styles (paragraph styles of a layout),
flowables (answer areas, numbered text, cells), worksheet (one worksheet),
master (the teacher master).
"""

from __future__ import annotations

from .flowables import collect_layout_warnings as collect_layout_warnings
from .master import compose_master as compose_master
from .worksheet import compose as compose
from .worksheet import compose_credit as compose_credit
