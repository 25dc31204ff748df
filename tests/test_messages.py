"""Messages in Danish: the language chosen once (locale or --lang), exact texts in both languages, a whole catalog.

The catalog tests name what is missing, so whoever adds a message sees what to run and translate
(docs/guide/messages.md): `make messages`, then the Danish text in compendium/locale/da/LC_MESSAGES/compendium.po.
"""

from __future__ import annotations

import ast
import io
import re
import string
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from compendium import messages
from compendium.commands.serve import error_overlay
from tests.base import EVENT, MINIMAL, STORY, THEMES
from tests.conftest import REPO, run
from tests.test_errors import CASES as ERROR_CASES

PACKAGE = REPO / "compendium"
PO = PACKAGE / "locale" / "da" / "LC_MESSAGES" / "compendium.po"
MO = PO.with_suffix(".mo")
# As `make messages` extracts: N_ marks a constant, plural(n, one, many) a counted text.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "plural": (2, 3)}

BAD_INDENT = {EVENT: "id: 2023-midtvest\ndate: 2023-03-08\n  place: Viborg\n"}
MISSPELT_KEY = {STORY: dedent(MINIMAL[STORY]).replace("title:", "titel:")}
# The same broken project test_errors.py answers in English.
NAMES_SOMEONE_ANONYMOUS = next(c.files for c in ERROR_CASES if c.name == "free-text-naming-someone-without-consent")


def _catalog() -> list:
    """Read the Danish catalog's messages (not its header)."""
    with PO.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def _check(project: Path, *options: str) -> str:
    """Run check with global options first (e.g. --lang da); return what it printed."""
    return run(*options, "check", "--project", project).output


# --- the same problems in English and in Danish -------------------------------------


SAMPLES = [
    (
        "yaml-syntax",
        BAD_INDENT,
        f"{EVENT}:3:8 invalid YAML: unexpected ':'; check this line's indentation, or put the value in quotes "
        "(YAML says: mapping values are not allowed in this context)\n"
        "Error: 1 problem found; nothing was written.\n",
        f"{EVENT}:3:8 ugyldig YAML: uventet ':'; tjek linjens indrykning, eller sæt værdien i anførselstegn "
        "(YAML siger: mapping values are not allowed in this context)\n"
        "Fejl: 1 fejl fundet; intet blev skrevet.\n",
    ),
    (
        "unknown-key",
        MISSPELT_KEY,
        f"{STORY}:2:1 titel: unknown field 'titel' (did you mean 'title'?)\n"
        "Error: 1 problem found; nothing was written.\n",
        f"{STORY}:2:1 titel: ukendt felt 'titel' (mente du 'title'?)\nFejl: 1 fejl fundet; intet blev skrevet.\n",
    ),
    (
        "consent",
        NAMES_SOMEONE_ANONYMOUS,
        f"{EVENT}:14:11 statements[0].text: names 'Lisbet Feldborg Johannesen', whose consent is 'anonymous'; "
        "remove the name from this text, or change their consent to 'named'\n"
        "Error: 1 problem found; nothing was written.\n",
        f"{EVENT}:14:11 statements[0].text: nævner 'Lisbet Feldborg Johannesen', hvis samtykke er 'anonymous'; "
        "fjern navnet fra denne tekst, eller ændr personens samtykke til 'named'\n"
        "Fejl: 1 fejl fundet; intet blev skrevet.\n",
    ),
    (
        "missing-file",
        {THEMES: None},
        f"{THEMES}: missing file; every project needs themes.yaml\nError: 1 problem found; nothing was written.\n",
        f"{THEMES}: filen mangler; ethvert projekt skal have themes.yaml\nFejl: 1 fejl fundet; intet blev skrevet.\n",
    ),
    (
        "summary",
        {},
        "OK: 6 files, 1 theme, 1 event, 1 story; 0 warnings\n",
        "OK: 6 filer, 1 tema, 1 arrangement, 1 historie; 0 advarsler\n",
    ),
]


@pytest.mark.parametrize(("files", "english", "danish"), [s[1:] for s in SAMPLES], ids=[s[0] for s in SAMPLES])
def test_check_speaks_the_language_asked_for(
    make_project: Callable[..., Path], files: dict[str, str | None], english: str, danish: str
) -> None:
    project = make_project(files)

    assert _check(project) == english
    assert _check(project, "--lang", "da") == danish
    assert _check(project, "--lang", "en") == english


