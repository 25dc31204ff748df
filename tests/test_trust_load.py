"""Hardened loading: hostile YAML fails fast with a located error, never a crash or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.content.load import MAX_DEPTH, MAX_FILE_BYTES, load_yaml
from compendium.errors import InputError

LAUGHS = "a: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


def problems(tmp_path: Path, content: str | bytes) -> list[str]:
    """Load a file holding content and return its problems as printed."""
    path = tmp_path / "x.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(InputError) as caught:
        load_yaml(path, "x.yaml")
    return [str(p) for p in caught.value.problems]


def test_billion_laughs(tmp_path: Path) -> None:
    assert problems(tmp_path, LAUGHS) == [
        "x.yaml:1:33 the aliases (*name) in this file expand to more than 200,000 values, far beyond any real input; "
        "write the values out instead of repeating aliases"
    ]


def test_long_text_repeated_by_aliases(tmp_path: Path) -> None:
    text = "t: &t " + "x" * 500_000 + "\nl: [" + ", ".join(["*t"] * 30) + "]\n"
    assert problems(tmp_path, text) == [
        "x.yaml:1:4"
        + " the aliases (*name) in this file expand to more than 10,000,000 characters of text, far beyond any real "
        "input; write the values out instead of repeating aliases"
    ]


def test_too_many_aliases(tmp_path: Path) -> None:
    text = "a: &a x\nl: [" + ", ".join(["*a"] * 1001) + "]\n"
    assert problems(tmp_path, text) == [
        f"x.yaml:2:{5 + 4 * 1000} the file uses more than 1,000 aliases (*name); write the values out instead"
    ]


def test_recursive_alias(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: &a [x, *a]\n") == [
        "x.yaml:1:11 the alias *a stands inside the value it refers to (&a on line 1), which would repeat for ever; remove the alias"
    ]


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 40_000])
def test_deep_flow_nesting(tmp_path: Path, levels: int) -> None:
    # 40,000 levels crash libyaml's composer; the pre-scan must stop it first.
    text = "a: " + "[" * levels + "]" * levels + "\n"
    assert problems(tmp_path, text) == [
        f"x.yaml:1:{4 + MAX_DEPTH} lists and mappings are nested more than 64 levels deep; "
        "no input needs that many, so check the indentation and brackets"
    ]


def test_nesting_at_the_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    data = load_yaml(path, "x.yaml").data
    for _ in range(MAX_DEPTH):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == []


def test_deep_block_nesting(tmp_path: Path) -> None:
    text = "a:\n" + "".join(" " * i + "- \n" for i in range(1, 100))
    assert problems(tmp_path, text) == [
        "x.yaml:66:66 lists and mappings are nested more than 64 levels deep; "
        "no input needs that many, so check the indentation and brackets"
    ]


def test_file_over_size_cap(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: " + "x" * MAX_FILE_BYTES + "\n") == [
        "x.yaml: the file is larger than 2 MB, far beyond any real input; "
        "split it (e.g. one event or story per file) or remove what does not belong"
    ]


def test_duplicate_key(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1 a: duplicate key 'a' (first used on line 1); remove one of them"
    ]


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("NO", "true/false"), ("012345", "a number"), ("12:30", "a number"), ("2023-03-08", "a date")],
)
def test_yaml_11_traps_keep_the_source(tmp_path: Path, written: str, read_as: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(f"title: {written}\n")
    located = load_yaml(path, "x.yaml")
    # The loaded value is YAML's reading; the source text is kept for the "quote it" hint.
    assert located.raw[("title",)] == (written, read_as)


def test_several_documents(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: 1\n---\na: 2\n") == [
        "x.yaml:2:1 the file holds more than one YAML document ('---'); keep one per file"
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert problems(tmp_path, "# only a comment\n") == ["x.yaml:1:1 the file is empty; expected a mapping of fields"]


def test_top_level_list(tmp_path: Path) -> None:
    assert problems(tmp_path, "- a\n- b\n") == [
        "x.yaml:1:1 expected a mapping of fields at the top level, found a list"
    ]


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: S\xc3\xb8ren\n")
    assert load_yaml(path, "x.yaml").data == {"title": "Søren"}


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-be", None), ("utf-32", "UTF-32")])
def test_utf16_and_utf32(tmp_path: Path, encoding: str, name: str | None) -> None:
    raw = ("\ufeff" if name is None else "") + "title: Søren\n"
    expected = name or "UTF-16"
    assert problems(tmp_path, raw.encode(encoding)) == [
        f"x.yaml:1:1 the file is saved as {expected}, not UTF-8; save it as UTF-8 in your editor"
    ]


def test_cp1252(tmp_path: Path) -> None:
    assert problems(tmp_path, "title: Søren\n".encode("cp1252")) == [
        "x.yaml:1:9 the file is not UTF-8 text (byte 0xf8, which is 'ø' in Windows-1252); "
        "save it as UTF-8 in your editor"
    ]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!custom", "!!binary"])
def test_tags_are_refused(tmp_path: Path, tag: str) -> None:
    assert problems(tmp_path, f"a: {tag} x\n") == [
        f"x.yaml:1:4 a: the tag '{tag}' is not allowed; remove it and write a plain value"
    ]


def test_fifo_is_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        load_yaml(fifo, "x.yaml")  # reading a FIFO would block for ever
    assert str(caught.value) == "x.yaml: not a regular file; inputs must be plain YAML files"
