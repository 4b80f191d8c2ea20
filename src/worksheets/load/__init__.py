"""Load stage: files on disk -> a validated, frozen model, every problem located.

files (safe reading) -> yaml (values with their marks) -> shapes (the file formats)
-> issues (validation issues as located problems) -> documents, questions, lesson;
layout reads the page layouts.
"""

from __future__ import annotations

from .files import display_path as display_path
from .lesson import load_lesson as load_lesson
from .lesson import load_lesson_with_problems as load_lesson_with_problems
