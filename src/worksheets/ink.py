"""The page's inks: black text, grey rules, a light shade; grayscale only, so every page
prints the same on a black-and-white printer."""

from __future__ import annotations

from reportlab.lib import colors

INK = colors.black
RULE = colors.Color(0.45, 0.45, 0.45)  # answer lines and the footer rule: light under handwriting
SHADE = colors.Color(0.9, 0.9, 0.9)  # table header rows
