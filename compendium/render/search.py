"""The search index: Pagefind over the public compendium's stories, proposals and statements, readable offline.

The compendium is one long page, and Pagefind indexes pages, with its filters per page: indexed whole,
a search could point to headings but a filter could not narrow anything. So the rendered HTML is split
into one small fragment per entry (each element the templates mark with `data-search`, holding its
filters as JSON), for indexing only, and each is indexed under its anchor (compendium.html#story-x).

Pagefind's browser side is an ES module that fetches its index files, which Chromium refuses to do from
file://. Each bundle file is therefore shipped as a classic script that hands its bytes (base64) to
render/search.js, which loads pagefind.js from those bytes and answers its fetches from them: the same
files work from a USB stick and from any static host, with no network.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from typing import IO, Any

import cbor2

from compendium.messages import _

FOLDER = "search"  # beside compendium.html
ENTRY_ATTRIBUTE = "data-search"
FILTERS = ("entry", "theme", "place", "year", "kind")  # the filter names the templates may give
# Pagefind's own files the page needs; its UI bundles, worker (refused from file://) and playground are not.
SHIPPED_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
COMPRESSED = b"pagefind_dcd"  # what Pagefind writes before the data of a file it gzipped, once unzipped


class SearchError(Exception):
    """Pagefind could not make the index."""


@dataclass(frozen=True)
class Entry:
    """One story, proposal or statement as the page prints it, and what it may be filtered by."""

    anchor: str  # its id in the page
    title: str
    html: str  # the element as rendered
    filters: dict[str, list[str]]


class _StartTag(HTMLParser):
    """Read the attributes of one start tag, as a browser would (quotes, character references)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the first tag's attributes."""
        if not self.attrs:
            self.attrs = {name: value or "" for name, value in attrs}


def _attributes(tag: str) -> dict[str, str]:
    """Return the attributes of a start tag."""
    parser = _StartTag()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def _title(element: str) -> str:
    """Return the text of an entry's first heading, or of its caption (a statement's speaker), as a reader sees it."""
    found = _TITLE.search(element)
    return " ".join(html.unescape(_TAG.sub("", found[2])).split()) if found else ""


_TITLE = re.compile(r"<(h[1-6]|figcaption)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _filters(marked: str) -> dict[str, list[str]]:
    """Read an entry's filters from its data-search attribute; what is not a list of texts is left out."""
    try:
        data = json.loads(marked)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found = {}
    for name in FILTERS:
        values = data.get(name)
        if isinstance(values, list):
            kept = [" ".join(v.split()) for v in values if isinstance(v, str) and v.strip()]
            if kept:
                found[name] = kept
    return found


def entries(page: str) -> list[Entry]:
    """Split a rendered page into its marked entries, in the order it prints them.

    Python's HTML parser takes seconds over a 1,000-story page, so only start tags are parsed with it:
    a regular expression finds where a marked element starts, and counting its tag name's openings
    and closings where it ends; the element is indexed as written.
    """
    found: list[Entry] = []
    end = 0
    for start in _MARKED.finditer(page):
        if start.start() < end:
            continue  # inside the entry before: part of its text
        end = _element_end(page, start.start(), start[1])
        element = page[start.start() : end]
        attrs = _attributes(element[: element.index(">") + 1])
        if attrs.get("id") and ENTRY_ATTRIBUTE in attrs:
            found.append(Entry(attrs["id"], _title(element), element, _filters(attrs[ENTRY_ATTRIBUTE])))
    return found


_MARKED = re.compile(rf"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\s{ENTRY_ATTRIBUTE}\s*=")


def _element_end(page: str, start: int, tag: str) -> int:
    """Find where the element opened at start closes, counting the openings and closings of its name."""
    depth = 0
    for found in re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE).finditer(page, start):
        depth += -1 if found[1] else 1
        if depth == 0:
            return found.end()
    return len(page)


