"""The debate paper (issue 14): one flow, page 1 with the overview, numbered proposals, short quotes, neutral headings."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup
from pypdf import PdfReader

from compendium.render.typography import tie
from tests.base import EVENT, MINIMAL, OK, PUBLICATION
from tests.conftest import run
from tests.test_pdf import outline

OVERVIEW_ITEM = re.compile(r'<li value="(\d+)"><a href="#proposal-([^"]+)">([^<]+)</a>')
PROPOSAL = re.compile(
    r'<article class="proposal" id="proposal-([^"]+)">\s*<h4><span class="proposal-number">(\d+)\.</span>'
)
THEME = re.compile(r'<section class="theme" id="theme-([^"]+)">(.*?)</section>', re.S)


# The spans render/keep_whole.py puts around names, addresses and numbers so print never hyphenates them.
KEPT_WHOLE = re.compile(r'<span class="(?:keep-whole|no-break)">([^<]*)</span>')


def unmarked(html: str) -> str:
    """Return HTML without the keep-whole spans (nested ones too), as the text reads."""
    while (plain := KEPT_WHOLE.sub(r"\1", html)) != html:
        html = plain
    return html


def paper_html(built: Path) -> str:
    return unmarked((built / "debate-paper.html").read_text(encoding="utf-8"))


def test_example_debate_paper_is_at_most_five_pages(built: Path) -> None:
    assert len(PdfReader(built / "debate-paper.pdf").pages) <= 5


def test_themes_flow_on_without_a_page_each(built: Path) -> None:
    html = paper_html(built)
    bookmarks = outline(PdfReader(built / "debate-paper.pdf"))
    themes = [page for level, title, page in bookmarks if level == 1][2:-1]  # after main message and overview
    assert 'class="chapter' not in html.replace('class="chapter-title"', "")  # no section breaks a page
    assert len(themes) == 5
    assert len(set(themes)) < len(themes), f"every theme on a page of its own: {themes}"


def test_overview_numbers_are_the_numbers_the_proposals_carry(built: Path) -> None:
    html = paper_html(built)
    overview = [(int(n), pid) for n, pid, _ in OVERVIEW_ITEM.findall(html)]
    printed = [(int(n), pid) for pid, n in PROPOSAL.findall(html)]
    assert overview == printed
    assert [n for n, _ in overview] == [1, 2, 3, 4, 5, 6]
    assert [title for *_, title in OVERVIEW_ITEM.findall(html)][:2] == [
        "Borgeren i centrum og tillid til de ledige",
        "Medarbejderne skal være med til at skabe den nye beskæftigelsesindsats",
    ]
    assert "Se også: <a" in html and ">Forslag 3, Tillid til medarbejdernes faglighed" in html


def test_at_most_two_quotes_a_theme_each_with_one_provenance_line(built: Path) -> None:
    sections = dict(THEME.findall(paper_html(built)))
    counts = {theme: body.count('<figure class="statement">') for theme, body in sections.items()}
    assert counts == {
        "tillid": 2,
        "faglighed": 2,
        "resultater-frem-for-processer": 2,
        "brugerbestyrelser": 1,
        "borgerraadgiver": 1,
    }
    tillid = sections["tillid"]
    caption = (
        '<figcaption>– Heidi Lind Sandholm, jobkonsulent, Jobcenter Holstebro<span class="event-ref">'
        " · Møde, 8. marts 2023</span></figcaption>"
    )
    assert caption in tillid
    # The highlighted quote that says word for word what proposal 1 says is not printed beneath it.
    assert "»Den fremtidige beskæftigelsesindsats" not in tillid


def test_neutral_proposals_heading_from_the_labels(built: Path) -> None:
    html = paper_html(built)
    assert '<h2 class="chapter-title">Forslag fra workshops og møder</h2>' in html
    assert html.count('<h3 class="group-title">Forslag fra workshops og møder</h3>') == 5
    assert "Vores forslag" not in html


def test_first_page_names_each_key_figure_source_once_and_breaks_the_title_after_a_word(built: Path) -> None:
    first = PdfReader(built / "debate-paper.pdf").pages[0].extract_text()
    lines = [line.strip() for line in first.splitlines()]
    assert first.count("Artikel om workshoppen på Amager") == 1
    assert "Kilder: 1. Artikel om workshoppen på Amager om et nyt beskæftigelsessystem, HK Kommunal" in first
    title = lines.index("HK KOMMUNAL") + 1  # pypdf reads the cover last
    # Beside the logo the title takes three lines; none ends with a short word cut from the next ("Et").
    assert lines[title : title + 3] == ["Debatoplæg:", "Et beskæftigelsessystem bygget", "på tillid og faglighed"]
    assert "Forslag fra workshops og møder" in lines


def test_heading_says_nothing_of_origin_when_a_proposal_is_the_publishers_own(
    make_project: Callable[..., Path],
) -> None:
    proposals = """\
        proposals:
          - id: fra-moedet
            title: Fra mødet
            themes: [tillid]
            summary: Et forslag fra mødet.
            debate_paper: true
        """
    own = """\
        id: egne
        proposals:
          - id: vores-eget
            title: Vores eget
            origin: {publisher: true}
            themes: [tillid]
            summary: Udgiverens eget forslag.
            debate_paper: true
          - id: lenes
            title: Lenes
            origin: {participants: [lene-buhl]}
            themes: [tillid]
            summary: Lenes forslag.
            debate_paper: true
        """
    project = make_project({EVENT: MINIMAL[EVENT].rstrip(" ") + proposals, "inputs/statements/egne.yaml": own})
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    html = unmarked((project / "build/debate-paper.html").read_text(encoding="utf-8"))
    assert '<h2 class="chapter-title">Forslag</h2>' in html
    assert '<p class="origin">Ophav: HK Kommunal</p>' in html
    assert '<p class="origin">Ophav: Møde, Viborg, 8. marts 2023</p>' in html
    assert '<p class="origin">Ophav: Lene Buhl</p>' in html
    assert [int(n) for _, n in PROPOSAL.findall(html)] == [1, 2, 3]


def test_a_debate_summary_over_three_sentences_is_a_warning(make_project: Callable[..., Path]) -> None:
    proposals = """\
        proposals:
          - id: langt
            title: Langt
            themes: [tillid]
            summary: Første. Anden ca. 30 gange. Tredje! Fjerde?
            debate_paper: true
          - id: kort-nok
            title: Kort nok
            themes: [tillid]
            summary: Første f.eks. her. Anden den 8. marts. Tredje.
            debate_paper: true
        """
    project = make_project({EVENT: MINIMAL[EVENT].rstrip(" ") + proposals})
    result = run("check", "--project", project)
    warning = (
        f"{EVENT}:19:14 warning: proposals[0].summary: the summary has 4 sentences, and the debate paper prints a "
        "proposal's summary whole as its 1–3 sentence rationale; shorten it to 3 sentences; the rest can go in "
        "'rationale', which the compendium prints"
    )
    assert (result.exit_code, result.output) == (0, f"{warning}\n{OK.replace('0 warnings', '1 warning')}")


def test_tie_keeps_short_words_numbers_and_abbreviations_with_the_next_word() -> None:
    title = tie("Debatoplæg: Et beskæftigelsessystem bygget på tillid og faglighed")
    assert title == Markup(
        'Debatoplæg: <span class="tie">Et beskæftigelsessystem</span> bygget <span class="tie">på tillid</span> '
        '<span class="tie">og faglighed</span>'
    )
    assert tie("1,3 mia. kr.") == Markup('<span class="tie">1,3 mia. kr.</span>')
    assert tie("Tillid & <b>") == Markup('Tillid <span class="tie">&amp; &lt;b&gt;</span>')
    assert tie("") == Markup("")


def test_kicker_leaves_out_the_word_debate_paper_when_the_title_starts_with_it(built: Path) -> None:
    html = paper_html(built)
    assert '<p class="cover-kicker">HK Kommunal</p>' in html


def test_running_head_names_the_theme_a_page_starts_in(built: Path) -> None:
    heads = [page.extract_text().splitlines()[-2] for page in PdfReader(built / "debate-paper.pdf").pages[1:]]
    title = "Debatoplæg: Et beskæftigelsessystem bygget på tillid og faglighed"
    # Page 2 opens with Tillid's heading; page 3 inside Faglighed, page 4 inside Brugerbestyrelser.
    assert heads == [f"{title} Tillid", f"{title} Faglighed", f"{title} Brugerbestyrelser"]


def test_page_one_holds_the_whole_overview_of_the_proposals(built: Path) -> None:
    first, second = (page.extract_text() for page in PdfReader(built / "debate-paper.pdf").pages[:2])
    # Each overview item ends with its theme after a middle dot; pypdf reads the item numbers apart.
    assert "En borgerrådgiverfunktion · Borgerrådgiver" in first
    assert "6. " in first
    assert " · Borgerrådgiver" not in second


def test_a_first_page_that_cannot_hold_the_overview_is_a_warning(make_project: Callable[..., Path]) -> None:
    long_message = " ".join(["Et langt hovedbudskab, der fylder mere end en side i debatoplægget."] * 60)
    publication = MINIMAL[PUBLICATION].replace("main_message: Budskab.", f"main_message: {long_message}")
    project = make_project({PUBLICATION: publication})
    result = run("build", "--format", "pdf", "--project", project)
    assert result.exit_code == 0, result.output
    assert (
        "debate-paper.pdf: warning: page 1 cannot hold all of the main message, the key figures and the overview "
        "of the proposals, which end on page 2; shorten the main message, or set 'debate_paper: false' on key "
        "figures or proposals the first page can do without\n"
    ) in result.output


def test_more_than_five_key_figures_for_the_first_page_is_a_warning_at_each_one_past_the_fifth(
    make_project: Callable[..., Path],
) -> None:
    figure = '  - {{id: tal-{n}, label: Tal {n}, value: "{n}", source: artiklen{rest}}}\n'
    figures = "key_figures:\n" + "".join(
        figure.format(n=n, rest=", debate_paper: false" if n == 3 else "") for n in range(1, 9)
    )
    project = make_project({"inputs/key-figures.yaml": figures})
    result = run("check", "--project", project)
    fix = "set 'debate_paper: false' on the figures the paper can do without"
    message = (
        "warning: {path}: 7 key figures are marked for the debate paper's first page, which has room for 5 next to "
        f"the main message and the overview of the proposals; {fix}"
    )
    warnings = [
        f"inputs/key-figures.yaml:{line}:5 " + message.format(path=f"key_figures[{index}]")
        for line, index in ((8, 6), (9, 7))
    ]
    expected = "\n".join(warnings) + "\n" + OK.replace("0 warnings", "2 warnings")
    assert (result.exit_code, result.output) == (0, expected)
