"""Property tests: generated input trees, Markdown and consents never crash the tool or leak a name.

`make test` runs a few examples of each (derandomised, so CI is stable);
`make fuzz` sets COMPENDIUM_FUZZ=1 and runs over 10,000 cases in all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from compendium.consent import CONTENT_CHECKS, find_leaks, old_text_redactor
from compendium.content.validate import Content, load_content
from compendium.errors import CompendiumError
from compendium.project import find_project
from compendium.render.markdown import render_markdown
from tests.base import PARTICIPANTS, STORY, write_project
from tests.conftest import copy_example, run
from tests.strategies import TreeEdit, consents, input_trees, markdown_texts, respelt

FUZZ = os.environ.get("COMPENDIUM_FUZZ") == "1"


def examples(small: int, fuzz: int, shrink: bool = True) -> settings:
    """Settings for a property: a few derandomised examples in make test, many random ones in make fuzz.

    Slow properties (whole builds) skip shrinking: a failure is reported as found.
    """
    return settings(
        max_examples=fuzz if FUZZ else small,
        phases=list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate],
        deadline=None,
        derandomize=not FUZZ,
        database=None if not FUZZ else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example, edited and restored by each example."""
    return copy_example(tmp_path_factory.mktemp("properties") / "project")


def apply(project: Path, edits: list[TreeEdit]) -> dict[Path, bytes | None]:
    """Apply edits; return what each touched file held before."""
    before: dict[Path, bytes | None] = {}
    for edit in edits:
        target = project / edit.path
        before.setdefault(target, target.read_bytes() if target.is_file() else None)
        edit.apply(project)
    return before


def restore(before: dict[Path, bytes | None]) -> None:
    """Put touched files back."""
    for path, data in before.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)


@examples(small=40, fuzz=5500)
@given(edits=input_trees())
def test_loading_raises_only_input_errors(base: Path, edits: list[TreeEdit]) -> None:
    before = apply(base, edits)
    try:
        content = load_content(find_project(explicit=base), checks=CONTENT_CHECKS)
        assert content.publication.title
    except CompendiumError as exc:
        assert str(exc)  # every error says something
    finally:
        restore(before)


@examples(small=8, fuzz=200, shrink=False)
@given(edits=input_trees())
def test_check_exits_0_or_1_without_a_traceback(base: Path, edits: list[TreeEdit]) -> None:
    before = apply(base, edits)
    try:
        result = run("check", "--project", base)
    finally:
        restore(before)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    if result.exit_code == 1:
        assert result.output.splitlines()[-1].startswith("Error: ")


DANGEROUS_TAGS = {"script", "iframe", "style", "svg", "math", "base", "meta", "img", "object", "embed", "link", "form"}


class Elements(HTMLParser):
    """Collect the tags and attributes a browser would see (escaped text is only text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def dangers(html: str) -> list[str]:
    """Return every element or attribute in HTML that could run code or load something."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    found = [tag for tag, _ in parser.found if tag in DANGEROUS_TAGS]
    for tag, attrs in parser.found:
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcset"):
                found.append(f"{tag} {name}")
            elif name == "href" and not re.match(r"(https?:|mailto:|#|/|[\w.-]+(/|$))", value or "", re.I):
                found.append(f"{tag} href={value}")
    return found


@examples(small=150, fuzz=4000)
@given(text=markdown_texts())
def test_markdown_output_is_always_safe(text: str) -> None:
    html = str(render_markdown(text))
    assert dangers(html) == [], html
    assert "{{" not in html or "{{" in text  # template syntax stays text; it is never evaluated


@pytest.fixture(scope="module")
def nameless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with participants' names taken out of free text, so any consent can build."""
    project = copy_example(tmp_path_factory.mktemp("consent") / "project")
    people = yaml.safe_load((project / "inputs" / "participants.yaml").read_text(encoding="utf-8"))["participants"]
    names = [p["name"] for p in people if p.get("name")]
    for path in sorted(project.glob("inputs/**/*.yaml")):
        if path.name == "participants.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:  # also where a block of text breaks the name over two lines
            text = re.sub(r"\s+".join(map(re.escape, name.split())), "en deltager", text)
        path.write_text(text, encoding="utf-8")
    return project


@examples(small=4, fuzz=300, shrink=False)
@given(consent=consents())
def test_any_consent_builds_and_prints_no_withheld_name(nameless: Path, consent: dict[str, str]) -> None:
    path = nameless / "inputs" / "participants.yaml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    people = [person for person in data["participants"] if person["id"] in consent]
    for person in people:
        person["consent"] = consent[person["id"]]
        if person["consent"] == "named" and not person.get("name"):
            person["consent"] = "role-only"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        result = run("build", "--format", "html", "--quiet", "--project", nameless)
        assert result.exit_code == 0, result.output
        texts = [p.read_text(encoding="utf-8") for p in (nameless / "build").glob("*.html")]
    finally:
        path.write_text(original, encoding="utf-8")
        shutil.rmtree(nameless / "build", ignore_errors=True)
    for person in people:
        if person.get("name") and person["consent"] != "named":
            parts = person["name"].split()
            for form in {person["name"], parts[0], parts[-1]}:
                assert not any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", t, re.I) for t in texts), form


