"""Warn about debate-paper content longer than the paper has room for.

The debate paper prints each proposal as a headline and its summary. It never cuts a
summary short, which could change what was proposed; a longer one is printed whole
and the editor is told, so the paper stays short by an editor's choice of words.
Its first page has room for the main message, five key figures and the overview; it
prints every key figure marked for it, and tells the editor when there are more than five.
"""

from __future__ import annotations

import re

from compendium.content.load import Located
from compendium.content.walk import values_at
from compendium.errors import Problem
from compendium.messages import _

MAX_SENTENCES = 3
# Page 1 holds the main message, the key figures and the numbered overview of the proposals;
# more than five figures push the overview onto page 2, which a politician's office may not read.
MAX_PAPER_FIGURES = 5
# A sentence ends at . ! ? or … (perhaps inside a closing quote or bracket) before a capital letter, or at a
# paragraph break. 'ca. 30', 'f.eks. at' and '8. marts' do not end one: a digit or a small letter follows.
SENTENCE_END = re.compile(r"[.!?…][»«\"”’')\]*_]*\s+[»«\"“„(\[*_]*(\w)|\n[^\S\n]*\n\s*(\w)")


def sentences(text: str) -> int:
    """Count the sentences of a short Markdown text."""
    text = text.strip()
    ends = [m for m in SENTENCE_END.finditer(text) if m.group(2) or m.group(1).isupper()]
    return len(ends) + 1 if text else 0


def summary_warnings(located: list[Located]) -> list[Problem]:
    """Return a warning for each proposal in the debate paper whose summary has more than three sentences."""
    found = []
    for loaded in located:
        for path, proposal in values_at(loaded.data, ("proposals", "*")):
            if not isinstance(proposal, dict) or proposal.get("debate_paper") is not True:
                continue
            summary = proposal.get("summary")
            count = sentences(summary) if isinstance(summary, str) else 0
            if count > MAX_SENTENCES:
                fix = _(
                    "shorten it to {max_sentences} sentences; the rest can go in 'rationale', which the compendium prints"
                ).format(max_sentences=MAX_SENTENCES)
                message = _(
                    "the summary has {count} sentences, and the debate paper prints a proposal's summary whole as its 1–{max_sentences} sentence rationale; {fix}"
                ).format(count=count, max_sentences=MAX_SENTENCES, fix=fix)
                found.append(loaded.problem((*path, "summary"), message, hint=fix, warning=True))
    return found


def key_figure_warnings(located: list[Located]) -> list[Problem]:
    """Return a warning at each key figure marked for the debate paper's first page beyond the fifth."""
    found = []
    for loaded in located:
        marked = [
            path
            for path, figure in values_at(loaded.data, ("key_figures", "*"))
            if isinstance(figure, dict) and figure.get("debate_paper", True) is True
        ]
        for path in marked[MAX_PAPER_FIGURES:]:
            fix = _("set 'debate_paper: false' on the figures the paper can do without")
            message = _(
                "{count} key figures are marked for the debate paper's first page, which has room for {max_figures} "
                "next to the main message and the overview of the proposals; {fix}"
            ).format(count=len(marked), max_figures=MAX_PAPER_FIGURES, fix=fix)
            found.append(loaded.problem(path, message, hint=fix, warning=True))
    return found
