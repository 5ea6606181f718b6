"""Reading what a participant's declaration is about: the articles it names, and whether it
reads as a reservation.

The depositary prints statements as free text in several styles ("article 11, paragraph 3",
"articles 42 and 63(3)", "Art. 40 (22)", "paragraph 2 of article 65"); every style becomes the
canonical "<article>(<paragraph>)(<subparagraph>)" form used across TreatyDesk, e.g. "63(3)" or
"35(1)(c)". Pure functions, no I/O.
"""

from __future__ import annotations

from treatydesk.status.statement_scan import scan_statement

__all__ = ["analyse_statement", "extract_articles", "is_reservation"]

# What the scanner (statement_scan.pyx, compiled with Cython) reads, ignoring ASCII case:
# - a list after "article", "articles", "art." or "arts.", where no letter comes right
#   before the word ("particle" holds none): items separated by ",", "and", "or" or "&",
#   each an article number, then optionally its paragraph ("(3)", ", paragraph 3",
#   "paragraphs 3", "para. 3"), then optionally a one-letter subparagraph "(c)";
# - "paragraph 2 of [the] article 65" (also "paragraph 1 (c) of article 35"): where this form
#   occurs, every form is ordered by where it stands, and the article word it contains is not
#   read again as a list;
# - reservation signs: "reserves", "reserved", "reserving", "reservation(s)", "not [consider
#   itself] bound by", "not apply", each as whole words.
# Digits and whitespace are Unicode ones, as in Python's regular expressions; the tests hold
# the regular expressions the scanner replaced and check that both agree.


def extract_articles(text: str) -> tuple[str, ...]:
    """The articles (with paragraph and subparagraph where given) that `text` names, in the
    order they first appear, without repeats: "paragraph 2 of article 65" gives ("65(2)",)."""
    return scan_statement(text)[0]


def analyse_statement(text: str) -> tuple[tuple[str, ...], bool]:
    """`extract_articles(text)` and `is_reservation(text)` from one pass over the text (the
    importer calls this for every statement)."""
    return scan_statement(text)


def is_reservation(text: str) -> bool:
    """True when the statement reads as a reservation (it reserves a right, or says a provision
    will not apply to or bind the participant) rather than an interpretative declaration.

    A heuristic on wording, not a legal qualification: the depositary prints reservations and
    declarations under one heading, and what counts is the effect the statement purports to
    have (Vienna Convention on the Law of Treaties, art. 2(1)(d))."""
    return scan_statement(text)[1]
