"""Old text, for the changes appendix: no name the edition withholds today may come back through it.

Old text can name someone who has since withdrawn consent, or been removed
altogether: a printed word diff must not bring their name back. The names
are found as the leak scan finds them (every form, in the genitive too).
"""

from __future__ import annotations

from collections.abc import Callable

from compendium.consent.leaks import printable_names, printable_parts, withheld_names
from compendium.consent.names import NameSearch, name_forms, replace_names
from compendium.consent.policy import Edition, Person, is_person
from compendium.content.validate import Content


def _people(content: Content) -> list[Person]:
    """Return every participant and story teller who is one person (an organisation's name is no one's)."""
    people: list[Person] = [*content.participants.values(), *(s.teller for s in content.stories)]
    return [p for p in people if is_person(p)]


def withheld_forms(old: Content, new: Content, edition: Edition) -> set[str]:
    """Return every name, and name form, the edition must not print, judged by today's consent."""
    # A name, or part of one, that the edition prints today is not withheld, whatever it was before:
    # the same names the leak scan lets through (the editors and the contact person included).
    printable = set(printable_names(new, edition)) | printable_parts(new, edition)
    forms = set(withheld_names(new, edition)) | set(withheld_names(old, edition))
    # Someone named then and no longer printed (removed, say) is looked for in every form too.
    forms |= {form for p in _people(old) if p.name and p.name.strip() for form in name_forms(p.name, printable)}
    return {f for f in forms if f.strip() and f not in printable}


def old_text_redactor(old: Content, new: Content, edition: Edition, replacement: str) -> Callable[[str], str]:
    """Return a function that replaces every name the edition must not print, in old or new text, by replacement."""
    forms = withheld_forms(old, new, edition)
    if not forms:
        return lambda text: text
    search = NameSearch(sorted(forms), "word")
    return lambda text: replace_names(search, text, replacement)
