"""Editions and consent: what the public and internal editions print, and what they withhold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from compendium.consent.leaks import changed_region, withheld_names
from compendium.content.validate import load_content
from compendium.project import find_project
from tests.conftest import run, snapshot

PARTICIPANTS = Path("inputs/participants.yaml")
MIDTVEST = Path("inputs/events/2023-midtvest.yaml")
HEIDI_QUOTE = "Vi bliver tvunget ud i at holde de samtaler"  # the start of Heidi Lind Sandholm's statement
# Everyone the example project (after `withhold`) must not name in public, in full.
WITHHELD = {
    "Heidi Lind Sandholm": "anonymous",
    "Birgitte Frydensbjerg": "withdrawn",
    "Joanna Keramida": "role-only",
    "Lisbet Feldborg Johannesen": "anonymous",
    "Mette Dahl": "role-only",
    "Anders Kjær": "role-only",
    "Sofie Lund": "anonymous",
}


def set_consent(project: Path, pid: str, consent: str) -> None:
    """Change one participant's consent in participants.yaml."""
    path = project / PARTICIPANTS
    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"(- id: {pid}\n(?:    .*\n)*?    consent: )\S+", rf"\g<1>{consent}", text)
    assert new != text, pid
    path.write_text(new, encoding="utf-8")


def replace(project: Path, rel: Path, old: str, new: str) -> None:
    """Replace text in an input file, failing if it is not there."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def withhold(project: Path) -> None:
    """Make Heidi anonymous and let Birgitte withdraw, taking her name out of the event's free text."""
    set_consent(project, "heidi-lind-sandholm", "anonymous")
    set_consent(project, "birgitte-frydensbjerg", "withdrawn")
    replace(
        project,
        MIDTVEST,
        "Desuden fortalte Birgitte Frydensbjerg, leder af Jobcenter Holstebro, om",
        "Desuden hørte de om",
    )
    replace(
        project, MIDTVEST, "Birgitte Frydensbjerg, leder af Jobcenter Holstebro, fortalte på mødet om", "Mødet hørte om"
    )


def name_forms(full: str) -> list[str]:
    """The full, first and last forms of a name, also as spelt without Danish letters."""
    parts = full.split()
    forms = {full, parts[0], parts[-1]}
    folded = {f.replace("æ", "ae").replace("ø", "o").replace("å", "aa") for f in forms}
    return sorted(forms | folded)


def public_texts(build: Path) -> dict[str, str]:
    """Every public output as text: files, PDF page text, metadata and bookmarks, and file names."""
    texts = {}
    for path in sorted(build.rglob("*")):
        rel = path.relative_to(build).as_posix()
        if rel.startswith("internal/"):
            continue
        texts[f"name of {rel}"] = rel
        if path.suffix in (".html", ".css"):
            texts[rel] = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            pages = " ".join(page.extract_text() for page in reader.pages)
            texts[rel] = re.sub(r"[\s\u2010\u00ad-]+", " ", pages)  # undo hyphenation and line breaks
            texts[f"{rel} metadata"] = " ".join(str(v) for v in (reader.metadata or {}).values())
            texts[f"{rel} bookmarks"] = " ".join(str(item) for item in _flatten(reader.outline))
    return texts


def _flatten(outline: list[object]) -> list[object]:
    """Flatten pypdf's nested outline into a list of its entries' titles."""
    found: list[object] = []
    for item in outline:
        found += _flatten(item) if isinstance(item, list) else [getattr(item, "title", item)]
    return found


def test_public_edition_prints_no_withheld_name(project: Path) -> None:
    withhold(project)
    result = run("build", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    texts = public_texts(project / "build")
    assert any(name.endswith(".pdf") for name in texts) and "compendium.html" in texts
    hits = [
        (form, where)
        for full in WITHHELD
        for form in name_forms(full)
        for where, text in texts.items()
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE)
    ]
    assert hits == []
    # What consent allows is still there: the role-only role, the anonymous "En deltager".
    assert "– Beskæftigelsesfaglig medarbejder, Jobcenter Viborg" in texts["compendium.html"]
    assert "– En deltager" in texts["compendium.html"]