def fragment(entry: Entry, language: str) -> str:
    """Make the page Pagefind indexes for one entry: its HTML as printed, its title and filters beside it."""
    marks = [f'<span data-pagefind-meta="title">{html.escape(entry.title)}</span>']
    for name, values in entry.filters.items():
        marks += [f'<span data-pagefind-filter="{name}">{html.escape(v)}</span>' for v in values]
    return (
        f'<!DOCTYPE html><html lang="{html.escape(language)}"><head><meta charset="utf-8"><title></title></head>'
        f"<body><main data-pagefind-body>{entry.html}</main>"
        f"<div data-pagefind-ignore>{''.join(marks)}</div></body></html>"
    )


def build_index(page: str, page_name: str, language: str) -> dict[str, bytes]:
    """Index a page's entries with Pagefind; return the bundle files the page needs, by path in the bundle."""
    found = entries(page)
    if not found:
        return {}
    with _Service() as service:
        index = service.ask({"type": "NewIndex", "config": {"force_language": language}})["index_id"]
        # One at a time, in the page's order: Pagefind numbers the pages as they come.
        for entry in found:
            url = f"{page_name}#{entry.anchor}"
            service.ask({"type": "AddFile", "index_id": index, "url": url, "file_contents": fragment(entry, language)})
        made = service.ask({"type": "GetFiles", "index_id": index})["files"]
    files = {f["path"].removeprefix("pagefind/"): base64.b64decode(f["content"]) for f in made}
    return canonical(_shipped(files))


