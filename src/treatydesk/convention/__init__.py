"""The Convention as data: chapters, articles, paragraphs and figures, each with its citation.

`convention()` returns the bundled treaty, loaded and checked once per process; every other
component reads articles and figures through it rather than repeating them.
"""

from treatydesk.convention.loader import convention, load_convention, ref
from treatydesk.convention.model import (
    CHAPTER_NUMERALS,
    Article,
    Chapter,
    Convention,
    Figure,
    Paragraph,
    Subparagraph,
    chapter_numeral,
    format_reference,
    parse_reference,
)

__all__ = [
    "CHAPTER_NUMERALS",
    "Article",
    "Chapter",
    "Convention",
    "Figure",
    "Paragraph",
    "Subparagraph",
    "chapter_numeral",
    "convention",
    "format_reference",
    "load_convention",
    "parse_reference",
    "ref",
]
