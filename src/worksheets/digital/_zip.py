"""Deterministic zip files and the one date every export carries."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Iterable

from ..errors import WorksheetError

FIXED = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def source_date() -> time.struct_time | None:
    """SOURCE_DATE_EPOCH as UTC time, or None when it is not set."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not sde:
        return None
    try:
        return time.gmtime(int(sde))
    except (ValueError, OverflowError, OSError):
        raise WorksheetError(f"SOURCE_DATE_EPOCH='{sde}' is not a number of seconds") from None


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of `entries` in the order given, every entry with the same timestamp and mode."""
    t = source_date()
    # zip dates run from 1980 to 2107
    stamp = FIXED if t is None or t.tm_year < 1980 else tuple(t)[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # the same bytes on every OS
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def iso_date() -> str:
    """The date stamped into documents: SOURCE_DATE_EPOCH or a fixed date."""
    t = source_date()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", t) if t else "2000-01-01T00:00:00Z"
