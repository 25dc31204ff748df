"""The build cache beside the output folder (.build-cache/<edition>/): skip work whose inputs have not changed.

The pipeline wraps it around its stages; no stage knows of it. Every entry is
named by one key scheme (fingerprint.entry_key: the stage, the tool's
fingerprint and the digests of what the entry was made from), so a stale
entry can only be missed, never used. Three levels:

- the whole build: a key over every input, template, label, font and
  photo, and the options; when it matches the last build's and the
  outputs are still what that build wrote, nothing is done at all;
- a stage's result for one input (memo): each input file's parse, each
  photo's image check, each file's glyph check, each Markdown text's HTML,
  each compiled template, kept together in memo.pickle;
- each scaled photo and each laid-out PDF, in files of their own.

The cache is written only after a successful build, so a failed build
leaves the output folder, cache included, as it was. Entries are pickles,
JSON and PDFs and photos copied into the outputs, and the folder sits in
the project, where a pull request can add files to it. So every file is
sealed (seal.py) with an HMAC under a key kept outside the project
(~/.cache/compendium/cache-key), over its name and bytes, and is verified
before it is unpickled, parsed or copied: a file this machine's key did not
seal is a miss. Whoever can read that key, or write the tool's own code,
can still plant entries; a cache copied from another machine is simply not
used.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from compendium.cache import seal
from compendium.cache.check_record import RECORD
from compendium.cache.fingerprint import SCHEMA, entry_key, file_digest, tool_fingerprint
from compendium.content.sources import Sources
from compendium.project import relative_name

__all__ = ["SCHEMA", "Cache", "Manifest", "build_key", "entry_key", "file_digest", "tool_fingerprint", "tree_files"]


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


def build_key(sources: Sources, files: Iterable[Path], options: Mapping[str, Any], root: Path) -> str:
    """Name a whole build: the options and the names and digests of some files, as read.

    Names inside the project count relative to it, so a copy of a project hashes the same.
    """
    named = (relative_name(root, path).encode() + b"\0" + sources.digest(path) for path in files)
    return entry_key("build", json.dumps(options, sort_keys=True, default=str), *named)


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept between builds, as memo entries; Jinja itself checks each against its source."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill a bucket from the cache, when there is code for it."""
        code = self.cache.recall(entry_key("template", bucket.key))
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template."""
        self.cache.remember(entry_key("template", bucket.key), bucket.bytecode_to_string())


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
    extra_digests: dict[str, str] = field(default_factory=dict)  # each of extra_files -> the digest it was read with


T = TypeVar("T")
_MISSING = object()
MEMO = "memo.pickle"
# What earlier versions kept, before the memo: removed when a build saves.
FORMER = ("parsed.pickle", "templates.pickle", "markdown.json")


@dataclass(frozen=True)
class CachedPdf:
    """A PDF laid out by an earlier build from the same HTML and assets, with what laying it out gave."""

    data: bytes  # the bytes whose seal was verified: the very bytes to copy into the outputs
    pages: int
    warnings: list[str]


class Cache:
    """The cache folder of one output folder."""

    def __init__(self, folder: Path) -> None:
        self.dir = folder
        self._memo: dict[str, Any] | None = None  # the last build's memo, read when first asked
        self._remembered: dict[str, Any] = {}  # what this build used or made, to be saved
        self.pdfs: dict[str, str] = {}  # document -> key of the PDF this build used
        self._pending_pdfs: dict[str, tuple[str, bytes, dict[str, Any]]] = {}
        self.photos_used: set[str] = set()
        self._pending_photos: dict[str, bytes] = {}

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

    # --- a stage's result for one input ----------------------------------------

    def memo(self, key: str, make: Callable[[], T], keep: Callable[[T], bool] = lambda value: True) -> T:
        """Return the result stored under key (see entry_key), else make it and store it when keep says so."""
        found = self.recall(key, _MISSING)
        if found is not _MISSING:
            return typing.cast(T, found)
        value = make()
        if keep(value):
            self.remember(key, value)
        return value

    def recall(self, key: str, default: Any = None) -> Any:
        """Return the value stored under key, or default."""
        if self._memo is None:
            self._memo = self._read_pickle(MEMO) or {}
        value = self._remembered.get(key, self._memo.get(key, _MISSING))
        if value is _MISSING:
            return default
        self._remembered[key] = value
        return value

    def remember(self, key: str, value: Any) -> None:
        """Store a value under key, to be saved when the build succeeds."""
        self._remembered[key] = value

    def template_code(self) -> TemplateCode:
        """Return Jinja's bytecode cache, kept in the memo."""
        return TemplateCode(self)

    # --- PDFs ----------------------------------------------------------------

    def pdf(self, doc: str, key: str) -> CachedPdf | None:
        """Return the cached PDF of a document laid out from exactly these inputs, with pages and warnings."""
        self.pdfs[doc] = key
        meta = self._read_json(f"pdf/{doc}-{key}.json")
        if not isinstance(meta, dict):
            return None
        # The bytes verified are the bytes returned, so the file cannot be swapped in between.
        data = seal.read(self.dir, f"pdf/{doc}-{key}.pdf")
        if data is None:
            return None
        return CachedPdf(data, int(meta["pages"]), list(meta["warnings"]))

    def put_pdf(self, doc: str, key: str, made: bytes, pages: int, warnings: list[str]) -> None:
        """Keep a freshly laid-out PDF, to be stored when the build succeeds."""
        self.pdfs[doc] = key
        self._pending_pdfs[doc] = (key, made, {"pages": pages, "warnings": warnings})

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

    def save(self, manifest: Manifest, check_record: bytes | None = None) -> None:
        """Store everything this build made, and what `check` may print for the same files (check_record.py).

        Entries this build no longer used are dropped. Errors are ignored.
        """
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            if not (self.dir.parent / ".gitignore").exists():  # never committed by accident
                (self.dir.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            memo = (tool_fingerprint(), dict(sorted(self._remembered.items())))
            self._write(MEMO, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))
            for name in FORMER:
                (self.dir / name).unlink(missing_ok=True)
            self._save_pdfs()
            self._save_photos()
            if check_record is not None:
                self._write(RECORD, check_record)
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
            with _collector_paused():
                tool, value = pickle.loads(data)
        except Exception:  # a damaged or foreign cache is just a miss
            return None
        return value if tool == tool_fingerprint() else None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the cache is read, and have it skip what was read from then on.

    Unpickling makes a million objects, none of them garbage, which live until the build ends; the
    collector would walk them all while they are made and in each full collection after (together
    a tenth of an edited build's time). The build lets it see them again when the next one starts.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
