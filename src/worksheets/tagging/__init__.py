"""Tagged, accessible PDF (PDF/UA-1) output from reportlab.

Three layers:

* `Elem`: the logical structure tree (Document > H1, P, Sect, Table, L, Figure ...),
  built while the story is composed, in reading order. It holds no page data and
  can be rendered any number of times.
* `Tagger`: one per render. Attached to the canvas, it allocates MCIDs per page and
  writes `/Role <</MCID n>> BDC ... EMC` or `/Artifact ... BMC ... EMC` around
  drawing, via `canvas.addLiteral()`. Flowables use the module-level `content()`,
  `artifact()` and `anchor()` context helpers, which do nothing on an untagged canvas.
* `Tagger.write_into(doc)`: run by a hook on reportlab's document just before it is
  serialised (no second parse): the structure tree, ParentTree, MarkInfo, Lang, XMP
  metadata, /StructParents and /Tabs on pages, and clean ToUnicode CMaps.

Class packets copy a worksheet's structure once per student (`packets.PacketTree`).

elements (the tree), tagger (marking and writing), canvas (helpers while drawing),
flowables (tagged frame and tables), catalog (XMP, ToUnicode), and for packets, which
alone use pypdf (imported from their modules, so `build` never loads pypdf): packets
(per-student copies, the catalog entries) and compact (the writer of object streams).
"""

from __future__ import annotations

from .canvas import LANG_CALLBACK as LANG_CALLBACK
from .canvas import LineEndText as LineEndText
from .canvas import anchor as anchor
from .canvas import artifact as artifact
from .canvas import content as content
from .canvas import figure_box as figure_box
from .canvas import lang_callback as lang_callback
from .canvas import lang_span as lang_span
from .canvas import tagger_of as tagger_of
from .elements import TAG_ATTR as TAG_ATTR
from .elements import Elem as Elem
from .elements import TaggingError as TaggingError
from .elements import tag as tag
from .flowables import TaggedFrame as TaggedFrame
from .flowables import TaggedTable as TaggedTable
from .tagger import StructTemplate as StructTemplate
from .tagger import Tagger as Tagger