def test_internal_edition_names_everyone_and_says_so_on_every_page(project: Path) -> None:
    withhold(project)
    assert run("build", "--quiet", "--project", project).exit_code == 0
    public = snapshot(project / "build")
    result = run("build", "--edition", "internal", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    internal = project / "build" / "internal"
    assert result.stdout.startswith("Built 5 outputs in ")
    assert f"{internal}/compendium.pdf (" in result.stdout
    # The public outputs stay exactly as they were; the internal ones sit apart.
    assert {k: v for k, v in snapshot(project / "build").items() if not k.startswith("internal/")} == public
    for doc in ("compendium", "debate-paper"):
        html = (internal / f"{doc}.html").read_text(encoding="utf-8")
        # In a landmark of its own, and in the title (the PDF's title too).
        assert (
            '<aside class="edition-mark" aria-labelledby="edition-mark">'
            '<p id="edition-mark">Intern – må ikke videregives</p></aside>'
        ) in html
        assert re.search(r"<title>[^<]* \(Intern – må ikke videregives\)</title>", html), doc
        pages = PdfReader(internal / f"{doc}.pdf").pages
        assert all("Intern – må ikke videregives" in page.extract_text() for page in pages), doc
    assert "Intern – må ikke videregives" in (internal / "index.html").read_text(encoding="utf-8")
    compendium = (internal / "compendium.html").read_text(encoding="utf-8")
    assert "Heidi Lind Sandholm, jobkonsulent, Jobcenter Holstebro" in compendium
    assert "Joanna Keramida" in compendium
    # Withdrawn consent holds in the internal edition too.
    assert "Birgitte Frydensbjerg" not in compendium


def test_internal_mark_is_localised(project: Path) -> None:
    replace(project, Path("inputs/publication.yaml"), "language: da", "language: en")
    result = run("build", "--edition", "internal", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "internal" / "compendium.html").read_text(encoding="utf-8")
    assert '<p id="edition-mark">Internal – not for distribution</p>' in html


def test_public_edition_has_no_mark(built: Path) -> None:
    html = (built / "compendium.html").read_text(encoding="utf-8")
    assert 'class="edition-mark"' not in html
    assert "Intern – må ikke videregives" not in html


def test_withdrawn_consent_leaves_out_statements_and_says_so(project: Path) -> None:
    set_consent(project, "heidi-lind-sandholm", "withdrawn")
    for edition in ("public", "internal"):
        result = run("build", "--format", "html", "--edition", edition, "--project", project)
        assert result.exit_code == 0, result.output
        assert (
            "Note: left out statement 2023-midtvest/midtvest-heidi-lind-sandholm: "
            f"participant heidi-lind-sandholm withdrew consent (see {project / 'build-reports' / 'redactions.txt'})"
        ) in result.output
        folder = project / "build" / ("internal" if edition == "internal" else "")
        for doc in ("compendium.html", "debate-paper.html"):
            html = (folder / doc).read_text(encoding="utf-8")
            assert HEIDI_QUOTE not in html
            assert "Heidi" not in html
    report = json.loads((project / "build-reports" / "redactions.json").read_text(encoding="utf-8"))
    reason = "participant heidi-lind-sandholm withdrew consent"
    for edition in ("public", "internal"):
        assert {
            "item": "statement 2023-midtvest/midtvest-heidi-lind-sandholm",
            "withheld": "the whole statement",
            "reason": reason,
        } in report["editions"][edition]
        assert {
            "item": "event 2023-midtvest",
            "withheld": "the participant from the list",
            "reason": reason,
        } in report["editions"][edition]


def test_withdrawn_teller_leaves_out_the_story(project: Path) -> None:
    replace(project, Path("inputs/stories/gaaturen.yaml"), "consent: named", "consent: withdrawn")
    result = run("build", "--format", "html", "--project", project)
    assert result.exit_code == 0, result.output
    assert "Note: left out story gaaturen: the teller withdrew consent" in result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Samtalen, der blev til en gåtur" not in html
    assert "Maria Holm" not in html


def test_redactions_report_names_ids_not_names(project: Path) -> None:
    withhold(project)
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    text = (project / "build-reports" / "redactions.txt").read_text(encoding="utf-8")
    assert text.startswith(
        "What each edition of “Et nyt beskæftigelsessystem” withholds, and why.\n"
        "For editors only: it names participants by their id. Do not publish it.\n\n"
        "public edition (12 withheld)\n"
        "  participant heidi-lind-sandholm: name, role and workplace (consent 'anonymous')\n"
    )
    assert "  participant hk-ansat-1: role (consent 'anonymous')\n" in text
    assert "  story borgerraadgiveren, its teller: name (consent 'role-only')\n" in text
    assert "\ninternal edition (2 withheld)\n" in text
    for full in WITHHELD:
        assert full not in text
    data = json.loads((project / "build-reports" / "redactions.json").read_text(encoding="utf-8"))
    assert sorted(data["editions"]) == ["internal", "public"]
    assert len(data["editions"]["public"]) == 12


def test_anonymous_tellers_only_workplace_is_withheld(project: Path) -> None:
    # Jobcenter Fjordby is shared by two tellers; once the named one moves, it points at the anonymous one.
    story = project / "inputs" / "stories" / "fire-timer-om-ugen.yaml"
    meta = '<p class="meta">Jobcenter Fjordby · '
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    assert meta in (project / "build" / "compendium.html").read_text(encoding="utf-8")
    replace(project, Path("inputs/stories/gaaturen.yaml"), "Jobcenter Fjordby", "Jobcenter Havby")
    assert story.is_file()
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert meta not in html
    assert "Jobcenter Fjordby" not in html
    report = (project / "build-reports" / "redactions.txt").read_text(encoding="utf-8")
    assert "  story fire-timer-om-ugen: its workplace (the teller is anonymous and no one else works there)\n" in report


def test_a_withheld_first_name_stops_the_public_build(project: Path) -> None:
    replace(
        project, MIDTVEST, "Jeg tilslutter mig alles bekymringer.", "Jeg, Joanna, tilslutter mig alles bekymringer."
    )
    before = snapshot(project / "build")
    result = run("build", "--format", "html", "--project", project)
    assert result.exit_code == 1
    line = next(
        n for n, text in enumerate((project / MIDTVEST).read_text(encoding="utf-8").splitlines(), 1) if "Joanna" in text
    )
    assert result.output.endswith(
        f"{MIDTVEST.as_posix()}:{line}:12 the public edition would print 'Joanna' "
        "(participant joanna-keramida, consent 'role-only') in compendium.html; remove it from the text\n"
        "Error: 1 problem found; nothing was written.\n"
    )
    assert snapshot(project / "build") == before
    # The internal edition may print her name.
    assert run("build", "--format", "html", "--edition", "internal", "--quiet", "--project", project).exit_code == 0


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Anders Kjær", {"Anders Kjær", "Anders", "Kjær", "Anders Kjaer", "Kjaer"}),
        ("Bo Ek", {"Bo Ek"}),  # two-letter parts alone would match ordinary words
    ],
)
def test_withheld_name_forms(project: Path, name: str, forms: set[str]) -> None:
    story = project / "inputs" / "stories" / "fra-moedekalender-til-virksomhedsbesoeg.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("Anders Kjær", name), encoding="utf-8")
    content = load_content(find_project(explicit=project), checks=())
    found = {form for form, who in withheld_names(content, "public").items() if "fra-moedekalender" in who}
    assert found == forms


