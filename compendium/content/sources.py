"""Stage 1, load: the bytes of every file a build reads, each read once, with their digests.

The build hashes, parses, validates, scales and copies from these same bytes,
so what it checked is what it printed, and no file is opened twice.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from compendium.content.images import MAX_PHOTO_BYTES

# No input may be larger than the largest photo; a larger file is never read into memory, and the
# check of its kind (YAML, photo) says what is wrong with it by its size.
MAX_SOURCE_BYTES = MAX_PHOTO_BYTES


@dataclass(frozen=True)
class Source:
    """One file as a build read it."""

    data: bytes | None  # None: not a regular file (a pipe, device, folder or broken link) or too large, never read
    digest: bytes  # the sha256 of its bytes in hex, or what kind of thing it is when it has none


def read_source(path: Path) -> Source:
    """Read a regular file's bytes; name anything else by its kind, without opening it (a FIFO would hang)."""
    if path.is_file():
        try:
            stat = path.stat()
            if stat.st_size > MAX_SOURCE_BYTES:
                return Source(None, f"too-large:{stat.st_size}:{stat.st_mtime_ns}".encode())
            with path.open("rb") as handle:
                # As many bytes as the look found, plus one to notice growth: read(limit) alone would
                # set aside the whole limit (50 MB) for every small file.
                data = handle.read(stat.st_size + 1)
                if len(data) > stat.st_size:  # it grew after the look: read on, never past the limit
                    data += handle.read(MAX_SOURCE_BYTES + 1 - len(data))
        except OSError:
            return Source(None, b"unreadable")
        if len(data) > MAX_SOURCE_BYTES:
            return Source(None, f"too-large:{len(data)}:{stat.st_mtime_ns}".encode())
        return Source(data, hashlib.sha256(data).hexdigest().encode())
    kind = b"missing" if not os.path.lexists(path) else f"special:{os.lstat(path).st_mode:o}".encode()
    return Source(None, kind)


@dataclass(frozen=True)
class Sources(Mapping[Path, Source]):
    """The files a build read, by path."""

    files: Mapping[Path, Source]

    def __getitem__(self, path: Path) -> Source:
        return self.files[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def data(self, path: Path) -> bytes | None:
        """Return a file's bytes as read, or None when it was not read or is not a regular file."""
        source = self.files.get(path)
        return source.data if source else None

    def digest(self, path: Path) -> bytes:
        """Return a file's digest as read; a file not read is read now (and not kept)."""
        source = self.files.get(path)
        return (source or read_source(path)).digest

    def adding(self, paths: Iterable[Path]) -> Sources:
        """Return these sources and, read now, every path not among them yet."""
        new = {path: read_source(path) for path in paths if path not in self.files}
        return self if not new else Sources({**self.files, **new})


def read_sources(paths: Iterable[Path]) -> Sources:
    """Read every file once."""
    return Sources({path: read_source(path) for path in paths})
