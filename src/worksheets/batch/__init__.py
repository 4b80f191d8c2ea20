"""District batch: one print-ready packet per class, in parallel, resumable and shardable.

spec (the batch file) and roster (simple or OneRoster CSV) -> plan (one packet per
class x lesson x paper, students in roster order with the variant and layout their
accommodations call for) -> packet (each lesson's worksheets rendered once, a cover
and name stamps per class, assembled with pypdf) -> run (a pool of workers, atomic
writes, the manifest, resume and shards); progress reports on stderr.
"""

from __future__ import annotations

from .plan import BatchInput as BatchInput
from .plan import load as load
from .plan import parse_shard as parse_shard
from .plan import plan as plan
from .runner import Item as Item
from .runner import Progress as Progress
from .runner import Result as Result
from .runner import run as run
from .spec import SpecFile as BatchSpec  # the spec file's model, for its JSON Schema

__all__ = ["BatchInput", "BatchSpec", "Item", "Progress", "Result", "load", "parse_shard",
           "plan", "run"]
