"""YAML files to plain data, keeping where every value stood: the first step of stage 2, validate.

Nothing here interprets the content. Parsing goes through PyYAML's composer
(the C one where present) so each node keeps its line and column; the data
is then built by hand, which is where duplicate keys, foreign tags and
recursive aliases are caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from compendium.content.dates import PartialDate
from compendium.errors import Fault, InputError, KeyPath, Problem, Refused, format_key_path
from compendium.messages import N_, _

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Only the plain YAML types; anything else (!!python/..., custom tags) is refused.
_TAG = "tag:yaml.org,2002:"
ALLOWED_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
ALLOWED_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}
_KIND_NAMES = {
    _TAG + "int": N_("a number"),
    _TAG + "float": N_("a number"),
    _TAG + "bool": N_("true/false"),
    _TAG + "null": N_("empty (null)"),
    _TAG + "timestamp": N_("a date"),
}
# Limits far above any real input, low enough that a hostile file fails fast:
# libyaml's composer recurses and crashes the process at ~30,000 levels, and
# a few aliases can expand to billions of values ("billion laughs").
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ALIASES = 1_000
MAX_FILE_BYTES = 2_000_000
MAX_EXPANDED_CHARS = 10_000_000
TOO_DEEP_HINT = N_("no input needs that many, so check the indentation and brackets")
UTF8_HINT = N_("save it as UTF-8 in your editor")


def _too_deep() -> Fault:
    """Say that lists and mappings are nested too deep, and what to do."""
    fix = _(TOO_DEEP_HINT)
    return Fault.then(
        _("lists and mappings are nested more than {max_depth} levels deep").format(max_depth=MAX_DEPTH), fix
    )


@dataclass
class Located:
    """The data of one YAML file and the position of every value in it."""

    file: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    # Source text of plain scalars YAML read as something other than text,
    # so "expected text" errors can quote what the editor actually wrote.
    raw: dict[KeyPath, tuple[str, str]] = field(default_factory=dict)
    # The file's text, to find a place inside a value (a word in a block of Markdown).
    text: str = ""

    def where(self, path: KeyPath) -> tuple[int, int]:
        """Return the line and column of a value, or of its nearest ancestor."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.positions:
                return self.positions[path[:n]]
        return (1, 1)

    def where_key(self, path: KeyPath) -> tuple[int, int]:
        """Return the position of a mapping key, or of its value when unknown."""
        return self.key_positions.get(path) or self.where(path)

    def where_in(self, path: KeyPath, value: str, offset: int) -> tuple[int, int]:
        """Return the line and column of a place inside a text value: where value[offset:] begins in the file.

        The text around the place is looked up in the file from where the value starts, as often as it occurs
        in the value before it; where YAML changed it (an escape, a folded line), the value's start is given.
        """
        start = self.where(path)
        tail = value[offset:].split("\n", 1)[0][:40].rstrip()
        if not tail or not self.text:
            return start
        at = self._offset(start)
        for _step in range(value.count(tail, 0, offset) + 1):
            at = self.text.find(tail, at)
            if at == -1:
                return start
            found, at = at, at + len(tail)
        line = self.text.count("\n", 0, found) + 1
        return line, found - (self.text.rfind("\n", 0, found) + 1) + 1

    def _offset(self, where: tuple[int, int]) -> int:
        """Return the index in the file's text of a line and column."""
        at = 0
        for _line in range(where[0] - 1):
            at = self.text.find("\n", at) + 1
        return at + where[1] - 1

    def problem(
        self,
        path: KeyPath,
        message: str,
        *,
        hint: str = "",
        key: bool = False,
        warning: bool = False,
        at: tuple[int, int] | None = None,
    ) -> Problem:
        """Make a Problem located at a key path in this file (or at a place inside its value); hint is the fix."""
        line, col = at or (self.where_key(path) if key else self.where(path))
        return Problem(self.file, line, col, format_key_path(path), message, warning, hint)


