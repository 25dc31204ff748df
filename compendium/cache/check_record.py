"""`check` on an unchanged project: the last successful check's result, when nothing it read has changed.

A build checks every input first. When the build succeeds, it stores what that
check found (the warnings, in the groups `--strict` refuses them in, and the
counts) in its cache folder, under a key: a hash of the tool and of every file
a check can read (compendium.yaml, every file below the inputs and template
folders, hidden ones too, and each photo, by name and bytes). `compendium
check` computes the key again, which needs no YAML, pydantic or Jinja, and
when it is the same prints the stored result. Anything else, or any doubt (a
linked folder, a damaged record, one not sealed with this machine's cache key:
see seal.py), means checking afresh. Like the rest of the cache, the record is
only ever written by a build; `check` writes nothing to the project.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import compendium
from compendium.cache import seal
from compendium.cache.fingerprint import entry_digest, entry_key, tool_fingerprint
from compendium.errors import InputError, Problem
from compendium.project import relative_name
from compendium.report import Counts

PROJECT_FILE = "compendium.yaml"
RECORD = "check.json"
EDITIONS = ("public", "internal")
PACKAGE_TEMPLATES = Path(compendium.__file__).parent / "templates"


@dataclass(frozen=True)
class CheckResult:
    """What `check` reports on success: the warnings and how much it read."""

    warnings: list[Problem]
    counts: Counts


# How a file's bytes are hashed: read now, or (in a build) as the build read them.
Digest = Callable[[Path], bytes]


def project_key(root: Path, inputs: Path, templates: Path, digest: Digest = entry_digest) -> str | None:
    """Hash the tool, compendium.yaml and every file below the inputs and template folders; None if unsure."""
    lines = [digest(root / PROJECT_FILE)]
    for folder in (inputs, templates, PACKAGE_TEMPLATES):
        listed = _listing(root, folder, digest)
        if listed is None:
            return None
        lines += listed
    return entry_key("check", *lines)


def _listing(root: Path, folder: Path, digest: Digest) -> list[bytes] | None:
    """Name and hash every file below a folder, in a stable order; None when a folder is a link."""
    if folder.is_symlink():
        return None  # where it points is part of what was read: check afresh
    lines = [_name(root, folder).encode() + (b" present" if folder.is_dir() else b" absent")]
    for top, dirs, files in os.walk(folder):
        if any(os.path.islink(os.path.join(top, d)) for d in dirs):
            return None  # os.walk does not go into linked folders, a check's glob may
        dirs.sort()
        for name in sorted(files):
            path = Path(top, name)
            lines.append(_name(root, path).encode() + b"\0" + _content(path, digest))
    return lines


def _content(path: Path, digest: Digest) -> bytes:
    """Hash a file's bytes, and for a link also where it points (a link out of the project is refused)."""
    if path.is_symlink():
        return b"link:" + os.path.realpath(path).encode() + b"\0" + digest(path)
    return digest(path)


def _name(root: Path, path: Path) -> str:
    """Name a path relative to the project, so a copied project hashes the same."""
    return relative_name(root, path)


def photos_key(root: Path, photos: Iterable[str], digest: Digest = entry_digest) -> str:
    """Hash each photo a check looked at, by its name, bytes and where it points."""
    return entry_key("photos", *(name.encode() + b"\0" + _content(root / name, digest) for name in sorted(set(photos))))


def make_record(
    key: str,
    folders: tuple[str, str],
    photos: Iterable[str],
    root: Path,
    groups: list[list[Problem]],
    counts: Counts,
    digest: Digest = entry_digest,
) -> bytes:
    """Return the record of a successful check, for the build to store.

    key is project_key of the files as the check read them (digest gives each
    one's), so a file saved during the check can only make the record miss. folders are the inputs and
    templates settings, as compendium.yaml (hashed in the key) gives them.
    """
    data = {
        "tool": tool_fingerprint(),
        "key": key,
        "inputs": folders[0],
        "templates": folders[1],
        "photos": sorted(set(photos)),
        "photos_key": photos_key(root, photos, digest),
        "groups": [[asdict(p) for p in group] for group in groups],
        "counts": asdict(counts),
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


def find_root(explicit: Path | None) -> Path | None:
    """Find the project folder as find_project does, or None where it would report a problem."""
    if explicit is not None:
        root = explicit.resolve()
        return root if (root / PROJECT_FILE).is_file() else None
    here = Path.cwd().resolve()
    return next((root for root in (here, *here.parents) if (root / PROJECT_FILE).is_file()), None)


def cached_check(root: Path, strict: bool) -> CheckResult | None:
    """Return the stored result of a check of exactly these files, or None to check afresh.

    With --strict, every warning is raised together, as the check itself does.
    """
    record = _find(root)
    if record is None:
        return None
    groups: list[list[Problem]] = [[Problem(**p) for p in group] for group in record["groups"]]
    warnings = sorted({p for group in groups for p in group})
    if strict and warnings:
        raise InputError(warnings)
    return CheckResult(warnings, Counts(**record["counts"]))


def _find(root: Path) -> dict[str, Any] | None:
    """Find a record, in any cache folder at the top of the project, that matches the files as they are now."""
    try:
        folders = sorted(e.path for e in os.scandir(root) if e.name.startswith(".") and e.name.endswith("-cache"))
    except OSError:
        return None
    for folder in folders:
        for edition in EDITIONS:
            record = _read(Path(folder, edition))
            if record is not None and _matches(root, record):
                return record
    return None


def _read(cache: Path) -> dict[str, Any] | None:
    """Read the record in a cache folder, sealed by this same tool, or None."""
    # None when not written by a build on this machine (a planted record, say): check afresh.
    data = seal.read_json(cache, RECORD)
    keys = {"tool", "key", "photos", "photos_key", "groups", "counts", "inputs", "templates"}
    if not isinstance(data, dict) or not keys <= data.keys() or data["tool"] != tool_fingerprint():
        return None
    return data


def _matches(root: Path, record: Mapping[str, Any]) -> bool:
    """Tell whether every file the recorded check read is as it was then."""
    inputs, templates = root / record["inputs"], root / record["templates"]
    if not (inputs.resolve().is_relative_to(root) and templates.resolve().is_relative_to(root)):
        return False
    key = project_key(root, inputs, templates)
    return key is not None and key == record["key"] and photos_key(root, record["photos"]) == record["photos_key"]