def test_a_first_name_shared_with_a_named_person_is_not_a_leak(project: Path) -> None:
    # Lene Buhl is named; an anonymous Lene Hansen must not make "Lene" unprintable.
    replace(project, Path("inputs/stories/fire-timer-om-ugen.yaml"), "Sofie Lund", "Lene Hansen")
    content = load_content(find_project(explicit=project), checks=())
    forms = withheld_names(content, "public")
    assert "Lene" not in forms
    assert forms["Hansen"] == "the teller of story fire-timer-om-ugen, consent 'anonymous'"


def test_a_name_added_after_a_clean_build_stops_the_next_one(project: Path) -> None:
    # The second build looks only at what changed in the HTML: it must still find the name there.
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    replace(
        project, MIDTVEST, "Jeg tilslutter mig alles bekymringer.", "Jeg, Joanna, tilslutter mig alles bekymringer."
    )
    before = snapshot(project / "build")
    cached = run("build", "--format", "html", "--project", project)
    fresh = run("build", "--format", "html", "--no-cache", "--project", project)
    assert cached.exit_code == fresh.exit_code == 1
    assert "the public edition would print 'Joanna'" in cached.output
    assert cached.output == fresh.output
    assert snapshot(project / "build") == before


def test_a_consent_taken_back_makes_the_next_build_look_at_everything(project: Path) -> None:
    # The HTML around "Lene" does not change, but the names looked for do: all of it is looked at again.
    replace(project, MIDTVEST, "Sammen med Lene Buhl,", "Sammen med Lene,")
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    set_consent(project, "lene-buhl", "role-only")
    cached = run("build", "--format", "html", "--project", project)
    fresh = run("build", "--format", "html", "--no-cache", "--project", project)
    assert cached.exit_code == fresh.exit_code == 1
    assert "the public edition would print 'Lene' (participant lene-buhl, consent 'role-only')" in cached.output
    assert cached.output == fresh.output