class _Walker:
    """Turn a composed node tree into Python data, recording positions."""

    def __init__(self, loader: yaml.SafeLoader, located: Located) -> None:
        self.loader = loader
        self.located = located
        self.problems: list[Problem] = []
        self.active: set[int] = set()
        self.count = 0
        self.chars = 0

    def fail(self, node: yaml.Node, path: KeyPath, message: str, hint: str = "") -> None:
        """Record a problem at a node; hint is the fix the message ends with."""
        mark = node.start_mark
        where = (mark.line + 1, mark.column + 1)
        self.problems.append(Problem(self.located.file, *where, format_key_path(path), message, hint=hint))

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        """Build the value of a node."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node, _("more than {max_nodes:,} values").format(max_nodes=MAX_NODES))
        if isinstance(node, yaml.ScalarNode):
            # Aliases share one string, so size counts text as printed, not as stored.
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise _TooBig(
                    node,
                    _("more than {max_expanded_chars:,} characters of text").format(
                        max_expanded_chars=MAX_EXPANDED_CHARS
                    ),
                )
        self.located.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(path) > MAX_DEPTH:
            self.fail(node, path, _("nested more than {max_depth} levels deep").format(max_depth=MAX_DEPTH))
            return None
        if id(node) in self.active:
            self.fail(
                node, path, _("an alias refers to itself; remove the recursive alias"), _("remove the recursive alias")
            )
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in ALLOWED_COLLECTION_TAGS:
            self.fail(node, path, _tag_message(node.tag), _(TAG_HINT))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.active.add(id(node))
            items = [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
            self.active.discard(id(node))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        """Build a dict, refusing duplicate and non-text keys."""
        self.active.add(id(node))
        self.loader.flatten_mapping(node)  # resolve "<<" merge keys
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, _("a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                self.fail(
                    key_node,
                    (*path, key),
                    _("duplicate key '{key}' (first used on line {first_line}); remove one of them").format(
                        key=key, first_line=first_line[key]
                    ),
                    _("remove one of them"),
                )
                continue
            self._refuse_escaped_controls(key_node, path, key)
            first_line[key] = key_pos[0]
            self.located.key_positions[(*path, key)] = key_pos
            out[key] = self.walk(value_node, (*path, key))
        self.active.discard(id(node))
        return out

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        """Build a scalar with the safe constructor, refusing foreign tags."""
        if node.tag not in ALLOWED_SCALAR_TAGS:
            self.fail(node, path, _tag_message(node.tag), _(TAG_HINT))
            return None
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # PyYAML resolves 2023-02-30 as a date, then cannot build it: the date type says what is wrong.
            fault = _not_a_date(node.value) if node.tag == _TAG + "timestamp" else None
            if fault is None:
                self.fail(node, path, _("'{value}' is not a valid value").format(value=node.value))
            else:
                self.fail(node, path, fault.message, fault.hint)
            return None
        if isinstance(value, str):
            self._refuse_escaped_controls(node, path, value)
        # Plain (unquoted) scalars that YAML read as something other than text;
        # the C loader marks them with style '' and the Python one with None.
        if node.tag != _TAG + "str" and not getattr(node, "style", None):
            self.located.raw[path] = (node.value, _(_KIND_NAMES.get(node.tag, N_("a value"))))
        return value

    def _refuse_escaped_controls(self, node: yaml.Node, path: KeyPath, text: str) -> None:
        """Refuse control characters a quoted text spells as escapes ("\\0", "\\e", "\\x07"), as literal ones are.

        The text itself was checked before parsing (see _refuse_control_characters), so any control
        character in a parsed value came from an escape; it is named at the quoted text's start.
        """
        hit = ESCAPED_CONTROL.search(text)
        if hit is None:
            return
        char = hit.group(0)
        what = _(CONTROL_NAMES.get(char, N_("an invisible control character")))
        fix = _("delete the escape{char}, or write a space or a line break instead").format(char=_escape_of(char))
        self.fail(
            node,
            path,
            _("the text holds U+{char:04X} ({what}), written as an escape; {fix}").format(
                char=ord(char), what=what, fix=fix
            ),
            fix,
        )


TAG_HINT = N_("remove it and write a plain value")


def _not_a_date(text: str) -> Fault | None:
    """Say why a value YAML took for a date is none, in the date type's words."""
    try:
        PartialDate.parse(text)
    except Refused as refused:
        return refused.fault
    return None