class _Service:
    """Pagefind's binary in service mode, asked one request at a time (the protocol of its Python API).

    Pagefind's own Python client (pagefind.index) reads each answer after a 0.1 s pause, which for the
    3,000 entries of a 1,000-story compendium is five minutes; this asks and reads at once.
    """

    TIMEOUT = 900.0  # seconds for the whole index; a binary that hangs is stopped, and the build says so

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._last = 0
        self._watchdog: threading.Timer | None = None

    def __enter__(self) -> _Service:
        from pagefind_bin import get_executable

        try:
            self._process = subprocess.Popen(
                [str(get_executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=tempfile.gettempdir(),
            )
        except (OSError, FileNotFoundError) as exc:
            raise SearchError(_("Pagefind could not be started: {exc}").format(exc=exc)) from None
        # Killed, it closes its output, and the answer being read ends in a SearchError.
        self._watchdog = threading.Timer(self.TIMEOUT, self._process.kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._process is not None:
            self._process.kill()
            self._process.communicate()

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer; an error answer, or none, is a SearchError."""
        assert self._process is not None and self._process.stdin and self._process.stdout
        self._last += 1
        request = json.dumps({"message_id": self._last, "payload": payload}).encode()
        try:
            self._process.stdin.write(base64.b64encode(request) + b",")
            self._process.stdin.flush()
            answer = _read_until_comma(self._process.stdout)
        except OSError as exc:
            raise SearchError(_("Pagefind stopped: {exc}").format(exc=exc)) from None
        reply: dict[str, Any] = json.loads(base64.b64decode(answer))["payload"]
        if reply.get("type") == "Error":
            raise SearchError(
                _("Pagefind refused {payload}: {message}").format(payload=payload["type"], message=reply.get("message"))
            )
        return reply


def _read_until_comma(stream: IO[bytes]) -> bytes:
    """Read one answer of the service: base64, ended by a comma."""
    parts = []
    while True:
        chunk = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1)
        if not chunk:
            raise SearchError(_("Pagefind stopped before it answered"))
        head, comma, rest = chunk.partition(b",")
        parts.append(head)
        if comma:
            if rest:
                raise SearchError(_("Pagefind answered more than it was asked"))
            return b"".join(parts)


def _shipped(files: dict[str, bytes]) -> dict[str, bytes]:
    """Keep the bundle files the page needs: pagefind.js, the entry file, the language's wasm and the index."""
    entry = json.loads(files["pagefind-entry.json"])
    wasm = {f"wasm.{lang['wasm']}.pagefind" for lang in entry["languages"].values()}
    return {
        name: data
        for name, data in sorted(files.items())
        if name in {"pagefind.js", "pagefind-entry.json"} | wasm or name.endswith(SHIPPED_SUFFIXES)
    }


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """Write the filter files, and the meta file that lists them, in one order, so the same page gives the same bytes.

    Pagefind writes each filter's values, and the list of filters, in the order of a Rust HashMap, which
    is seeded afresh in every process: the same index came out in different bytes (and file names) each
    build. Sorting them changes nothing Pagefind reads, as it looks values and filters up by name.
    """
    entry = json.loads(files["pagefind-entry.json"])
    renamed: dict[str, str] = {}
    out = {}
    for name, data in files.items():
        if name.endswith(".pf_filter"):
            filter_name, values = _cbor(data)
            data = _packed([filter_name, sorted(values, key=lambda value: value[0])])
            renamed[name.removeprefix("filter/").removesuffix(".pf_filter")] = new = _hashed(name, data, 7)
            name = f"filter/{new}.pf_filter"
        out[name] = data
    for language in entry["languages"].values():
        old = f"pagefind.{language['hash']}.pf_meta"
        meta = _cbor(out.pop(old))
        meta[3] = sorted([filter_name, renamed.get(chunk, chunk)] for filter_name, chunk in meta[3])
        data = _packed(meta)
        language["hash"] = _hashed(language["hash"], data, 10)
        out[f"pagefind.{language['hash']}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(out.items()))


def _cbor(data: bytes) -> Any:
    """Read a gzipped Pagefind file of CBOR."""
    return cbor2.loads(gzip.decompress(data).removeprefix(COMPRESSED))


def _packed(value: object) -> bytes:
    """Write a value as Pagefind does: CBOR after its marker, gzipped (with no time in the header)."""
    return gzip.compress(COMPRESSED + cbor2.dumps(value), mtime=0)


def _hashed(name: str, data: bytes, length: int) -> str:
    """Name a file after its bytes, as Pagefind does: its language, then the start of a hash."""
    language = name.rsplit("/", 1)[-1].split("_", 1)[0].removeprefix("pagefind.")
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def readable(files: dict[str, bytes]) -> dict[str, str]:
    """Decode every index file into the texts it holds, by its path in the output, for the leak check.

    Fragments are gzipped JSON; the index and filter files gzipped CBOR, whose strings are joined one a
    line (read as raw bytes, a CBOR length byte that is a letter would glue itself to the word after it).
    """
    texts = {}
    for name, data in files.items():
        if name == "pagefind.js" or name.endswith(".pagefind"):
            continue  # Pagefind's own program, the same for every publication
        if name.endswith(".pf_index"):
            # The word index: each word of the fragments, stemmed and listed apart. Every word in it is in a
            # fragment, which is read whole, in context: read alone, a first name a named person shares with
            # one whose consent withholds it ("Jens" of "Jens Hansen") would be taken for the withheld one.
            continue
        texts[f"{FOLDER}/{name}"] = _decoded(name, data)
    return texts


def _decoded(name: str, data: bytes) -> str:
    """Return the text one bundle file holds."""
    if not data.startswith(b"\x1f\x8b"):
        return data.decode("utf-8")
    unzipped = gzip.decompress(data).removeprefix(COMPRESSED)
    if name.endswith(".pf_fragment"):
        return unzipped.decode("utf-8")
    return "\n".join(_strings(cbor2.loads(unzipped)))


def _strings(value: object) -> list[str]:
    """List every string in decoded CBOR, keys included, in order.

    The index is mostly lists of numbers (pages, word positions): walking them in Python takes
    seconds at 1,000 stories, so the value is written as JSON in C and its strings read back.
    """
    text = json.dumps(value, ensure_ascii=False, default=lambda b: bytes(b).decode("utf-8", errors="replace"))
    found: list[str] = json.loads("[" + ",".join(_JSON_STRING.findall(text)) + "]")
    return found


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def offline_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """Wrap each bundle file as a classic script that hands its bytes to the loader, and add the loader.

    Classic scripts load from file:// where fetch and module imports do not; the loader asks for each
    file only when Pagefind does, so a search still reads a few small files and never the whole index.
    """
    wrapped = {}
    for name, data in sorted(files.items()):
        encoded = base64.b64encode(data).decode("ascii")
        wrapped[f"{FOLDER}/{name}.js"] = f"compendiumSearch.add({json.dumps(name)},\n{json.dumps(encoded)});\n".encode()
    package = resources.files("compendium.render")
    for asset in ("search.js", "search.css"):
        wrapped[f"{FOLDER}/{asset}"] = package.joinpath(asset).read_bytes()
    return wrapped
