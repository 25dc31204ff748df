"""Walking a loaded YAML file: every text in it, or the values at a key pattern such as ("events", "*", "text")."""

from __future__ import annotations

from collections.abc import Iterator

from compendium.errors import KeyPath

# A key path in which "*" stands for every item of a list.
Pattern = tuple[str, ...]


def texts_in(data: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Yield (path, text) for every string value in a loaded file."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts_in(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts_in(value, (*path, i))


def values_at(data: object, pattern: Pattern, path: KeyPath = ()) -> Iterator[tuple[KeyPath, object]]:
    """Yield (path, value) for every value whose key path matches a pattern."""
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*" and isinstance(data, list):
        for i, item in enumerate(data):
            yield from values_at(item, rest, (*path, i))
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, (*path, head))