def _escape_of(char: str) -> str:
    """Name the YAML escape that most likely spelled a control character, e.g. ' (\\0)'."""
    short = {"\0": "0", "\a": "a", "\b": "b", "\x1b": "e", "\v": "v", "\f": "f", "\x85": "N"}
    if char in short:
        return f" (\\{short[char]})"
    return f" (\\x{ord(char):02x})" if ord(char) < 0x100 else f" (\\u{ord(char):04x})"


def _tag_message(tag: str) -> str:
    """Explain that a YAML tag is refused, showing it as the editor wrote it."""
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return _("the tag '{shown}' is not allowed; {tag_hint}").format(shown=shown, tag_hint=_(TAG_HINT))


class _TooBig(Exception):
    """The document expands to more nodes than any real input has."""

    def __init__(self, node: yaml.Node, what: str) -> None:
        self.node = node
        self.what = what


# Byte order marks of encodings an editor may save in by mistake.
OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(raw: bytes, rel: str) -> str:
    """Decode UTF-8 (a BOM is fine), or say which file and byte is wrong."""
    for bom, name in OTHER_BOMS:
        if raw.startswith(bom):
            message = _("the file is saved as {name}, not UTF-8; {utf8_hint}").format(name=name, utf8_hint=_(UTF8_HINT))
            raise InputError([Problem(rel, 1, 1, "", message, hint=_(UTF8_HINT))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Count characters, not bytes, so the column matches what an editor shows.
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(
            [
                Problem(
                    rel,
                    line,
                    col,
                    "",
                    _("the file is not UTF-8 text (byte 0x{byte:02x}{guess}); ").format(
                        byte=raw[exc.start], guess=_legacy_guess(raw[exc.start])
                    )
                    + _(UTF8_HINT),
                    hint=_(UTF8_HINT),
                )
            ]
        ) from None


# What YAML refuses to read: C0 controls but tab and line ends, DEL, C1 controls but NEL, and non-characters.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# In a parsed value also NEL (U+0085), which YAML turns into a line end when it is written as itself.
ESCAPED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTROL_NAMES = {
    "\x0b": N_("a vertical tab, often a Shift+Enter line break pasted from Word"),
    "\x0c": N_("a page break"),
}
MAX_CONTROL_PROBLEMS = 10


def _refuse_control_characters(text: str, rel: str) -> None:
    """Name each control character by line and column; YAML would only give a position in the string."""
    problems: list[Problem] = []
    for hit in CONTROL.finditer(text):
        if len(problems) == MAX_CONTROL_PROBLEMS:
            break
        char = hit.group(0)
        line = text.count("\n", 0, hit.start()) + 1
        col = hit.start() - (text.rfind("\n", 0, hit.start()) + 1) + 1
        what = _(CONTROL_NAMES.get(char, N_("an invisible control character")))
        fix = _("delete it, or replace it with a space or a line break")
        problems.append(
            Problem(
                rel,
                line,
                col,
                "",
                _("the text holds U+{char:04X} ({what}); {fix}").format(char=ord(char), what=what, fix=fix),
                hint=fix,
            )
        )
    if problems:
        located = _located_without_controls(text, rel)
        raise InputError([replace(p, key_path=_key_path_at(located, p.line, p.column)) for p in problems])


def _located_without_controls(text: str, rel: str) -> Located | None:
    """Parse the text with its control characters blanked out, to learn which value holds each; None if it fails."""
    try:
        return parse(CONTROL.sub(" ", text), rel)  # one character for one, so positions stay
    except InputError:
        return None


def _key_path_at(located: Located | None, line: int, col: int) -> str:
    """Return the key path of the last value that starts at or before a position."""
    if located is None:
        return ""
    before = [(where, path) for path, where in located.positions.items() if path and where <= (line, col)]
    # At the same position, the deeper path is the value itself (a mapping starts where its first key does).
    return format_key_path(max(before, key=lambda item: (item[0], len(item[1])))[1]) if before else ""


def _legacy_guess(byte: int) -> str:
    """Name the letter a stray byte is in Windows-1252, the usual culprit for Danish text."""
    try:
        letter = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return (
        _(", which is '{letter}' in Windows-1252").format(letter=letter)
        if letter.isprintable() and byte >= 0x80
        else ""
    )


def load_yaml(path: Path, rel: str) -> Located:
    """Load one YAML file whose top level is a mapping."""
    try:
        if not path.is_file():
            fix = _("inputs must be plain YAML files")
            raise InputError([Problem(rel, message=_("not a regular file; {fix}").format(fix=fix), hint=fix)])
        with path.open("rb") as handle:
            # Read one byte past the limit: enough to know, never the whole of a huge file.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(
            [Problem(rel, message=_("cannot read the file: {strerror}").format(strerror=exc.strerror))]
        ) from None
    return load_bytes(raw, rel)


def load_bytes(raw: bytes, rel: str) -> Located:
    """Load the bytes of one YAML file whose top level is a mapping."""
    if len(raw) > MAX_FILE_BYTES:
        fix = _("split it (e.g. one event or story per file) or remove what does not belong")
        message = _("the file is larger than {value} MB, far beyond any real input; {fix}").format(
            value=MAX_FILE_BYTES // 1_000_000, fix=fix
        )
        raise InputError([Problem(rel, message=message, hint=fix)])
    text = decode(raw, rel)
    _refuse_control_characters(text, rel)
    return parse(text, rel)


def parse(text: str, rel: str) -> Located:
    """Parse YAML text whose top level is a mapping, refusing deep nesting and alias bombs first."""
    _prescan(text, rel)
    loader = Loader(text)
    try:
        return _compose(loader, rel, text)
    finally:
        loader.dispose()


def _prescan(text: str, rel: str) -> None:
    """Refuse deep nesting and too many aliases from the event stream, before composing.

    libyaml's parser keeps its own stack, so reading events is safe at any depth;
    its composer recurses and would crash the whole process on a deep file.
    Syntax errors are left for the composer, which reports them in full.
    """
    loader = Loader(text)
    aliases = 0
    # The anchor (or None) of every list and mapping still open, with its line.
    open_anchors: list[tuple[str | None, int]] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                open_anchors.append((event.anchor, event.start_mark.line + 1 if event.start_mark else 0))
                if len(open_anchors) > MAX_DEPTH + 1:  # the top-level mapping is not a level of nesting
                    _refuse(rel, event, _too_deep().message, _too_deep().hint)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                open_anchors.pop()
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    _refuse(
                        rel,
                        event,
                        _(
                            "the file uses more than {max_aliases:,} aliases (*name); write the values out instead"
                        ).format(max_aliases=MAX_ALIASES),
                        _("write the values out instead"),
                    )
                line = next((line for anchor, line in open_anchors if anchor == event.anchor), None)
                if line is not None:
                    _refuse(
                        rel,
                        event,
                        _(
                            "the alias *{anchor} stands inside the value it refers to (&{anchor} on line {line}), which would repeat for ever; remove the alias"
                        ).format(anchor=event.anchor, line=line),
                        _("remove the alias"),
                    )
    except yaml.YAMLError as exc:
        # libyaml 0.2.5 as bundled with PyYAML 6.0.4 stops at 1,000 levels itself, while scanning
        # ahead of the events above: that is still our "too deep", found at the bracket that went past it.
        if "maximum nesting depth" in str(exc):
            line, col = _too_deep_bracket(text)
            raise InputError([Problem(rel, line, col, "", _too_deep().message, hint=_too_deep().hint)]) from None
        return
    finally:
        loader.dispose()


def _too_deep_bracket(text: str) -> tuple[int, int]:
    """Find the line and column of the bracket that opens level MAX_DEPTH + 1 (the top-level mapping is a level)."""
    depth = 0 if text.lstrip().startswith("{") else 1
    quote = ""
    line, col = 1, 0
    for char in text:
        col += 1
        if char == "\n":
            line, col, quote = line + 1, 0, ""
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH + 1:
                return line, col
        elif char in "]}":
            depth -= 1
    return line, col


def _refuse(rel: str, event: yaml.Event, message: str, hint: str) -> None:
    """Raise an InputError at an event's position; hint is the fix the message ends with."""
    mark = event.start_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    raise InputError([Problem(rel, line, col, "", message, hint=hint)])


def _compose(loader: yaml.SafeLoader, rel: str, text: str) -> Located:
    """Parse the single document and build its data with positions."""
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(rel, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(rel, message=_("invalid YAML: {exc}").format(exc=exc))]) from None
    if node is None:
        fix = _("expected a mapping of fields")
        raise InputError([Problem(rel, 1, 1, "", _("the file is empty; {fix}").format(fix=fix), hint=fix)])
    if not isinstance(node, yaml.MappingNode):
        found = _("a list") if isinstance(node, yaml.SequenceNode) else _("a single value")
        raise _error_at(
            rel, node, _("expected a mapping of fields at the top level, found {found}").format(found=found)
        )
    located = Located(rel, None, text=text)
    walker = _Walker(loader, located)
    try:
        located.data = walker.walk(node, ())
    except _TooBig as big:
        fix = _("write the values out instead of repeating aliases")
        message = _("the aliases (*name) in this file expand to {what}, far beyond any real input; {fix}").format(
            what=big.what, fix=fix
        )
        raise _error_at(rel, big.node, message, fix) from None
    if walker.problems:
        raise InputError(walker.problems)
    return located


