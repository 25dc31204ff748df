"""Put the English messages of a module through gettext: f"unknown {what}" → _("unknown {what}").format(what=what).

A helper for whoever adds messages (see docs/guide/messages.md); it changes the strings in place.

    python tools/wrap_messages.py compendium/x.py            list the strings that look like messages, by line
    python tools/wrap_messages.py compendium/x.py 12 40 41   wrap the strings that start on these lines

Not every sentence is a message (a YAML key, a CSS rule, a debugging text): choose the lines.
A placeholder is named after its expression (`{what}`, `{line}`); rename one that reads badly.
Then run `ruff format` and `make messages`.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PROSE = re.compile(r"[A-Za-z]+[,;:]? +[A-Za-z(']{2}")
GETTEXT = {"_", "N_", "ngettext"}


def _docstrings(tree: ast.AST) -> set[int]:
    """Return the ids of every docstring node, which are not messages."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _inside_gettext(tree: ast.AST) -> set[int]:
    """Return the ids of strings already passed to _(), N_() or ngettext(), and of f-strings' inner parts."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT:
            found.update(id(a) for a in node.args)
        if isinstance(node, ast.JoinedStr):
            found.update(id(n) for n in ast.walk(node) if n is not node)
        if isinstance(node, ast.keyword) and node.arg == "help":  # Typer's help is read at import
            found.add(id(node.value))
    return found


def _literal_text(node: ast.expr) -> str:
    """Return the literal parts of a string node."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))


def _module_level(tree: ast.Module) -> set[int]:
    """Return the ids of the strings made at import, before the language is chosen: those get N_()."""
    found: set[int] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.update(id(n) for n in ast.walk(statement))
    return found


def candidates(source: str, tree: ast.Module) -> list[ast.expr]:
    """List the string nodes of a module's tree that look like English messages."""
    skip = _docstrings(tree) | _inside_gettext(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if (is_text or isinstance(node, ast.JoinedStr)) and PROSE.search(_literal_text(node)):
            found.append(node)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def _name(expr: ast.expr, source: str) -> str:
    """Name a placeholder after its expression: `who.kind` → kind, `len(files)` → files, `m.MAX_X` → max_x."""
    if isinstance(expr, ast.Name):
        return expr.id.lower()
    if isinstance(expr, ast.Attribute):
        return expr.attr.lower()
    if isinstance(expr, ast.Call) and expr.args:
        return _name(expr.args[0], source)
    if isinstance(expr, ast.Subscript):
        return _name(expr.value, source)
    words = re.findall(r"[A-Za-z_]+", ast.get_source_segment(source, expr) or "value")
    return (words[-1] if words else "value").lower().strip("_") or "value"


def _escape(text: str) -> str:
    """Escape braces for str.format."""
    return text.replace("{", "{{").replace("}", "}}")


def _quote(text: str) -> str:
    """Write a text as a double-quoted Python string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def wrap(node: ast.expr, source: str, mark: str = "_") -> str:
    """Return the source of _("...").format(...) for one string node (N_("...") for a constant's)."""
    if isinstance(node, ast.Constant):
        return f"{mark}({_quote(str(node.value))})"
    assert isinstance(node, ast.JoinedStr)
    text, names = "", {}
    for part in node.values:
        if isinstance(part, ast.Constant):
            text += _escape(str(part.value))
            continue
        assert isinstance(part, ast.FormattedValue)
        expr = ast.get_source_segment(source, part.value) or ""
        name = _name(part.value, source)
        while name in names and names[name] != expr:
            name += "_"
        names[name] = expr
        conversion = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[part.conversion]
        spec = ""
        if part.format_spec is not None:
            assert isinstance(part.format_spec, ast.JoinedStr)
            spec = ":" + "".join(str(v.value) for v in part.format_spec.values if isinstance(v, ast.Constant))
        text += "{" + name + conversion + spec + "}"
    arguments = ", ".join(f"{k}={v}" for k, v in names.items())
    if not names:  # no placeholder, so no str.format to undo the escaped braces
        return wrap(ast.Constant(_literal_text(node)), source)
    return f"_({_quote(text)}).format({arguments})"


def _offset(source: str, line: int, column: int) -> int:
    """Turn a line and a UTF-8 column into an offset in the text."""
    lines = source.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: line - 1])
    return start + len(lines[line - 1].encode()[:column].decode())


def main(argv: list[str]) -> None:
    """List the candidates of a file, or wrap those on the lines given."""
    path = Path(argv[0])
    source = path.read_text()
    tree = ast.parse(source)
    found = candidates(source, tree)
    if len(argv) == 1:
        for node in found:
            print(f"{node.lineno}: {ast.get_source_segment(source, node)}")
        return
    if argv[1] == "--all-but":
        lines = {n.lineno for n in found} - {int(x) for x in argv[2:]}
    else:
        lines = {int(x) for x in argv[1:]}
    early = _module_level(tree)
    for node in sorted((n for n in found if n.lineno in lines), key=lambda n: (n.lineno, n.col_offset), reverse=True):
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = _offset(source, node.lineno, node.col_offset)
        end = _offset(source, node.end_lineno, node.end_col_offset)
        mark = "N_" if id(node) in early else "_"
        if mark == "N_" and isinstance(node, ast.JoinedStr):
            print(f"{path}:{node.lineno}: an f-string made at import; wrap it by hand")
            continue
        if mark == "N_":
            print(f"{path}:{node.lineno}: N_(): look it up with _() where it is used")
        source = source[:start] + wrap(node, source, mark) + source[end:]
    path.write_text(source)


if __name__ == "__main__":
    main(sys.argv[1:])