def test_an_edited_output_is_looked_at_in_full(project: Path) -> None:
    # The last build's HTML only counts as checked while it holds what that build wrote.
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    html = project / "build" / "compendium.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "Joanna</body>"), encoding="utf-8")
    replace(project, MIDTVEST, "Sammen med Lene Buhl,", "Sammen med Joanna,")
    result = run("build", "--format", "html", "--project", project)
    assert result.exit_code == 1
    assert "the public edition would print 'Joanna'" in result.output


@given(st.text(alphabet="ab <", max_size=40), st.text(alphabet="ab <", max_size=40))
@settings(max_examples=500, derandomize=True, deadline=None)
def test_the_changed_region_is_whole_pieces_and_the_rest_is_as_before(old: str, new: str) -> None:
    start, end = changed_region(old, new)
    assert 0 <= start <= end <= len(new)
    assert new[:start] == old[:start] and (start == 0 or new[start - 1] == "<")
    tail = len(new) - end
    # What lies outside the region is the same in both, so only the region can hold a new name.
    assert new[end:] == old[len(old) - tail :] and (end == len(new) or new[end] == "<")
    assert start + tail <= len(old)


def test_a_file_found_clean_is_looked_at_again_when_a_consent_changes(project: Path) -> None:
    # The event names Lene Buhl, who is named; its bytes stay the same, the names looked for do not.
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    set_consent(project, "lene-buhl", "anonymous")
    cached = run("build", "--format", "html", "--project", project)
    fresh = run("build", "--format", "html", "--no-cache", "--project", project)
    assert cached.exit_code == fresh.exit_code == 1
    # The problem points at the method, the text that names her (its line read off the file, not hard-coded).
    lines = (project / MIDTVEST).read_text(encoding="utf-8").splitlines()
    method = next(n for n, line in enumerate(lines, 1) if line.startswith("method:"))
    assert f"{MIDTVEST.as_posix()}:{method}:" in cached.output
    assert "names 'Lene Buhl', whose consent is 'anonymous'" in cached.output
    assert cached.output == fresh.output
