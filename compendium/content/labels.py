"""Labels for the documents, from a language file chosen by the publication."""

from __future__ import annotations

from typing import Any

from compendium.errors import CompendiumError
from compendium.messages import _

# The CLDR plural categories a plural label may give forms for (Babel's `Locale.plural_form` names them).
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


class PluralLabel(str):
    """A label with one form per CLDR plural category; as text it is its `other` form.

    Being text, a template written for the single-string form (`labels.group_size.format(n=…)`)
    keeps working; the `plural` filter picks the form for a number.
    """

    forms: dict[str, str]

    def __new__(cls, text: str, forms: dict[str, str] | None = None) -> PluralLabel:
        """Wrap the forms; the text is the `other` form (Jinja's sandbox makes one from a formatted text alone)."""
        label = super().__new__(cls, text)
        label.forms = dict(forms or {"other": text})
        return label

    def __reduce__(self) -> tuple[type, tuple[str, dict[str, str]]]:
        """Pickle with the forms, so a cached context keeps every form."""
        return (PluralLabel, (str(self), self.forms))

    def form(self, category: str) -> str:
        """Return the form for a plural category, the `other` form when the label has none for it."""
        return self.forms.get(category, self.forms["other"])


def plural_forms(value: object) -> dict[str, str] | None:
    """Return a plural label's forms when value is a mapping of categories to text with `other`; else None."""
    if not isinstance(value, dict) or "other" not in value:
        return None
    if not all(k in PLURAL_CATEGORIES and isinstance(v, str) for k, v in value.items()):
        return None
    return dict(value)


class Labels(dict[str, str]):
    """Printed labels for one language; a missing key names the file to fix."""

    language: str = "da"

    def __missing__(self, key: str) -> str:
        raise CompendiumError(
            _("label '{key}' is missing from labels/{language}.yaml").format(key=key, language=self.language)
        )

    @classmethod
    def from_data(cls, language: str, data: Any, source: str) -> Labels:
        """Check a language file's data and wrap it; a mapping of plural categories becomes a PluralLabel."""
        if not isinstance(data, dict):
            raise CompendiumError(_("{source} must be a mapping of label names to text").format(source=source))
        values: dict[str, str] = {}
        for key, value in data.items():
            forms = plural_forms(value)
            if forms is not None:
                values[key] = PluralLabel(forms["other"], forms)
            elif isinstance(value, str):
                values[key] = value
            else:
                raise CompendiumError(_("{source} must be a mapping of label names to text").format(source=source))
        labels = cls(values)
        labels.language = language
        return labels
