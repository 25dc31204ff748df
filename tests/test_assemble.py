"""Choices the assemble stage makes for the documents."""

from __future__ import annotations

import datetime as dt

from compendium.assemble.context import Person, Provenance, StatementView, ThemeView, pick_debate_statements
from compendium.content import model as m

EVENT = m.Event(
    id="e",
    kind="meeting",
    title="Møde",
    date=dt.date(2023, 3, 8),
    place="Viborg",
    organiser="HK",
    background="",
    method="",
)


def view(ident: str, themes: list[str], highlight: bool = False) -> StatementView:
    statement = m.Statement(id=ident, speaker="p", themes=themes, text=ident, highlight=highlight)
    return StatementView(statement, Person(None, None, None, "anonymous"), EVENT, Provenance.of(statement, EVENT, {}))


def theme(ident: str, *statements: StatementView) -> ThemeView:
    return ThemeView(m.Theme(id=ident, title=ident, introduction=""), statements=list(statements))


def test_debate_statements_prefer_highlighted_and_unused() -> None:
    a, b, c = view("a", ["t1", "t2"]), view("b", ["t1"], highlight=True), view("c", ["t2"])
    first, second = theme("t1", a, b), theme("t2", a, c)
    pick_debate_statements([first, second])
    assert [s.statement.id for s in first.debate_statements] == ["b", "a"]
    assert [s.statement.id for s in second.debate_statements] == ["c", "a"]


def test_a_statement_is_reused_only_when_a_theme_has_nothing_else() -> None:
    shared = view("shared", ["t1", "t2"])
    first, second = theme("t1", shared), theme("t2", shared)
    pick_debate_statements([first, second])
    assert [s.statement.id for s in second.debate_statements] == ["shared"]


def test_role_only_credit_starts_with_a_capital() -> None:
    labels = {"a_participant": "En deltager"}
    assert Person(None, "jobkonsulent", "Jobcenter Holstebro", "role-only").credit(labels) == (  # type: ignore[arg-type]
        "Jobkonsulent, Jobcenter Holstebro"
    )
    assert Person(None, None, None, "anonymous").credit(labels) == "En deltager"  # type: ignore[arg-type]