def _error_at(rel: str, node: yaml.Node, message: str, hint: str = "") -> InputError:
    """Make an InputError for one problem at a node; hint is the fix the message ends with."""
    mark = node.start_mark
    return InputError([Problem(rel, mark.line + 1, mark.column + 1, "", message, hint=hint)])


# libyaml's wording, what it usually means for someone editing by hand, and the fix where there is one.
SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        N_("unexpected ':'"),
        N_("check this line's indentation, or put the value in quotes"),
    ),
    (
        "did not find expected key",
        N_("this line does not fit the structure above it"),
        N_("check its indentation, and look for an unclosed quote on an earlier line"),
    ),
    ("tab character", N_("a tab is used for indentation"), N_("indent with spaces")),
    ("found character '\\t'", N_("a tab is used for indentation"), N_("indent with spaces")),
    ("found unexpected end of stream", N_("the file ends inside a quoted text"), N_("close the quote")),
    ("did not find expected ',' or ']'", N_("a list opened with '[' on line {open} is not closed with ']'"), ""),
    ("did not find expected ',' or '}'", N_("a mapping opened with '{{' on line {open} is not closed with '}}'"), ""),
    ("did not find expected '-' indicator", N_("a list item is not indented like the ones above it"), ""),
    (
        "did not find expected node content",
        N_("a value is missing or starts with a character YAML reserves"),
        N_("quote it"),
    ),
    ("found undefined alias", N_("an alias (*name) refers to an anchor (&name) that is not defined"), ""),
    ("found duplicate anchor", N_("the same anchor (&name) is defined twice"), ""),
)


