"""The one place that decides what may be printed: consent per person and edition, names, leaks, redactions.

policy: what an edition prints of a person, and what a withdrawal removes;
names: finding names in text, and the forms of a name to look for;
mentions: validation's rule that free text names no one without consent;
leaks: the scan of rendered outputs for withheld names;
report: build-reports/redactions.txt and .json; changes: the redaction of old text.
"""

from compendium.consent.changes import old_text_redactor, withheld_forms
from compendium.consent.leaks import CleanTexts, changed_region, find_leaks, leak_key, withheld_names, without_tags
from compendium.consent.mentions import consent_fits_kind, named_without_consent, names_in
from compendium.consent.policy import (
    CONSENTS,
    DEFAULT_CONSENT,
    EDITIONS,
    Edition,
    consent_of,
    counted,
    held_then,
    is_person,
    kind_consent_problem,
    kind_of,
    listed,
    output_folder,
    shown_fields,
    shows_name,
    statement_left_out,
    still_present,
    story_left_out,
    story_workplace,
    teller_of,
    withdrawn,
    without_withdrawn,
)
from compendium.consent.report import REPORT_NAME, Redaction, redactions, withdrawn_notes, write_report

# The consent checks validation runs on the parsed input files (see content.validate.load_content).
CONTENT_CHECKS = (named_without_consent, consent_fits_kind)

__all__ = [
    "CONSENTS",
    "CONTENT_CHECKS",
    "DEFAULT_CONSENT",
    "EDITIONS",
    "REPORT_NAME",
    "CleanTexts",
    "Edition",
    "Redaction",
    "changed_region",
    "consent_fits_kind",
    "consent_of",
    "counted",
    "find_leaks",
    "held_then",
    "is_person",
    "kind_consent_problem",
    "kind_of",
    "leak_key",
    "listed",
    "named_without_consent",
    "names_in",
    "old_text_redactor",
    "output_folder",
    "redactions",
    "shown_fields",
    "shows_name",
    "statement_left_out",
    "still_present",
    "story_left_out",
    "story_workplace",
    "teller_of",
    "withdrawn",
    "withdrawn_notes",
    "withheld_forms",
    "withheld_names",
    "without_tags",
    "without_withdrawn",
    "write_report",
]
