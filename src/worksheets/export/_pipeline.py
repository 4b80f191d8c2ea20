"""The one place the export package imports the pipeline's stages from.

`variants`, `load` and `compose` are being renamed (`select`, `load/`,
`compose/`): only the imports below change when they are.
"""

from __future__ import annotations

from ..compose import STRINGS, cite, words
from ..errors import ContentError, OutputError, Problem, WorksheetError
from ..layout import layout_dirs, load_layout
from ..load import display_path
from ..markup import Block, Run, plain
from ..model import Document, Lesson, Organizer, Question, VocabularyTerm
from ..pipeline import Job, find_lessons, load_all, plan, render_job
from ..variants import Edition, Section, Worksheet, select
from ..workers import deferred_stop, fork_pool
from ..write import prepare_dir, write_atomic

__all__ = [
    "STRINGS", "Block", "ContentError", "Document", "Edition", "Job", "Lesson", "Organizer",
    "OutputError", "Problem", "Question", "Run", "Section", "VocabularyTerm", "Worksheet",
    "WorksheetError", "cite", "deferred_stop", "display_path", "find_lessons", "fork_pool",
    "layout_dirs", "load_all", "load_layout", "plain", "plan", "prepare_dir", "render_job",
    "select", "words", "write_atomic",
]