@pytest.mark.parametrize(
    ("environment", "danish"),
    [
        ({"LANG": "da_DK.UTF-8"}, True),
        ({"LANG": "en_GB.UTF-8"}, False),
        ({"LANG": "C.UTF-8"}, False),
        ({"LC_MESSAGES": "da_DK.UTF-8", "LANG": "en_GB.UTF-8"}, True),
        ({"LC_ALL": "da_DK.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, True),
        ({"LANGUAGE": "en", "LC_ALL": "da_DK.UTF-8"}, False),  # gettext reads LANGUAGE first
        ({"LANGUAGE": "da:en", "LANG": "C.UTF-8"}, True),
    ],
)
def test_the_locale_chooses_the_language_in_gettext_order(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], danish: bool
) -> None:
    project = make_project(MISSPELT_KEY)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    english, danish_text = SAMPLES[1][2], SAMPLES[1][3]

    assert _check(project) == (danish_text if danish else english)


def test_lang_option_wins_over_the_locale(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(MISSPELT_KEY)
    monkeypatch.setenv("LANG", "da_DK.UTF-8")

    assert _check(project, "--lang", "en") == SAMPLES[1][2]


def test_a_cached_check_is_not_shown_in_the_other_language(make_project: Callable[..., Path]) -> None:
    project = make_project()
    run("build", "--quiet", "--format", "html", "--project", project)

    assert _check(project, "--lang", "da") == SAMPLES[-1][3]
    assert _check(project) == SAMPLES[-1][2]


def test_build_summary_in_danish(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    monkeypatch.chdir(project)

    first = run("--lang", "da", "build", "--format", "html").output
    again = run("--lang", "da", "build", "--format", "html").output

    outputs = "build/compendium.html, build/debate-paper.html, build/index.html"
    assert re.sub(r"\d+\.\d s", "9.9 s", first) == (
        "  Tjekker inputfilerne …\n  Danner compendium.html …\n  Danner debate-paper.html …\n"
        f"Byggede 3 filer på 9.9 s: {outputs}\n"
    )
    assert re.sub(r"\d+\.\d s", "9.9 s", again) == (
        f"Opdateret, intet er ændret siden sidste bygning (9.9 s): {outputs}\n"
    )


def test_page_counts_in_danish(make_project: Callable[..., Path]) -> None:
    project = make_project()
    output = run("--lang", "da", "build", "--format", "pdf", "--project", project).output
    summary = re.sub(r"\d+\.\d s", "9.9 s", output.splitlines()[-1])
    assert summary == (
        f"Byggede 3 filer på 9.9 s: {project}/build/compendium.pdf (12 sider), "
        f"{project}/build/debate-paper.pdf (1 side), {project}/build/index.html"
    )


def test_stats_in_danish(make_project: Callable[..., Path]) -> None:
    project = make_project()

    english = run("stats", "--project", project).output.splitlines()
    danish = run("--lang", "da", "stats", "--project", project).output.splitlines()

    assert english[0] == "1 theme, 1 event, 0 proposals, 1 statement, 1 story, 1 participant"
    assert danish[0] == "1 tema, 1 arrangement, 0 forslag, 1 udsagn, 1 historie, 1 deltager"
    assert danish[2:4] == [
        "Pr. tema (en post med flere temaer tælles under hvert)",
        "tema    forslag  udsagn  historier  ønsker  eksempler",
    ]


def test_new_in_danish(make_project: Callable[..., Path]) -> None:
    project = make_project()

    result = run(
        "--lang", "da", "new", "story", "--title", "Gåturen i Aarhus", "--theme", "tillid", "--date", "2025-01-02",
        "--project", project,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Oprettede historie 'gaaturen-i-aarhus' inputs/stories/gaaturen-i-aarhus.yaml\n"
        "Udfyld 2 pladsholdere markeret UDFYLD; 'compendium check' viser dem\n"
    )
    assert _check(project, "--lang", "da").splitlines()[0] == (
        "inputs/stories/gaaturen-i-aarhus.yaml:9:12 advarsel: workplace: indeholder stadig pladsholderen "
        "'UDFYLD: arbejdsplads'; erstat den med den rigtige tekst"
    )


def test_serve_overlay_in_both_languages() -> None:
    problems = [{"where": "inputs/themes.yaml", "message": "x"}, {"where": "", "message": "y"}]

    english = error_overlay(problems)
    messages.use_language("da")
    danish = error_overlay(problems)

    assert "<h2>The preview is out of date: 2 problems</h2>" in english
    assert "<p>Save a fix and this page updates by itself.</p>" in english
    assert "<h2>Forhåndsvisningen er forældet: 2 fejl</h2>" in danish
    assert "<p>Gem en rettelse, så opdaterer siden sig selv.</p>" in danish


def test_use_language_reports_what_it_chose() -> None:
    assert messages.use_language("da") == "da"
    assert messages.use_language("da_DK.UTF-8") == "da"
    assert messages.use_language("en") == "en"
    assert messages.use_language("fr") == "en"  # no French catalog: English


# --- the catalog ----------------------------------------------------------------------


def test_every_message_has_a_danish_translation() -> None:
    untranslated = [m.id for m in _catalog() if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in _catalog() if m.fuzzy]

    assert untranslated == [], f"translate these in {PO.relative_to(REPO)}: {untranslated}"
    assert fuzzy == [], f"check these translations and remove their fuzzy flag: {fuzzy}"


def test_every_message_in_the_code_is_in_the_catalog() -> None:
    # Each found is (file, line, message, comments, context), the message a tuple for a plural.
    in_code = {found[2] for found in extract_from_dir(str(PACKAGE), [("**.py", "python")], keywords=KEYWORDS)}
    in_catalog = {m.id for m in _catalog()}

    missing = sorted(in_code - in_catalog, key=str)
    assert missing == [], f"run `make messages` and translate: {missing}"
    assert sorted(in_catalog - in_code, key=str) == [], "run `make messages` to drop messages the code no longer has"


def _fields(text: str) -> list[str]:
    """List the placeholders of a str.format text, as written: {name}, {n:,}."""
    return sorted(
        f"{{{name}{'!' + c if c else ''}{':' + s if s else ''}}}"
        for _t, name, s, c in string.Formatter().parse(text)
        if name is not None
    )


def test_translations_keep_the_placeholders() -> None:
    differ = []
    for m in _catalog():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for english, danish in zip(ids, strings, strict=False):
            if "{}" not in english and _fields(english) != _fields(danish):
                differ.append((english, danish))

    assert differ == []


def test_compiled_catalog_matches_the_po_file() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)

    assert MO.read_bytes() == compiled.getvalue(), "run `make messages` to compile the catalog"


def test_no_message_is_looked_up_inside_an_f_string() -> None:
    # Babel reads an f-string as one token on Python 3.11, so a _() inside it would never reach the catalog.
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                hidden += [
                    f"{path.relative_to(REPO)}:{call.lineno}"
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in KEYWORDS
                ]

    assert hidden == []
