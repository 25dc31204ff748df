"""The pieces of the last build's pieced PDFs, so that a changed story lays out only its own piece again.

Two entries per piece, each keyed on a hash of what it was made from:

- its layout (page count, anchors and bookmark levels), keyed on the
  piece's HTML (the page numbers it prints included), the assets, the PDF
  variant and the tool's fingerprint;
- its PDF, keyed on that and on the page it starts on and the anchors its
  links find in other pieces.

and the page numbers of the last build, so that the first round of layout
can assume them. New entries are kept in memory and written by save(),
which the build calls only when it has succeeded; save() also deletes the
entries this build did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


class PieceCache:
    """The pieces/ folder of a build cache."""

    def __init__(self, cache_dir: Path, made_from: str) -> None:
        self.dir = cache_dir / "pieces"
        self.made_from = made_from  # the tool, the PDF variant and the assets
        self.used: set[str] = set()
        self.pending: dict[str, Path | bytes] = {}
        self.consulted = False

    def layout_key(self, html: str) -> str:
        """Name a piece's layout."""
        return hashlib.sha256(f"{self.made_from}\0{html}".encode()).hexdigest()

    @staticmethod
    def pdf_key(layout_key: str, first_page: int, elsewhere: frozenset[str]) -> str:
        """Name a piece's PDF."""
        return hashlib.sha256(f"{layout_key}\0{first_page}\0{sorted(elsewhere)}".encode()).hexdigest()

    def layout(self, key: str) -> tuple[int, dict[str, int], tuple[int, ...]] | None:
        """Return a piece's page count, anchors and bookmark levels, or None."""
        self.consulted = True
        data = self._json(f"{key}.json")
        if not isinstance(data, dict):
            return None
        self.used.add(f"{key}.json")
        return int(data["pages"]), dict(data["anchors"]), tuple(data["levels"])

    def put_layout(self, key: str, pages: int, anchors: dict[str, int], levels: tuple[int, ...]) -> None:
        """Keep a piece's layout."""
        self.used.add(f"{key}.json")
        data = {"pages": pages, "anchors": anchors, "levels": list(levels)}
        self.pending[f"{key}.json"] = json.dumps(data, sort_keys=True).encode()

    def pdf(self, key: str) -> tuple[Path, list[str]] | None:
        """Return a piece's PDF and its warnings, or None."""
        path, meta = self.dir / f"{key}.pdf", self._json(f"{key}.warnings.json")
        if not path.is_file() or not isinstance(meta, list):
            return None
        self.used.update({f"{key}.pdf", f"{key}.warnings.json"})
        return path, [str(m) for m in meta]

    def put_pdf(self, key: str, made: Path, warnings: list[str]) -> None:
        """Keep a piece's PDF (copied when the build succeeds, so it must stay until then)."""
        self.used.update({f"{key}.pdf", f"{key}.warnings.json"})
        self.pending[f"{key}.pdf"] = made.read_bytes()
        self.pending[f"{key}.warnings.json"] = json.dumps(warnings).encode()

    def guess(self, doc: str) -> dict[str, int]:
        """Return the page numbers of a document's anchors in the last build."""
        data = self._json(f"numbers-{doc}.json")
        return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def put_numbers(self, doc: str, numbers: dict[str, int]) -> None:
        """Keep a document's page numbers for the next build."""
        self.used.add(f"numbers-{doc}.json")
        self.pending[f"numbers-{doc}.json"] = json.dumps(numbers, sort_keys=True).encode()

    def save(self) -> None:
        """Write the new entries and delete the unused ones; errors only make the next build slower."""
        if not self.consulted:
            return  # no document was laid out in pieces: keep the entries for the next build that is
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for name, data in sorted(self.pending.items()):
                self._write(name, data if isinstance(data, bytes) else data.read_bytes())
            for old in self.dir.iterdir():
                if old.name not in self.used:
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        old.unlink(missing_ok=True)
        except OSError:
            pass

    def _write(self, name: str, data: bytes) -> None:
        """Write one entry atomically."""
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.dir / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _json(self, name: str) -> Any:
        """Read a JSON entry, or None."""
        try:
            return json.loads((self.dir / name).read_bytes())
        except (OSError, ValueError):
            return None
