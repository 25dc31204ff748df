"""The build cache beside the output folder (.build-cache/<edition>/): skip work whose inputs have not changed.

Every entry is keyed on a content hash of what it was made from plus the
tool's fingerprint (its version and its own source), so a stale entry can
only be missed, never used. Three levels:

- the whole build: a fingerprint of every input, template, label, font and
  photo, and of the options; when it matches the last build's and the
  outputs are still what that build wrote, nothing is done at all;
- each input file: its parsed YAML and validated model, keyed on its bytes;
- each Markdown text and each PDF: the rendered fragment, and the laid-out
  PDF keyed on its HTML and assets.

The cache is written only after a successful build, so a failed build
leaves the output folder, cache included, as it was. Entries are pickles,
Jinja bytecode, JSON and PDFs and photos copied into the outputs, and the
folder sits in the project, where a pull request can add files to it. So
every file is sealed (seal.py) with an HMAC under a key kept outside the
project (~/.cache/compendium/cache-key), over its name and bytes, and is
verified before it is unpickled, parsed or copied: a file this machine's
key did not seal is a miss. Whoever can read that key, or write the
tool's own code, can still plant entries; a cache copied from another
machine is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from compendium.cache import seal
from compendium.cache.check_record import RECORD
from compendium.cache.fingerprint import SCHEMA, entry_digest, file_digest, tool_fingerprint
from compendium.render.markdown import Fragments

__all__ = ["SCHEMA", "Cache", "Manifest", "file_digest", "fingerprint", "tool_fingerprint", "tree_files"]


def cache_folder(base_dir: Path, edition: str) -> Path:
    """Return where an output folder's cache lives: beside it, never inside.

    The cache holds parsed inputs, names included, so it must not sit in a
    folder that is published as it is.
    """
    return base_dir.parent / f".{base_dir.name}-cache" / edition


def tree_files(folders: Iterable[Path], skip: Path) -> list[Path]:
    """List every file below some folders in a stable order, leaving out skip and hidden folders.

    Pipes, devices and broken links count too: a new one must make the next build
    look (and refuse it), not report "up to date".
    """
    found: set[Path] = set()
    skipped = os.path.abspath(skip)
    for folder in folders:
        if folder.is_file():
            found.add(folder)
            continue
        seen: set[str] = set()
        # Follow linked folders: the loader reads through them, so their files are inputs too.
        for top, dirs, files in os.walk(folder, followlinks=True):
            real = os.path.realpath(top)
            if real in seen:  # a link back up the tree
                dirs[:] = []
                continue
            seen.add(real)
            # Not into the output folder (it changes with every build) nor .git and the like.
            dirs[:] = [d for d in dirs if not d.startswith(".") and os.path.abspath(os.path.join(top, d)) != skipped]
            found.update(Path(top, f) for f in files)
    return sorted(found)


def fingerprint(files: Iterable[Path], options: Mapping[str, Any], root: Path) -> str:
    """Hash the tool, the options and the names and bytes of some files.

    Names inside the project count relative to it, so a copy of a project hashes the same.
    """
    digest = hashlib.sha256(tool_fingerprint().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        digest.update(name.encode() + b"\0")
        digest.update(entry_digest(path))
    return digest.hexdigest()


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept between builds; Jinja itself checks each against its source."""

    def __init__(self, stored: dict[str, bytes] | None = None) -> None:
        self.stored: dict[str, bytes] = stored or {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill a bucket from the store, when there is code for it."""
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template."""
        self.stored[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Manifest:
    """What the last successful build was made from and what it wrote."""

    key: str
    outputs: dict[str, str]  # output name (below the output folder) -> sha256 of its bytes
    shown: list[str]  # the outputs the summary lists
    pages: dict[str, int]
    warnings: list[str]
    extra_files: list[str] = field(default_factory=list)  # inputs outside the scanned folders
    notes: list[str] = field(default_factory=list)
    leak_key: str = ""  # the withheld names the written HTML was checked for (consent.leak_key)


class Cache:
    """The cache folder of one output folder."""

    def __init__(self, folder: Path) -> None:
        self.dir = folder
        self.fragments = Fragments()
        self.templates = TemplateCode()
        self.parsed: dict[str, tuple[str, Any]] = {}
        self.parsed_new: dict[str, tuple[str, Any]] = {}
        self.pdfs: dict[str, str] = {}  # document -> key of the PDF this build used
        self._pending_pdfs: dict[str, tuple[str, bytes, dict[str, Any]]] = {}
        self.photos_used: set[str] = set()
        self._pending_photos: dict[str, bytes] = {}
        self.check_record: bytes | None = None  # what `check` may print for the same files (check_cache.py)

    # --- the whole build -----------------------------------------------------

    def manifest(self) -> Manifest | None:
        """Read the last build's manifest, or None when there is none usable."""
        data = self._read_json("manifest.json")
        if not isinstance(data, dict) or data.get("tool") != tool_fingerprint():
            return None
        try:
            return Manifest(**data["manifest"])
        except (KeyError, TypeError):
            return None

    def unchanged(self, manifest: Manifest, base_dir: Path, key: str) -> bool:
        """Tell whether the inputs hash as before and every output still holds what was written."""
        if manifest.key != key:
            return False
        for name, digest in manifest.outputs.items():
            path = base_dir / name
            if not path.is_file() or file_digest(path) != digest:
                return False
        return True

    # --- parsed input files --------------------------------------------------

    def load_parsed(self) -> None:
        """Read the parsed files and compiled templates of the last build."""
        self.parsed = self._read_pickle("parsed.pickle") or {}
        self.templates = TemplateCode(self._read_pickle("templates.pickle"))

    def get_parsed(self, rel: str, digest: str) -> Any:
        """Return a file's cached parse when its bytes are unchanged, else None."""
        hit = self.parsed.get(rel)
        if hit is None or hit[0] != digest:
            return None
        self.parsed_new[rel] = hit
        return hit[1]

    def put_parsed(self, rel: str, digest: str, value: Any) -> None:
        """Remember a file's parse for the next build."""
        self.parsed_new[rel] = (digest, value)

    # --- Markdown fragments --------------------------------------------------

    def load_fragments(self) -> None:
        """Read the rendered Markdown of the last build."""
        data = self._read_json("markdown.json")
        if isinstance(data, dict) and data.get("tool") == tool_fingerprint():
            self.fragments = Fragments(dict(data.get("fragments") or {}))

    # --- PDFs ----------------------------------------------------------------

    def pdf(self, doc: str, key: str) -> tuple[bytes, int, list[str]] | None:
        """Return the cached PDF of a document laid out from exactly these inputs, with pages and warnings."""
        self.pdfs[doc] = key
        meta = self._read_json(f"pdf/{doc}-{key}.json")
        if not isinstance(meta, dict):
            return None
        # The bytes verified are the bytes returned, so the file cannot be swapped in between.
        data = seal.read(self.dir, f"pdf/{doc}-{key}.pdf")
        if data is None:
            return None
        return data, int(meta["pages"]), list(meta["warnings"])

    def put_pdf(self, doc: str, key: str, made: Path, pages: int, warnings: list[str]) -> None:
        """Keep a freshly laid-out PDF, to be stored when the build succeeds."""
        self.pdfs[doc] = key
        self._pending_pdfs[doc] = (key, made.read_bytes(), {"pages": pages, "warnings": warnings})

    # --- photos --------------------------------------------------------------

    def photo(self, key: str) -> bytes | None:
        """Return a photo scaled earlier from the same bytes to the same size, or None."""
        self.photos_used.add(key)
        return seal.read(self.dir, f"photos/{key}")

    def put_photo(self, key: str, data: bytes) -> None:
        """Keep a scaled photo, to be stored when the build succeeds."""
        self.photos_used.add(key)
        self._pending_photos[key] = data

    # --- writing -------------------------------------------------------------

    def save(self, manifest: Manifest) -> None:
        """Store everything this build made; drop entries it no longer used. Errors are ignored."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            if not (self.dir.parent / ".gitignore").exists():  # never committed by accident
                (self.dir.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            used = {k: v for k, v in self.fragments.stored.items() if k in self.fragments.used}
            fragments = {"tool": tool_fingerprint(), "fragments": used}
            self._write("markdown.json", json.dumps(fragments, sort_keys=True, ensure_ascii=False).encode())
            parsed = (tool_fingerprint(), self.parsed_new)
            self._write("parsed.pickle", pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
            code = (tool_fingerprint(), dict(sorted(self.templates.stored.items())))
            self._write("templates.pickle", pickle.dumps(code, protocol=pickle.HIGHEST_PROTOCOL))
            self._save_pdfs()
            self._save_photos()
            if self.check_record is not None:
                self._write(RECORD, self.check_record)
            # Last, so a half-written cache is never taken for a finished build.
            data = {"tool": tool_fingerprint(), "manifest": manifest.__dict__}
            self._write("manifest.json", json.dumps(data, sort_keys=True, indent=1).encode())
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _save_pdfs(self) -> None:
        """Store new PDFs and delete every other PDF of the same document."""
        folder = self.dir / "pdf"
        folder.mkdir(exist_ok=True)
        for doc, (key, made, meta) in self._pending_pdfs.items():
            self._write(f"pdf/{doc}-{key}.pdf", made)
            self._write(f"pdf/{doc}-{key}.json", json.dumps(meta, sort_keys=True).encode())
        for doc, key in self.pdfs.items():
            for old in folder.glob(f"{doc}-*"):
                if old.stem != f"{doc}-{key}" and old.stem.removeprefix(f"{doc}-").isalnum():
                    old.unlink(missing_ok=True)

    def _save_photos(self) -> None:
        """Store newly scaled photos and delete those no longer shown."""
        folder = self.dir / "photos"
        folder.mkdir(exist_ok=True)
        for key, data in self._pending_photos.items():
            self._write(f"photos/{key}", data)
        for old in folder.iterdir():
            if old.name not in self.photos_used:
                old.unlink(missing_ok=True)

    def _write(self, name: str, data: bytes) -> None:
        """Write one cache file atomically, sealed."""
        seal.write(self.dir, name, data)

    def _read_json(self, name: str) -> Any:
        """Read a sealed JSON cache file, or None."""
        return seal.read_json(self.dir, name)

    def _read_pickle(self, name: str) -> Any:
        """Read a pickled cache file sealed by this same tool, or None."""
        data = seal.read(self.dir, name)
        if data is None:
            return None  # never unpickle what this machine's key did not seal
        try:
            tool, value = pickle.loads(data)
        except Exception:  # a damaged or foreign cache is just a miss
            return None
        return value if tool == tool_fingerprint() else None
