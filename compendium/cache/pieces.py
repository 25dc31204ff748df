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

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from compendium.cache import seal
from compendium.cache.fingerprint import entry_key
from compendium.render.pdf.protocol import PieceLayout, Placement


class PieceCache:
    """The pieces/ folder of a build cache."""

    def __init__(self, cache_dir: Path, made_from: str) -> None:
        self.cache_dir = cache_dir
        self.dir = cache_dir / "pieces"
        self.made_from = made_from  # the tool, the PDF variant and the assets
        self.used: set[str] = set()
        self.pending: dict[str, Path | bytes] = {}
        self.consulted = False

    def layout_key(self, html: str) -> str:
        """Name a piece's layout."""
        return entry_key("piece-layout", self.made_from, html)

    @staticmethod
    def pdf_key(layout_key: str, placement: Placement) -> str:
        """Name a piece's PDF."""
        return entry_key("piece-pdf", layout_key, str(placement.first_page), str(sorted(placement.elsewhere)))

    def layout(self, key: str) -> PieceLayout | None:
        """Return a piece's page count, anchors and bookmark levels, or None."""
        self.consulted = True
        data = self._json(f"{key}.json")
        if not isinstance(data, dict):
            return None
        self.used.add(f"{key}.json")
        return PieceLayout(pages=int(data["pages"]), anchors=dict(data["anchors"]), levels=tuple(data["levels"]))

    def put_layout(self, key: str, layout: PieceLayout) -> None:
        """Keep a piece's layout."""
        self.used.add(f"{key}.json")
        data = {"pages": layout.pages, "anchors": layout.anchors, "levels": list(layout.levels)}
        self.pending[f"{key}.json"] = json.dumps(data, sort_keys=True).encode()

    def pdf(self, key: str, into: Path) -> list[str] | None:
        """Write a piece's verified PDF to into and return its warnings, or None."""
        meta = self._json(f"{key}.warnings.json")
        if not isinstance(meta, list):
            return None
        # A verified copy, not the cache file's path: the merge then reads exactly the bytes checked.
        data = seal.read(self.cache_dir, f"pieces/{key}.pdf")
        if data is None:
            return None
        into.write_bytes(data)
        self.used.update({f"{key}.pdf", f"{key}.warnings.json"})
        return [str(m) for m in meta]

    def put_pdf(self, key: str, made: Path, warnings: Sequence[str]) -> None:
        """Keep a piece's PDF (copied when the build succeeds, so it must stay until then)."""
        self.used.update({f"{key}.pdf", f"{key}.warnings.json"})
        self.pending[f"{key}.pdf"] = made.read_bytes()
        self.pending[f"{key}.warnings.json"] = json.dumps(list(warnings)).encode()

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
        """Write one entry atomically, sealed."""
        seal.write(self.cache_dir, f"pieces/{name}", data)

    def _json(self, name: str) -> object:
        """Read a sealed JSON entry, or None."""
        return seal.read_json(self.cache_dir, f"pieces/{name}")
