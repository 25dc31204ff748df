"""Hidden files editors and systems leave beside inputs (Emacs's .#x.yaml lock link, macOS's ._x.yaml) are not read."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Leave what Emacs and macOS leave."""
    stories = project / "inputs/stories"
    (stories / ".#gaaturen.yaml").symlink_to("editor@host.1234:1700000000")  # dangling, as Emacs makes it
    (stories / "._gaaturen.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
