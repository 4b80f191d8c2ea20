"""worksheets: primary-source lessons -> print-ready classroom PDFs."""

from __future__ import annotations

from .digital import export as export
from .errors import ContentError as ContentError
from .errors import Location as Location
from .errors import Problem as Problem
from .errors import WorksheetError as WorksheetError
from .load import load_lesson as load_lesson
from .pipeline import build as build
from .version import __version__ as __version__

__all__ = ["ContentError", "Location", "Problem", "WorksheetError", "__version__", "build",
           "export", "load_lesson"]
