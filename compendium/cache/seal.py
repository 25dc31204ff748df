"""Seal every build-cache file with an HMAC-SHA256 under a key kept outside the project.

A pull request can add files below .build-cache/ (git add -f), and every
cache key is a content hash anyone can compute, so without a seal a
planted pickle would run code in CI and a planted PDF, photo or fragment
would be published as if this tool had made it. A sealed file starts with
the 32-byte MAC of its name (relative to the cache folder, edition
included, so an entry cannot stand in for another) and its bytes; a file
whose MAC does not match is a cache miss.

The key is read from $COMPENDIUM_CACHE_KEY_FILE, else
$XDG_CACHE_HOME/compendium/cache-key (~/.cache/compendium/cache-key), and
made there on first use. When it can be neither read nor made, a key for
this process alone is used: the cache then never hits across runs, but the
build does not fail. Kept free of heavy imports, as `check` uses it too.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

KEY_BYTES = 32
MAC_BYTES = 32  # SHA-256


def key_file() -> Path:
    """Return where the cache key lives."""
    explicit = os.environ.get("COMPENDIUM_CACHE_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "compendium", "cache-key")


def key() -> bytes:
    """Return the cache key of this process, for the key file named now."""
    return _key_at(key_file())


@functools.cache
def _key_at(path: Path) -> bytes:
    """Read or make the key at path once per process; a random key of our own when neither works."""
    try:
        return _read_key(path) or _make_key(path)
    except OSError:
        return secrets.token_bytes(KEY_BYTES)


def _read_key(path: Path) -> bytes | None:
    """Read a key file, or None when there is none; a short or damaged one is an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) != KEY_BYTES:
        raise OSError(f"{path}: not a cache key")
    return data


def _make_key(path: Path) -> bytes:
    """Make a new key file atomically; when another process made one first, use that one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(KEY_BYTES))
        # link, unlike rename, never replaces: two processes starting at once end up with one key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    found = _read_key(path)
    if found is None:
        raise OSError(f"{path}: vanished")
    return found


def mac(name: str, data: bytes) -> bytes:
    """Compute the MAC of a cache file's name and bytes."""
    return hmac.new(key(), name.encode() + b"\0" + data, hashlib.sha256).digest()


def seal(name: str, data: bytes) -> bytes:
    """Return what to store for a cache file: its MAC, then its bytes."""
    return mac(name, data) + data


def unseal(name: str, stored: bytes) -> bytes | None:
    """Return a stored cache file's bytes when its MAC is right for this name and key, else None."""
    tag, data = stored[:MAC_BYTES], stored[MAC_BYTES:]
    if len(tag) != MAC_BYTES or not hmac.compare_digest(tag, mac(name, data)):
        return None
    return data


def read(folder: Path, name: str) -> bytes | None:
    """Read and verify the cache file folder/name, named for its MAC as edition/name; None when absent or bad."""
    try:
        stored = (folder / name).read_bytes()
    except OSError:
        return None
    return unseal(f"{folder.name}/{name}", stored)


def sealed(folder: Path, name: str, data: bytes) -> bytes:
    """Return what to write as the cache file folder/name."""
    return seal(f"{folder.name}/{name}", data)


def write(folder: Path, name: str, data: bytes) -> None:
    """Write the cache file folder/name sealed, atomically (a temporary file, then a rename)."""
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(sealed(folder, name, data))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(folder: Path, name: str) -> Any:
    """Read and verify a JSON cache file; None when absent, bad or not JSON."""
    data = read(folder, name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None