@examples(small=8, fuzz=200, shrink=False)
@given(consent=consents(), data=st.data())
def test_check_and_build_reach_the_same_verdict(nameless: Path, consent: dict[str, str], data: st.DataObject) -> None:
    # Any consents, and the foreword naming a participant in full, by first name, by surname, or not at all:
    # whatever build refuses (a withheld name in the HTML, full or in part), check refuses with the same problems.
    participants = nameless / "inputs" / "participants.yaml"
    publication = nameless / "inputs" / "publication.yaml"
    before = {path: path.read_text(encoding="utf-8") for path in (participants, publication)}
    people = yaml.safe_load(before[participants])
    for person in people["participants"]:
        if person["id"] not in consent:
            continue
        person["consent"] = consent[person["id"]]
        if person["consent"] == "named" and not person.get("name"):
            person["consent"] = "role-only"
    names = [p["name"] for p in people["participants"] if p.get("name")]
    name = data.draw(st.sampled_from(names))
    mention = data.draw(st.sampled_from([name, name.split()[0], name.split()[-1], ""]))
    participants.write_text(yaml.safe_dump(people, allow_unicode=True, sort_keys=False), encoding="utf-8")
    publication.write_text(before[publication].replace("foreword: |\n", f"foreword: |\n  {mention} siger goddag.\n", 1))
    try:
        checked = run("check", "--project", nameless)
        built = run("build", "--format", "html", "--quiet", "--project", nameless)
    finally:
        for path, text in before.items():
            path.write_text(text, encoding="utf-8")
        shutil.rmtree(nameless / "build", ignore_errors=True)
    assert checked.exit_code == built.exit_code, (checked.output, built.output)
    if built.exit_code:
        assert checked.output == built.output


# --- a withheld name under any spelling (class 1 of issue 12) ------------------------------------------------

WITHHELD = ["Lisbet Feldborg Johannesen", "Søren Kjær", "Karen-Margrethe Åby", "Steffen Fiil"]
RESPELT_PARTICIPANTS = """\
participants:
  - id: lene-buhl
    name: Lene Buhl
    consent: named
  - id: lisbet
    name: Lisbet Feldborg Johannesen
    consent: anonymous
  - id: soeren
    name: Søren Kjær
    consent: role-only
  - id: karen
    name: Karen-Margrethe Åby
    consent: withdrawn
  - id: steffen
    name: Steffen Fiil
    consent: anonymous
"""


@pytest.fixture(scope="module")
def withheld_content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The minimal project with four people whose names the public edition withholds."""
    root = write_project(tmp_path_factory.mktemp("respelt") / "project", {PARTICIPANTS: RESPELT_PARTICIPANTS})
    return load_content(find_project(explicit=root), checks=CONTENT_CHECKS)


def _respelt_name() -> st.SearchStrategy[tuple[str, str]]:
    """A withheld name and a spelling of it that reads the same."""
    return st.sampled_from(WITHHELD).flatmap(lambda name: st.tuples(st.just(name), respelt(name)))


@examples(small=200, fuzz=10_000)
@given(pair=_respelt_name(), genitive=st.booleans(), markup=st.sampled_from(["{}", "<em>{}</em>", "&nbsp;{}&shy;"]))
def test_the_leak_check_finds_a_withheld_name_under_any_spelling(
    withheld_content: Content, pair: tuple[str, str], genitive: bool, markup: str
) -> None:
    name, spelt = pair
    text = "<p>Vi gik en tur med " + markup.format(spelt + ("s" if genitive else "")) + " i går.</p>"
    problems = find_leaks({"compendium.html": text}, withheld_content, "public")
    assert any(f"would print '{name}'" in p.message for p in problems), (spelt, [p.message for p in problems])
    # Redacting old text (the changes appendix) finds it too, and replaces what was written, all of it.
    redact = old_text_redactor(withheld_content, withheld_content, "public", "[navn]")
    assert find_leaks({"compendium.html": redact(text)}, withheld_content, "public") == []


@examples(small=2, fuzz=200, shrink=False)
@given(pair=_respelt_name(), field=st.sampled_from(["title", "body"]), pdf=st.booleans())
def test_a_build_writes_nothing_when_a_withheld_name_is_respelt(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str], field: str, pdf: bool
) -> None:
    _, spelt = pair
    story = {
        "id": "gaaturen",
        "title": "Gåturen",
        "teller": {"name": "Maria Holm", "consent": "named"},
        "date": dt.date(2026, 9, 14),
        "themes": ["tillid"],
        "body": "Første gang talte vi ved skrivebordet.",
    }
    story[field] = f"Med {spelt} gik vi en tur"
    files = {PARTICIPANTS: RESPELT_PARTICIPANTS, STORY: yaml.safe_dump(story, allow_unicode=True, sort_keys=False)}
    root = write_project(tmp_path_factory.mktemp("respelt-build") / "project", files)
    result = run("build", *(() if pdf else ("--format", "html")), "--project", root)
    # Refused: by validation (an invisible character, or the whole name) or by the leak check of what would be printed.
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not (root / "build").exists() or not any((root / "build").rglob("*.*")), "a refused build wrote outputs"
