"""What identifies the tool and a file's content, and the one scheme every cache key is made by.

Kept apart from store.py so that `check` can look up its last result without
importing Jinja, Markdown or pydantic.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import compendium
from compendium import messages
from compendium.content.sources import read_source

# Bumped when the layout of the cache itself changes (2: every file sealed, see seal.py; 3: one memo file).
SCHEMA = "3"


# What the package holds that changes what it does: its modules, and the scripts, styles and catalogs it ships.
CODE_SUFFIXES = frozenset({".py", ".js", ".css", ".mo"})


@functools.cache
def _source_digest() -> str:
    """Hash the package's own code, so a changed tool never reuses old results.

    Every module in every sub-package, and the files the code ships beside it (the search form's
    script and style, serve's preview, the message catalogs). The packaged templates are not among
    them: a build reads those as inputs, and names them in its key.
    """
    package = Path(compendium.__file__).parent
    digest = hashlib.sha256()
    inputs = (package / "templates", package / "skeleton")  # read by a build as inputs, or copied by init
    shipped = [p for p in package.rglob("*") if p.suffix in CODE_SUFFIXES and not p.is_relative_to(inputs[0])]
    shipped = [p for p in shipped if not p.is_relative_to(inputs[1])]
    for path in sorted(shipped):
        name = path.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# The libraries whose version changes what a build writes: PDF layout, Markdown, sanitising, dates, photos.
# Parsing and validation (pyyaml, pydantic) shape what the memo keeps; pikepdf joins the pieced PDFs; fonttools
# finds the characters the fonts lack; confusable-homoglyphs decides which spellings are one name, so which
# texts the consent checks (whose results the memo keeps) refuse; coloraide works out the accent's tint and the
# darker shade a failing accent is told to use.
OUTPUT_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "pyphen",
    "markdown",
    "nh3",
    "babel",
    "jinja2",
    "pillow",
    "pikepdf",
    "pagefind_bin",
    "pyyaml",
    "pydantic",
    "fonttools",
    "confusable-homoglyphs",
    "coloraide",
)


def tool_fingerprint() -> str:
    """Return what identifies this version of the tool; read at call time so a version bump counts.

    The messages' language is part of it: a problem kept from a build in English is not shown in Danish.
    """
    return f"{SCHEMA}:{compendium.__version__}:{_source_digest()}:{_library_versions()}:{messages.fingerprint()}"


@functools.cache
def _library_versions() -> str:
    """Name the installed version of every library that shapes the outputs, so an upgrade rebuilds."""
    from importlib import metadata

    versions = []
    for name in OUTPUT_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ",".join(versions)


def file_digest(path: Path) -> str:
    """Hash one file's bytes."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def entry_digest(path: Path) -> bytes:
    """Hash a regular file's bytes; name anything else by its kind, without opening it (a FIFO would hang)."""
    return read_source(path).digest


def entry_key(stage: str, *inputs: str | bytes) -> str:
    """Name a cache entry: a hash of the stage, the tool, and each input it is made from.

    The one key scheme of the cache: every entry, and the whole build, is named through it.
    """
    digest = hashlib.sha256(f"{stage}\0{tool_fingerprint()}".encode())
    for part in inputs:
        # Each input hashed on its own, so no two different lists of inputs run together into one.
        digest.update(hashlib.sha256(part.encode() if isinstance(part, str) else part).digest())
    return digest.hexdigest()
