"""A JPEG carrying a name after its end marker, between its progressive scans and in a non-ICC APP2 publishes none of it."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image

NAME = b"Hemmelig Fotograf"


def segment(marker: int, payload: bytes) -> bytes:
    """Make one JPEG marker segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def setup(project: Path) -> None:
    """Write the photo, with the name in three places a reader never sees."""
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 120, 150)).save(out, "JPEG", progressive=True)
    data = out.getvalue()
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    data = data[:second_scan] + segment(0xFE, NAME) + data[second_scan:]
    data = data[:2] + segment(0xE2, b"FPXR\x00" + NAME) + data[2:] + NAME
    (project / "inputs/photos").mkdir(parents=True, exist_ok=True)
    (project / "inputs/photos/skjult.jpg").write_bytes(data)