def _syntax_problem(rel: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Turn a PyYAML syntax error into a Problem at its mark, in an editor's words."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or _("invalid YAML")
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if "expected a single document" in (exc.context or ""):
        fix = _("keep one per file")
        return Problem(
            rel, line, col, "", _("the file holds more than one YAML document ('---'); {fix}").format(fix=fix), hint=fix
        )
    meaning, fix = next(((m, f) for pattern, m, f in SYNTAX_HINTS if pattern in problem), ("", ""))
    meaning, fix = _(meaning) if meaning else "", _(fix) if fix else ""
    if "{open}" in meaning:
        # libyaml remembers where the unclosed bracket opened; say so.
        meaning = meaning.format(open=exc.context_mark.line + 1 if exc.context_mark else "?")
    if not meaning:
        return Problem(rel, line, col, "", _("invalid YAML: {problem}").format(problem=problem))
    # YAML's own words follow the fix, in the message and so in the hint.
    said = _(" (YAML says: {problem})").format(problem=problem)
    if not fix:
        return Problem(rel, line, col, "", _("invalid YAML: {meaning}{said}").format(meaning=meaning, said=said))
    return Problem(
        rel,
        line,
        col,
        "",
        _("invalid YAML: {meaning}; {fix}{said}").format(meaning=meaning, fix=fix, said=said),
        hint=fix + said,
    )
